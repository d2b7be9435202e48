import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { SeriesData } from '../../src/core/protocol/metrics';
import { colorFor } from './palette';
import { svg } from './svg';

export const SPARK_HEIGHT = 34;

/**
 * One panel's series as a small line chart across the window: x is time over [startMs, endMs],
 * y spans the panel's own min..max (a flat series sits in the middle); gaps (NaN) break the line.
 */
export function sparkline(series: readonly SeriesData[], startMs: number, endMs: number, width: number, colors: readonly string[]): SVGSVGElement {
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
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const x = scaleLinear().domain([startMs, endMs]).range([1, Math.max(2, width - 1)]);
  const y = scaleLinear().domain([lo, hi]).range([SPARK_HEIGHT - 2, 2]);
  const root = svg('svg', { class: 'spark', width, height: SPARK_HEIGHT, viewBox: `0 0 ${width} ${SPARK_HEIGHT}`, 'aria-hidden': 'true' });
  series.forEach((s, k) => {
    const path = line<number>()
      .defined((i) => Number.isFinite(s.v[i]!))
      .x((i) => x(s.t[i]!))
      .y((i) => y(s.v[i]!))(Array.from({ length: s.t.length }, (_, i) => i));
    if (path) root.append(svg('path', { d: path, fill: 'none', stroke: colorFor(s.label, k, colors), 'stroke-width': 1.5, 'vector-effect': 'non-scaling-stroke' }));
  });
  return root;
}
