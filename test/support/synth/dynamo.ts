/**
 * A synthetic trace shaped like one NVIDIA Dynamo LLM request in disaggregated serving:
 * frontend `http-request` → `completions` → KV router spans →
 * `handle_payload` on the prefill worker and then on the decode worker → `engine.generate` →
 * prefill chunks and decode steps, each step with concurrent `task_execution` children and now
 * and then a deep chain. Attributes are what tracing-opentelemetry adds (code.*, thread.*,
 * target, busy_ns/idle_ns) plus Dynamo's own (`x_request_id`, `request_id`, …); log events
 * carry level/target/code.*; a few spans fail with an ERROR event, as Dynamo marks them.
 *
 * Output is spec OTLP/JSON (hex ids, integer enums, times as decimal strings); pass it through
 * test/support/tempoEncode.ts for what Tempo serves. Same options → same bytes.
 */
import { dynamoRequestIdFor, Prng, requestIdFor, spanIdFor, traceIdFor } from './prng';

export interface DynamoServices {
  readonly frontend: string;
  readonly prefill: string;
  readonly decode: string;
}

export interface GenerateTraceOptions {
  /** Exact number of spans (≥ 1). */
  readonly spans: number;
  readonly seed: number;
  /** Root start, unix ns. Default 2026-01-01T00:00:00Z plus a seed-dependent offset. */
  readonly startUnixNano?: bigint | string;
  /** OTEL_SERVICE_NAME of each process; defaults are those of Dynamo's tracing launch scripts. */
  readonly services?: Partial<DynamoServices>;
  /**
   * The client's `x-request-id` (default requestIdFor(seed)); a retry sends the same one again
   * and gets a new trace and a new Dynamo `request_id`.
   */
  readonly xRequestId?: string;
}

export const DEFAULT_SERVICES: DynamoServices = {
  frontend: 'dynamo-frontend',
  prefill: 'dynamo-worker-prefill',
  decode: 'dynamo-worker-decode',
};

type Role = keyof DynamoServices;
type KeyValue = { key: string; value: Record<string, unknown> };

interface Draft {
  index: number;
  parent: number; // -1 for the root
  role: Role;
  name: string;
  /** ns offsets from the trace start */
  start: number;
  end: number;
  target: string;
  file: string;
  attrs: KeyValue[];
  events: { at: number; level: string; message: string; fields: KeyValue[] }[];
  error?: string;
}

const MODEL = 'Qwen/Qwen3-0.6B';
const str = (key: string, v: string): KeyValue => ({ key, value: { stringValue: v } });
const int = (key: string, v: number): KeyValue => ({ key, value: { intValue: String(Math.round(v)) } });
const dbl = (key: string, v: number): KeyValue => ({ key, value: { doubleValue: v } });

const FAILURES = ['CUDA out of memory', 'KV cache transfer timed out', 'worker stream closed unexpectedly', 'NIXL read failed'];

class Builder {
  readonly drafts: Draft[] = [];
  constructor(
    readonly limit: number,
    readonly rng: Prng,
  ) {}

  get full(): boolean {
    return this.drafts.length >= this.limit;
  }

  /** Adds a span unless the budget is spent; returns its index or -1. */
  add(parent: number, role: Role, name: string, start: number, end: number, target: string, file: string, attrs: KeyValue[] = []): number {
    if (this.full) return -1;
    const index = this.drafts.length;
    this.drafts.push({ index, parent, role, name, start, end: Math.max(end, start), target, file, attrs, events: [] });
    return index;
  }

  event(span: number, at: number, level: string, message: string, fields: KeyValue[] = []): void {
    if (span >= 0) this.drafts[span]!.events.push({ at, level, message, fields });
  }

  fail(span: number, message: string): void {
    if (span < 0) return;
    const d = this.drafts[span]!;
    d.error = message;
    this.event(span, d.start + Math.floor((d.end - d.start) / 2), 'ERROR', message, [str('error_type', 'engine_error')]);
  }
}

const MS = 1_000_000;

