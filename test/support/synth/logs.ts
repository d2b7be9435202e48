/**
 * Log lines for generated traces, in the two shapes Dynamo's logs reach Loki
 * (dynamo-observability.md §2):
 * - 'jsonl': the stderr JSONL record collected as the line itself — fixed keys `time, level,
 *   file, line, target, message`, then every other key in alphabetical order, span fields as
 *   strings, `trace_id`/`span_id` inside a span;
 * - 'otlp': the OTLP log export — the line is the plain message and `trace_id`, `span_id` and the
 *   event's fields are structured metadata; `service_name` is the stream label.
 * Lines are tied to the spans they describe (same ids, timestamps inside the span), so log ↔ span
 * linking can be tested against the fakes. Some lines carry `<`, `>` and `&` on purpose: Loki
 * HTML-escapes them on the wire.
 */
import type { Span, Trace } from '../../../src/core/model/trace';
import { Prng } from './prng';

export interface SynthLogEntry {
  readonly labels: Readonly<Record<string, string>>;
  readonly ts: bigint;
  readonly line: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface LogGenOptions {
  readonly shape?: 'jsonl' | 'otlp';
  /** Extra DEBUG lines per span beyond the event lines, to reach a target volume. */
  readonly extraPerSpan?: number;
  readonly seed?: number;
  /** Stop after this many lines. */
  readonly maxLines?: number;
}

const FILES: Readonly<Record<string, [string, number, string]>> = {
  'http-request': ['/opt/dynamo/lib/llm/src/http/service/metrics.rs', 1166, 'dynamo_llm::http::service::metrics'],
  handle_payload: ['/opt/dynamo/lib/runtime/src/pipeline/network/ingress/push_handler.rs', 412, 'dynamo_runtime::pipeline::network::ingress::push_handler'],
};
const DEFAULT_FILE: [string, number, string] = ['/opt/dynamo/lib/llm/src/kv_router/scheduler.rs', 287, 'dynamo_llm::kv_router::scheduler'];

export function generateLogs(traces: readonly Trace[], opts: LogGenOptions = {}): SynthLogEntry[] {
  const shape = opts.shape ?? 'jsonl';
  const rnd = new Prng(opts.seed ?? 7);
  const max = opts.maxLines ?? Infinity;
  const out: SynthLogEntry[] = [];
  const labelsByService = new Map<string, Readonly<Record<string, string>>>();
  const labelsFor = (service: string): Readonly<Record<string, string>> => {
    let l = labelsByService.get(service);
    if (!l) labelsByService.set(service, (l = shape === 'jsonl' ? { job: 'dynamo', service_name: service } : { service_name: service }));
    return l;
  };
  for (const trace of traces) {
    for (const span of trace.spans) {
      for (const ev of eventsFor(span, rnd, opts.extraPerSpan ?? 0)) {
        if (out.length >= max) return out;
        const ctx: Record<string, string> = { span_id: span.spanId, span_name: span.name, trace_id: span.traceId };
        if (span.parentSpanId) ctx.parent_id = span.parentSpanId;
        const labels = labelsFor(span.resource.serviceName);
        if (shape === 'otlp') {
          const metadata: Record<string, string> = { span_id: span.spanId, trace_id: span.traceId };
          for (const [k, v] of Object.entries(ev.fields)) metadata[k] = String(v);
          out.push({ labels, ts: ev.ts, line: ev.message, metadata });
        } else {
          out.push({ labels, ts: ev.ts, line: jsonlRecord(span, ev, { ...spanFields(span), ...ctx }) });
        }
      }
    }
  }
  return out;
}

interface LogEvent {
  readonly ts: bigint;
  readonly level: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number>>;
}

function eventsFor(span: Span, rnd: Prng, extra: number): LogEvent[] {
  const dur = span.end - span.start;
  const at = (f: number): bigint => span.start + (dur * BigInt(Math.round(f * 1000))) / 1000n;
  const failed = span.status.code === 'error';
  const requestId = attr(span, 'request_id') ?? `req-${span.traceId.slice(0, 8)}`;
  const evs: LogEvent[] = [];
  if (span.name === 'http-request') {
    evs.push({ ts: at(0), level: 'INFO', message: 'request received', fields: { endpoint: 'chat_completions', request_id: requestId, request_type: 'stream' } });
    evs.push(
      failed
        ? {
            ts: at(1),
            level: 'ERROR',
            message: 'request completed',
            fields: { elapsed_ms: Number(dur / 1_000_000n), error_detail: 'worker <decode-1> dropped the stream & the retry failed', error_type: 'internal', status: 'error' },
          }
        : { ts: at(1), level: 'INFO', message: 'request completed', fields: { elapsed_ms: Number(dur / 1_000_000n), status: 'success' } },
    );
    evs.push({ ts: at(1), level: failed ? 'ERROR' : 'INFO', message: 'http response sent', fields: { latency_ms: Number(dur / 1_000_000n), status: failed ? 500 : 200 } });
  } else if (span.name === 'handle_payload') {
    evs.push({ ts: at(0), level: 'INFO', message: 'request received', fields: { request_id: requestId } });
    evs.push({ ts: at(1), level: failed ? 'ERROR' : 'INFO', message: 'request completed', fields: { request_id: requestId } });
  } else {
    evs.push({ ts: at(0.01), level: failed ? 'WARN' : 'DEBUG', message: `${span.name} started`, fields: {} });
  }
  for (let i = 0; i < extra; i++) {
    evs.push({ ts: at(rnd.next()), level: 'DEBUG', message: 'step', fields: { step: i, tokens: rnd.int(1, 64) } });
  }
  return evs;
}

/** Span fields Dynamo copies into every record of a span, always as strings. */
function spanFields(span: Span): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of span.attributes) {
    if (['method', 'uri', 'version', 'model', 'x_request_id', 'request_id', 'component', 'endpoint', 'namespace', 'instance_id'].includes(a.key)) {
      out[a.key] = String(a.value);
    }
  }
  return out;
}

function jsonlRecord(span: Span, ev: LogEvent, ctx: Record<string, string>): string {
  const [file, line, target] = FILES[span.name] ?? DEFAULT_FILE;
  const head = `{"time":${JSON.stringify(isoMicros(ev.ts))},"level":"${ev.level}","file":${JSON.stringify(file)},"line":${line},"target":${JSON.stringify(target)},"message":${JSON.stringify(ev.message)}`;
  const rest: Record<string, string | number> = { ...ctx, ...ev.fields };
  const tail = Object.keys(rest)
    .sort()
    .map((k) => `,${JSON.stringify(k)}:${JSON.stringify(rest[k])}`)
    .join('');
  return `${head}${tail}}`;
}

/** `2026-04-21T18:02:11.514203Z` from Unix nanoseconds. */
export function isoMicros(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const micros = Number((ns / 1000n) % 1_000_000n);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

function attr(span: Span, key: string): string | undefined {
  const a = span.attributes.find((x) => x.key === key);
  return a === undefined ? undefined : String(a.value);
}
