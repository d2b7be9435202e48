/**
 * OTLP protobuf logs (ExportLogsServiceRequest or LogsData, both `resource_logs = 1`) → model
 * LogRecords, with the trace decoder's rules for ids, times and values (otlpProtoValues.ts).
 */
import { TraceFormatError } from '../model/errors';
import type { LogRecord, LogSink } from '../model/logs';
import type { Resource, Scope } from '../model/trace';
import { anyValue, attributes, decodeOrFail, hexId, problemOf, resourceOf, scopeOf, u64, withWire, wireType, type Long64, type PAnyValue, type PKeyValue, type PResource, type PScope } from './otlpProtoValues';
import { otlpTypes } from './otlpSchema';

interface PLogRecord {
  timeUnixNano?: Long64;
  observedTimeUnixNano?: Long64;
  severityNumber?: number;
  severityText?: string;
  body?: PAnyValue;
  attributes?: PKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  eventName?: string;
}
interface PResourceLogs {
  resource?: PResource;
  scopeLogs?: { scope?: PScope; logRecords?: PLogRecord[] }[];
  instrumentationLibraryLogs?: { instrumentationLibrary?: PScope; logRecords?: PLogRecord[] }[];
}

/**
 * Throws TraceFormatError when the bytes are not an OTLP logs message; a record that cannot be
 * read goes to `sink.reject` when the sink has one.
 */
export function decodeLogsProto(body: Uint8Array, sink: LogSink, opts: { readonly keepWire?: boolean } = {}): void {
  const msg = decodeOrFail('an OTLP logs message', () => otlpTypes.ExportLogsServiceRequest.decode(body) as unknown as { resourceLogs?: PResourceLogs[] });
  withWire(opts.keepWire ?? false, () => {
    const list = msg.resourceLogs ?? [];
    let n = 0;
    for (let i = 0; i < list.length; i++) {
      const rl = list[i]!;
      const resource = resourceOf(rl.resource);
      const groups = rl.scopeLogs?.length ? rl.scopeLogs : (rl.instrumentationLibraryLogs ?? []).map((g) => ({ scope: g.instrumentationLibrary, logRecords: g.logRecords }));
      for (let j = 0; j < groups.length; j++) {
        const scope = scopeOf(groups[j]!.scope);
        const records = groups[j]!.logRecords ?? [];
        for (let k = 0; k < records.length; k++, n++) {
          const where = (): string => `log record ${n} at resourceLogs[${i}].scopeLogs[${j}].logRecords[${k}]`;
          if (!sink.reject) {
            sink.add(logRecord(records[k]!, resource, scope, where));
            continue;
          }
          let r: LogRecord;
          try {
            r = logRecord(records[k]!, resource, scope, where);
          } catch (e) {
            sink.reject(where(), problemOf(e));
            continue;
          }
          sink.add(r);
        }
      }
    }
  });
}

function logRecord(r: PLogRecord, resource: Resource, scope: Scope, where: () => string): LogRecord {
  // An unset id is empty bytes; OTLP also says all-zero ids mean "none".
  let traceId = r.traceId && r.traceId.length ? hexId(r.traceId, 32) : undefined;
  if (r.traceId && r.traceId.length && traceId === undefined) throw new TraceFormatError(where(), 'traceId is not 1-16 bytes');
  let spanId = r.spanId && r.spanId.length ? hexId(r.spanId, 16) : undefined;
  if (r.spanId && r.spanId.length && spanId === undefined) throw new TraceFormatError(where(), 'spanId is not 1-8 bytes');
  if (traceId !== undefined && /^0+$/.test(traceId)) traceId = undefined;
  if (spanId !== undefined && /^0+$/.test(spanId)) spanId = undefined;
  const body = r.body && r.body.value ? anyValue(r.body, 0) : null;
  const bodyType = wireType(r.body, body);
  const sev = r.severityNumber ?? 0;
  return {
    time: u64(r.timeUnixNano),
    observedTime: u64(r.observedTimeUnixNano),
    severityNumber: Number.isInteger(sev) && sev >= 0 && sev <= 24 ? sev : 0,
    severityText: r.severityText ?? '',
    body,
    ...(bodyType ? { bodyType } : {}),
    attributes: attributes(r.attributes),
    traceId,
    spanId,
    flags: r.flags ?? 0,
    droppedAttributesCount: r.droppedAttributesCount ?? 0,
    eventName: r.eventName || undefined,
    resource,
    scope,
  };
}
