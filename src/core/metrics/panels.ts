/**
 * Key metrics as lists of PromQL queries with a unit: what the Metrics view plots and what a
 * request-id lookup shows around a request, by default Dynamo's key frontend and GPU metrics,
 * and the windows the Metrics view offers. Settings are user
 * input: `readPanels` keeps the well-formed entries and says what it skipped.
 */

export type MetricUnit = 'seconds' | 'percent' | 'celsius' | 'perSecond' | 'count' | 'none';

export const METRIC_UNITS: readonly MetricUnit[] = ['seconds', 'percent', 'celsius', 'perSecond', 'count', 'none'];

export type DefaultPanelId = 'requestRate' | 'ttftP50' | 'ttftP95' | 'itlP95' | 'inflight' | 'queued' | 'gpuUtil' | 'gpuTemp';

/** The default panels' titles in English (the CLI's; the editor shows them localized). */
export const DEFAULT_PANEL_TITLES: Readonly<Record<DefaultPanelId, string>> = {
  requestRate: 'Request rate by status',
  ttftP50: 'Time to first token p50',
  ttftP95: 'Time to first token p95',
  itlP95: 'Inter-token latency p95',
  inflight: 'Requests in flight',
  queued: 'Requests queued',
  gpuUtil: 'GPU utilisation',
  gpuTemp: 'GPU temperature',
};

export interface MetricPanelSpec {
  /** Stable within one list: `default:<id>` or `custom:<index>`. */
  readonly id: string;
  /** A default panel's id, for its localized title; custom panels carry their own title. */
  readonly defaultId?: DefaultPanelId;
  readonly title?: string;
  readonly query: string;
  readonly unit: MetricUnit;
  /** Ask Prometheus for the exemplars of the histogram the query reads (a lookup's sparklines show them). */
  readonly exemplars?: boolean;
}

/** A panel's title in English: its own, else its default's. */
export function panelTitleText(p: MetricPanelSpec): string {
  return p.title ?? (p.defaultId ? DEFAULT_PANEL_TITLES[p.defaultId] : p.query);
}

export const DEFAULT_PANELS: readonly MetricPanelSpec[] = [
  { id: 'default:requestRate', defaultId: 'requestRate', query: 'sum by (status) (rate(dynamo_frontend_requests_total[1m]))', unit: 'perSecond' },
  {
    id: 'default:ttftP95',
    defaultId: 'ttftP95',
    query: 'histogram_quantile(0.95, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket[5m])))',
    unit: 'seconds',
  },
  {
    id: 'default:itlP95',
    defaultId: 'itlP95',
    query: 'histogram_quantile(0.95, sum by (le) (rate(dynamo_frontend_inter_token_latency_seconds_bucket[5m])))',
    unit: 'seconds',
  },
  { id: 'default:inflight', defaultId: 'inflight', query: 'sum(dynamo_frontend_inflight_requests)', unit: 'count' },
  { id: 'default:queued', defaultId: 'queued', query: 'sum(dynamo_frontend_queued_requests)', unit: 'count' },
  { id: 'default:gpuUtil', defaultId: 'gpuUtil', query: 'avg(DCGM_FI_DEV_GPU_UTIL)', unit: 'percent' },
  { id: 'default:gpuTemp', defaultId: 'gpuTemp', query: 'max(DCGM_FI_DEV_GPU_TEMP)', unit: 'celsius' },
];

/**
 * A request-id lookup's key metrics around the request (the list: request rate by
 * status, TTFT p50/p95, ITL p95, in flight, queued, GPU utilisation). `$model` becomes the
 * trace's model and `$__rate_interval` a rate window that suits the step (see correlate/promql).
 */
