/**
 * Pointer input over a time area (the flame canvas, the timeline's bars): wheel and trackpad
 * zoom and pan, drag to pan, click and double-click, hover. It turns gestures into changes of the
 * shared viewport and into callbacks; it draws nothing and knows nothing of boxes.
 */
import type { Viewport } from './viewport';

export interface TimeInputOptions {
  /** The area's left edge and width in client pixels. */
  bounds(): { left: number; width: number };
  /** Plain wheel zooms (flame); otherwise it scrolls and Ctrl/⌘ + wheel or a pinch zooms (timeline). */
  readonly wheelZooms: boolean;
  /** Vertical scroll by pixels (wheel with Shift in the flame, drag). */
  scrollBy(dy: number): void;
  click(e: MouseEvent): void;
  dblclick(e: MouseEvent): void;
  hover(e: MouseEvent): void;
  leave(): void;
}

/** Listens on `el`; returns the function that stops listening. */
export function attachTimeInput(el: HTMLElement, viewport: Viewport, o: TimeInputOptions): () => void {
  let drag: { x: number; y: number; t0: number; t1: number; moved: boolean } | null = null;
  const off: Array<() => void> = [];
  const on = <K extends keyof WindowEventMap>(target: HTMLElement | Window, type: K, fn: (e: WindowEventMap[K]) => void, opts?: AddEventListenerOptions) => {
    target.addEventListener(type, fn as EventListener, opts);
    off.push(() => target.removeEventListener(type, fn as EventListener));
  };
  on(el, 'wheel', (e) => {
    const { left, width } = o.bounds();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? el.clientHeight : 1;
    const dx = e.deltaX * unit;
    const dy = e.deltaY * unit;
    // A pinch arrives as a wheel event with ctrlKey set.
    const zoom = e.ctrlKey || e.metaKey || (o.wheelZooms && !e.shiftKey && Math.abs(dy) >= Math.abs(dx));
    if (zoom) {
      e.preventDefault();
      viewport.zoomAt(Math.exp(dy * 0.002), Math.min(1, Math.max(0, (e.clientX - left) / Math.max(width, 1))));
      return;
    }
    if (Math.abs(dx) > Math.abs(dy)) {
      e.preventDefault();
      viewport.pan(dx / Math.max(width, 1));
      return;
    }
    if (o.wheelZooms) {
      e.preventDefault();
      o.scrollBy(dy);
    }
  }, { passive: false });
  on(el, 'mousedown', (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, t0: viewport.t0, t1: viewport.t1, moved: false };
  });
  on(window, 'mousemove', (e) => {
    if (drag) {
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        const { width } = o.bounds();
        const dt = (dx / Math.max(width, 1)) * (drag.t1 - drag.t0);
        viewport.set(drag.t0 - dt, drag.t1 - dt);
        o.scrollBy(-(e.movementY || 0));
        o.leave();
        return;
      }
    }
    if (e.target instanceof Node && el.contains(e.target)) o.hover(e);
  });
  on(window, 'mouseup', (e) => {
    const d = drag;
    drag = null;
    if (d?.moved) {
      // The browser still fires `click` after a drag; listeners inside can tell by this mark.
      el.dataset.justDragged = '1';
      setTimeout(() => delete el.dataset.justDragged, 0);
    }
    if (d && !d.moved && e.target instanceof Node && el.contains(e.target)) o.click(e);
  });
  on(el, 'mouseleave', () => o.leave());
  on(el, 'dblclick', (e) => o.dblclick(e));
  return () => {
    for (const f of off.splice(0)) f();
  };
}
