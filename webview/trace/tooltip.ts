import { formatDuration } from '../../src/core/format/duration';
import { FLAG_MISSING_PARENT, type WebviewStrings } from '../../src/core/protocol/trace';
import { el } from '../shared/dom';
import { fill, groupDigits } from '../shared/text';
import type { TraceModel } from './model';

/** The hover card: a box's name, service, duration, start, and whether it failed; or a merged mark's count. */
export class Tooltip {
  readonly el: HTMLElement;

  constructor(private readonly s: WebviewStrings) {
    this.el = el('div', { className: 'tooltip', attrs: { role: 'tooltip', 'data-testid': 'tooltip' } });
  }

  showBox(m: TraceModel, b: number, x: number, y: number, errorMessage?: string): void {
    const d = m.data;
    const s = this.s;
    const rows: HTMLElement[] = [
      el('div', { className: 'tt-name', text: d.names[d.name[b]!]! }),
      el('div', { text: `${s.service}: ${d.services[d.service[b]!]}` }),
      el('div', { text: `${s.duration}: ${formatDuration(d.end[b]! - d.start[b]!)}` }),
      el('div', { text: `${s.start}: +${formatDuration(d.start[b]!)}` }),
    ];
    if (m.isError(b)) rows.push(el('div', { className: 'tt-error', text: errorMessage ? `${s.error}: ${errorMessage}` : s.error }));
    if (d.flags[b]! & FLAG_MISSING_PARENT) rows.push(el('div', { className: 'tt-note', text: s.missingParent }));
    this.place(rows, x, y);
  }

  showMerged(count: number, errors: number, x: number, y: number): void {
    const rows = [el('div', { className: 'tt-name', text: fill(this.s.spansHere, [groupDigits(count)]) }), el('div', { className: 'muted', text: this.s.zoomToSee })];
    if (errors) rows.push(el('div', { className: 'tt-error', text: `${this.s.error}: ${errors}` }));
    this.place(rows, x, y);
  }

  private place(rows: HTMLElement[], x: number, y: number): void {
    const t = this.el;
    t.replaceChildren(...rows);
    t.style.display = 'block';
    const w = t.offsetWidth;
    const h = t.offsetHeight;
    t.style.left = `${Math.max(4, Math.min(x + 14, window.innerWidth - w - 4))}px`;
    t.style.top = `${y + 18 + h > window.innerHeight ? Math.max(4, y - h - 8) : y + 18}px`;
  }

  hide(): void {
    this.el.style.display = 'none';
  }
}
