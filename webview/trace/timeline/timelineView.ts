import { scaleLinear } from 'd3-scale';
import { formatDuration } from '../../../src/core/format/duration';
import { FLAG_MISSING_PARENT } from '../../../src/core/protocol/trace';
import { el } from '../../shared/dom';
import { axisElement, drawAxis } from '../axis';
import type { Palette } from '../colors';
import { attachTimeInput } from '../input';
import { MARK_CRITICAL, MARK_MATCH, type TraceModel } from '../model';
import type { Viewport } from '../viewport';

export const TIMELINE_ROW_HEIGHT = 22;
/** Browsers cap an element's height (Chromium near 33M px); past this the scrollbar maps rows proportionally. */
const MAX_SCROLL_HEIGHT = 8_000_000;
const INDENT_PX = 14;

export interface TimelineCallbacks {
  select(box: number | null, e?: MouseEvent): void;
  zoomTo(box: number): void;
  hover(box: number, x: number, y: number): void;
  leave(): void;
}

export interface TimelineTexts {
  readonly label: string;
  readonly expandAll: string;
  readonly collapseAll: string;
  readonly spanName: string;
  readonly error: string;
}

/** One pooled row's elements, rebound to another box as the list scrolls. */
interface RowEls {
  readonly row: HTMLDivElement;
  readonly name: HTMLDivElement;
  readonly toggle: HTMLSpanElement;
  readonly swatch: HTMLSpanElement;
  readonly text: HTMLSpanElement;
  readonly badge: HTMLSpanElement;
  readonly bar: HTMLDivElement;
  readonly dur: HTMLSpanElement;
  readonly ticks: HTMLDivElement;
  readonly logDots: HTMLDivElement;
  box: number;
}

/**
 * The timeline (waterfall): one row per span in depth-first order, names indented by depth with
 * expand/collapse, the span's bar on the shared time axis. Virtualized: a fixed pool of row
 * elements is rebound to whichever boxes are on screen, so a million rows cost what forty do.
 * Names are real DOM text, so they can be selected, found and read by screen readers.
 */
export class TimelineView {
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly axisSvg: SVGSVGElement;
  private readonly barsHeader: HTMLDivElement;
  private readonly pool: RowEls[] = [];
  private collapsed: Uint8Array;
  /** Boxes shown, in order: depth-first minus collapsed subtrees minus filtered-out branches. */
  private visible: Uint32Array = new Uint32Array(0);
  /** Row of each box in `visible`, -1 when hidden. */
  private rowOf: Int32Array = new Int32Array(0);
  private frame = 0;
  private barsWidth = 1;
  selected = -1;
  /** Event times of the selected span, marked on its bar. */
  events: readonly number[] = [];
  private readonly disposers: Array<() => void> = [];
  /** Time spent in the last render, ms (read by the benchmark). */
  lastRenderMs = 0;

  constructor(
    readonly host: HTMLElement,
    private model: TraceModel,
    private readonly viewport: Viewport,
    private colors: Palette,
    private readonly cb: TimelineCallbacks,
    private readonly texts: TimelineTexts,
  ) {
    this.collapsed = new Uint8Array(model.count);
    const expandAll = el('button', { className: 'tl-action', text: '⊞', title: texts.expandAll, attrs: { 'aria-label': texts.expandAll, 'data-testid': 'expand-all' } });
    const collapseAll = el('button', { className: 'tl-action', text: '⊟', title: texts.collapseAll, attrs: { 'aria-label': texts.collapseAll, 'data-testid': 'collapse-all' } });
    expandAll.addEventListener('click', () => this.setAllCollapsed(false));
    collapseAll.addEventListener('click', () => this.setAllCollapsed(true));
    this.axisSvg = axisElement();
    this.barsHeader = el('div', { className: 'tl-bars-head' });
    this.barsHeader.append(this.axisSvg);
    const header = el('div', { className: 'tl-header' }, el('div', { className: 'tl-name-head' }, el('span', { text: texts.spanName }), expandAll, collapseAll), this.barsHeader);
    this.scroller = el('div', { className: 'tl-scroller', attrs: { tabindex: '0', role: 'tree', 'aria-label': texts.label, 'data-testid': 'timeline' } });
    this.spacer = el('div', { className: 'tl-spacer' });
    this.body = el('div', { className: 'tl-body' });
    this.scroller.append(this.spacer, this.body);
    host.append(header, this.scroller);
    this.rebuild();
    this.listen();
  }

  setModel(model: TraceModel, colors: Palette): void {
    this.model = model;
    this.colors = colors;
    this.collapsed = new Uint8Array(model.count);
    this.selected = -1;
    this.scroller.scrollTop = 0;
    this.rebuild();
  }

