/**
 * The local capture's parsers: OTLP export requests (traces and logs, protobuf and JSON) through
 * the receiver into a fresh store, which must then read back and re-encode what it took — a
 * refused request is the typed outcome, anything else thrown is a crash, and a request that
 * poisons the store shows up when its traces are read or written out; and the TraceQL and LogQL
 * subsets, whose parsed queries also run against a small store.
 */
import { lokiRoute } from '../../../src/core/capture/api/loki';
import { parseLogql, LogqlError } from '../../../src/core/capture/query/logql';
import { searchTraces } from '../../../src/core/capture/query/search';
import { parseTraceql, TraceqlError } from '../../../src/core/capture/query/traceql';
import { ingestRequest, type Encoding, type Signal } from '../../../src/core/capture/receiver/otlpIngest';
import { CaptureStore } from '../../../src/core/capture/store/store';
import { otlpTypes } from '../../../src/core/formats/otlpSchema';
import { tempoV2Json } from '../../../src/core/formats/tempoWrite';
import { tempoEncode } from '../../support/tempoEncode';
import type { FuzzInput, FuzzTarget } from '../harness';
import { checkParsedTraces } from '../invariants';
import { fixtureText } from '../../support/fixtures';
import { generatedTraces } from '../seeds';

class Refused extends Error {}

function bytes(input: FuzzInput): Uint8Array {
  return typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
}

/** Ingests, then reads every stored trace back as the query API would. */
function receive(signal: Signal, encoding: Encoding, input: FuzzInput): unknown {
  const store = new CaptureStore({ maxSpans: 5000, maxLogRecords: 5000, maxBytes: 64 * 1024 * 1024 });
  const out = ingestRequest(store, signal, encoding, bytes(input));
  if (!out.ok) throw new Refused(out.message);
  const traces = [...store.spans.newestFirst()].map((t) => ({ traceId: t.id, spans: store.spans.traceSpans(t) }));
  for (const t of traces) tempoV2Json(t.spans, 0);
  for (let r = store.logs.headRow; r < store.logs.endRow; r++) if (store.logs.segment(r)) store.logs.record(r);
  const params = new URLSearchParams({ query: '{service_name=~".+"}', start: '0', end: '99999999999999999999', limit: '5000' });
  const loki = lokiRoute(store, { method: 'GET', path: '/loki/api/v1/query_range', params, headers: {} }, 'fuzz');
  if (loki?.status !== 200) throw new Error(`the stored logs could not be queried: ${String(loki?.body)}`);
  traces.sort((a, b) => (min(a.spans) < min(b.spans) ? -1 : 1));
  return { format: 'otlp-proto', traces, warnings: [] };
}

function min(spans: readonly { start: bigint }[]): bigint {
  return spans.reduce((m, s) => (s.start < m ? s.start : m), spans[0]?.start ?? 0n);
}

const isRefused = (e: unknown): boolean => e instanceof Refused;
const bare = (): object[] => generatedTraces().map((t) => tempoEncode(t, { envelope: 'bare' }));

export const captureTracesProtoTarget: FuzzTarget = {
  name: 'capture-traces-proto',
  input: 'bytes',
  seeds: async () => [...bare().map((v) => otlpTypes.ExportTraceServiceRequest.encode(otlpTypes.ExportTraceServiceRequest.fromObject(v)).finish()), new Uint8Array()],
  parse: (input) => receive('traces', 'protobuf', input),
  typed: isRefused,
  check: checkParsedTraces,
  encode: (v) => otlpTypes.ExportTraceServiceRequest.encode(otlpTypes.ExportTraceServiceRequest.fromObject(v as object)).finish(),
  shapes: () => bare(),
};

export const captureTracesJsonTarget: FuzzTarget = {
  name: 'capture-traces-json',
  input: 'text',
  seeds: async () => generatedTraces().map((t) => JSON.stringify(t)),
  parse: (input) => receive('traces', 'json', input),
  typed: isRefused,
  check: checkParsedTraces,
};

