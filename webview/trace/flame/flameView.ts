import { scaleLinear } from 'd3-scale';
import { axisElement, drawAxis } from '../axis';
import type { Palette } from '../colors';
import { watchCanvas } from '../../shared/canvas';
import { attachTimeInput } from '../input';
import type { TraceModel } from '../model';
import type { Viewport } from '../viewport';
import { FlameRenderer, type DrawnItem } from './renderer';

export const ROW_HEIGHT = 20;

export interface FlameCallbacks {
  /** `item` is what is under the pointer: one box, or a merged mark of `count` boxes. */
  hover(item: DrawnItem, x: number, y: number): void;
  leave(): void;
  /** A click: on a box (with Ctrl/⌘ to open its source), or on nothing. */
  click(box: number | null, e: MouseEvent): void;
  /** Double-click on a box or merged mark zooms to it; on nothing resets. */
  zoomTo(item: DrawnItem | null): void;
}

/**
 * The flame graph (time-ordered icicle): a canvas under a d3 time axis, inside a scroller that
 * only provides the vertical scrollbar. It owns vertical scrolling, hit testing on what the
 * renderer last drew, and the device-pixel ratio; the time window is the shared viewport and
 * gestures go through the input controller.
 */
export class FlameView {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx2d: CanvasRenderingContext2D;
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly axisSvg: SVGSVGElement;
  private readonly renderer: FlameRenderer;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private frame = 0;
  hovered = -1;
  selected = -1;
  /** Event times of the selected span (from its details), marked on its box. */
  events: readonly number[] = [];
  private readonly disposers: Array<() => void> = [];
  /** Time spent in the last draw, ms (read by the benchmark). */
  lastDrawMs = 0;