function buildTree(b: Builder, seed: number, xRequestId: string): void {
  const r = b.rng;
  const outTokens = Math.max(1, b.limit);
  const root = b.add(-1, 'frontend', 'http-request', 0, 0, 'request_span', 'lib/llm/src/http/service/openai.rs', [
    str('method', 'POST'),
    str('uri', '/v1/chat/completions'),
    str('version', 'HTTP/1.1'),
    str('request_id', dynamoRequestIdFor(seed)),
    str('x_request_id', xRequestId),
    str('model', MODEL),
    int('input_tokens', r.int(20, 4000)),
    int('output_tokens', outTokens),
  ]);
  b.event(root, 20_000, 'INFO', 'request received', [str('endpoint', 'chat_completions'), str('request_type', 'stream')]);
  const comp = b.add(root, 'frontend', 'completions', 50_000, 0, 'dynamo_llm::http::service::openai', 'lib/llm/src/http/service/openai.rs');
  let t = 100_000;
  const route = (phase: string, worker: Role): number => {
    const rr = b.add(comp, 'frontend', 'kv_router.route_request', t, 0, 'dynamo_llm::kv_router', 'lib/llm/src/kv_router.rs', [
      str('request_id', dynamoRequestIdFor(seed)),
      int('worker_id', r.int(1, 8) * 0x1000 + (worker === 'prefill' ? 1 : 2)),
      int('dp_rank', r.int(0, 3)),
      int('overlap_blocks', r.int(0, 64)),
      str('phase', phase),
    ]);
    for (const name of ['kv_router.compute_block_hashes', 'kv_router.find_matches', 'kv_router.select_worker']) {
      const d = r.int(20_000, 300_000);
      b.add(rr, 'frontend', name, t, t + d, 'dynamo_llm::kv_router', 'lib/llm/src/kv_router/scheduler.rs');
      t += d + r.int(1_000, 20_000);
    }
    return rr;
  };

  // Prefill on its worker: a few chunked-prefill spans, sequential.
  const rp = route('prefill', 'prefill');
  const hp = b.add(rp, 'prefill', 'handle_payload', t, 0, 'request_span', 'lib/runtime/src/pipeline/network/ingress/push_handler.rs', [
    str('component', 'prefill'),
    str('endpoint', 'generate'),
    str('namespace', 'dynamo'),
    int('instance_id', r.int(1, 1 << 30)),
    str('x_request_id', xRequestId),
    str('request_id', dynamoRequestIdFor(seed)),
  ]);
  b.event(hp, t + 5_000, 'INFO', 'request received');
  const gp = b.add(hp, 'prefill', 'engine.generate', t + 10_000, 0, 'dynamo_llm::engines', 'components/src/dynamo/vllm/handlers.py', [str('disagg_role', 'prefill')]);
  t += 20_000;
  const chunks = Math.min(8, Math.max(1, Math.floor(b.limit / 2000)));
  for (let c = 0; c < chunks; c++) {
    const d = r.int(5 * MS, 25 * MS);
    b.add(gp, 'prefill', 'prefill', t, t + d, 'vllm::engine', 'vllm/v1/engine/core.py', [int('chunk', c), int('num_tokens', r.int(256, 2048))]);
    t += d;
  }
  for (const [s, e] of [[gp, t + 30_000], [hp, t + 60_000], [rp, t + 80_000]] as const) if (s >= 0) b.drafts[s]!.end = e;
  b.event(hp, t + 50_000, 'INFO', 'request completed');
  t += 100_000;

  // Decode on its worker: steps until the span budget is spent.
  const rd = route('decode', 'decode');
  const hd = b.add(rd, 'decode', 'handle_payload', t, 0, 'request_span', 'lib/runtime/src/pipeline/network/ingress/push_handler.rs', [
    str('component', 'decode'),
    str('endpoint', 'generate'),
    str('namespace', 'dynamo'),
    int('instance_id', r.int(1, 1 << 30)),
    str('x_request_id', xRequestId),
    str('request_id', dynamoRequestIdFor(seed)),
  ]);
  b.event(hd, t + 5_000, 'INFO', 'request received');
  const gd = b.add(hd, 'decode', 'engine.generate', t + 10_000, 0, 'dynamo_llm::engines', 'components/src/dynamo/vllm/handlers.py', [str('disagg_role', 'decode'), str('model', MODEL)]);
  t += 20_000;
  const ttft = t;
  let step = 0;
  let forcedError = b.limit >= 20;
  while (!b.full) {
    const d = r.int(4 * MS, 14 * MS);
    const s = b.add(gd, 'decode', 'decode', t, t + d, 'vllm::engine', 'vllm/v1/engine/core.py', [int('step', step), int('batch_size', r.int(1, 64))]);
    if (r.chance(0.01)) b.event(s, t + d - 1000, 'DEBUG', 'kv blocks reallocated', [int('blocks', r.int(1, 16))]);
    // Concurrent children: they overlap one another inside the step.
    const kids = r.int(1, 5);
    for (let k = 0; k < kids && !b.full; k++) {
      const ks = t + r.int(0, Math.floor(d / 3));
      const ke = ks + r.int(Math.floor(d / 10), Math.floor((t + d - ks) * 0.9));
      const c = b.add(s, 'decode', 'task_execution', ks, ke, 'dynamo_runtime::utils::tasks::tracker', 'lib/runtime/src/utils/tasks/tracker.rs', [int('task', k)]);
      if (forcedError || r.chance(0.0005)) {
        b.fail(c, r.pick(FAILURES));
        forcedError = false;
      }
      // Now and then a deep chain, each link inside the previous one.
      if (r.chance(0.02)) {
        let parent = c;
        let [cs, ce] = [ks, ke];
        const depth = r.int(3, 24);
        for (let k2 = 0; k2 < depth && !b.full && ce - cs > 10; k2++) {
          const span = Math.floor((ce - cs) * 0.8);
          cs += Math.floor((ce - cs - span) / 2);
          ce = cs + span;
          parent = b.add(parent, 'decode', k2 % 2 ? 'task_execution' : 'scheduler_resource_reacquisition', cs, ce, 'dynamo_runtime::utils::tasks::tracker', 'lib/runtime/src/utils/tasks/tracker.rs');
        }
      }
    }
    t += d + r.int(10_000, 200_000);
    step++;
  }
  const end = t + 100_000;
  for (const [s, e] of [[gd, end], [hd, end + 20_000], [rd, end + 40_000], [comp, end + 80_000], [root, end + 120_000]] as const) {
    if (s >= 0) b.drafts[s]!.end = e;
  }
  if (root >= 0) {
    const rootDraft = b.drafts[root]!;
    rootDraft.attrs.push(dbl('ttft_ms', (ttft - 0) / MS), dbl('avg_itl_ms', step ? (t - ttft) / step / MS : 0));
    b.event(root, end + 110_000, 'INFO', 'request completed', [str('status', 'success'), int('elapsed_ms', (end + 110_000) / MS)]);
  }
  // Truncated budgets leave parents without an end; give them their last child's end.
  for (let i = b.drafts.length - 1; i >= 0; i--) {
    const d = b.drafts[i]!;
    if (d.end < d.start) d.end = d.start;
    if (d.parent >= 0) {
      const p = b.drafts[d.parent]!;
      if (p.end < d.end) p.end = d.end;
    }
  }
}

