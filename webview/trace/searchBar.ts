import type { WebviewStrings } from '../../src/core/protocol/trace';
import { el } from '../shared/dom';
import { fill, groupDigits } from '../shared/text';
import type { Filters } from './model';

export interface SearchActions {
  /** Debounced: the text to search for ('' clears). */
  search(text: string): void;
  step(dir: 1 | -1): void;
  filters(f: Filters): void;
  /** Escape in the search field: back to the view. */
  done(): void;
}

/** "10ms", "1.5 s", "250us", "2m", or a bare number of milliseconds → ns; null when unreadable. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (!t) return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|min)?$/.exec(t);
  if (!m) return null;
  const v = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const k = unit === 'ns' ? 1 : unit === 'us' || unit === 'µs' ? 1e3 : unit === 'ms' ? 1e6 : unit === 's' ? 1e9 : 60e9;
  return v * k;
}

/** Search over names, services and attribute values, with match count and stepping; and the filters. */
export class SearchBar {
  readonly el: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly count: HTMLElement;
  private readonly service: HTMLSelectElement;
  private readonly minDuration: HTMLInputElement;
  private readonly errorsOnly: HTMLInputElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(services: readonly string[], private readonly s: WebviewStrings, private readonly a: SearchActions) {
    this.input = el('input', { className: 'search', attrs: { type: 'search', placeholder: s.searchPlaceholder, 'aria-label': s.searchPlaceholder, 'data-testid': 'search', spellcheck: 'false' } });
    this.count = el('span', { className: 'match-count', attrs: { 'aria-live': 'polite', 'data-testid': 'match-count' } });
    const prev = el('button', { text: '↑', title: `${s.previousMatch} (Shift+Enter)`, attrs: { 'aria-label': s.previousMatch, 'data-testid': 'previous-match' } });
    const next = el('button', { text: '↓', title: `${s.nextMatch} (Enter)`, attrs: { 'aria-label': s.nextMatch, 'data-testid': 'next-match' } });
    prev.addEventListener('click', () => a.step(-1));
    next.addEventListener('click', () => a.step(1));
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => a.search(this.input.value), 200);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        clearTimeout(this.timer);
        // Enter right after typing searches first; later Enters step through the matches.
        if (this.pending()) a.search(this.input.value);
        else a.step(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        a.done();
      }
      e.stopPropagation();
    });

    this.service = el('select', { attrs: { 'aria-label': s.service, 'data-testid': 'service-filter' } });
    this.service.append(el('option', { text: s.allServices, attrs: { value: '' } }));
    services
      .map((name, i) => ({ name, i }))
      // Code-unit order: service names are identifiers, and localeCompare's first call starts ICU's
      // collator, ~20 ms of the trace's first paint.
      .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
      .forEach(({ name, i }) => this.service.append(el('option', { text: name, attrs: { value: String(i) } })));
    this.minDuration = el('input', { className: 'min-duration', attrs: { type: 'text', placeholder: s.minDuration, 'aria-label': s.minDuration, title: `${s.minDuration} (10ms, 1.5s, 250us)`, 'data-testid': 'min-duration', size: '8' } });
    this.errorsOnly = el('input', { attrs: { type: 'checkbox', 'data-testid': 'errors-only' } });
    const errorsLabel = el('label', { className: 'check' }, this.errorsOnly, document.createTextNode(s.errorsOnly));
    const changed = () => this.emitFilters();
    this.service.addEventListener('change', changed);
    this.errorsOnly.addEventListener('change', changed);
    this.minDuration.addEventListener('change', changed);
    this.minDuration.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') changed();
      e.stopPropagation();
    });
    this.el = el('div', { className: 'searchbar' }, this.input, this.count, prev, next, el('span', { className: 'sep' }), this.service, this.minDuration, errorsLabel);
  }

  private searched = '';

  private pending(): boolean {
    return this.input.value !== this.searched;
  }

  /**
   * The result of a search for `text`: `current` is the 1-based position of the selected match,
   * or 0 when the selection is not a match, shown as "? of N" as VS Code's own find widget does.
   */
  showCount(text: string, total: number, current: number): void {
    this.searched = text;
    if (!text.trim()) {
      this.count.textContent = '';
      this.count.dataset.count = '';
      return;
    }
    this.count.textContent = total === 0 ? this.s.noMatches : fill(this.s.matchOf, [current > 0 ? groupDigits(current) : '?', groupDigits(total)]);
    this.count.dataset.count = String(total);
    this.count.classList.toggle('none', total === 0);
  }

  private emitFilters(): void {
    const ns = parseDuration(this.minDuration.value);
    this.minDuration.classList.toggle('invalid', ns === null);
    const services = new Set<number>();
    if (this.service.value !== '') services.add(Number(this.service.value));
    this.a.filters({ services, minDurationNs: ns ?? 0, errorsOnly: this.errorsOnly.checked });
  }
}
