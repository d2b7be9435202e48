/**
 * What a request-id lookup searches with, and its defaults for Dynamo. The extension reads these
 * from `spanlens.lookup.*`, the CLI uses the defaults; `lookupSettings` checks values from
 * either (settings are user input) and says which ones it replaced by the default.
 */
import { parseDuration } from '../backends/time';

export interface KeyMetricQuery {
  /** Shown above the sparkline. */
  readonly title: string;
  /**
   * PromQL; `$__rate_interval` becomes a rate window that suits the step, `$model` the
   * trace's `model` attribute (regex-escaped; `.+` when the trace names none).
   */
  readonly query: string;
  /** `s`, `req/s`, `%`, `requests`, or any short unit text. */
  readonly unit: string;
  /** Ask Prometheus for the exemplars of this query's histogram buckets. */
  readonly exemplars: boolean;
}

export interface LookupSettings {
  /** Span/resource attributes that hold a request id (TraceQL names: `x_request_id`, `span.x`, `resource.x`). */
  readonly attributes: readonly string[];
  /** Look-back windows tried in turn until something is found, in ms (1h, 24h, 7d). */
  readonly lookBackMs: readonly number[];
  /** Stream selector for OTLP-fed logs (ids in structured metadata). */
  readonly otlpSelector: string;
  /** Stream selector for Alloy-shipped JSONL logs (ids inside the line). */
  readonly jsonlSelector: string;
  readonly metrics: readonly KeyMetricQuery[];
  /** Traces fetched in full when a search finds several (retries, migrations). */
  readonly maxTraces: number;
  /** Lines per log query. */
  readonly maxLogLines: number;
}

export const DEFAULT_ATTRIBUTES = ['x_request_id', 'request_id', 'http.request.header.x-request-id'];
export const DEFAULT_LOOK_BACK = ['1h', '24h', '7d'];

/** Dynamo frontend metrics (its `dynamo_frontend_*` names) and DCGM's GPU utilisation. */
export const DEFAULT_METRICS: readonly KeyMetricQuery[] = [
  { title: 'Requests by status', query: 'sum by (status) (rate(dynamo_frontend_requests_total{model=~"$model"}[$__rate_interval]))', unit: 'req/s', exemplars: false },
  {
    title: 'TTFT p50',
    query: 'histogram_quantile(0.5, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{model=~"$model"}[$__rate_interval])))',
    unit: 's',
    exemplars: true,
  },
  {
    title: 'TTFT p95',
    query: 'histogram_quantile(0.95, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{model=~"$model"}[$__rate_interval])))',
    unit: 's',
    exemplars: true,
  },
  {
    title: 'Inter-token latency p95',
    query: 'histogram_quantile(0.95, sum by (le) (rate(dynamo_frontend_inter_token_latency_seconds_bucket{model=~"$model"}[$__rate_interval])))',
    unit: 's',
    exemplars: true,
  },
  { title: 'Inflight requests', query: 'sum(dynamo_frontend_inflight_requests{model=~"$model"})', unit: 'requests', exemplars: false },
  { title: 'Queued requests', query: 'sum(dynamo_frontend_queued_requests{model=~"$model"})', unit: 'requests', exemplars: false },
  { title: 'GPU utilisation', query: 'avg(DCGM_FI_DEV_GPU_UTIL)', unit: '%', exemplars: false },
];

export const DEFAULT_OTLP_SELECTOR = '{service_name=~".+"}';
export const DEFAULT_JSONL_SELECTOR = '{namespace=~".+"}';

export const DEFAULT_SETTINGS: LookupSettings = {
  attributes: DEFAULT_ATTRIBUTES,
  lookBackMs: DEFAULT_LOOK_BACK.map(parseDuration),
  otlpSelector: DEFAULT_OTLP_SELECTOR,
  jsonlSelector: DEFAULT_JSONL_SELECTOR,
  metrics: DEFAULT_METRICS,
  maxTraces: 10,
  maxLogLines: 5000,
};