const logSeeds = (): string[] => [fixtureText('otlp/otel-proto-example-logs.json')];

export const captureLogsJsonTarget: FuzzTarget = {
  name: 'capture-logs-json',
  input: 'text',
  seeds: async () => logSeeds(),
  parse: (input) => receive('logs', 'json', input),
  typed: isRefused,
  check: checkParsedTraces,
};

export const captureLogsProtoTarget: FuzzTarget = {
  name: 'capture-logs-proto',
  input: 'bytes',
  seeds: async () => logSeeds().map((t) => otlpTypes.ExportLogsServiceRequest.encode(otlpTypes.ExportLogsServiceRequest.fromObject(protoShape(JSON.parse(t)))).finish()),
  parse: (input) => receive('logs', 'protobuf', input),
  typed: isRefused,
  check: checkParsedTraces,
  encode: (v) => otlpTypes.ExportLogsServiceRequest.encode(otlpTypes.ExportLogsServiceRequest.fromObject(v as object)).finish(),
  shapes: (seeds) => seeds.map((s) => otlpTypes.ExportLogsServiceRequest.toObject(otlpTypes.ExportLogsServiceRequest.decode(bytes(s)), { longs: String, bytes: String })),
};

/** Spec OTLP/JSON ids are hex; protobufjs' fromObject reads bytes from base64. */
function protoShape(v: unknown): object {
  return JSON.parse(JSON.stringify(v), (k, x: unknown) => ((k === 'traceId' || k === 'spanId') && typeof x === 'string' ? Buffer.from(x, 'hex').toString('base64') : x)) as object;
}

const queryStore = new CaptureStore();
for (const t of generatedTraces().slice(0, 2)) ingestRequest(queryStore, 'traces', 'json', Buffer.from(JSON.stringify(t)));

// Query text is not JSON, so these are byte targets: the seeds mutated byte by byte, and noise.
const utf8 = (xs: string[]): Uint8Array[] => xs.map((x) => new Uint8Array(Buffer.from(x)));

export const captureTraceqlTarget: FuzzTarget = {
  name: 'capture-traceql',
  input: 'bytes',
  seeds: async () => utf8([
    '{}',
    '{ span.x_request_id = "spanlens-synth-rs" }',
    '{ resource.service.name =~ "dynamo-.*" && duration > 10ms }',
    '{ name = "http-request" || status = error }',
    '{ (kind = server || kind != internal) && .busy_ns >= 1000 && statusMessage != "" }',
    '{ rootServiceName = "dynamo-frontend" && traceDuration < 1h }',
    '{ .a = 1 } | count() > 2',
  ]),
  parse: (input) => {
    const expr = parseTraceql(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
    return searchTraces(queryStore.spans, { expr, limit: 5, spss: 3 });
  },
  typed: (e) => e instanceof TraceqlError,
  check: (m) => {
    const r = m as { traces: unknown[] };
    if (!Array.isArray(r.traces)) throw new Error('no traces list');
  },
};

export const captureLogqlTarget: FuzzTarget = {
  name: 'capture-logql',
  input: 'bytes',
  seeds: async () => utf8([
    '{service_name=~".+"} |= "request" | json | x_request_id="abc"',
    '{service_name="dynamo-frontend", job!="x"} != "debug" |~ "err.*" | logfmt | level=~"error|warn" or status >= 500',
    '{service_name=~".+"} | trace_id="5b8efff798038103d269b633813fc60c" | span_id!=""',
    'count_over_time({a="b"}[5m])',
  ]),
  parse: (input) => parseLogql(typeof input === 'string' ? input : Buffer.from(input).toString('utf8')),
  typed: (e) => e instanceof LogqlError,
  check: (m) => {
    const q = m as { selector: unknown[]; stages: unknown[] };
    if (!Array.isArray(q.selector) || !Array.isArray(q.stages)) throw new Error('not a query');
  },
};
