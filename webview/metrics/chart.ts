import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scaleTime } from 'd3-scale';
import { select } from 'd3-selection';
import { line } from 'd3-shape';
import { formatValue } from '../../src/core/metrics/values';
import type { DetailResult, MetricsStrings, PanelInfo } from '../../src/core/protocol/metrics';
import { fill } from '../shared/text';
import { colorFor } from '../shared/charts/palette';
import { svg, svgTitle } from '../shared/charts/svg';

const MARGIN = { top: 8, right: 10, bottom: 22, left: 58 };

/**
 * The larger chart of one panel: axes, a line per series with a legend, and a dot per exemplar
 * (a sample linked to a trace). A dot is a button: click or Enter calls `openTrace`.
 */
export function detailChart(
  panel: PanelInfo,
  data: DetailResult,
  width: number,
  height: number,
  colors: readonly string[],
  strings: MetricsStrings,
  openTrace: (traceId: string) => void,
): SVGSVGElement {
  const ex = data.exemplars;
  let lo = Infinity;
  let hi = -Infinity;
  const take = (v: number): void => {
    if (!Number.isFinite(v)) return;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  for (const s of data.series) for (let i = 0; i < s.v.length; i++) take(s.v[i]!);
  for (let i = 0; i < ex.v.length; i++) take(ex.v[i]!);
  if (lo === Infinity) {
    lo = 0;
    hi = 1;
  } else if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const w = Math.max(120, width);
  const x = scaleTime()
    .domain([new Date(data.startMs), new Date(data.endMs)])
    .range([MARGIN.left, w - MARGIN.right]);
  const y = scaleLinear()
    .domain([lo, hi])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  const root = svg('svg', { class: 'chart', width: w, height, role: 'group', 'aria-label': strings.chartLabel, 'data-testid': 'chart' });
  const xAxis = svg('g', { class: 'axis', transform: `translate(0,${height - MARGIN.bottom})` });
  const yAxis = svg('g', { class: 'axis', transform: `translate(${MARGIN.left},0)` });
  select(xAxis).call(axisBottom(x).ticks(Math.max(2, Math.floor(w / 90))));
  select(yAxis).call(
    axisLeft(y)
      .ticks(Math.max(2, Math.floor(height / 40)))
      .tickFormat((v) => formatValue(Number(v), panel.unit)),
  );
  root.append(xAxis, yAxis);
  data.series.forEach((s, k) => {
    const path = line<number>()
      .defined((i) => Number.isFinite(s.v[i]!))
      .x((i) => x(new Date(s.t[i]!)))
      .y((i) => y(s.v[i]!))(Array.from({ length: s.t.length }, (_, i) => i));
    if (path) root.append(svg('path', { d: path, fill: 'none', stroke: colorFor(s.label, k, colors), 'stroke-width': 1.5 }, svgTitle(s.label || panel.title)));
  });
  const dots = svg('g', { class: 'exemplars' });
  for (let i = 0; i < ex.t.length; i++) {
    const id = ex.traceIds[i]!;
    const label = fill(strings.exemplar, [id, formatValue(ex.v[i]!, panel.unit), new Date(ex.t[i]!).toLocaleTimeString()]);
    const dot = svg('circle', { cx: x(new Date(ex.t[i]!)), cy: y(ex.v[i]!), r: 4, class: 'exemplar', tabindex: 0, role: 'button', 'aria-label': label, 'data-trace-id': id }, svgTitle(label));
    dot.addEventListener('click', () => openTrace(id));
    dot.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        openTrace(id);
      }
    });
    dots.append(dot);
  }
  root.append(dots);
  return root;
}
