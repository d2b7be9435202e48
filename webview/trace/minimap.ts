import { watchCanvas } from '../shared/canvas';
import type { Palette } from './colors';
import { FlameRenderer } from './flame/renderer';
import type { TraceModel } from './model';
import type { Viewport } from './viewport';

const HEIGHT = 44;

/**
 * The whole trace in a strip above the views, drawn once by the flame renderer into an offscreen
 * canvas (so a frame only copies it and draws the window), with the visible window as a brush:
 * drag inside it to move it, drag elsewhere to choose a new window, wheel to zoom, double-click
 * to show everything.
 */
export class Minimap {
  readonly canvas: HTMLCanvasElement;
  private readonly g: CanvasRenderingContext2D;
  private image: HTMLCanvasElement | undefined;
  private readonly renderer: FlameRenderer;
  private width = 1;
  private dpr = 1;
  private frame = 0;
  private drag: { kind: 'move' | 'new'; x: number; t0: number; t1: number } | null = null;
  private readonly disposers: Array<() => void> = [];

  constructor(
    host: HTMLElement,
    private model: TraceModel,
    private readonly viewport: Viewport,
    private colors: Palette,
    label: string,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'minimap';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', label);
    this.canvas.dataset.testid = 'minimap';
    host.append(this.canvas);
    this.g = this.canvas.getContext('2d')!;
    this.renderer = new FlameRenderer(model, colors);
    this.listen();
    this.resize();
  }

  setModel(model: TraceModel, colors: Palette): void {
    this.model = model;
    this.renderer.setModel(model);
    this.setColors(colors);
  }

  /** Colours, marks or filters changed: the cached picture is stale. */
  setColors(colors: Palette): void {
    this.colors = colors;
    this.renderer.setColors(colors);
    this.image = undefined;
    this.schedule();
  }

  private resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, this.canvas.clientWidth);
    // The observer's first call changes nothing: keep the picture (a whole-trace render).
    if (dpr === this.dpr && width === this.width && this.image) return;
    this.dpr = dpr;
    this.width = width;
    this.canvas.width = Math.floor(this.width * this.dpr);
    this.canvas.height = Math.floor(HEIGHT * this.dpr);
    this.image = undefined;
    this.schedule();
  }

  schedule(): void {
    if (!this.frame)
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
  }

  private picture(): HTMLCanvasElement {
    if (this.image) return this.image;
    const img = document.createElement('canvas');
    img.width = this.canvas.width;
    img.height = this.canvas.height;
    const g = img.getContext('2d', { alpha: false })!;
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const d = this.model.data;
    this.renderer.draw(g, { t0: 0, t1: Math.max(d.durationNs, 1), row0: 0, row1: Math.max(d.rowCount, 1) }, { x: 0, y: 0, w: this.width, h: HEIGHT }, { selected: -1, hovered: -1, detail: false });
    this.image = img;
    return img;
  }

  /**
   * The whole-trace picture is drawn when the page is idle, after the views' first frame: the
   * overview can come a moment later, the trace itself should not wait for it.
   */
  private pictureSoon(): void {
    if (this.pending) return;
    this.pending = true;
    const run = () => {
      this.pending = false;
      this.picture();
      this.schedule();
    };
    if ('requestIdleCallback' in window) requestIdleCallback(run, { timeout: 200 });
    else setTimeout(run, 50);
  }

  private pending = false;

  draw(): void {
    const g = this.g;
    g.setTransform(1, 0, 0, 1, 0, 0);
    if (this.image) g.drawImage(this.image, 0, 0);
    else {
      g.fillStyle = this.colors.background;
      g.fillRect(0, 0, this.canvas.width, this.canvas.height);
      this.pictureSoon();
    }
    g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const full = this.viewport.full;
    const x0 = (this.viewport.t0 / full) * this.width;
    const x1 = Math.max(x0 + 2, (this.viewport.t1 / full) * this.width);
    // Outside the window is veiled; the window keeps its colours and gets a frame.
    g.fillStyle = this.colors.background;
    g.globalAlpha = 0.55;
    g.fillRect(0, 0, x0, HEIGHT);
    g.fillRect(x1, 0, this.width - x1, HEIGHT);
    g.globalAlpha = 1;
    g.strokeStyle = this.colors.selected;
    g.lineWidth = 1.5;
    g.strokeRect(x0 + 0.75, 0.75, x1 - x0 - 1.5, HEIGHT - 1.5);
  }

  private timeAt(clientX: number): number {
    const r = this.canvas.getBoundingClientRect();
    return Math.min(1, Math.max(0, (clientX - r.left) / this.width)) * this.viewport.full;
  }

  private listen(): void {
    const on = <K extends keyof WindowEventMap>(t: HTMLElement | Window, type: K, fn: (e: WindowEventMap[K]) => void, opts?: AddEventListenerOptions) => {
      t.addEventListener(type, fn as EventListener, opts);
      this.disposers.push(() => t.removeEventListener(type, fn as EventListener));
    };
    const ro = new ResizeObserver(() => this.resize());
    ro.observe(this.canvas);
    this.disposers.push(() => ro.disconnect());
    // The cached picture is redrawn too: it is as stale at a new ratio, and may have been lost with the context.
    const redraw = () => {
      this.image = undefined;
      this.schedule();
    };
    this.disposers.push(watchCanvas(this.canvas, { pixelRatio: () => this.resize(), restored: redraw }));
    this.disposers.push(this.viewport.onChange(() => this.schedule()));
    on(this.canvas, 'mousedown', (e) => {
      if (e.button !== 0) return;
      const t = this.timeAt(e.clientX);
      const inside = t >= this.viewport.t0 && t <= this.viewport.t1;
      this.drag = { kind: inside ? 'move' : 'new', x: e.clientX, t0: inside ? this.viewport.t0 : t, t1: inside ? this.viewport.t1 : t };
      e.preventDefault();
    });
    on(window, 'mousemove', (e) => {
      const d = this.drag;
      if (!d) return;
      if (d.kind === 'move') {
        const dt = ((e.clientX - d.x) / this.width) * this.viewport.full;
        this.viewport.set(d.t0 + dt, d.t1 + dt);
      } else {
        const t = this.timeAt(e.clientX);
        this.viewport.set(Math.min(d.t0, t), Math.max(d.t0, t));
      }
    });
    on(window, 'mouseup', () => {
      this.drag = null;
    });
    on(this.canvas, 'wheel', (e) => {
      e.preventDefault();
      const anchorT = this.timeAt(e.clientX);
      const span = this.viewport.span;
      const anchor = span > 0 ? (anchorT - this.viewport.t0) / span : 0.5;
      this.viewport.zoomAt(Math.exp(e.deltaY * 0.002), Math.min(1, Math.max(0, anchor)));
    }, { passive: false });
    on(this.canvas, 'dblclick', () => this.viewport.reset());
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    for (const d of this.disposers.splice(0)) d();
    this.canvas.remove();
  }
}
