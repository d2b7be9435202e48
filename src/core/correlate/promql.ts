/**
 * The key metrics around a request: the window [trace start − 5 min, trace end + 5 min], a step
 * that gives a sparkline's worth of points (rounded to a step people read: 5s, 15s, 1m …), the
 * configured queries with their placeholders filled in, and one exemplar query for all the
 * histogram queries that want exemplars (Prometheus returns exemplars per series, so one
 * request serves them all; `__name__` tells which query each belongs to).
 */
import type { TimeRange } from '../backends/types';
import { regexEscape } from './logql';
import type { MetricPanelSpec } from '../metrics/panels';

export const METRICS_PAD_MS = 5 * 60_000;
/** Points a sparkline is drawn from. */
const TARGET_POINTS = 240;
const NICE_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

export interface MetricsWindow {
  readonly range: TimeRange;
  readonly stepMs: number;
  /** What `$__rate_interval` becomes: at least four steps and at least a minute (four 15 s scrapes). */
  readonly rateInterval: string;
}

/** The window around [startNs, endNs] (Unix ns) with its step. */
export function metricsWindow(startNs: bigint, endNs: bigint, padMs = METRICS_PAD_MS): MetricsWindow {
  const startMs = Math.floor(Number(startNs / 1_000_000n)) - padMs;
  const endMs = Math.ceil(Number((endNs + 999_999n) / 1_000_000n)) + padMs;
  const range = { startMs, endMs: Math.max(endMs, startMs + 1000) };
  const wantS = (range.endMs - range.startMs) / 1000 / TARGET_POINTS;
  const stepS = NICE_STEPS_S.find((s) => s >= wantS) ?? Math.ceil(wantS / 86400) * 86400;
  return { range, stepMs: stepS * 1000, rateInterval: `${Math.max(60, 4 * stepS)}s` };
}

/** The query as sent: `$__rate_interval` and `$model` (`${…}` spellings too) filled in. */
export function keyMetricExpr(q: Pick<MetricPanelSpec, 'query'>, vars: { readonly rateInterval: string; readonly model?: string }): string {
  // Inside a double-quoted PromQL string: regex-escaped, then string-escaped.
  const model = vars.model ? regexEscape(vars.model).replace(/\\/g, '\\\\').replace(/"/g, '\\"') : '.+';
  return q.query.replace(/\$\{__rate_interval\}|\$__rate_interval\b/g, vars.rateInterval).replace(/\$\{model\}|\$model\b/g, model);
}

/**
 * One exemplar query for every query that wants exemplars (`q1 or q2 …`, duplicates dropped),
 * or undefined when none does.
 */
export function exemplarQuery(exprs: readonly string[]): string | undefined {
  const unique = [...new Set(exprs)];
  if (!unique.length) return undefined;
  return unique.length === 1 ? unique[0] : unique.map((e) => `(${e})`).join(' or ');
}

/** Whether a series named `metricName` is one of the selectors in `expr`. */
export function mentionsMetric(expr: string, metricName: string): boolean {
  const esc = metricName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_:])${esc}($|[^A-Za-z0-9_:])`).test(expr);
}
