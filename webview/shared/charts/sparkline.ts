import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { ExemplarData, SeriesData } from '../../../src/core/protocol/metrics';
import { colorFor } from './palette';
import { svg, svgTitle } from './svg';

export const SPARK_HEIGHT = 34;

export interface SparklineExtras {
  /** A stretch of time to shade (a lookup's trace), Unix ms. */
  readonly shade?: { readonly startMs: number; readonly endMs: number };
  /** Exemplar dots; a click on one calls `open` with its trace id. */
  readonly exemplars?: ExemplarData;
  readonly open?: (traceId: string) => void;
  /** The dot's hover text, from its value, time and trace id. */
  readonly describe?: (value: number, timeMs: number, traceId: string) => string;
}

/**
 * One panel's series as a small line chart across the window: x is time over [startMs, endMs],
 * y spans the panel's own min..max (a flat series sits in the middle); gaps (NaN) break the line.
 * The Metrics view and the lookup's strip both draw through here.
 */
export function sparkline(series: readonly SeriesData[], startMs: number, endMs: number, width: number, colors: readonly string[], extras: SparklineExtras = {}): SVGSVGElement {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.v.length; i++) {
      const v = s.v[i]!;
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  const ex = extras.exemplars;
  // Exemplar dots sit on the same y scale, so they stay inside the chart.
  if (ex) {
    for (let i = 0; i < ex.v.length; i++) {
      const v = ex.v[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const x = scaleLinear().domain([startMs, endMs]).range([1, Math.max(2, width - 1)]);
  const y = scaleLinear().domain([lo, hi]).range([SPARK_HEIGHT - 2, 2]);
  const root = svg('svg', { class: 'spark', width, height: SPARK_HEIGHT, viewBox: `0 0 ${width} ${SPARK_HEIGHT}`, ...(ex?.v.length ? {} : { 'aria-hidden': 'true' }) });
  if (extras.shade) {
    const x0 = Math.max(0, x(extras.shade.startMs));
    const x1 = Math.min(width, Math.max(x0 + 2, x(extras.shade.endMs)));
    root.append(svg('rect', { class: 'spark-shade', x: x0, y: 0, width: x1 - x0, height: SPARK_HEIGHT }));
  }
  series.forEach((s, k) => {
    const path = line<number>()
      .defined((i) => Number.isFinite(s.v[i]!))
      .x((i) => x(s.t[i]!))
      .y((i) => y(s.v[i]!))(Array.from({ length: s.t.length }, (_, i) => i));
    if (path) root.append(svg('path', { d: path, fill: 'none', stroke: colorFor(s.label, k, colors), 'stroke-width': 1.5, 'vector-effect': 'non-scaling-stroke' }));
  });
  if (ex) {
    for (let i = 0; i < ex.v.length; i++) {
      const v = ex.v[i]!;
      const t = ex.t[i]!;
      const id = ex.traceIds[i]!;
      if (!Number.isFinite(v) || t < startMs || t > endMs) continue;
      const dot = svg('circle', { class: 'spark-exemplar', cx: x(t), cy: y(v), r: 3, tabindex: 0, role: 'button', 'data-trace-id': id });
      if (extras.describe) dot.append(svgTitle(extras.describe(v, t, id)));
      const open = () => extras.open?.(id);
      dot.addEventListener('click', open);
      dot.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      });
      root.append(dot);
    }
  }
  return root;
}
