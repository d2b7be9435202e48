import { axisTop } from 'd3-axis';
import type { ScaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { formatTick } from '../../src/core/format/duration';

export const AXIS_HEIGHT = 24;

/**
 * An empty axis, already its drawn height: an SVG is 150 px tall until told otherwise, and a view
 * sized before its first draw would take that for its own.
 */
export function axisElement(): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.classList.add('axis');
  svg.setAttribute('height', String(AXIS_HEIGHT));
  return svg;
}

/** The time axis above the canvas: offsets from the trace start, in a unit fit for the zoom. */
export function drawAxis(svg: SVGSVGElement, x: ScaleLinear<number, number>, width: number, visibleNs: number): void {
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(AXIS_HEIGHT));
  const ticks = Math.max(2, Math.floor(width / 90));
  const axis = axisTop<number>(x)
    .ticks(ticks)
    .tickSizeOuter(0)
    .tickFormat((v) => formatTick(Number(v), visibleNs));
  const root = select(svg);
  let g = root.select<SVGGElement>('g.ticks');
  if (g.empty()) g = root.append('g').attr('class', 'ticks');
  g.attr('transform', `translate(0,${AXIS_HEIGHT - 1})`).call(axis);
  // Labels centred on the first and last ticks would be cut by the view's edges.
  g.selectAll<SVGGElement, number>('.tick').each(function (v) {
    const px = x(v);
    const anchor = px < 30 ? 'start' : px > width - 30 ? 'end' : 'middle';
    select(this).select('text').attr('text-anchor', anchor);
  });
}
