import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { FLAG_ERROR, FLAG_MISSING_PARENT, type FlameData } from '../../src/core/protocol';
import { drawAxis } from './axis';
import { palette, type Palette } from './colors';

export const ROW_HEIGHT = 20;
const MIN_VISIBLE_NS = 100; // below this, doubles stop telling boxes apart on screen

export interface FlameCallbacks {
  onHover(box: number, x: number, y: number): void;
  onLeave(): void;
  onSelect(box: number | null): void;
  onViewChange(view: { t0: number; t1: number; scrollTop: number }): void;
}

/**
 * The flame graph: a canvas (SVG would choke on 100k boxes) under a d3 time axis. Owns zoom and
 * pan (wheel, drag, double-click, keys), hit-testing and selection; knows nothing of the host.
 */
export class FlameView {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx2d: CanvasRenderingContext2D;
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly axisSvg: SVGSVGElement;
  private t0 = 0;
  private t1 = 1;
  private width = 0;
  private height = 0;
  private colors!: Palette;
  private charWidth = 7;
  private rowsIndex: Int32Array[] = [];
  private hovered = -1;
  selected = -1;
  private frame = 0;
  private drag: { x: number; y: number; t0: number; t1: number; scrollTop: number; moved: boolean } | null = null;
  private readonly disposers: Array<() => void> = [];

