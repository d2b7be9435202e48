/**
 * The OTLP protobuf schema as protobufjs types: the vendored opentelemetry-proto files (see
 * proto/README.md) compiled to otlpSchema.json, plus the few messages that are not OTLP but
 * travel with it — Tempo's trace-by-id wrappers and google.rpc.Status, the body of an OTLP/HTTP
 * error. One root for every decoder and encoder, so the trace files, Tempo's answers and the
 * receiver read the same wire.
 */
import * as protobuf from 'protobufjs/light';
import schema from './otlpSchema.json';

const root = protobuf.Root.fromJSON(schema as protobuf.INamespace);

const TRACE = 'opentelemetry.proto.trace.v1';
const LOGS = 'opentelemetry.proto.logs.v1';

// Pre-1.0 OTLP named scopes "instrumentation libraries" at field 1000, which the current schema
// reserves; traces written by old Tempo versions still carry it, so it is read back in.
for (const [ns, parent, group, items] of [
  [TRACE, 'ResourceSpans', 'InstrumentationLibrarySpans', 'spans'],
  [LOGS, 'ResourceLogs', 'InstrumentationLibraryLogs', 'logRecords'],
] as const) {
  const type = root.lookupType(`${ns}.${parent}`);
  type.reserved = (type.reserved ?? []).filter((r) => !(Array.isArray(r) && r[0] === 1000));
  const item = items === 'spans' ? 'Span' : 'LogRecord';
  (root.lookup(ns) as protobuf.Namespace).add(
    new protobuf.Type(group)
      .add(new protobuf.Field('instrumentationLibrary', 1, 'opentelemetry.proto.common.v1.InstrumentationScope'))
      .add(new protobuf.Field(items, 2, `${ns}.${item}`, 'repeated'))
      .add(new protobuf.Field('schemaUrl', 3, 'string')),
  );
  type.add(new protobuf.Field(items === 'spans' ? 'instrumentationLibrarySpans' : 'instrumentationLibraryLogs', 1000, group, 'repeated'));
}

// opentelemetry-proto 1.5 added LogRecord.event_name (12) after the vendored 1.3 files; current
// SDKs send it, and a record must come back with it.
const logRecord = root.lookupType(`${LOGS}.LogRecord`);
if (!logRecord.fieldsById[12]) logRecord.add(new protobuf.Field('eventName', 12, 'string'));

root.addJSON({
  tempopb: {
    nested: {
      /** tempopb.Trace = OTLP TracesData on the wire. */
      Trace: { fields: { resourceSpans: { rule: 'repeated', type: `${TRACE}.ResourceSpans`, id: 1 } } },
      // Metrics (field 2) are skipped: their field numbers vary by version and nothing reads them.
      TraceByIDResponse: {
        fields: {
          trace: { type: 'Trace', id: 1 },
          status: { type: 'PartialStatus', id: 3 },
          message: { type: 'string', id: 4 },
        },
      },
      PartialStatus: { values: { COMPLETE: 0, PARTIAL: 1 } },
    },
  },
  google: {
    nested: {
      protobuf: { nested: { Any: { fields: { typeUrl: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } } } },
      rpc: {
        nested: {
          Status: {
            fields: {
              code: { type: 'int32', id: 1 },
              message: { type: 'string', id: 2 },
              details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
            },
          },
        },
      },
    },
  },
});
root.resolveAll();

/** The message types Spanlens reads and writes. */
export const otlpTypes = {
  TracesData: root.lookupType(`${TRACE}.TracesData`),
  LogsData: root.lookupType(`${LOGS}.LogsData`),
  ExportTraceServiceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
  ExportTraceServiceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
  ExportLogsServiceRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  ExportLogsServiceResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
  TempoTrace: root.lookupType('tempopb.Trace'),
  TraceByIDResponse: root.lookupType('tempopb.TraceByIDResponse'),
  Status: root.lookupType('google.rpc.Status'),
};

/** The gRPC method paths of the two services the receiver implements. */
export const OTLP_GRPC_PATHS = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
} as const;
