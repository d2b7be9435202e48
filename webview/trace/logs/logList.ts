import { formatDuration } from '../../../src/core/format/duration';
import type { LogRow, WebviewStrings } from '../../../src/core/protocol/trace';
import { el } from '../../shared/dom';
import { fill, groupDigits, plural } from '../../shared/text';
import { grown } from '../../../src/core/arrays/grown';

export const LOG_ROW_HEIGHT = 20;
/** Rows of wrapped or pretty-printed text are as tall as they need; those are measured. */
const MAX_SCROLL_HEIGHT = 8_000_000;

/**
 * Where the list's rows come from: all in memory (a lookup's lines), or fetched a page at a time
 * from the host (a log file of any size, searched there too).
 */
export interface RowStore {
  readonly total: number;
  /** The row, or undefined while its page is on its way (the list redraws when it comes). */
  get(index: number): LogRow | undefined;
  /** These rows (ascending indices; after a search they can be far apart) are about to be shown. */
  want(indices: Int32Array): void;
  /** Lines matching `text` (case-insensitive), by index; null = filter here, row by row. */
  search?(text: string): Promise<{ readonly lines: Int32Array; readonly complete: boolean } | null>;
}

export function memoryRows(rows: readonly LogRow[]): RowStore {
  return { total: rows.length, get: (i) => rows[i], want: () => undefined };
}

export interface LogListActions {
  /** A line was chosen: its span (if any) is selected in the trace views. */
  select(index: number): void;
  openSource(index: number): void;
  /** An id in a line was clicked (a request id, a trace id): look it up. */
  lookUp(id: string): void;
}

