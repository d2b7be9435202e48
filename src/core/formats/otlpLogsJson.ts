/**
 * OTLP/JSON logs (`{"resourceLogs":[…]}`, the spec's encoding: hex ids, integer enums, 64-bit
 * ints as strings or numbers) → model LogRecords, with the trace decoder's value, resource and
 * scope rules (otlpJson.ts).
 */
import type { LogRecord, LogSink } from '../model/logs';
import { spanIdToHex, traceIdToHex } from '../model/ids';
import type { Resource, Scope } from '../model/trace';
import { bad, describe, fail, FieldError, isObject, kindOf, toUint64 } from './common';
import { attributes, currentOrLegacy, jsonWireType, list, resourceOf, scopeOf } from './otlpJson';

/** A request of the wrong shape throws TraceFormatError; a bad record goes to `sink.reject` when there is one. */
export function decodeLogsJson(value: unknown, sink: LogSink, opts: { readonly keepWire?: boolean } = {}): void {
  if (!isObject(value)) fail('', `expected an OTLP/JSON logs object (found ${kindOf(value)})`);
  const keepWire = opts.keepWire ?? false;
  const rlList = list(value.resourceLogs, 'resourceLogs');
  let n = 0;
  for (let i = 0; i < rlList.length; i++) {
    const rl = rlList[i];
    if (!isObject(rl)) fail(`resourceLogs[${i}]`, `expected an object (found ${kindOf(rl)})`);
    let resource: Resource;
    try {
      resource = resourceOf(rl);
    } catch (e) {
      if (e instanceof FieldError) fail(`resourceLogs[${i}]`, e.problem);
      throw e;
    }
    const key = currentOrLegacy(rl, 'scopeLogs', 'instrumentationLibraryLogs');
    const slList = list(rl[key], `resourceLogs[${i}].${key}`);
    for (let j = 0; j < slList.length; j++) {
      const sl = slList[j];
      if (!isObject(sl)) fail(`resourceLogs[${i}].${key}[${j}]`, `expected an object (found ${kindOf(sl)})`);
      let scope: Scope;
      try {
        scope = scopeOf(sl);
      } catch (e) {
        if (e instanceof FieldError) fail(`resourceLogs[${i}].${key}[${j}]`, e.problem);
        throw e;
      }
      const records = list(sl.logRecords, `resourceLogs[${i}].${key}[${j}].logRecords`);
      for (let k = 0; k < records.length; k++, n++) {
        const where = `log record ${n} at resourceLogs[${i}].${key}[${j}].logRecords[${k}]`;
        let r: LogRecord;
        try {
          r = logRecord(records[k], resource, scope, keepWire);
        } catch (e) {
          if (!(e instanceof FieldError)) throw e;
          if (!sink.reject) fail(where, e.problem);
          sink.reject(where, e.problem);
          continue;
        }
        sink.add(r);
      }
    }
  }
}

function nanos(v: unknown, field: string): bigint {
  if (v === undefined || v === null) return 0n;
  const t = toUint64(v);
  if (t === undefined) return bad(field, 'an integer of unix nanoseconds', describe(v));
  return t;
}

function uint(v: unknown, field: string, max: number): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max) return v;
  return bad(field, `an integer from 0 to ${max}`, describe(v));
}

const SEVERITY_BY_NAME = new Map<string, number>(
  ['UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'INFO', 'INFO2', 'INFO3', 'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3', 'ERROR4', 'FATAL', 'FATAL2', 'FATAL3', 'FATAL4'].map(
    (s, i) => [`SEVERITY_NUMBER_${s}`, i],
  ),
);

function severity(v: unknown): number {
  if (typeof v === 'string') {
    const n = SEVERITY_BY_NAME.get(v);
    if (n !== undefined) return n;
  }
  // Enums are open on the wire: a number we do not know is "unspecified", not an error.
  if (typeof v === 'number' && Number.isInteger(v)) return v >= 0 && v <= 24 ? v : 0;
  return uint(v, 'severityNumber', 24);
}

function optionalId(v: unknown, field: string, toHex: (s: string) => string | undefined): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const hex = typeof v === 'string' ? toHex(v) : undefined;
  if (hex === undefined) return bad(field, 'an id of hex or base64', describe(v));
  return /^0+$/.test(hex) ? undefined : hex;
}

function logRecord(raw: unknown, resource: Resource, scope: Scope, keepWire: boolean): LogRecord {
  if (!isObject(raw)) return bad('the log record', 'an object', kindOf(raw));
  const bodyList = raw.body === undefined || raw.body === null ? undefined : attributes([{ key: '', value: raw.body }], 'body');
  const body = bodyList ? bodyList[0]!.value : null;
  const bodyType = keepWire && raw.body !== undefined ? jsonWireType(raw.body, body) : undefined;
  const text = raw.severityText;
  if (text !== undefined && typeof text !== 'string') bad('severityText', 'a string', kindOf(text));
  const eventName = raw.eventName;
  if (eventName !== undefined && typeof eventName !== 'string') bad('eventName', 'a string', kindOf(eventName));
  return {
    time: nanos(raw.timeUnixNano, 'timeUnixNano'),
    observedTime: nanos(raw.observedTimeUnixNano, 'observedTimeUnixNano'),
    severityNumber: severity(raw.severityNumber),
    severityText: text ?? '',
    body,
    ...(bodyType ? { bodyType } : {}),
    attributes: attributes(raw.attributes, 'attributes'),
    traceId: optionalId(raw.traceId, 'traceId', traceIdToHex),
    spanId: optionalId(raw.spanId, 'spanId', spanIdToHex),
    flags: uint(raw.flags, 'flags', 0xffffffff),
    droppedAttributesCount: uint(raw.droppedAttributesCount, 'droppedAttributesCount', 0xffffffff),
    eventName: eventName || undefined,
    resource,
    scope,
  };
}
