/**
 * Log lines for generated traces, in the two shapes Dynamo's logs reach Loki:
 *
 * - 'jsonl': the stderr JSONL record, shipped by Alloy from Kubernetes — the line is the record:
 *  fixed keys `time, level, file, line, target, message`, then every other key in alphabetical
 *  order (the event's fields, the span's fields as strings, `span_name`/`span_id`/`trace_id`/
 *  `parent_id` and the request's `x_request_id`/`request_id`, which child spans inherit);
 *  Python-origin records (the vLLM handlers and engine) carry `log.file`, `log.line`,
 *  `log.target` instead of `file`/`line`, with target `log`; request spans open and close with
 *  `SPAN_FIRST_ENTRY` / `SPAN_CLOSED` (`time.busy_us`, `time.idle_us`, `time.duration_us`).
 *  Stream labels are Alloy's: `namespace`, `container`, `app_kubernetes_io_name`,
 *  `nvidia_com_dynamo_component_type`, `nvidia_com_dynamo_graph_deployment_name`, and
 *  `service_name` as Loki derives it; `pod` is structured metadata.
 * - 'otlp': the OTLP log export into Loki — the line is the plain message; `trace_id`, `span_id`,
 *  the event's fields, `severity_text`/`severity_number` and code.* are structured metadata
 *  under Loki's names (`.` → `_`); `service_name` is the stream label.
 * Source locations are the span's own `code.file.path` and lines near its `code.line.number`
 * (`/opt/dynamo/…` as the container built it in JSONL, as recorded in OTLP), so they resolve into
 * the demo workspace's stand-in files. Lines are tied to the spans they describe (same ids,
 * timestamps inside the span), except the engine's "generate started" record, which, like
 * Dynamo's documented Python records, has no span context and names only the request id. Some
 * lines carry `<`, `>` and `&` on purpose: Loki HTML-escapes them on the wire.
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
  /** SPAN_FIRST_ENTRY / SPAN_CLOSED for request spans (JSONL only; DYN_LOGGING_SPAN_EVENTS); default on. */
  readonly spanEvents?: boolean;
}

/** Where a span without code.* attributes says its events come from. */
const FILES: Readonly<Record<string, [string, number, string]>> = {
  'http-request': ['lib/llm/src/http/service/metrics.rs', 1166, 'dynamo_llm::http::service::metrics'],
  handle_payload: ['lib/runtime/src/pipeline/network/ingress/push_handler.rs', 412, 'dynamo_runtime::pipeline::network::ingress::push_handler'],
};
const DEFAULT_FILE: [string, number, string] = ['lib/llm/src/kv_router/scheduler.rs', 287, 'dynamo_llm::kv_router::scheduler'];
const CONTAINER_ROOT = '/opt/dynamo/';
const DEPLOYMENT = 'vllm-disagg';
/** Span fields Dynamo copies into every record of the span (as strings). */
const SPAN_FIELDS = ['method', 'uri', 'version', 'model', 'input_tokens', 'output_tokens', 'ttft_ms', 'avg_itl_ms', 'component', 'endpoint', 'namespace', 'instance_id'];

interface LogEvent {
  readonly ts: bigint;
  readonly level: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number>>;
  /** Line offset from the span's code.line.number. */
  readonly lineOffset: number;
  /** Logged from Python through Dynamo's log bridge. */
  readonly python?: boolean;
  /** Outside any span: no span context, no span fields. */
  readonly detached?: boolean;
  readonly lifecycle?: 'SPAN_FIRST_ENTRY' | 'SPAN_CLOSED';
}

