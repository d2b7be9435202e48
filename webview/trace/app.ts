import type { ColorMode, LoadMessage, LogRow, LookupMessage, SeriesMessage, SpanDetails, TraceData, TraceMethods, TraceViewKind, WebviewStrings } from '../../src/core/protocol/trace';
import { formatDuration } from '../../src/core/format/duration';
import { el } from '../shared/dom';
import type { RpcClient } from '../shared/rpc';
import { plural, fill } from '../shared/text';
import { onThemeChange } from '../shared/theme';
import { getState, patchState, vscode } from '../shared/vscodeApi';
import { palette, type Palette } from './colors';
import { renderDetails } from './details';
import { FlameView, ROW_HEIGHT } from './flame/flameView';
import type { DrawnItem } from './flame/renderer';
import { lookupHeader } from './lookupHeader';
import { LogList } from './logs/logList';
import { MetricsStrip } from './metrics/strip';
import { Minimap } from './minimap';
import { MARK_CRITICAL, TraceModel, type Filters } from './model';
import { firstChild, nextSibling, parentOf, previousSibling, step } from './navigation';
import { SearchBar } from './searchBar';
import { TimelineView } from './timeline/timelineView';
import { Toolbar } from './toolbar';
import { Tooltip } from './tooltip';
import { Viewport } from './viewport';

/** What the page keeps across hide/show and window reloads. */
export interface TraceViewState {
  readonly source?: string;
  readonly selectedTrace?: number;
  readonly view?: TraceViewKind;
  readonly colorMode?: ColorMode;
  readonly window?: { readonly t0: number; readonly t1: number };
  readonly flameScroll?: number;
  readonly selectedBox?: number;
  readonly search?: string;
}

/**
 * One trace on screen: the toolbar, search and filters, the minimap, the timeline and flame
 * views (one shown at a time, sharing the time window, selection, marks and the details pane),
 * keyboard handling and the requests to the host. Rebuilt on `load`; `setTrace` swaps the trace.
 */
