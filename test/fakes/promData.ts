/**
 * Data for the real-Prometheus harness, with Dynamo's metric names:
 * - `backfillOpenMetrics`: hours of history as OpenMetrics text for
 *   `promtool tsdb create-blocks-from openmetrics` (timestamps in seconds, `# EOF` at the end);
 * - `liveOpenMetrics`: what the local scrape endpoint serves now — counters and histograms whose
 *   buckets carry `trace_id` exemplars, so `/api/v1/query_exemplars` links samples to traces.
 */
import { Prng } from '../support/synth/prng';

export const MODEL = 'Qwen/Qwen3-0.6B';
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DURATION_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const ITL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2];

export interface BackfillOptions {
  readonly endMs: number;
  readonly hours: number;
  readonly stepSeconds?: number;
  readonly seed?: number;
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6))));
const labelText = (l: Record<string, string>): string =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',')}}`;

/** History for two frontends, a worker and two GPUs: growing counters and histograms, gauges — every series the Metrics view's defaults read. */
export function backfillOpenMetrics(opts: BackfillOptions): string {
  const step = opts.stepSeconds ?? 30;
  const end = Math.floor(opts.endMs / 1000);
  const start = end - opts.hours * 3600;
  const rnd = new Prng(opts.seed ?? 3);
  const instances = ['frontend-0:8000', 'frontend-1:8000'];
  const lines: string[] = [];
  const times: number[] = [];
  for (let t = start; t <= end; t += step) times.push(t);

  lines.push('# HELP dynamo_frontend_requests Number of LLM requests processed', '# TYPE dynamo_frontend_requests counter');
  for (const instance of instances) {
    for (const status of ['success', 'error']) {
      const l = { job: 'dynamo-frontend', instance, model: MODEL, endpoint: 'chat_completions', request_type: 'stream', status, error_type: status === 'error' ? 'internal' : '' };
      let total = 0;
      for (const t of times) {
        total += status === 'error' ? rnd.int(0, 1) : rnd.int(5, 40);
        lines.push(`dynamo_frontend_requests_total${labelText(l)} ${total} ${t}`);
      }
    }
  }

  lines.push('# HELP dynamo_frontend_inflight_requests Number of inflight requests', '# TYPE dynamo_frontend_inflight_requests gauge');
  for (const instance of instances) {
    const l = { job: 'dynamo-frontend', instance, model: MODEL };
    for (const t of times) lines.push(`dynamo_frontend_inflight_requests${labelText(l)} ${rnd.int(0, 24)} ${t}`);
  }

  lines.push('# HELP dynamo_frontend_queued_requests Number of requests in HTTP processing queue', '# TYPE dynamo_frontend_queued_requests gauge');
  for (const instance of instances) {
    const l = { job: 'dynamo-frontend', instance, model: MODEL };
    for (const t of times) lines.push(`dynamo_frontend_queued_requests${labelText(l)} ${rnd.int(0, 6)} ${t}`);
  }

  histogram(lines, 'dynamo_frontend_time_to_first_token_seconds', 'Time to first token', TTFT_BUCKETS, times, rnd, () => 0.02 + rnd.next() * 0.4);
  histogram(lines, 'dynamo_frontend_inter_token_latency_seconds', 'Inter-token latency', ITL_BUCKETS, times, rnd, () => 0.004 + rnd.next() * 0.03);
  histogram(lines, 'dynamo_frontend_request_duration_seconds', 'LLM request duration', DURATION_BUCKETS, times, rnd, () => 1 + rnd.next() * 20);

  lines.push('# HELP dynamo_component_requests Requests handled by the endpoint', '# TYPE dynamo_component_requests counter');
  {
    const l = { job: 'dynamo-worker', instance: 'decode-0:8081', dynamo_namespace: 'dynamo', dynamo_component: 'backend', dynamo_endpoint: 'generate', model: MODEL, model_name: MODEL };
    let total = 0;
    for (const t of times) {
      total += rnd.int(5, 40);
      lines.push(`dynamo_component_requests_total${labelText(l)} ${total} ${t}`);
    }
  }

  lines.push('# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).', '# TYPE DCGM_FI_DEV_GPU_UTIL gauge');
  for (const gpu of ['0', '1']) {
    const l = { job: 'dcgm-exporter', instance: 'gpu-node:9401', gpu, modelName: 'NVIDIA H100 80GB HBM3', Hostname: 'gpu-node' };
    for (const t of times) lines.push(`DCGM_FI_DEV_GPU_UTIL${labelText(l)} ${rnd.int(40, 99)} ${t}`);
  }
  lines.push('# HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).', '# TYPE DCGM_FI_DEV_GPU_TEMP gauge');
  for (const gpu of ['0', '1']) {
    const l = { job: 'dcgm-exporter', instance: 'gpu-node:9401', gpu, modelName: 'NVIDIA H100 80GB HBM3', Hostname: 'gpu-node' };
    for (const t of times) lines.push(`DCGM_FI_DEV_GPU_TEMP${labelText(l)} ${rnd.int(52, 78)} ${t}`);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

function histogram(lines: string[], name: string, help: string, buckets: number[], times: number[], rnd: Prng, sample: () => number): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  const l = { job: 'dynamo-frontend', instance: 'frontend-0:8000', model: MODEL };
  const counts = new Array<number>(buckets.length + 1).fill(0);
  let sum = 0;
  let count = 0;
  // promtool reads each series (one bucket, _count, _sum) as its own time-ordered run.
  const perTime: { counts: number[]; sum: number; count: number }[] = [];
  for (let i = 0; i < times.length; i++) {
    for (let k = rnd.int(3, 12); k > 0; k--) {
      const v = sample();
      sum += v;
      count++;
      for (let b = 0; b < buckets.length; b++) if (v <= buckets[b]!) counts[b]!++;
      counts[buckets.length]!++;
    }
    perTime.push({ counts: [...counts], sum, count });
  }
  for (let b = 0; b <= buckets.length; b++) {
    const le = b < buckets.length ? fmt(buckets[b]!) : '+Inf';
    times.forEach((t, i) => lines.push(`${name}_bucket${labelText({ ...l, le })} ${perTime[i]!.counts[b]} ${t}`));
  }
  times.forEach((t, i) => lines.push(`${name}_count${labelText(l)} ${perTime[i]!.count} ${t}`));
  times.forEach((t, i) => lines.push(`${name}_sum${labelText(l)} ${fmt(perTime[i]!.sum)} ${t}`));
}

/** Live state the scrape endpoint reports; `observe` moves it on between scrapes. */
export class LiveMetrics {
  private readonly ttft = new Array<number>(TTFT_BUCKETS.length + 1).fill(0);
  private readonly exemplars = new Array<{ traceId: string; spanId: string; value: number } | undefined>(TTFT_BUCKETS.length + 1);
  private ttftSum = 0;
  private ttftCount = 0;
  private requests = 0;
  private lastRequestExemplar?: { traceId: string; spanId: string };
  inflight = 3;

  /** One request with this TTFT, traced as `traceId`/`spanId`. */
  observe(ttftSeconds: number, traceId: string, spanId: string): void {
    this.ttftSum += ttftSeconds;
    this.ttftCount++;
    this.requests++;
    this.lastRequestExemplar = { traceId, spanId };
    const first = TTFT_BUCKETS.findIndex((b) => ttftSeconds <= b);
    const at = first < 0 ? TTFT_BUCKETS.length : first;
    for (let b = at; b <= TTFT_BUCKETS.length; b++) this.ttft[b]!++;
    this.exemplars[at] = { traceId, spanId, value: ttftSeconds };
  }

  /** OpenMetrics 1.0 text with exemplars (`# {trace_id="…"} value`). */
  render(): string {
    const l = { model: MODEL };
    const ex = (e: { traceId: string; spanId: string; value: number } | undefined): string =>
      e ? ` # {trace_id="${e.traceId}",span_id="${e.spanId}"} ${fmt(e.value)}` : '';
    const out = ['# HELP dynamo_frontend_requests Number of LLM requests processed', '# TYPE dynamo_frontend_requests counter'];
    const req = this.lastRequestExemplar;
    out.push(
      `dynamo_frontend_requests_total${labelText({ ...l, endpoint: 'chat_completions', request_type: 'stream', status: 'success', error_type: '' })} ${this.requests}` +
        (req ? ` # {trace_id="${req.traceId}"} 1` : ''),
    );
    out.push('# HELP dynamo_frontend_inflight_requests Number of inflight requests', '# TYPE dynamo_frontend_inflight_requests gauge');
    out.push(`dynamo_frontend_inflight_requests${labelText(l)} ${this.inflight}`);
    out.push('# HELP dynamo_frontend_time_to_first_token_seconds Time to first token', '# TYPE dynamo_frontend_time_to_first_token_seconds histogram');
    TTFT_BUCKETS.forEach((b, i) => out.push(`dynamo_frontend_time_to_first_token_seconds_bucket${labelText({ ...l, le: fmt(b) })} ${this.ttft[i]}${ex(this.exemplars[i])}`));
    out.push(`dynamo_frontend_time_to_first_token_seconds_bucket${labelText({ ...l, le: '+Inf' })} ${this.ttft[TTFT_BUCKETS.length]}${ex(this.exemplars[TTFT_BUCKETS.length])}`);
    out.push(`dynamo_frontend_time_to_first_token_seconds_count${labelText(l)} ${this.ttftCount}`);
    out.push(`dynamo_frontend_time_to_first_token_seconds_sum${labelText(l)} ${fmt(this.ttftSum)}`);
    out.push('# EOF', '');
    return out.join('\n');
  }
}