export function generateLogs(traces: readonly Trace[], opts: LogGenOptions = {}): SynthLogEntry[] {
  const shape = opts.shape ?? 'jsonl';
  const rnd = new Prng(opts.seed ?? 7);
  const max = opts.maxLines ?? Infinity;
  const spanEvents = (opts.spanEvents ?? true) && shape === 'jsonl';
  const out: SynthLogEntry[] = [];
  const labelsByService = new Map<string, Readonly<Record<string, string>>>();
  const labelsFor = (span: Span): Readonly<Record<string, string>> => {
    const service = span.resource.serviceName;
    let l = labelsByService.get(service);
    if (!l) {
      l =
        shape === 'jsonl'
          ? {
              app_kubernetes_io_name: service,
              container: 'main',
              namespace: 'dynamo',
              nvidia_com_dynamo_component_type: /frontend/.test(service) ? 'frontend' : 'worker',
              nvidia_com_dynamo_graph_deployment_name: DEPLOYMENT,
              service_name: service,
            }
          : { service_name: service };
      labelsByService.set(service, l);
    }
    return l;
  };
  for (const trace of traces) {
    const root = trace.spans.find((s) => !s.parentSpanId) ?? trace.spans[0];
    const requestIds = { x_request_id: root && attr(root, 'x_request_id'), request_id: (root && attr(root, 'request_id')) ?? `req-${trace.traceId.slice(0, 8)}` };
    for (const span of trace.spans) {
      const [path, baseLine, target] = codeOf(span);
      for (const ev of eventsFor(span, rnd, opts.extraPerSpan ?? 0, spanEvents, requestIds.request_id)) {
        if (out.length >= max) return out;
        const line = Math.min(1000, baseLine + ev.lineOffset);
        const labels = labelsFor(span);
        if (shape === 'otlp') {
          const metadata: Record<string, string> = {};
          if (!ev.detached) Object.assign(metadata, { span_id: span.spanId, trace_id: span.traceId });
          for (const [k, v] of Object.entries(ev.fields)) metadata[k] = String(v);
          metadata.severity_text = ev.level;
          metadata.severity_number = String({ DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17 }[ev.level]);
          if (ev.python) Object.assign(metadata, { log_file: CONTAINER_ROOT + path, log_line: String(line), log_target: pythonTarget(path, span) });
          else Object.assign(metadata, { code_file_path: path, code_line_number: String(line), code_module_name: target });
          out.push({ labels, ts: ev.ts, line: ev.message, metadata });
        } else {
          const ctx: Record<string, string> = {};
          if (!ev.detached) {
            Object.assign(ctx, spanFields(span), { span_id: span.spanId, span_name: span.name, trace_id: span.traceId });
            if (span.parentSpanId) ctx.parent_id = span.parentSpanId;
            if (requestIds.x_request_id) ctx.x_request_id = requestIds.x_request_id;
            ctx.request_id = requestIds.request_id;
          }
          const lifecycle = ev.lifecycle === 'SPAN_CLOSED' ? closeFields(span) : {};
          out.push({ labels, ts: ev.ts, line: jsonlRecord(ev, { ...ctx, ...lifecycle, ...ev.fields }, path, line, target, span), metadata: { pod: podOf(span) } });
        }
      }
    }
  }
  return out;
}

