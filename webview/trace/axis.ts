import type { ScaleLinear } from 'd3-scale';
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

const SVG = 'http://www.w3.org/2000/svg';
const TICK_SIZE = 6;

/**
 * The time axis above the canvas: offsets from the trace start, in a unit fit for the zoom. Drawn
 * each frame while the user zooms or pans, so it updates a pool of tick elements in place (the
 * same markup as d3-axis's axisTop: g.tick > line + text) where d3-axis's join by value removed
 * and created every tick at each step, about a quarter of a zoom frame at 100k spans.
 */
export function drawAxis(svg: SVGSVGElement, x: ScaleLinear<number, number>, width: number, visibleNs: number): void {
  // Set only when changed: a size set again, even to the same value, has the whole page laid out anew.
  if (svg.getAttribute('width') !== String(width)) svg.setAttribute('width', String(width));
  if (svg.getAttribute('height') !== String(AXIS_HEIGHT)) svg.setAttribute('height', String(AXIS_HEIGHT));
  let g = svg.querySelector<SVGGElement>('g.ticks');
  if (!g) {
    g = document.createElementNS(SVG, 'g');
    g.setAttribute('class', 'ticks');
    g.setAttribute('transform', `translate(0,${AXIS_HEIGHT - 1})`);
    g.setAttribute('fill', 'none');
    g.setAttribute('font-size', '10');
    const domain = document.createElementNS(SVG, 'path');
    domain.setAttribute('class', 'domain');
    domain.setAttribute('stroke', 'currentColor');
    g.append(domain);
    svg.append(g);
  }
  // Half a pixel puts one-pixel lines on a pixel, not across two, where a pixel is a device pixel.
  const offset = (window.devicePixelRatio || 1) > 1 ? 0 : 0.5;
  const [r0, r1] = x.range() as [number, number];
  g.firstElementChild!.setAttribute('d', `M${r0 + offset},0V${offset}H${r1 + offset}V0`);
  const values = x.ticks(Math.max(2, Math.floor(width / 90)));
  const ticks = g.getElementsByClassName('tick');
  while (ticks.length > values.length) ticks[ticks.length - 1]!.remove();
  while (ticks.length < values.length) g.append(tickElement());
  values.forEach((v, i) => {
    const tick = ticks[i]!;
    const px = x(v);
    tick.setAttribute('transform', `translate(${px + offset},0)`);
    const text = tick.lastElementChild!;
    const label = formatTick(v, visibleNs);
    if (text.textContent !== label) text.textContent = label;
    // Labels centred on the first and last ticks would be cut by the view's edges.
    text.setAttribute('text-anchor', px < 30 ? 'start' : px > width - 30 ? 'end' : 'middle');
  });
}

function tickElement(): SVGGElement {
  const tick = document.createElementNS(SVG, 'g');
  tick.setAttribute('class', 'tick');
  const line = document.createElementNS(SVG, 'line');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('y2', String(-TICK_SIZE));
  const text = document.createElementNS(SVG, 'text');
  text.setAttribute('fill', 'currentColor');
  text.setAttribute('y', String(-TICK_SIZE - 3));
  tick.append(line, text);
  return tick;
}
