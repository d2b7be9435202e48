import type { ColorMode, TraceChoice, TraceViewKind, WebviewStrings } from '../../src/core/protocol/trace';
import { el } from '../shared/dom';

export interface ToolbarActions {
  selectTrace(index: number): void;
  setView(kind: TraceViewKind): void;
  setColorMode(mode: ColorMode): void;
  toggleCritical(): void;
  error(dir: 1 | -1): void;
  resetZoom(): void;
}

/** The top row: title, trace picker, facts, the view switch and the view's display controls. */
export class Toolbar {
  readonly el: HTMLElement;
  readonly stats: HTMLElement;
  private readonly viewButtons: Record<TraceViewKind, HTMLButtonElement>;
  private readonly colorSelect: HTMLSelectElement;
  private readonly critical: HTMLButtonElement;
  private readonly errorButtons: HTMLButtonElement[];
  private picker: HTMLSelectElement | undefined;

  constructor(title: string, choices: readonly TraceChoice[], selected: number, s: WebviewStrings, a: ToolbarActions) {
    this.el = el('header', { className: 'toolbar' });
    this.el.append(el('h1', { text: title, title }));
    if (choices.length > 1) {
      const select = el('select', { className: 'picker', attrs: { 'aria-label': s.traceOf, 'data-testid': 'trace-picker' } });
      choices.forEach((c, i) => select.append(el('option', { text: c.label, attrs: { value: String(i) } })));
      select.value = String(selected);
      select.addEventListener('change', () => a.selectTrace(Number(select.value)));
      this.el.append(select);
      this.picker = select;
    }
    this.stats = el('span', { className: 'stats', attrs: { 'data-testid': 'stats', 'aria-live': 'polite' } });
    this.el.append(this.stats);

    const views = el('div', { className: 'segmented', attrs: { role: 'tablist', 'aria-label': `${s.timeline} / ${s.flame}` } });
    const viewButton = (kind: TraceViewKind, label: string) => {
      const b = el('button', { text: label, attrs: { role: 'tab', 'data-testid': `view-${kind}` } });
      b.addEventListener('click', () => a.setView(kind));
      views.append(b);
      return b;
    };
    this.viewButtons = { timeline: viewButton('timeline', s.timeline), flame: viewButton('flame', s.flame) };
    this.el.append(views);

    this.colorSelect = el('select', { attrs: { 'aria-label': s.colorBy, title: s.colorBy, 'data-testid': 'color-mode' } });
    for (const [mode, label] of [['service', s.colorService], ['duration', s.colorDuration], ['errors', s.colorErrors]] as const) {
      this.colorSelect.append(el('option', { text: `${s.colorBy}: ${label}`, attrs: { value: mode } }));
    }
    this.colorSelect.addEventListener('change', () => a.setColorMode(this.colorSelect.value as ColorMode));
    this.critical = el('button', { className: 'toggle', text: s.criticalPath, attrs: { 'aria-pressed': 'false', 'data-testid': 'critical-path' } });
    this.critical.addEventListener('click', () => a.toggleCritical());
    const prevError = el('button', { text: '◀ !', title: `${s.previousError} (Shift+N)`, attrs: { 'aria-label': s.previousError, 'data-testid': 'previous-error' } });
    const nextError = el('button', { text: '! ▶', title: `${s.nextError} (N)`, attrs: { 'aria-label': s.nextError, 'data-testid': 'next-error' } });
    prevError.addEventListener('click', () => a.error(-1));
    nextError.addEventListener('click', () => a.error(1));
    this.errorButtons = [prevError, nextError];
    const reset = el('button', { text: s.resetZoom, attrs: { 'data-testid': 'reset-zoom' } });
    reset.addEventListener('click', () => a.resetZoom());
    // One joined pair, so a narrow panel wraps the two together rather than between them.
    const errorNav = el('div', { className: 'segmented', attrs: { role: 'group', 'aria-label': `${s.previousError} / ${s.nextError}` } }, prevError, nextError);
    this.el.append(this.colorSelect, this.critical, errorNav, reset);
  }

  /** The trace shown changed from elsewhere (a link to another trace of the same file). */
  showTrace(index: number): void {
    if (this.picker) this.picker.value = String(index);
  }

  show(view: TraceViewKind, color: ColorMode, critical: boolean, errors: number): void {
    for (const [k, b] of Object.entries(this.viewButtons)) {
      b.classList.toggle('active', k === view);
      b.setAttribute('aria-selected', String(k === view));
    }
    this.colorSelect.value = color;
    this.critical.classList.toggle('active', critical);
    this.critical.setAttribute('aria-pressed', String(critical));
    for (const b of this.errorButtons) b.disabled = errors === 0;
  }
}