function eventsFor(span: Span, rnd: Prng, extra: number, spanEvents: boolean, requestId: string): LogEvent[] {
  const dur = span.end - span.start;
  const at = (f: number): bigint => span.start + (dur * BigInt(Math.round(f * 1000))) / 1000n;
  const failed = span.status.code === 'error';
  const evs: LogEvent[] = [];
  const lifecycleSpan = spanEvents && (span.name === 'http-request' || span.name === 'handle_payload');
  if (lifecycleSpan) evs.push({ ts: at(0), level: 'INFO', message: 'SPAN_FIRST_ENTRY', fields: {}, lineOffset: 0, lifecycle: 'SPAN_FIRST_ENTRY' });
  if (span.name === 'http-request') {
    evs.push({ ts: at(0), level: 'INFO', message: 'request received', fields: { endpoint: 'chat_completions', request_id: requestId, request_type: 'stream' }, lineOffset: 2 });
    evs.push(
      failed
        ? {
            ts: at(1),
            level: 'ERROR',
            message: 'request completed',
            fields: { elapsed_ms: Number(dur / 1_000_000n), error_detail: 'worker <decode-1> dropped the stream & the retry failed', error_type: 'internal', status: 'error' },
            lineOffset: 9,
          }
        : { ts: at(1), level: 'INFO', message: 'request completed', fields: { elapsed_ms: Number(dur / 1_000_000n), status: 'success' }, lineOffset: 9 },
    );
    evs.push({ ts: at(1), level: failed ? 'ERROR' : 'INFO', message: 'http response sent', fields: { latency_ms: Number(dur / 1_000_000n), status: failed ? 500 : 200 }, lineOffset: 14 });
  } else if (span.name === 'handle_payload') {
    evs.push({ ts: at(0), level: 'INFO', message: 'request received', fields: { request_id: requestId }, lineOffset: 3 });
    evs.push({ ts: at(1), level: failed ? 'ERROR' : 'INFO', message: 'request completed', fields: { request_id: requestId }, lineOffset: 21 });
  } else if (span.name === 'engine.generate') {
    // Python, outside the Rust span: only the request id ties it to the request.
    evs.push({ ts: at(0.001), level: 'INFO', message: 'generate started', fields: { request_id: requestId }, lineOffset: 1, python: true, detached: true });
    if (failed) evs.push({ ts: at(0.5), level: 'ERROR', message: span.status.message ?? 'generate failed', fields: {}, lineOffset: 6, python: true });
  } else if (codeOf(span)[0].endsWith('.py')) {
    evs.push({ ts: at(0.01), level: failed ? 'WARN' : 'DEBUG', message: `${span.name} step`, fields: { num_tokens: 1 + (span.spanId.charCodeAt(15) % 64) }, lineOffset: 4, python: true });
  } else {
    evs.push({ ts: at(0.01), level: failed ? 'WARN' : 'DEBUG', message: `${span.name} started`, fields: {}, lineOffset: 1 });
  }
  if (failed && span.name !== 'http-request' && span.name !== 'handle_payload' && span.name !== 'engine.generate') {
    evs.push({ ts: at(0.5), level: 'ERROR', message: span.status.message ?? 'failed', fields: { error_type: 'engine_error' }, lineOffset: 3 });
  }
  const python = codeOf(span)[0].endsWith('.py');
  for (let i = 0; i < extra; i++) {
    evs.push({ ts: at(rnd.next()), level: 'DEBUG', message: 'step', fields: { step: i, tokens: rnd.int(1, 64) }, lineOffset: 5, ...(python ? { python } : {}) });
  }
  if (lifecycleSpan) evs.push({ ts: at(1), level: 'INFO', message: 'SPAN_CLOSED', fields: {}, lineOffset: 0, lifecycle: 'SPAN_CLOSED' });
  return evs;
}

/** [path as the build recorded it, line, module] from the span's code.* attributes. */
function codeOf(span: Span): [string, number, string] {
  const path = attr(span, 'code.file.path');
  if (!path) return FILES[span.name] ?? DEFAULT_FILE;
  const line = Number(attr(span, 'code.line.number') ?? 1);
  return [path.replace(/^\/opt\/dynamo\//, ''), Number.isFinite(line) ? line : 1, attr(span, 'code.module.name') ?? attr(span, 'target') ?? 'dynamo'];
}

/** Python's `module.function`, as Dynamo's log bridge writes `log.target`. */
function pythonTarget(path: string, span: Span): string {
  return `${path.replace(/\.py$/, '').replace(/^components\/src\//, '').replace(/\//g, '.')}.${span.name.replace(/\W/g, '_')}`;
}

function podOf(span: Span): string {
  const service = span.resource.serviceName;
  return `${service}-${span.traceId.slice(0, 5)}`;
}

function spanFields(span: Span): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of span.attributes) if (SPAN_FIELDS.includes(a.key)) out[a.key] = String(a.value);
  return out;
}

function closeFields(span: Span): Record<string, number> {
  const total = Number((span.end - span.start) / 1000n);
  const busy = Math.min(total, Math.round(Number(attr(span, 'busy_ns') ?? 0) / 1000));
  return { 'time.busy_us': busy, 'time.duration_us': total, 'time.idle_us': total - busy };
}

function jsonlRecord(ev: LogEvent, rest: Record<string, string | number>, path: string, line: number, target: string, span: Span): string {
  const recordTarget = ev.lifecycle ? (attr(span, 'target') ?? target) : ev.python ? 'log' : target;
  const where = ev.python ? '' : `,"file":${JSON.stringify(CONTAINER_ROOT + path)},"line":${line}`;
  const head = `{"time":${JSON.stringify(isoMicros(ev.ts))},"level":"${ev.level}"${where},"target":${JSON.stringify(recordTarget)},"message":${JSON.stringify(ev.message)}`;
  const all: Record<string, string | number> = { ...rest };
  if (ev.python) Object.assign(all, { 'log.file': CONTAINER_ROOT + path, 'log.line': line, 'log.target': pythonTarget(path, span) });
  const tail = Object.keys(all)
    .sort()
    .map((k) => `,${JSON.stringify(k)}:${JSON.stringify(all[k])}`)
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
