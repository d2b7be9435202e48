/** Prometheus answers as the Metrics view's typed arrays. */
import type { ExemplarSeries, Series } from '../model/series';
import type { ExemplarData, SeriesData } from '../protocol/metrics';

/** Series of one panel; each labelled by the labels whose values differ between them. */
export function toSeriesData(series: readonly Series[]): SeriesData[] {
  const keys = new Set<string>();
  for (const s of series) for (const k of Object.keys(s.labels)) keys.add(k);
  const varying = [...keys].filter((k) => new Set(series.map((s) => s.labels[k] ?? '')).size > 1).sort();
  return series.map((s) => {
    const t = new Float64Array(s.points.length);
    const v = new Float64Array(s.points.length);
    s.points.forEach((p, i) => {
      t[i] = p.timeMs;
      v[i] = p.value;
    });
    const label = varying.map((k) => `${k}="${s.labels[k] ?? ''}"`).join(', ');
    return { label, t, v };
  });
}

/** Exemplars that name a trace, oldest first, at most `limit` (the newest kept). */
export function toExemplarData(list: readonly ExemplarSeries[], limit = 500): ExemplarData {
  const all = list.flatMap((s) => s.exemplars.filter((e) => e.traceId !== undefined && Number.isFinite(e.value)));
  all.sort((a, b) => a.timeMs - b.timeMs);
  const kept = all.slice(Math.max(0, all.length - limit));
  return {
    t: Float64Array.from(kept, (e) => e.timeMs),
    v: Float64Array.from(kept, (e) => e.value),
    traceIds: kept.map((e) => e.traceId!),
  };
}