  setColors(colors: Palette): void {
    this.colors = colors;
    this.schedule();
  }

  get focusTarget(): HTMLElement {
    return this.scroller;
  }

  /** Recomputes the visible rows (after collapse, expand or a filter change) and redraws. */
  rebuild(): void {
    const m = this.model;
    const n = m.count;
    const filtering = m.filtering;
    // With filters, a branch stays when the span or anything below it passes.
    let keep: Uint8Array | undefined;
    if (filtering) {
      keep = new Uint8Array(n);
      for (let b = n - 1; b >= 0; b--) {
        if (m.mark[b]! & 4) keep[b] = 1;
        if (keep[b]) {
          const p = m.data.parent[b]!;
          if (p >= 0) keep[p] = 1;
        }
      }
    }
    const out = new Uint32Array(n);
    const rowOf = new Int32Array(n).fill(-1);
    let k = 0;
    for (let b = 0; b < n; ) {
      if (keep && !keep[b]) {
        b = m.subtreeEnd[b]!;
        continue;
      }
      rowOf[b] = k;
      out[k++] = b;
      b = this.collapsed[b] ? m.subtreeEnd[b]! : b + 1;
    }
    this.visible = out.subarray(0, k);
    this.rowOf = rowOf;
    this.spacer.style.height = `${Math.min(k * TIMELINE_ROW_HEIGHT, MAX_SCROLL_HEIGHT) + 2}px`;
    this.renderNow();
  }

  get rowCount(): number {
    return this.visible.length;
  }

  /** The box shown at visible row i. */
  boxAt(i: number): number {
    return this.visible[i]!;
  }

  rowIndexOf(b: number): number {
    return this.rowOf[b] ?? -1;
  }

  isCollapsed(b: number): boolean {
    return this.collapsed[b] === 1;
  }

  hasChildren(b: number): boolean {
    return this.model.subtreeEnd[b]! > b + 1;
  }

  setCollapsed(b: number, collapsed: boolean): void {
    if (!this.hasChildren(b) || this.isCollapsed(b) === collapsed) return;
    this.collapsed[b] = collapsed ? 1 : 0;
    this.rebuild();
  }

  setAllCollapsed(collapsed: boolean): void {
    const m = this.model;
    for (let b = 0; b < m.count; b++) this.collapsed[b] = collapsed && this.hasChildren(b) ? 1 : 0;
    // Collapsing everything still shows the roots' first level: a tree of one line says too little.
    if (collapsed) for (let b = 0; b < m.count; b++) if (m.data.parent[b]! < 0) this.collapsed[b] = 0;
    this.rebuild();
  }

  /** Expands every ancestor of b so it has a row. */
  private expandTo(b: number): void {
    let changed = false;
    for (let p = this.model.data.parent[b]!; p >= 0; p = this.model.data.parent[p]!) {
      if (this.collapsed[p]) {
        this.collapsed[p] = 0;
        changed = true;
      }
    }
    if (changed) this.rebuild();
  }

  /** Scrolls so box b's row is on screen, expanding its ancestors first. */
  reveal(b: number): void {
    if (b < 0) return;
    this.expandTo(b);
    const i = this.rowOf[b]!;
    if (i < 0) return;
    const h = this.scroller.clientHeight;
    const { first, count } = this.window();
    if (i < first || i >= first + count - 1) {
      const target = Math.max(0, i - Math.floor(h / TIMELINE_ROW_HEIGHT / 2));
      this.scroller.scrollTop = this.scrollTopFor(target);
    }
    this.schedule();
  }

  private scrollTopFor(row: number): number {
    const total = this.visible.length * TIMELINE_ROW_HEIGHT;
    if (total <= MAX_SCROLL_HEIGHT) return row * TIMELINE_ROW_HEIGHT;
    const rows = this.visible.length - Math.floor(this.scroller.clientHeight / TIMELINE_ROW_HEIGHT);
    return (row / Math.max(rows, 1)) * (MAX_SCROLL_HEIGHT - this.scroller.clientHeight);
  }

  /** First visible row and how many fit, from the scroll position (proportional when scaled). */
  private window(): { first: number; count: number; offset: number } {
    const h = this.scroller.clientHeight;
    const count = Math.ceil(h / TIMELINE_ROW_HEIGHT) + 1;
    const st = this.scroller.scrollTop;
    const total = this.visible.length * TIMELINE_ROW_HEIGHT;
    if (total <= MAX_SCROLL_HEIGHT) {
      const first = Math.floor(st / TIMELINE_ROW_HEIGHT);
      return { first, count, offset: first * TIMELINE_ROW_HEIGHT - st };
    }
    const rows = this.visible.length - Math.floor(h / TIMELINE_ROW_HEIGHT);
    const first = Math.min(Math.max(0, rows), Math.floor((st / Math.max(1, MAX_SCROLL_HEIGHT - h)) * rows));
    return { first, count, offset: 0 };
  }