/** Tempo refuses searches longer than its max_duration (168h by default). */
const MAX_LOOK_BACK_MS = 168 * 3_600_000;

export interface RawLookupSettings {
  readonly attributes?: unknown;
  readonly lookBack?: unknown;
  readonly otlpSelector?: unknown;
  readonly jsonlSelector?: unknown;
  readonly metrics?: unknown;
  readonly maxTraces?: unknown;
  readonly maxLogLines?: unknown;
}

/** Settings from user input; each unusable value is replaced by its default and named in `problems`. */
export function lookupSettings(raw: RawLookupSettings = {}): { settings: LookupSettings; problems: string[] } {
  const problems: string[] = [];
  const d = DEFAULT_SETTINGS;

  let attributes = d.attributes;
  if (raw.attributes !== undefined) {
    const list = Array.isArray(raw.attributes) ? raw.attributes.filter((a): a is string => typeof a === 'string' && a.trim() !== '').map((a) => a.trim()) : [];
    if (list.length && list.every((a) => a.length <= 200 && !/["\\\s{}]/.test(a.replace(/^(span|resource)\./, '')))) attributes = [...new Set(list)];
    else problems.push('attributes: expected a list of attribute names');
  }

  let lookBackMs = d.lookBackMs;
  if (raw.lookBack !== undefined) {
    try {
      if (!Array.isArray(raw.lookBack) || raw.lookBack.length === 0) throw new Error();
      const ms = raw.lookBack.map((x) => (typeof x === 'string' ? parseDuration(x) : NaN));
      if (ms.some((x) => !(x > 0) || x > MAX_LOOK_BACK_MS)) throw new Error();
      lookBackMs = [...new Set(ms)].sort((a, b) => a - b);
    } catch {
      problems.push('lookBack: expected durations such as ["1h", "24h", "7d"], each at most 168h (Tempo\'s search limit)');
    }
  }

  const selector = (v: unknown, name: string, fallback: string): string => {
    if (v === undefined) return fallback;
    if (typeof v === 'string' && /^\s*\{.*\}\s*$/s.test(v)) return v.trim();
    problems.push(`${name}: expected a LogQL stream selector such as ${fallback}`);
    return fallback;
  };
  const otlpSelector = selector(raw.otlpSelector, 'otlpSelector', d.otlpSelector);
  const jsonlSelector = selector(raw.jsonlSelector, 'jsonlSelector', d.jsonlSelector);

  let metrics = d.metrics;
  if (raw.metrics !== undefined) {
    const list = Array.isArray(raw.metrics) ? raw.metrics : [];
    const ok = list.flatMap((m): KeyMetricQuery[] => {
      if (typeof m !== 'object' || m === null) return [];
      const o = m as Record<string, unknown>;
      if (typeof o.query !== 'string' || !o.query.trim()) return [];
      return [{ title: typeof o.title === 'string' && o.title.trim() ? o.title.trim() : o.query.trim(), query: o.query.trim(), unit: typeof o.unit === 'string' ? o.unit : '', exemplars: o.exemplars === true }];
    });
    if (Array.isArray(raw.metrics) && ok.length === list.length) metrics = ok;
    else {
      problems.push('metrics: expected a list of {"title", "query", "unit", "exemplars"}');
      if (ok.length) metrics = ok;
    }
  }

  const count = (v: unknown, name: string, fallback: number, max: number): number => {
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max) return v;
    problems.push(`${name}: expected a whole number from 1 to ${max}`);
    return fallback;
  };
  return {
    settings: {
      attributes,
      lookBackMs,
      otlpSelector,
      jsonlSelector,
      metrics,
      maxTraces: count(raw.maxTraces, 'maxTraces', d.maxTraces, 100),
      maxLogLines: count(raw.maxLogLines, 'maxLogLines', d.maxLogLines, 100_000),
    },
    problems,
  };
}
