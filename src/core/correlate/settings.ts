/**
 * What a request-id lookup searches with, and its defaults for Dynamo. The extension reads these
 * from `spanlens.lookup.*`, the CLI uses the defaults; `lookupSettings` checks values from
 * either (settings are user input) and says, by the setting's full name, which ones it replaced
 * by the default.
 */
import { parseDuration } from '../backends/time';
import { LOOKUP_PANELS, readPanels, type MetricPanelSpec } from '../metrics/panels';

export interface LookupSettings {
  /** Span/resource attributes that hold a request id (TraceQL names: `x_request_id`, `span.x`, `resource.x`). */
  readonly attributes: readonly string[];
  /** Look-back windows tried in turn until something is found, in ms (1h, 24h, 7d). */
  readonly lookBackMs: readonly number[];
  /** Stream selector for OTLP-fed logs (ids in structured metadata). */
  readonly otlpSelector: string;
  /** Stream selector for Alloy-shipped JSONL logs (ids inside the line). */
  readonly jsonlSelector: string;
  /** The key metrics around the request (the Metrics view's panel shape; see LOOKUP_PANELS). */
  readonly metrics: readonly MetricPanelSpec[];
  /** Traces fetched in full when a search finds several (retries, migrations). */
  readonly maxTraces: number;
  /** Lines per log query. */
  readonly maxLogLines: number;
}

export const DEFAULT_ATTRIBUTES = ['x_request_id', 'request_id', 'http.request.header.x-request-id'];
export const DEFAULT_LOOK_BACK = ['1h', '24h', '7d'];

export const DEFAULT_OTLP_SELECTOR = '{service_name=~".+"}';
export const DEFAULT_JSONL_SELECTOR = '{namespace=~".+"}';

export const DEFAULT_SETTINGS: LookupSettings = {
  attributes: DEFAULT_ATTRIBUTES,
  lookBackMs: DEFAULT_LOOK_BACK.map(parseDuration),
  otlpSelector: DEFAULT_OTLP_SELECTOR,
  jsonlSelector: DEFAULT_JSONL_SELECTOR,
  metrics: LOOKUP_PANELS,
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
    else problems.push('spanlens.lookup.attributes: expected a list of attribute names');
  }

  let lookBackMs = d.lookBackMs;
  if (raw.lookBack !== undefined) {
    try {
      if (!Array.isArray(raw.lookBack) || raw.lookBack.length === 0) throw new Error();
      const ms = raw.lookBack.map((x) => (typeof x === 'string' ? parseDuration(x) : NaN));
      if (ms.some((x) => !(x > 0) || x > MAX_LOOK_BACK_MS)) throw new Error();
      lookBackMs = [...new Set(ms)].sort((a, b) => a - b);
    } catch {
      problems.push('spanlens.lookup.lookBack: expected durations such as ["1h", "24h", "7d"], each at most 168h (Tempo\'s search limit)');
    }
  }

  const selector = (v: unknown, name: string, fallback: string): string => {
    if (v === undefined) return fallback;
    if (typeof v === 'string' && /^\s*\{.*\}\s*$/s.test(v)) return v.trim();
    problems.push(`spanlens.lookup.${name}: expected a LogQL stream selector such as ${fallback}`);
    return fallback;
  };
  const otlpSelector = selector(raw.otlpSelector, 'logs.otlpSelector', d.otlpSelector);
  const jsonlSelector = selector(raw.jsonlSelector, 'logs.jsonlSelector', d.jsonlSelector);

  const read = readPanels(raw.metrics, { setting: 'spanlens.lookup.metrics', defaults: d.metrics });
  problems.push(...read.problems);
  const metrics = read.panels.length ? read.panels : d.metrics;

  const count = (v: unknown, name: string, fallback: number, max: number): number => {
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max) return v;
    problems.push(`spanlens.lookup.${name}: expected a whole number from 1 to ${max}`);
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