export class TraceApp {
  private model!: TraceModel;
  private colors!: Palette;
  private viewport!: Viewport;
  private view: TraceViewKind;
  private colorMode: ColorMode;
  private criticalOn = false;
  private selected = -1;
  /** Event times of the selected span, once its details have arrived. */
  private selectedEvents: readonly number[] = [];
  private selectedTrace: number;
  private detailsSeq = 0;
  private searchSeq = 0;
  private searchText = '';
  private readonly toolbar: Toolbar;
  private readonly searchBar: SearchBar;
  private readonly tooltip: Tooltip;
  private readonly legend: HTMLElement;
  private readonly minimapHost: HTMLElement;
  private readonly timelineHost: HTMLElement;
  private readonly flameHost: HTMLElement;
  private readonly details: HTMLElement;
  private timeline: TimelineView | undefined;
  private flame: FlameView | undefined;
  private minimap: Minimap | undefined;
  private logList: LogList | undefined;
  private logRows: readonly LogRow[] = [];
  private strip: MetricsStrip | undefined;
  private readonly lookupHost: HTMLElement;
  private readonly help: HTMLElement;
  private readonly disposers: Array<() => void> = [];
  private stateTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    root: HTMLElement,
    private readonly load: LoadMessage,
    private readonly rpc: RpcClient<TraceMethods>,
  ) {
    const s = load.strings;
    const prev = getState<TraceViewState>();
    const same = prev.source === load.source && prev.selectedTrace === load.selected;
    this.selectedTrace = load.selected;
    this.view = (same && prev.view) || load.defaults.view;
    this.colorMode = (same && prev.colorMode) || load.defaults.colorMode;
    this.toolbar = new Toolbar(load.title, load.choices, load.selected, s, {
      selectTrace: (index) => vscode.postMessage({ type: 'selectTrace', index }),
      setView: (kind) => this.setView(kind),
      setColorMode: (mode) => this.setColorMode(mode),
      toggleCritical: () => void this.toggleCritical(),
      error: (dir) => this.stepError(dir),
      resetZoom: () => this.viewport.reset(),
    });
    this.searchBar = new SearchBar(load.trace?.services ?? [], s, {
      search: (text) => void this.search(text),
      step: (dir) => this.stepMatch(dir),
      filters: (f) => this.setFilters(f),
      done: () => this.focusView(),
    });
    this.tooltip = new Tooltip(s);
    this.legend = el('div', { className: 'legend', attrs: { 'data-testid': 'legend' } });
    this.minimapHost = el('div', { className: 'minimap-host' });
    this.timelineHost = el('div', { className: 'timeline' });
    this.flameHost = el('div', { className: 'graph' });
    this.details = el('aside', { className: 'details', attrs: { 'data-testid': 'details', 'aria-live': 'polite' } });
    const banner = load.banner ? el('div', { className: 'banner', text: `⚠ ${load.banner}`, attrs: { role: 'status', 'data-testid': 'banner' } }) : null;
    const warnings = load.warnings.length
      ? el('details', { className: 'warnings' }, el('summary', { text: `⚠ ${s.warnings} (${load.warningCount})` }), el('pre', { text: load.warnings.join('\n') }))
      : null;
    this.lookupHost = el('div', { className: 'lookup-host' });
    root.replaceChildren(
      this.lookupHost,
      this.toolbar.el,
      this.searchBar.el,
      ...(banner ? [banner] : []),
      ...(warnings ? [warnings] : []),
      this.legend,
      this.minimapHost,
      el('div', { className: 'main' }, el('div', { className: 'views' }, this.timelineHost, this.flameHost), this.details),
      (this.help = el('p', { className: 'help', text: s.keyboardHelp })),
      this.tooltip.el,
    );
    this.disposers.push(onThemeChange(() => this.refreshColors()));
    const onKey = (e: KeyboardEvent) => this.onKey(e);
    document.addEventListener('keydown', onKey);
    this.disposers.push(() => document.removeEventListener('keydown', onKey));
    this.setTrace(load.trace!, load.selected, same ? prev : {});
  }

  private get s(): WebviewStrings {
    return this.load.strings;
  }

  /** Shows a trace (first load, or another trace of the source); `prev` restores a saved view. */
  setTrace(data: TraceData, index: number, prev: TraceViewState = {}): void {
    this.selectedTrace = index;
    this.toolbar.showTrace(index);
    this.detailsSeq++;
    this.searchSeq++;
    this.model = new TraceModel(data);
    this.colors = palette(this.model, this.colorMode);
    this.criticalOn = false;
    this.selected = -1;
    this.viewport = new Viewport(data.durationNs);
    this.viewport.onChange(() => this.saveStateSoon());
    this.timeline?.dispose();
    this.flame?.dispose();
    this.minimap?.dispose();
    // Only the view on screen is built now; the other when it is first shown.
    this.timeline = undefined;
    this.flame = undefined;
    this.minimap = new Minimap(this.minimapHost, this.model, this.viewport, this.colors, this.s.minimapLabel);
    this.showStats();
    this.showLegend();
    this.details.replaceChildren(el('p', { className: 'muted', text: this.s.selectSpanHint }));
    this.applyView();
    if (prev.window) this.viewport.set(prev.window.t0, prev.window.t1);
    // applyView made one of them (the compiler still thinks both are unset here).
    const flame = this.flame as FlameView | undefined;
    const timeline = this.timeline as TimelineView | undefined;
    if (prev.flameScroll !== undefined && flame) flame.scrollTop = prev.flameScroll;
    if (prev.selectedBox !== undefined && prev.selectedBox < data.count) this.select(prev.selectedBox, true);
    else if (data.rootBox >= 0) timeline?.reveal(data.rootBox);
    if (prev.search) {
      this.searchBar.input.value = prev.search;
      void this.search(prev.search);
    }
    if (this.logRows.length) this.model.setLogs(this.logRows);
    patchState<TraceViewState>({ source: this.load.source, selectedTrace: index });
  }

  /** A lookup's header: the id and how each part stands. */
  setLookup(m: LookupMessage): void {
    this.lookupHost.replaceChildren(lookupHeader(m, this.s));
  }

  /** The key metrics around the trace (a lookup): a strip of sparklines above the views. */
  setSeries(m: SeriesMessage): void {
    if (!this.strip) {
      this.strip = new MetricsStrip(this.s, (traceId) => void this.rpc.request('openTrace', { traceId }).catch(() => undefined));
      this.legend.after(this.strip.el);
    }
    this.strip.show(m);
  }

  /** Log lines tied to the trace (a lookup): the list below the views, and markers on the spans. */
  setLogs(rows: readonly LogRow[], stateText = ''): void {
    this.logRows = rows;
    this.model.setLogs(rows);
    if (!this.logList) {
      this.logList = new LogList(this.s, {
        select: (i) => {
          const r = this.logRows[i];
          if (r && r.box >= 0) this.select(r.box, true);
          this.logList?.reveal(i);
        },
        openSource: (index) => void this.rpc.request('openLogSource', { index }).catch(() => undefined),
        lookUp: (id) => void this.rpc.request('lookUp', { id }).catch(() => undefined),
      });
      this.help.before(this.logList.el);
    }
    this.logList.setRows(rows, stateText);
    this.logList.setSpan(this.selected);
    this.marksChanged();
  }

  private showStats(): void {
    const d = this.model.data;
    const s = this.s;
    const started = new Date(d.startUnixMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    const parts = [
      plural(d.count, s.spansOne, s.spansOther),
      plural(d.services.length, s.servicesOne, s.servicesOther),
      plural(d.errorCount, s.errorsOne, s.errorsOther),
      formatDuration(d.durationNs),
      fill(s.startedAt, [started]),
    ];
    const stats = this.toolbar.stats;
    stats.textContent = parts.join(' · ');
    stats.title = `${s.traceId}: ${d.traceId}`;
    stats.dataset.spanCount = String(d.count);
    stats.dataset.traceId = d.traceId;
  }

  private showLegend(): void {
    const d = this.model.data;
    this.legend.replaceChildren(
      ...d.services.map((name, i) => {
        const sw = el('span', { className: 'swatch' });
        sw.style.background = this.colors.serviceFills[i]!;
        return el('span', { className: 'legend-item', attrs: { 'data-service': name } }, sw, document.createTextNode(name));
      }),
    );
  }

  private refreshColors(): void {
    this.strip?.render();
    this.colors = palette(this.model, this.colorMode);
    this.timeline?.setColors(this.colors);
    this.flame?.setColors(this.colors);
    this.minimap?.setColors(this.colors);
    this.legend.querySelectorAll<HTMLElement>('.legend-item .swatch').forEach((sw, i) => {
      sw.style.background = this.colors.serviceFills[i]!;
    });
    const sw = this.details.querySelector<HTMLElement>('.span-name .swatch');
    if (sw && this.selected >= 0) sw.style.background = this.colors.serviceFills[this.model.data.service[this.selected]!]!;
  }

  /** Marks changed (search, path, filters): both views and the minimap redraw. */
  private marksChanged(rebuildTimeline = false): void {
    if (rebuildTimeline) this.timeline?.rebuild();
    else this.timeline?.schedule();
    this.flame?.schedule();
    this.minimap?.setColors(this.colors);
  }

  private setView(kind: TraceViewKind): void {
    this.view = kind;
    this.applyView();
    this.focusView();
    this.saveStateSoon();
  }

  private makeTimeline(): TimelineView {
    const v = new TimelineView(this.timelineHost, this.model, this.viewport, this.colors, {
      select: (b, e) => this.onClick(b, e),
      zoomTo: (b) => this.zoomToBox(b),
      hover: (b, x, y) => this.hoverBox(b, x, y),
      leave: () => this.tooltip.hide(),
    }, { label: this.s.timelineLabel, expandAll: this.s.expandAll, collapseAll: this.s.collapseAll, spanName: this.s.spanName, error: this.s.error });
    v.selected = this.selected;
    v.events = this.selectedEvents;
    return v;
  }

  private makeFlame(): FlameView {
    const v = new FlameView(this.flameHost, this.model, this.viewport, this.colors, {
      hover: (it, x, y) => this.hoverItem(it, x, y),
      leave: () => this.tooltip.hide(),
      click: (b, e) => this.onClick(b, e),
      zoomTo: (it) => {
        const d = this.model.data;
        if (!it) this.viewport.reset();
        else if (it.count === 1) this.zoomToBox(it.box);
        else this.viewport.fit(d.start[d.rowBoxes[it.first]!]!, d.end[d.rowBoxes[it.last]!]!);
      },
    }, this.s.flameLabel);
    v.selected = this.selected;
    v.events = this.selectedEvents;
    return v;
  }

  private applyView(): void {
    const timeline = this.view === 'timeline';
    this.timelineHost.hidden = !timeline;
    this.flameHost.hidden = timeline;
    // The toolbar first: a view made now sizes itself to the room the toolbar leaves it and draws
    // itself; one that existed before may be stale and is redrawn.
    this.toolbar.show(this.view, this.colorMode, this.criticalOn, this.model.errors.length);
    const existing = timeline ? this.timeline : this.flame;
    if (timeline) this.timeline ??= this.makeTimeline();
    else this.flame ??= this.makeFlame();
    if (this.selected >= 0) this.revealBox(this.selected);
    existing?.schedule();
  }

  private focusView(): void {
    (this.view === 'timeline' ? this.timeline?.focusTarget : this.flame?.canvas)?.focus();
  }

  private setColorMode(mode: ColorMode): void {
    this.colorMode = mode;
    this.refreshColors();
    this.toolbar.show(this.view, mode, this.criticalOn, this.model.errors.length);
    this.saveStateSoon();
  }

  private async toggleCritical(): Promise<void> {
    this.criticalOn = !this.criticalOn;
    this.toolbar.show(this.view, this.colorMode, this.criticalOn, this.model.errors.length);
    if (!this.criticalOn) {
      this.model.setCritical(null);
      this.marksChanged();
      return;
    }
    const model = this.model;
    try {
      const path = await this.rpc.request('criticalPath', { trace: this.selectedTrace });
      if (model !== this.model || !this.criticalOn) return;
      model.setCritical(path);
      this.marksChanged();
    } catch (err) {
      this.criticalOn = false;
      this.toolbar.show(this.view, this.colorMode, false, this.model.errors.length);
      this.details.prepend(el('p', { className: 'error', text: String(err instanceof Error ? err.message : err) }));
    }
  }

  private async search(text: string): Promise<void> {
    const seq = ++this.searchSeq;
    this.searchText = text;
    const model = this.model;
    if (!text.trim()) {
      model.setMatches(new Uint32Array(0));
      this.searchBar.showCount('', 0, 0);
      this.marksChanged();
      this.saveStateSoon();
      return;
    }
    try {
      const { boxes } = await this.rpc.request('search', { trace: this.selectedTrace, text });
      if (seq !== this.searchSeq || model !== this.model) return;
      model.setMatches(boxes);
      this.marksChanged();
      // The first match at or after the selection (the selection itself when it matches), as a
      // new find in an editor starts at the cursor.
      if (boxes.length) this.select(step(boxes, this.selected - 1, 1), true);
      this.showMatchCount();
    } catch (err) {
      if (seq === this.searchSeq) this.searchBar.showCount(text, 0, 0);
      void err;
    }
    this.saveStateSoon();
  }

  private showMatchCount(): void {
    const matches = this.model.matches;
    let current = 0;
    if (this.selected >= 0) {
      let lo = 0;
      let hi = matches.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (matches[mid]! < this.selected) lo = mid + 1;
        else hi = mid;
      }
      if (matches[lo] === this.selected) current = lo + 1;
    }
    this.searchBar.showCount(this.searchText, matches.length, current);
  }

  private stepMatch(dir: 1 | -1): void {
    const b = step(this.model.matches, this.selected, dir);
    if (b >= 0) this.select(b, true);
  }

  private stepError(dir: 1 | -1): void {
    const b = step(this.model.errors, this.selected, dir);
    if (b < 0) return;
    this.select(b, true);
    this.zoomToBox(b, false);
  }

  private setFilters(f: Filters): void {
    this.model.setFilters(f);
    this.marksChanged(true);
  }

  private onClick(b: number | null, e?: MouseEvent): void {
    if (b !== null && e && (e.ctrlKey || e.metaKey)) {
      this.select(b, false);
      void this.openSource(b);
      return;
    }
    this.select(b, false);
  }

  private revealBox(b: number): void {
    const d = this.model.data;
    this.viewport.reveal(d.start[b]!, d.end[b]!);
    if (this.view === 'timeline') this.timeline?.reveal(b);
    else this.flame?.revealRow(b);
  }

  private zoomToBox(b: number, keepSelection = true): void {
    const d = this.model.data;
    this.viewport.fit(d.start[b]!, d.end[b]!);
    if (keepSelection) this.revealBox(b);
    else if (this.view === 'flame') this.flame?.revealRow(b);
    else this.timeline?.reveal(b);
  }

  select(b: number | null, reveal: boolean): void {
    const box = b ?? -1;
    this.selected = box;
    this.selectedEvents = [];
    if (this.timeline) {
      this.timeline.selected = box;
      this.timeline.events = [];
    }
    if (this.flame) {
      this.flame.selected = box;
      this.flame.events = [];
    }
    if (box >= 0 && reveal) this.revealBox(box);
    this.logList?.setSpan(box);
    this.timeline?.schedule();
    this.flame?.schedule();
    if (this.model.matches.length) this.showMatchCount();
    this.saveStateSoon();
    void this.showDetails(box);
  }

  private async showDetails(b: number): Promise<void> {
    const seq = ++this.detailsSeq;
    const pane = this.details;
    if (b < 0) {
      pane.replaceChildren(el('p', { className: 'muted', text: this.s.selectSpanHint }));
      return;
    }
    try {
      const details: SpanDetails = await this.rpc.request('spanDetails', { trace: this.selectedTrace, box: b });
      if (seq !== this.detailsSeq) return; // a later click won
      const trace = this.selectedTrace;
      const events = details.events.map((e) => e.offsetNs);
      this.selectedEvents = events;
      if (this.timeline) this.timeline.events = events;
      if (this.flame) this.flame.events = events;
      this.timeline?.schedule();
      this.flame?.schedule();
      renderDetails(pane, details, this.colors.serviceFills[this.model.data.service[b]!]!, this.s, {
        copy: (text) => void this.rpc.request('copy', { text }).catch(() => undefined),
        openSource: (location) => void this.rpc.request('openSource', { trace, box: b, location }).catch(() => undefined),
        openTrace: (traceId) => void this.rpc.request('openTrace', { traceId }).catch(() => undefined),
      }, (this.model.mark[b]! & MARK_CRITICAL) !== 0);
    } catch (err) {
      if (seq === this.detailsSeq) pane.replaceChildren(el('p', { className: 'error', text: String(err instanceof Error ? err.message : err) }));
    }
  }

  private async openSource(b: number): Promise<void> {
    await this.rpc.request('openSource', { trace: this.selectedTrace, box: b }).catch(() => undefined);
  }

  private hoverBox(b: number, x: number, y: number): void {
    const d = this.model.data;
    const mi = d.statusMessage[b]!;
    this.tooltip.showBox(this.model, b, x, y, mi ? d.statusMessages[mi - 1] : undefined);
  }

  private hoverItem(it: DrawnItem, x: number, y: number): void {
    if (it.count === 1) this.hoverBox(it.box, x, y);
    else this.tooltip.showMerged(it.count, this.model.errorsIn(it.first, it.last), x, y);
  }

  /** Keys for the shown view; typing in the search or filter fields is left alone. */
  private onKey(e: KeyboardEvent): void {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (e.altKey) return;
    const m = this.model;
    const sel = this.selected;
    const v = this.viewport;
    const timeline = this.view === 'timeline';
    let handled = true;
    switch (e.key) {
      case '/':
        this.searchBar.input.focus();
        this.searchBar.input.select();
        break;
      case '+':
      case '=':
      case 'w':
      case 'W':
        this.zoomKey(0.8);
        break;
      case '-':
      case '_':
      case 's':
      case 'S':
        this.zoomKey(1.25);
        break;
      case 'a':
      case 'A':
        v.pan(-0.1);
        break;
      case 'd':
      case 'D':
        v.pan(0.1);
        break;
      case '0':
        v.reset();
        break;
      case 'Escape':
        v.reset();
        this.select(null, false);
        break;
      case 'Enter':
        if (sel >= 0) this.zoomToBox(sel);
        break;
      case 'n':
      case 'N':
        this.stepError(e.shiftKey ? -1 : 1);
        break;
      case 'Home':
        if (m.count) this.select(m.data.rootBox >= 0 ? m.data.rootBox : 0, true);
        break;
      case 'ArrowUp':
      case 'ArrowDown':
      case 'ArrowLeft':
      case 'ArrowRight':
        if (e.shiftKey) {
          if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') v.pan(e.key === 'ArrowLeft' ? -0.1 : 0.1);
          else handled = false;
          break;
        }
        handled = timeline ? this.timelineArrow(e.key) : this.flameArrow(e.key);
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  }

  /** Keyboard zoom centres on the selected span when it is on screen, else on the middle. */
  private zoomKey(factor: number): void {
    const v = this.viewport;
    const d = this.model.data;
    let anchor = 0.5;
    if (this.selected >= 0) {
      const mid = (d.start[this.selected]! + d.end[this.selected]!) / 2;
      if (mid >= v.t0 && mid <= v.t1) anchor = (mid - v.t0) / v.span;
      else {
        v.set(mid - v.span / 2, mid + v.span / 2);
        anchor = 0.5;
      }
    }
    v.zoomAt(factor, anchor);
  }

  private flameArrow(key: string): boolean {
    const m = this.model;
    const sel = this.selected;
    if (sel < 0) {
      if (key === 'ArrowUp' || key === 'ArrowDown') {
        if (this.flame) this.flame.scrollTop += key === 'ArrowUp' ? -ROW_HEIGHT : ROW_HEIGHT;
      } else this.viewport.pan(key === 'ArrowLeft' ? -0.1 : 0.1);
      return true;
    }
    const next =
      key === 'ArrowUp' ? parentOf(m, sel) : key === 'ArrowDown' ? firstChild(m, sel) : key === 'ArrowLeft' ? previousSibling(m, sel) : nextSibling(m, sel);
    if (next >= 0) this.select(next, true);
    return true;
  }

  private timelineArrow(key: string): boolean {
    const tl = this.timeline!;
    const m = this.model;
    const sel = this.selected;
    if (sel < 0) {
      if (tl.rowCount) this.select(tl.boxAt(0), true);
      return true;
    }
    const i = tl.rowIndexOf(sel);
    switch (key) {
      case 'ArrowUp':
        if (i > 0) this.select(tl.boxAt(i - 1), true);
        break;
      case 'ArrowDown':
        if (i >= 0 && i + 1 < tl.rowCount) this.select(tl.boxAt(i + 1), true);
        break;
      case 'ArrowLeft':
        // Tree convention: collapse an open node, else go to the parent.
        if (tl.hasChildren(sel) && !tl.isCollapsed(sel)) tl.setCollapsed(sel, true);
        else if (parentOf(m, sel) >= 0) this.select(parentOf(m, sel), true);
        break;
      case 'ArrowRight':
        if (tl.hasChildren(sel) && tl.isCollapsed(sel)) tl.setCollapsed(sel, false);
        else if (firstChild(m, sel) >= 0) this.select(firstChild(m, sel), true);
        break;
    }
    return true;
  }

  /** Zoom, scroll and selection change on every mouse move; the state follows at most 5×/s. */
  private saveStateSoon(): void {
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      patchState<TraceViewState>({
        view: this.view,
        colorMode: this.colorMode,
        window: { t0: this.viewport.t0, t1: this.viewport.t1 },
        flameScroll: this.flame?.scrollTop,
        selectedBox: this.selected >= 0 ? this.selected : undefined,
        search: this.searchText || undefined,
      });
    }, 200);
  }

  /** Selects a span named from outside (a log line tied to it). */
  reveal(b: number): void {
    if (b >= 0 && b < this.model.count) this.select(b, true);
  }

  /** For tests and benchmarks: the live views. */
  get views(): { timeline: TimelineView | undefined; flame: FlameView | undefined; viewport: Viewport } {
    return { timeline: this.timeline, flame: this.flame, viewport: this.viewport };
  }

  dispose(): void {
    clearTimeout(this.stateTimer);
    this.timeline?.dispose();
    this.flame?.dispose();
    this.minimap?.dispose();
    this.logList?.dispose();
    for (const d of this.disposers.splice(0)) d();
  }
}