  constructor(
    host: HTMLElement,
    private data: FlameData,
    private readonly cb: FlameCallbacks,
    label: string,
  ) {
    this.axisSvg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.axisSvg.classList.add('axis');
    this.scroller = document.createElement('div');
    this.scroller.className = 'flame-scroller';
    this.spacer = document.createElement('div');
    this.spacer.className = 'flame-spacer';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'flame-canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', label);
    this.scroller.append(this.spacer);
    // The canvas floats over the scroller (which only provides the scrollbar and the height),
    // so it never scrolls away; its width leaves the scrollbar clickable.
    const area = document.createElement('div');
    area.className = 'flame-area';
    area.append(this.scroller, this.canvas);
    host.append(this.axisSvg, area);
    this.ctx2d = this.canvas.getContext('2d', { alpha: false })!;
    this.setData(data);
    this.listen();
  }

  setData(data: FlameData): void {
    this.data = data;
    this.rowsIndex = buildRowsIndex(data);
    this.t0 = 0;
    this.t1 = Math.max(data.durationNs, 1);
    this.selected = -1;
    this.hovered = -1;
    this.spacer.style.height = `${Math.max(1, data.rowCount * ROW_HEIGHT + 4)}px`;
    this.refreshTheme();
  }

  /** Theme colours are read from CSS variables, which change with the VS Code theme. */
  refreshTheme(): void {
    this.colors = palette(this.data.services);
    this.ctx2d.font = this.colors.font;
    this.charWidth = this.ctx2d.measureText('abcdefghijklmnopqrstuvwxyz0123456789').width / 36 || 7;
    this.resize();
  }

  setView(t0: number, t1: number, scrollTop?: number): void {
    const full = Math.max(this.data.durationNs, 1);
    let span = Math.min(Math.max(t1 - t0, MIN_VISIBLE_NS), full);
    let a = t0;
    if (!(span > 0) || !Number.isFinite(a)) {
      a = 0;
      span = full;
    }
    a = Math.min(Math.max(a, 0), full - span);
    this.t0 = a;
    this.t1 = a + span;
    if (scrollTop !== undefined) this.scroller.scrollTop = scrollTop;
    this.schedule();
    this.cb.onViewChange({ t0: this.t0, t1: this.t1, scrollTop: this.scroller.scrollTop });
  }

  resetZoom(): void {
    this.setView(0, this.data.durationNs);
  }

  zoomToBox(b: number): void {
    const s = this.data.start[b]!;
    const e = Math.max(this.data.end[b]!, s + MIN_VISIBLE_NS);
    const pad = (e - s) * 0.05;
    this.setView(s - pad, e + pad);
    this.scrollRowIntoView(this.data.row[b]!);
  }

  select(b: number | null, reveal = false): void {
    this.selected = b ?? -1;
    if (b !== null && reveal) {
      const s = this.data.start[b]!;
      const e = this.data.end[b]!;
      if (e < this.t0 || s > this.t1) this.zoomToBox(b);
      this.scrollRowIntoView(this.data.row[b]!);
    }
    this.schedule();
    this.cb.onSelect(b);
  }

  get view(): { t0: number; t1: number; scrollTop: number } {
    return { t0: this.t0, t1: this.t1, scrollTop: this.scroller.scrollTop };
  }

  private scrollRowIntoView(row: number): void {
    const top = row * ROW_HEIGHT;
    const st = this.scroller.scrollTop;
    if (top < st) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > st + this.height) this.scroller.scrollTop = top + ROW_HEIGHT - this.height;
  }

  private x(): ScaleLinear<number, number> {
    return scaleLinear().domain([this.t0, this.t1]).range([0, this.width]);
  }

  private resize(): void {
    const dpr = window.devicePixelRatio || 1;
    this.width = Math.max(1, this.scroller.clientWidth);
    this.height = Math.max(1, this.scroller.clientHeight);
    this.canvas.width = Math.floor(this.width * dpr);
    this.canvas.height = Math.floor(this.height * dpr);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    this.ctx2d.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.ctx2d.font = this.colors.font;
    this.draw();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw(): void {
    const d = this.data;
    const g = this.ctx2d;
    const c = this.colors;
    const x = this.x();
    g.fillStyle = c.background;
    g.fillRect(0, 0, this.width, this.height);
    drawAxis(this.axisSvg, x, this.width, this.t1 - this.t0);
    const top = this.scroller.scrollTop;
    const r0 = Math.floor(top / ROW_HEIGHT);
    const r1 = Math.ceil((top + this.height) / ROW_HEIGHT);
    const k = this.width / (this.t1 - this.t0);
    const lastPx = new Float64Array(r1 - r0 + 1).fill(-Infinity);
    g.textBaseline = 'middle';
    for (let r = r0; r <= r1 && r < this.rowsIndex.length; r++) {
      const boxes = this.rowsIndex[r]!;
      const y = r * ROW_HEIGHT - top;
      // Boxes of a row are sorted by start: skip to the first one that can be visible.
      let i = lowerBoundEnd(boxes, d.end, this.t0);
      for (; i < boxes.length; i++) {
        const b = boxes[i]!;
        const s = d.start[b]!;
        if (s > this.t1) break;
        const x0 = (s - this.t0) * k;
        const x1 = (d.end[b]! - this.t0) * k;
        // Many sub-pixel boxes in one pixel column paint as one.
        if (x1 - x0 < 1 && Math.floor(x0) <= lastPx[r - r0]!) continue;
        lastPx[r - r0] = Math.floor(x0);
        this.drawBox(b, x0, x1, y);
      }
    }
  }

  private drawBox(b: number, x0: number, x1: number, y: number): void {
    const g = this.ctx2d;
    const c = this.colors;
    const d = this.data;
    const left = Math.max(x0, -1);
    const w = Math.max(1, Math.min(x1, this.width + 1) - left);
    g.fillStyle = c.fills[d.service[b]!]!;
    g.fillRect(left, y + 1, w, ROW_HEIGHT - 2);
    if (w > 3) {
      g.strokeStyle = c.border;
      g.lineWidth = 1;
      g.strokeRect(left + 0.5, y + 1.5, w - 1, ROW_HEIGHT - 3);
    }
    if (d.flags[b]! & FLAG_ERROR) {
      g.fillStyle = c.error;
      g.fillRect(left, y + 1, Math.min(3, w), ROW_HEIGHT - 2);
      g.fillRect(left, y + ROW_HEIGHT - 3, w, 2);
    }
    if (d.flags[b]! & FLAG_MISSING_PARENT) {
      // Its parent is not in the trace (lost or not yet received): a dashed top edge says so.
      g.strokeStyle = c.text;
      g.lineWidth = 1;
      g.setLineDash([3, 3]);
      g.beginPath();
      g.moveTo(left, y + 1.5);
      g.lineTo(left + w, y + 1.5);
      g.stroke();
      g.setLineDash([]);
    }
    if (w > 28) {
      const name = d.names[d.name[b]!]!;
      const fit = Math.floor((w - 10) / this.charWidth);
      const label = name.length <= fit ? name : `${name.slice(0, Math.max(1, fit - 1))}…`;
      g.fillStyle = c.text;
      g.fillText(label, left + 6, y + ROW_HEIGHT / 2 + 0.5, w - 8);
    }
    if (b === this.selected || b === this.hovered) {
      g.strokeStyle = b === this.selected ? c.selected : c.hover;
      g.lineWidth = 2;
      g.strokeRect(left + 1, y + 2, Math.max(1, w - 2), ROW_HEIGHT - 4);
    }
  }

  /** The box under a point of the canvas, or -1. */
  hitTest(px: number, py: number): number {
    const r = Math.floor((py + this.scroller.scrollTop) / ROW_HEIGHT);
    const boxes = this.rowsIndex[r];
    if (!boxes) return -1;
    const x = this.x();
    const t = x.invert(px);
    const slack = x.invert(px + 2) - t; // boxes drawn 1px wide stay clickable
    let i = lowerBoundEnd(boxes, this.data.end, t - slack);
    for (; i < boxes.length; i++) {
      const b = boxes[i]!;
      if (this.data.start[b]! > t + slack) break;
      return b;
    }
    return -1;
  }

  private listen(): void {
    const on = <K extends keyof HTMLElementEventMap>(el: HTMLElement | Window, type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions) => {
      el.addEventListener(type, fn as EventListener, opts);
      this.disposers.push(() => el.removeEventListener(type, fn as EventListener));
    };
    const ro = new ResizeObserver(() => this.resize());
    ro.observe(this.scroller);
    this.disposers.push(() => ro.disconnect());
    on(this.scroller, 'scroll', () => {
      this.schedule();
      this.cb.onViewChange(this.view);
    });
    on(this.canvas, 'wheel', (e) => this.onWheel(e), { passive: false });
    on(this.canvas, 'mousedown', (e) => {
      if (e.button !== 0) return;
      this.drag = { x: e.clientX, y: e.clientY, t0: this.t0, t1: this.t1, scrollTop: this.scroller.scrollTop, moved: false };
    });
    on(window, 'mousemove', (e) => this.onMouseMove(e));
    on(window, 'mouseup', (e) => {
      const drag = this.drag;
      this.drag = null;
      if (drag && !drag.moved && e.target === this.canvas) {
        const b = this.hitAt(e);
        this.select(b >= 0 ? b : null);
        this.canvas.focus();
      }
    });
    on(this.canvas, 'mouseleave', () => {
      this.hovered = -1;
      this.schedule();
      this.cb.onLeave();
    });
    on(this.canvas, 'dblclick', (e) => {
      const b = this.hitAt(e);
      if (b >= 0) this.zoomToBox(b);
      else this.resetZoom();
    });
    on(this.canvas, 'keydown', (e) => this.onKey(e));
  }

  private hitAt(e: MouseEvent): number {
    const rect = this.canvas.getBoundingClientRect();
    return this.hitTest(e.clientX - rect.left, e.clientY - rect.top);
  }

  private onMouseMove(e: MouseEvent): void {
    const drag = this.drag;
    if (drag) {
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        const dt = (dx / this.width) * (drag.t1 - drag.t0);
        this.setView(drag.t0 - dt, drag.t1 - dt, drag.scrollTop - dy);
        this.cb.onLeave();
        return;
      }
    }
    if (e.target !== this.canvas) return;
    const rect = this.canvas.getBoundingClientRect();
    const b = this.hitTest(e.clientX - rect.left, e.clientY - rect.top);
    if (b !== this.hovered) {
      this.hovered = b;
      this.schedule();
    }
    if (b >= 0) this.cb.onHover(b, e.clientX, e.clientY);
    else this.cb.onLeave();
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.height : 1;
    if (e.shiftKey && !e.deltaX) {
      this.scroller.scrollTop += e.deltaY * unit;
      return;
    }
    if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      this.pan((e.deltaX * unit) / this.width);
      return;
    }
    const rect = this.canvas.getBoundingClientRect();
    this.zoomAt(Math.exp(e.deltaY * unit * 0.002), (e.clientX - rect.left) / this.width);
  }

  /** Zooms by `factor` (< 1 zooms in) keeping the time under `anchor` (0..1 of the width) fixed. */
  zoomAt(factor: number, anchor: number): void {
    const span = this.t1 - this.t0;
    const at = this.t0 + span * anchor;
    const next = span * factor;
    this.setView(at - next * anchor, at + next * (1 - anchor));
  }

  /** Pans by a fraction of the visible width. */
  pan(fraction: number): void {
    const dt = fraction * (this.t1 - this.t0);
    this.setView(this.t0 + dt, this.t1 + dt);
  }

  private onKey(e: KeyboardEvent): void {
    const sel = this.selected;
    const d = this.data;
    let handled = true;
    switch (e.key) {
      case '+':
      case '=':
      case 'w':
        this.zoomAt(0.8, 0.5);
        break;
      case '-':
      case '_':
      case 's':
        this.zoomAt(1.25, 0.5);
        break;
      case 'a':
        this.pan(-0.1);
        break;
      case 'd':
        this.pan(0.1);
        break;
      case '0':
        this.resetZoom();
        break;
      case 'Escape':
        this.select(null);
        break;
      case 'Enter':
        if (sel >= 0) this.zoomToBox(sel);
        break;
      case 'ArrowUp':
        if (sel >= 0 && d.parent[sel]! >= 0) this.select(d.parent[sel]!, true);
        else if (sel < 0) this.scroller.scrollTop -= ROW_HEIGHT;
        break;
      case 'ArrowDown':
        // The first child directly follows its parent in depth-first order.
        if (sel >= 0 && sel + 1 < d.count && d.parent[sel + 1] === sel) this.select(sel + 1, true);
        else if (sel < 0) this.scroller.scrollTop += ROW_HEIGHT;
        break;
      case 'ArrowLeft':
      case 'ArrowRight': {
        if (sel < 0 || e.shiftKey) {
          this.pan(e.key === 'ArrowLeft' ? -0.1 : 0.1);
          break;
        }
        const row = this.rowsIndex[d.row[sel]!]!;
        const at = row.indexOf(sel) + (e.key === 'ArrowLeft' ? -1 : 1);
        if (at >= 0 && at < row.length) this.select(row[at]!, true);
        break;
      }
      case 'Home':
        if (d.count) this.select(0, true);
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    for (const d of this.disposers.splice(0)) d();
  }
}

/** Box indices per row, sorted by start (boxes in a row never overlap, so ends are sorted too). */
function buildRowsIndex(d: FlameData): Int32Array[] {
  const counts = new Int32Array(d.rowCount);
  for (let b = 0; b < d.count; b++) counts[d.row[b]!]!++;
  const rows = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(d.rowCount);
  for (let b = 0; b < d.count; b++) {
    const r = d.row[b]!;
    rows[r]![fill[r]!++] = b;
  }
  for (const row of rows) row.sort((a, b) => d.start[a]! - d.start[b]!);
  return rows;
}

/** First position in a row whose box ends at or after `t`. */
function lowerBoundEnd(boxes: Int32Array, end: readonly number[], t: number): number {
  let lo = 0;
  let hi = boxes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (end[boxes[mid]!]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