  schedule(): void {
    if (!this.frame)
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.renderNow();
      });
  }

  private rowEls(): RowEls {
    const toggle = el('span', { className: 'tl-toggle' });
    const swatch = el('span', { className: 'swatch' });
    const text = el('span', { className: 'tl-text' });
    const badge = el('span', { className: 'tl-badge' });
    const name = el('div', { className: 'tl-name' }, toggle, swatch, text, badge);
    const dur = el('span', { className: 'tl-dur' });
    const bar = el('div', { className: 'tl-bar' });
    const ticks = el('div', { className: 'tl-ticks' });
    const logDots = el('div', { className: 'tl-ticks' });
    const bars = el('div', { className: 'tl-bars' }, bar, ticks, logDots, dur);
    const row = el('div', { className: 'tl-row', attrs: { role: 'treeitem' } }, name, bars);
    const r: RowEls = { row, name, toggle, swatch, text, badge, bar, dur, ticks, logDots, box: -1 };
    toggle.addEventListener('click', (e) => {
      e.stopPropagation();
      if (r.box >= 0) this.setCollapsed(r.box, !this.isCollapsed(r.box));
    });
    row.addEventListener('click', (e) => {
      // The end of a drag that panned the time axis is not a click on a row.
      if (r.box >= 0 && !this.body.dataset.justDragged) this.cb.select(r.box, e);
    });
    row.addEventListener('dblclick', (e) => {
      if (r.box >= 0 && !(e.target instanceof Node && toggle.contains(e.target))) this.cb.zoomTo(r.box);
    });
    name.addEventListener('mousemove', (e) => {
      if (r.box >= 0) this.cb.hover(r.box, e.clientX, e.clientY);
    });
    this.body.append(row);
    return r;
  }

  renderNow(): void {
    const started = performance.now();
    const m = this.model;
    const d = m.data;
    const c = this.colors;
    const v = this.viewport;
    this.barsWidth = Math.max(1, this.barsHeader.clientWidth);
    drawAxis(this.axisSvg, scaleLinear().domain([v.t0, v.t1]).range([0, this.barsWidth]), this.barsWidth, v.span);
    const { first, count, offset } = this.window();
    while (this.pool.length < count) this.pool.push(this.rowEls());
    const k = this.barsWidth / v.span;
    const dimming = m.dimming;
    this.body.style.transform = `translateY(${this.scroller.scrollTop + offset}px)`;
    for (let i = 0; i < this.pool.length; i++) {
      const r = this.pool[i]!;
      const index = first + i;
      if (i >= count || index >= this.visible.length) {
        r.row.style.display = 'none';
        r.box = -1;
        continue;
      }
      const b = this.visible[index]!;
      r.row.style.display = '';
      r.box = b;
      const depth = m.depth[b]!;
      const kids = this.hasChildren(b);
      const collapsed = kids && this.isCollapsed(b);
      r.name.style.paddingLeft = `${4 + Math.min(depth, 60) * INDENT_PX}px`;
      r.toggle.textContent = kids ? (collapsed ? '▸' : '▾') : '';
      r.toggle.classList.toggle('leaf', !kids);
      const name = d.names[d.name[b]!]!;
      if (r.text.textContent !== name) r.text.textContent = name;
      r.text.title = name;
      const service = d.services[d.service[b]!]!;
      r.swatch.style.background = c.serviceFills[d.service[b]!]!;
      r.swatch.title = service;
      const error = m.isError(b);
      r.badge.textContent = error ? '!' : '';
      r.badge.title = error ? this.texts.error : '';
      r.badge.classList.toggle('error', error);
      r.row.setAttribute('aria-level', String(depth + 1));
      if (kids) r.row.setAttribute('aria-expanded', String(!collapsed));
      else r.row.removeAttribute('aria-expanded');
      r.row.setAttribute('aria-selected', String(b === this.selected));
      r.row.classList.toggle('selected', b === this.selected);
      r.row.classList.toggle('dim', dimming && !m.isLit(b));
      r.row.classList.toggle('match', (m.mark[b]! & MARK_MATCH) !== 0);
      r.row.classList.toggle('critical', (m.mark[b]! & MARK_CRITICAL) !== 0);
      r.row.classList.toggle('error', error);
      r.row.classList.toggle('orphan', (d.flags[b]! & FLAG_MISSING_PARENT) !== 0);
      r.row.dataset.box = String(b);
      const s = d.start[b]!;
      const e = d.end[b]!;
      // Zero-length and sub-pixel spans keep a 2 px bar, so they can be seen and pointed at.
      const x0 = (s - v.t0) * k;
      const w = Math.max(2, (e - s) * k);
      const left = Math.min(Math.max(x0, -4), this.barsWidth + 4);
      const right = Math.min(Math.max(x0 + w, -2), this.barsWidth + 4);
      r.bar.style.left = `${left}px`;
      r.bar.style.width = `${Math.max(right - left, x0 + w < 0 || x0 > this.barsWidth ? 0 : 2)}px`;
      r.bar.style.background = c.fills[c.keys[b]!]!;
      this.drawTicks(r, b === this.selected ? this.events : [], v.t0, k);
      this.drawLogDots(r, b, v.t0, k);
      const label = formatDuration(e - s);
      if (r.dur.textContent !== label) r.dur.textContent = label;
      // The duration sits right of the bar, else left of it, else inside its right end.
      const labelLeft = right + 4;
      r.dur.classList.remove('inside');
      if (labelLeft + 70 < this.barsWidth) {
        r.dur.style.left = `${labelLeft}px`;
        r.dur.style.right = '';
      } else if (left > 74) {
        r.dur.style.left = '';
        r.dur.style.right = `${this.barsWidth - left + 4}px`;
      } else {
        r.dur.style.left = '';
        r.dur.style.right = `${Math.max(4, this.barsWidth - right + 4)}px`;
        r.dur.classList.add('inside');
      }
    }
    this.lastRenderMs = performance.now() - started;
  }

  /** A dot per log line of the row's span, at its time (at most one per 3 px). */
  private drawLogDots(r: RowEls, b: number, t0: number, k: number): void {
    const m = this.model;
    const { from, to } = m.logsOf(b);
    const xs: number[] = [];
    let last = -Infinity;
    for (let j = from; j < to && xs.length < 200; j++) {
      const x = (m.logTime[j]! - t0) * k;
      if (x - last < 3 || x < -4 || x > this.barsWidth + 4) continue;
      last = x;
      xs.push(x);
    }
    while (r.logDots.childElementCount > xs.length) r.logDots.lastElementChild!.remove();
    while (r.logDots.childElementCount < xs.length) r.logDots.append(el('span', { className: 'tl-log' }));
    xs.forEach((x, i) => {
      (r.logDots.children[i] as HTMLElement).style.left = `${x - 1}px`;
    });
  }

  /** Event ticks on the selected row's bar; other rows have none. */
  private drawTicks(r: RowEls, events: readonly number[], t0: number, k: number): void {
    const shown = events.length ? events.slice(0, 200) : [];
    while (r.ticks.childElementCount > shown.length) r.ticks.lastElementChild!.remove();
    while (r.ticks.childElementCount < shown.length) r.ticks.append(el('span', { className: 'tl-tick' }));
    shown.forEach((t, i) => {
      const tick = r.ticks.children[i] as HTMLElement;
      const x = (t - t0) * k;
      tick.style.left = `${x - 3}px`;
      tick.hidden = x < -4 || x > this.barsWidth + 4;
    });
  }

  private listen(): void {
    const onScroll = () => this.renderNow();
    this.scroller.addEventListener('scroll', onScroll, { passive: true });
    this.disposers.push(() => this.scroller.removeEventListener('scroll', onScroll));
    const ro = new ResizeObserver(() => this.schedule());
    ro.observe(this.scroller);
    this.disposers.push(() => ro.disconnect());
    this.disposers.push(this.viewport.onChange(() => this.schedule()));
    this.disposers.push(
      attachTimeInput(this.body, this.viewport, {
        wheelZooms: false,
        bounds: () => {
          const r = this.barsHeader.getBoundingClientRect();
          return { left: r.left, width: this.barsWidth };
        },
        scrollBy: () => undefined,
        click: () => undefined,
        dblclick: () => undefined,
        hover: (e) => {
          const row = (e.target as HTMLElement | null)?.closest?.('.tl-row') as HTMLElement | null;
          const b = row ? Number(row.dataset.box) : -1;
          if (b >= 0) this.cb.hover(b, e.clientX, e.clientY);
          else this.cb.leave();
        },
        leave: () => this.cb.leave(),
      }),
    );
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    for (const f of this.disposers.splice(0)) f();
    this.host.replaceChildren();
  }
}