/** A trace id or a UUID inside a line: what a click can look up. */
const ID = /\b([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/gi;

/** Lines of JSON are shown pretty-printed when asked; anything else as it is. */
function pretty(line: string): string {
  const t = line.trim();
  if (!t.startsWith('{') || t.length > 200_000) return line;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return line;
  }
}

/**
 * The log list: one row per line, virtualized (a fixed pool of row elements rebound to the lines
 * on screen), level colours, search, a filter to the selected span's lines, wrap and pretty JSON.
 * Rows are DOM text, never HTML: a hostile line is shown, not run.
 */
export class LogList {
  readonly el: HTMLElement;
  private readonly scroller: HTMLDivElement;
  /** Why there are no lines (Loki unreachable, nothing found), instead of a bare "0 lines". */
  private readonly empty: HTMLElement;
  private emptyText = '';
  private readonly spacer: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly count: HTMLSpanElement;
  private readonly search: HTMLInputElement;
  private readonly pool: Array<{ row: HTMLDivElement; time: HTMLSpanElement; level: HTMLSpanElement; text: HTMLSpanElement; source: HTMLButtonElement; index: number }> = [];
  private rows: RowStore = memoryRows([]);
  /** Indices of `rows` shown, after search and the span filter. */
  private shown: Int32Array = new Int32Array(0);
  private query = '';
  private onlySpan = false;
  private wrap = false;
  private prettyJson = false;
  /** The span box the views have selected (-1: none), for the filter and highlighting. */
  private spanBox = -1;
  selected = -1;
  private frame = 0;
  private readonly disposers: Array<() => void> = [];
  /** Time spent in the last render, ms (read by the benchmark). */
  lastRenderMs = 0;

  constructor(private readonly s: WebviewStrings, private readonly a: LogListActions) {
    this.search = el('input', { className: 'search', attrs: { type: 'search', placeholder: s.logsSearch, 'aria-label': s.logsSearch, 'data-testid': 'logs-search', spellcheck: 'false' } });
    this.count = el('span', { className: 'match-count', attrs: { 'data-testid': 'logs-count', 'aria-live': 'polite' } });
    const toggle = (label: string, testid: string, fn: (on: boolean) => void) => {
      const input = el('input', { attrs: { type: 'checkbox', 'data-testid': testid } });
      input.addEventListener('change', () => fn(input.checked));
      return el('label', { className: 'check' }, input, document.createTextNode(label));
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    this.search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.query = this.search.value.trim().toLowerCase();
        // The matches are read from the first one, wherever the list was scrolled.
        this.scroller.scrollTop = 0;
        void this.refilter();
      }, 150);
    });
    this.search.addEventListener('keydown', (e) => e.stopPropagation());
    const bar = el(
      'div',
      { className: 'logs-bar' },
      el('strong', { text: s.logs }),
      this.search,
      this.count,
      toggle(s.logsOnlySpan, 'logs-only-span', (on) => {
        this.onlySpan = on;
        this.refilter();
      }),
      toggle(s.logsWrap, 'logs-wrap', (on) => {
        this.wrap = on;
        this.el.classList.toggle('wrap', on);
        this.renderNow();
      }),
      toggle(s.logsPretty, 'logs-pretty', (on) => {
        this.prettyJson = on;
        this.renderNow();
      }),
    );
    this.scroller = el('div', { className: 'logs-scroller', attrs: { role: 'list', 'aria-label': s.logs, tabindex: '0', 'data-testid': 'logs' } });
    this.spacer = el('div', { className: 'logs-spacer' });
    this.body = el('div', { className: 'logs-body' });
    this.empty = el('div', { className: 'logs-empty', attrs: { 'data-testid': 'logs-empty', role: 'status' } });
    this.empty.hidden = true;
    this.scroller.append(this.spacer, this.body, this.empty);
    this.el = el('section', { className: 'logs-pane' }, bar, this.scroller);
    const onScroll = () => this.renderNow();
    this.scroller.addEventListener('scroll', onScroll, { passive: true });
    this.disposers.push(() => this.scroller.removeEventListener('scroll', onScroll));
    const ro = new ResizeObserver(() => this.schedule());
    ro.observe(this.scroller);
    this.disposers.push(() => ro.disconnect());
  }

  /** `emptyText`: what the list says when it has no lines (the part's state, e.g. why Loki failed). */
  setRows(rows: readonly LogRow[] | RowStore, emptyText = ''): void {
    this.emptyText = emptyText;
    this.rows = Array.isArray(rows) ? memoryRows(rows) : (rows as RowStore);
    this.selected = -1;
    void this.refilter();
  }

  /**
   * More lines became available (a file still being indexed): keep the filter, extend the list.
   * A search the host runs is asked again only once reading is done — asking at every progress
   * step would cancel each search before it finished on a large file.
   */
  grow(done: boolean): void {
    if (this.query && this.rows.search && !done) return;
    void this.refilter();
  }

  /** The views selected a span: its lines are highlighted (and, with the filter on, the only ones). */
  setSpan(box: number): void {
    this.spanBox = box;
    if (this.onlySpan) this.refilter();
    else this.schedule();
  }

  /** Scrolls so line `index` is on screen and marks it. */
  reveal(index: number): void {
    this.selected = index;
    let k = -1;
    for (let i = 0; i < this.shown.length; i++) if (this.shown[i] === index) k = i;
    if (k >= 0) {
      const h = this.scroller.clientHeight;
      const top = k * LOG_ROW_HEIGHT;
      if (top < this.scroller.scrollTop || top > this.scroller.scrollTop + h - LOG_ROW_HEIGHT) this.scroller.scrollTop = Math.max(0, top - h / 3);
    }
    this.schedule();
  }

  private filterSeq = 0;
  /** The host stopped counting matches (its limit, or a file still being read): the count says "first". */
  private capped = false;
  private identityBuf = new Int32Array(0);

  /** 0…n-1, kept and extended: a file still being read grows it at every progress step. */
  private identity(n: number): Int32Array {
    if (this.identityBuf.length < n) {
      const old = this.identityBuf.length;
      const next = grown(this.identityBuf, n);
      for (let i = old; i < next.length; i++) next[i] = i;
      this.identityBuf = next;
    }
    return this.identityBuf.subarray(0, n);
  }

  private async refilter(): Promise<void> {
    const seq = ++this.filterSeq;
    const q = this.query;
    const store = this.rows;
    const total = store.total;
    const onlySpan = this.onlySpan && this.spanBox >= 0;
    if (q && store.search) {
      // The host searches what it holds (a file's lines need not all be here).
      let hits: { readonly lines: Int32Array; readonly complete: boolean } | null;
      try {
        hits = await store.search(q);
      } catch {
        // A newer search replaced this one, or the file went away: the newer state draws.
        return;
      }
      if (seq !== this.filterSeq) return;
      this.shown = hits?.lines ?? new Int32Array(0);
      this.capped = hits ? !hits.complete : false;
    } else if (!q && !onlySpan) {
      this.capped = false;
      this.shown = this.identity(total);
    } else {
      this.capped = false;
      const out = new Int32Array(total);
      let n = 0;
      for (let i = 0; i < total; i++) {
        const r = store.get(i);
        if (!r) continue;
        if (onlySpan && r.box !== this.spanBox) continue;
        if (q && !r.line.toLowerCase().includes(q) && !r.message.toLowerCase().includes(q)) continue;
        out[n++] = i;
      }
      this.shown = out.subarray(0, n);
    }
    const n = this.shown.length;
    this.count.textContent =
      n === total && !this.capped ? plural(total, this.s.logsCountOne, this.s.logsCount) : fill(this.capped ? this.s.logsShownFirst : this.s.logsShown, [groupDigits(n), groupDigits(total)]);
    this.count.dataset.count = String(n);
    this.empty.hidden = total > 0 || !this.emptyText;
    this.empty.textContent = this.emptyText;
    this.spacer.style.height = `${Math.min(n * LOG_ROW_HEIGHT, MAX_SCROLL_HEIGHT) + 2}px`;
    this.renderNow();
  }

  /** How many rows pass the filter (for tests and the header). */
  get shownCount(): number {
    return this.shown.length;
  }

  schedule(): void {
    if (!this.frame)
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.renderNow();
      });
  }

  private rowEls() {
    const time = el('span', { className: 'log-time' });
    const level = el('span', { className: 'log-level' });
    const text = el('span', { className: 'log-text' });
    const source = el('button', { className: 'log-source', text: '↗', title: this.s.openSource, attrs: { 'aria-label': this.s.openSource, 'data-testid': 'log-source' } });
    const row = el('div', { className: 'log-row', attrs: { role: 'listitem' } }, time, level, text, source);
    const r = { row, time, level, text, source, index: -1 };
    row.addEventListener('click', (e) => {
      const t = e.target as HTMLElement;
      if (t.dataset.lookup) {
        this.a.lookUp(t.dataset.lookup);
        return;
      }
      if (r.index >= 0) this.a.select(r.index);
    });
    source.addEventListener('click', (e) => {
      e.stopPropagation();
      if (r.index >= 0) this.a.openSource(r.index);
    });
    this.body.append(row);
    return r;
  }

  /** The line as text nodes, with ids it names as clickable spans (still text, never HTML). */
  private fillText(target: HTMLElement, text: string): void {
    target.replaceChildren();
    let last = 0;
    for (const m of text.slice(0, 20_000).matchAll(ID)) {
      const at = m.index ?? 0;
      if (at > last) target.append(document.createTextNode(text.slice(last, at)));
      target.append(el('span', { className: 'log-id', text: m[0], title: this.s.lookUp, attrs: { 'data-lookup': m[0] } }));
      last = at + m[0].length;
    }
    target.append(document.createTextNode(text.slice(last, 20_000)));
  }

  renderNow(): void {
    const started = performance.now();
    const h = Math.max(1, this.scroller.clientHeight);
    const count = Math.ceil(h / LOG_ROW_HEIGHT) + 1;
    const total = this.shown.length;
    const scaled = total * LOG_ROW_HEIGHT > MAX_SCROLL_HEIGHT;
    const st = this.scroller.scrollTop;
    const first = scaled ? Math.floor((st / Math.max(1, MAX_SCROLL_HEIGHT - h)) * Math.max(0, total - count + 1)) : Math.floor(st / LOG_ROW_HEIGHT);
    this.body.style.transform = `translateY(${scaled ? st : first * LOG_ROW_HEIGHT}px)`;
    // Wrapped rows grow: show fewer, they fill the pane anyway.
    const want = this.wrap || this.prettyJson ? Math.min(count, 60) : count;
    while (this.pool.length < want) this.pool.push(this.rowEls());
    if (total) this.rows.want(this.shown.subarray(first, Math.min(first + want, total)));
    for (let i = 0; i < this.pool.length; i++) {
      const p = this.pool[i]!;
      const k = first + i;
      if (i >= want || k >= total) {
        p.row.style.display = 'none';
        p.index = -1;
        continue;
      }
      const index = this.shown[k]!;
      const r = this.rows.get(index);
      if (!r) {
        // Its page is on its way: an empty row keeps the scroll position honest.
        p.row.style.display = '';
        p.index = -1;
        p.time.textContent = '';
        p.level.textContent = '';
        p.text.textContent = '…';
        p.source.hidden = true;
        continue;
      }
      p.row.style.display = '';
      if (p.index !== index || this.prettyJson !== (p.row.dataset.pretty === '1')) {
        p.index = index;
        p.row.dataset.pretty = this.prettyJson ? '1' : '0';
        p.time.textContent = Number.isFinite(r.offsetNs) ? `${r.offsetNs < 0 ? '−' : '+'}${formatDuration(Math.abs(r.offsetNs))}` : r.timeText;
        p.time.title = r.timeText;
        p.level.textContent = r.level === 'unknown' ? '' : r.level.toUpperCase();
        p.row.dataset.level = r.level;
        this.fillText(p.text, this.prettyJson ? pretty(r.line) : r.message);
        p.text.title = r.service ? `${r.service}` : '';
        p.source.hidden = !r.hasSource;
        p.row.dataset.index = String(index);
      }
      p.row.classList.toggle('selected', index === this.selected);
      p.row.classList.toggle('of-span', this.spanBox >= 0 && r.box === this.spanBox);
      p.row.classList.toggle('untied', r.box < 0);
    }
    this.lastRenderMs = performance.now() - started;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    for (const d of this.disposers.splice(0)) d();
    this.el.remove();
  }
}