  constructor(
    readonly host: HTMLElement,
    private model: TraceModel,
    private readonly viewport: Viewport,
    colors: Palette,
    private readonly cb: FlameCallbacks,
    label: string,
  ) {
    this.axisSvg = axisElement();
    this.scroller = document.createElement('div');
    this.scroller.className = 'flame-scroller';
    this.spacer = document.createElement('div');
    this.spacer.className = 'flame-spacer';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'flame-canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', label);
    this.canvas.dataset.testid = 'flame-canvas';
    this.scroller.append(this.spacer);
    const area = document.createElement('div');
    area.className = 'flame-area';
    area.append(this.scroller, this.canvas);
    host.append(this.axisSvg, area);
    this.ctx2d = this.canvas.getContext('2d', { alpha: false })!;
    this.renderer = new FlameRenderer(model, colors);
    this.setModel(model, colors);
    this.listen();
  }

  setModel(model: TraceModel, colors: Palette): void {
    this.model = model;
    this.renderer.setModel(model);
    this.renderer.setColors(colors);
    this.hovered = -1;
    this.selected = -1;
    this.spacer.style.height = `${Math.max(1, model.data.rowCount * ROW_HEIGHT + 4)}px`;
    this.fit();
    this.draw();
  }

  setColors(colors: Palette): void {
    this.renderer.setColors(colors);
    this.schedule();
  }

  get scrollTop(): number {
    return this.scroller.scrollTop;
  }

  set scrollTop(v: number) {
    this.scroller.scrollTop = v;
  }

  /** Brings box b's row into view. */
  revealRow(b: number): void {
    const top = this.model.data.row[b]! * ROW_HEIGHT;
    const st = this.scroller.scrollTop;
    if (top < st) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > st + this.height) this.scroller.scrollTop = top + ROW_HEIGHT - this.height;
  }

  /** Rows visible now, as fractional rows (for the minimap). */
  get visibleRows(): { row0: number; row1: number } {
    return { row0: this.scroller.scrollTop / ROW_HEIGHT, row1: (this.scroller.scrollTop + this.height) / ROW_HEIGHT };
  }

  /**
   * Sizes the canvas to its box; true when the size changed, which clears the canvas. The
   * observer's first call, and any call that changes nothing, must not: at 1M spans each extra
   * frame drawn before the first one shows is paid for in first paint.
   */
  private fit(): boolean {
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, this.scroller.clientWidth);
    const height = Math.max(1, this.scroller.clientHeight);
    if (dpr === this.dpr && width === this.width && height === this.height) return false;
    this.dpr = dpr;
    this.width = width;
    this.height = height;
    this.canvas.width = Math.floor(width * dpr);
    this.canvas.height = Math.floor(height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    return true;
  }

  private resize(): void {
    if (this.fit()) this.draw();
  }

  schedule(): void {
    if (!this.frame)
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
  }

  draw(): void {
    const started = performance.now();
    const g = this.ctx2d;
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const v = this.viewport;
    drawAxis(this.axisSvg, scaleLinear().domain([v.t0, v.t1]).range([0, this.width]), this.width, v.span);
    const top = this.scroller.scrollTop;
    this.renderer.draw(
      g,
      { t0: v.t0, t1: v.t1, row0: top / ROW_HEIGHT, row1: (top + this.height) / ROW_HEIGHT },
      { x: 0, y: 0, w: this.width, h: this.height },
      { selected: this.selected, hovered: this.hovered, detail: true, events: this.events },
    );
    this.lastDrawMs = performance.now() - started;
  }

  /** What the last frame drew under a point of the canvas (CSS pixels), or null. */
  hitTest(px: number, py: number): DrawnItem | null {
    const row = Math.floor((py + this.scroller.scrollTop) / ROW_HEIGHT);
    const drawn = this.renderer.drawn;
    let best: DrawnItem | null = null;
    let bestDist = Infinity;
    // Items of a row are in x order; ±3 px of slack keeps 1 px marks (zero-length spans) easy to point at.
    for (let i = 0; i < drawn.length; i++) {
      const it = drawn.item(i);
      if (it.row !== row) continue;
      const dist = px < it.x0 ? it.x0 - px : px > it.x1 ? px - it.x1 : 0;
      if (dist <= 3 && dist < bestDist) {
        best = it;
        bestDist = dist;
        if (dist === 0) break;
      }
    }
    return best;
  }

  private at(e: MouseEvent): DrawnItem | null {
    const rect = this.canvas.getBoundingClientRect();
    return this.hitTest(e.clientX - rect.left, e.clientY - rect.top);
  }

  private listen(): void {
    const ro = new ResizeObserver(() => this.resize());
    ro.observe(this.scroller);
    this.disposers.push(() => ro.disconnect());
    const onScroll = () => this.schedule();
    this.scroller.addEventListener('scroll', onScroll);
    this.disposers.push(() => this.scroller.removeEventListener('scroll', onScroll));
    this.disposers.push(this.viewport.onChange(() => this.schedule()));
    this.disposers.push(watchCanvas(this.canvas, { pixelRatio: () => this.resize(), restored: () => this.schedule() }));
    this.disposers.push(
      attachTimeInput(this.canvas, this.viewport, {
        wheelZooms: true,
        bounds: () => {
          const r = this.canvas.getBoundingClientRect();
          return { left: r.left, width: this.width };
        },
        scrollBy: (dy) => {
          this.scroller.scrollTop += dy;
        },
        click: (e) => {
          const it = this.at(e);
          this.canvas.focus();
          this.cb.click(it ? it.box : null, e);
        },
        dblclick: (e) => this.cb.zoomTo(this.at(e)),
        hover: (e) => {
          const it = this.at(e);
          const b = it && it.count === 1 ? it.box : -1;
          if (b !== this.hovered) {
            this.hovered = b;
            this.schedule();
          }
          if (it) this.cb.hover(it, e.clientX, e.clientY);
          else this.cb.leave();
        },
        leave: () => {
          if (this.hovered !== -1) {
            this.hovered = -1;
            this.schedule();
          }
          this.cb.leave();
        },
      }),
    );
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    for (const d of this.disposers.splice(0)) d();
    this.host.replaceChildren();
  }
}