/** One Dynamo-shaped request trace as spec OTLP/JSON `{"resourceSpans":[…]}`. */
export function generateTrace(options: GenerateTraceOptions): { resourceSpans: unknown[] } {
  const { seed } = options;
  const n = Math.max(1, Math.floor(options.spans));
  const services = { ...DEFAULT_SERVICES, ...options.services };
  const rng = new Prng(seed);
  const base = BigInt(options.startUnixNano ?? 1_767_225_600_000_000_000n + BigInt((seed >>> 0) % 86_400) * 1_000_000_000n);
  const b = new Builder(n, rng);
  buildTree(b, seed, options.xRequestId ?? requestIdFor(seed));

  const traceId = traceIdFor(seed);
  const byRole = new Map<Role, unknown[]>();
  const threads: Record<Role, number> = { frontend: 3, prefill: 7, decode: 11 };
  for (const d of b.drafts) {
    const busy = Math.floor((d.end - d.start) * (0.2 + rng.next() * 0.7));
    const attributes: KeyValue[] = [
      str('code.file.path', d.file),
      str('code.module.name', d.target),
      int('code.line.number', 40 + ((d.index * 37) % 900)),
      int('thread.id', threads[d.role] + (d.index % 4)),
      str('thread.name', 'tokio-runtime-worker'),
      str('target', d.target),
      int('busy_ns', busy),
      int('idle_ns', d.end - d.start - busy),
      ...d.attrs,
    ];
    const span: Record<string, unknown> = {
      traceId,
      spanId: spanIdFor(seed, d.index),
      ...(d.parent >= 0 ? { parentSpanId: spanIdFor(seed, d.parent) } : {}),
      name: d.name,
      kind: 1, // Dynamo sets no otel.kind, so every span is INTERNAL (§3.1)
      startTimeUnixNano: (base + BigInt(d.start)).toString(),
      endTimeUnixNano: (base + BigInt(d.end)).toString(),
      attributes,
      events: d.events.map((e) => ({
        timeUnixNano: (base + BigInt(e.at)).toString(),
        name: e.message,
        attributes: [str('level', e.level), str('target', d.target), str('code.file.path', d.file), ...e.fields],
      })),
      status: d.error ? { code: 2, message: d.error } : {},
    };
    const list = byRole.get(d.role) ?? [];
    list.push(span);
    byRole.set(d.role, list);
  }
  const resourceSpans = [...byRole].map(([role, spans]) => ({
    resource: { attributes: [str('service.name', services[role])] },
    scopeSpans: [{ scope: { name: services[role] }, spans }],
  }));
  return { resourceSpans };
}