export const LOOKUP_PANELS: readonly MetricPanelSpec[] = [
  { id: 'default:requestRate', defaultId: 'requestRate', query: 'sum by (status) (rate(dynamo_frontend_requests_total{model=~"$model"}[$__rate_interval]))', unit: 'perSecond' },
  {
    id: 'default:ttftP50',
    defaultId: 'ttftP50',
    query: 'histogram_quantile(0.5, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{model=~"$model"}[$__rate_interval])))',
    unit: 'seconds',
    exemplars: true,
  },
  {
    id: 'default:ttftP95',
    defaultId: 'ttftP95',
    query: 'histogram_quantile(0.95, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{model=~"$model"}[$__rate_interval])))',
    unit: 'seconds',
    exemplars: true,
  },
  {
    id: 'default:itlP95',
    defaultId: 'itlP95',
    query: 'histogram_quantile(0.95, sum by (le) (rate(dynamo_frontend_inter_token_latency_seconds_bucket{model=~"$model"}[$__rate_interval])))',
    unit: 'seconds',
    exemplars: true,
  },
  { id: 'default:inflight', defaultId: 'inflight', query: 'sum(dynamo_frontend_inflight_requests{model=~"$model"})', unit: 'count' },
  { id: 'default:queued', defaultId: 'queued', query: 'sum(dynamo_frontend_queued_requests{model=~"$model"})', unit: 'count' },
  { id: 'default:gpuUtil', defaultId: 'gpuUtil', query: 'avg(DCGM_FI_DEV_GPU_UTIL)', unit: 'percent' },
];

export type WindowKey = '15m' | '1h' | '6h' | '24h';

/** Each window's length and step: about 60–360 points per series, far under Prometheus' 11,000. */
export const WINDOWS: Readonly<Record<WindowKey, { readonly rangeMs: number; readonly stepMs: number }>> = {
  '15m': { rangeMs: 15 * 60_000, stepMs: 15_000 },
  '1h': { rangeMs: 3_600_000, stepMs: 15_000 },
  '6h': { rangeMs: 6 * 3_600_000, stepMs: 60_000 },
  '24h': { rangeMs: 24 * 3_600_000, stepMs: 300_000 },
};

export const WINDOW_KEYS = Object.keys(WINDOWS) as WindowKey[];

export function isWindowKey(v: unknown): v is WindowKey {
  return typeof v === 'string' && Object.hasOwn(WINDOWS, v);
}

/** The detail chart asks for about this many points per series. */
export const DETAIL_POINTS = 600;

/**
 * A list of panels as a setting holds it (`spanlens.metrics.queries` by default; the lookup's
 * `spanlens.lookup.metrics` with its own defaults): undefined or [] means the defaults.
 */
export function readPanels(raw: unknown, opts: { readonly setting?: string; readonly defaults?: readonly MetricPanelSpec[] } = {}): { panels: MetricPanelSpec[]; problems: string[] } {
  const setting = opts.setting ?? 'spanlens.metrics.queries';
  const defaults = opts.defaults ?? DEFAULT_PANELS;
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) return { panels: [...defaults], problems: [] };
  if (!Array.isArray(raw)) return { panels: [...defaults], problems: [`${setting} must be an array; showing the defaults`] };
  const panels: MetricPanelSpec[] = [];
  const problems: string[] = [];
  raw.forEach((e, i) => {
    const at = `${setting}[${i}]`;
    if (typeof e === 'string' && e.trim()) {
      panels.push({ id: `custom:${i}`, title: e.trim(), query: e.trim(), unit: 'none' });
      return;
    }
    if (typeof e !== 'object' || e === null) {
      problems.push(`${at} must be a PromQL string or { "title", "query", "unit" }`);
      return;
    }
    const o = e as Record<string, unknown>;
    const query = typeof o.query === 'string' ? o.query.trim() : '';
    if (!query) {
      problems.push(`${at}.query must be a non-empty PromQL string`);
      return;
    }
    const unit = METRIC_UNITS.includes(o.unit as MetricUnit) ? (o.unit as MetricUnit) : 'none';
    if (o.unit !== undefined && unit !== o.unit) problems.push(`${at}.unit must be one of ${METRIC_UNITS.join(', ')}`);
    const title = typeof o.title === 'string' && o.title.trim() ? o.title.trim() : query;
    if (o.exemplars !== undefined && typeof o.exemplars !== 'boolean') problems.push(`${at}.exemplars must be true or false`);
    panels.push({ id: `custom:${i}`, title, query, unit, ...(o.exemplars === true ? { exemplars: true } : {}) });
  });
  return { panels, problems };
}
