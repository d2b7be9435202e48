import { formatValue, seriesStats } from '../../../src/core/metrics/values';
import type { LookupPanel, SeriesMessage, WebviewStrings } from '../../../src/core/protocol/trace';
import { el } from '../../shared/dom';
import { seriesColors } from '../../shared/charts/palette';
import { sparkline } from '../../shared/charts/sparkline';
import { fill } from '../../shared/text';

const CARD_WIDTH = 190;

/**
 * The key metrics around a looked-up trace: one sparkline card per query, the trace's time span
 * shaded, exemplar dots that open their traces, and the value and time under the pointer.
 */
export class MetricsStrip {
  readonly el: HTMLElement;
  private message: SeriesMessage | undefined;

  constructor(
    private readonly s: WebviewStrings,
    private readonly openTrace: (traceId: string) => void,
  ) {
    this.el = el('section', { className: 'metrics-strip', attrs: { 'data-testid': 'metrics-strip', 'aria-label': s.metrics } });
    this.el.addEventListener('scroll', () => this.markEdges(), { passive: true });
    new ResizeObserver(() => this.markEdges()).observe(this.el);
  }

  /**
   * The strip keeps to one row (the views below need the height) and scrolls sideways when the
   * cards do not fit; a faded edge says there are more cards that way.
   */
  private markEdges(): void {
    const e = this.el;
    e.classList.toggle('more-right', e.scrollLeft + e.clientWidth < e.scrollWidth - 1);
    e.classList.toggle('more-left', e.scrollLeft > 1);
  }

  show(m: SeriesMessage): void {
    this.message = m;
    this.render();
  }

  /** Colours come from the theme: redraw when it changes. */
  render(): void {
    const m = this.message;
    if (!m) return;
    const colors = seriesColors();
    this.el.replaceChildren(...m.panels.map((p) => this.card(p, m, colors)));
    this.markEdges();
  }

  private card(p: LookupPanel, m: SeriesMessage, colors: readonly string[]): HTMLElement {
    const s = this.s;
    const title = el('div', { className: 'spark-title', text: p.info.title, title: p.info.query });
    if (p.error) return el('div', { className: 'spark-card error', attrs: { 'data-testid': 'spark-card' } }, title, el('div', { className: 'spark-error', text: p.error }));
    const stats = seriesStats(p.series);
    const value = el('div', { className: 'spark-value', text: stats.current !== undefined ? formatValue(stats.current, p.info.unit) : s.noData });
    const range = el('div', { className: 'spark-range muted', text: stats.min !== undefined && stats.max !== undefined ? `${formatValue(stats.min, p.info.unit)} – ${formatValue(stats.max, p.info.unit)}` : '' });
    const readout = el('div', { className: 'spark-readout muted' });
    const chart = sparkline(p.series, m.window.startMs, m.window.endMs, CARD_WIDTH, colors, {
      ...(m.traceWindow ? { shade: m.traceWindow } : {}),
      ...(p.exemplars ? { exemplars: p.exemplars } : {}),
      open: (id) => this.openTrace(id),
      describe: (v, t, id) => fill(s.exemplarAt, [formatValue(v, p.info.unit), new Date(t).toISOString().slice(11, 19), id.slice(0, 16)]),
    });
    // The value under the pointer: the nearest sample of the first series.
    chart.addEventListener('mousemove', (e) => {
      const first = p.series[0];
      if (!first || !first.t.length) return;
      const r = chart.getBoundingClientRect();
      const t = m.window.startMs + ((e.clientX - r.left) / Math.max(1, r.width)) * (m.window.endMs - m.window.startMs);
      let best = 0;
      for (let i = 1; i < first.t.length; i++) if (Math.abs(first.t[i]! - t) < Math.abs(first.t[best]! - t)) best = i;
      readout.textContent = `${formatValue(first.v[best]!, p.info.unit)} · ${new Date(first.t[best]!).toISOString().slice(11, 19)} UTC`;
    });
    chart.addEventListener('mouseleave', () => {
      readout.textContent = '';
    });
    return el('div', { className: 'spark-card', attrs: { 'data-testid': 'spark-card' } }, title, value, chart, range, readout);
  }
}
