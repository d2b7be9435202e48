/**
 * The time window both views show, [t0, t1] in ns from the trace start, with one rule for
 * clamping: never narrower than MIN_VISIBLE_NS (below it doubles stop telling boxes apart), never
 * wider than the trace, never outside it. Views listen and redraw; input changes it.
 */
export const MIN_VISIBLE_NS = 100;

export class Viewport {
  // Set by the constructor; NaN makes V8 hold them as doubles from the start (see FlameRenderer.win).
  t0 = NaN;
  t1 = NaN;
  private readonly listeners = new Set<() => void>();

  constructor(private durationNs: number) {
    this.reset(durationNs);
  }

  get full(): number {
    return Math.max(this.durationNs, 1);
  }

  get span(): number {
    return this.t1 - this.t0;
  }

  reset(durationNs = this.durationNs): void {
    this.durationNs = durationNs;
    this.set(0, this.full);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  set(t0: number, t1: number): void {
    const full = this.full;
    let span = Math.min(Math.max(t1 - t0, Math.min(MIN_VISIBLE_NS, full)), full);
    let a = t0;
    if (!(span > 0) || !Number.isFinite(a)) {
      a = 0;
      span = full;
    }
    a = Math.min(Math.max(a, 0), full - span);
    if (a === this.t0 && a + span === this.t1) return;
    this.t0 = a;
    this.t1 = a + span;
    for (const fn of this.listeners) fn();
  }

  /** Zooms by `factor` (< 1 zooms in) keeping the time at `anchor` (0..1 of the width) in place. */
  zoomAt(factor: number, anchor: number): void {
    const span = this.span;
    const at = this.t0 + span * anchor;
    const next = span * factor;
    this.set(at - next * anchor, at + next * (1 - anchor));
  }

  /** Pans by a fraction of the visible width. */
  pan(fraction: number): void {
    const dt = fraction * this.span;
    this.set(this.t0 + dt, this.t1 + dt);
  }

  /** Shows [s, e] with a little room on both sides. */
  fit(s: number, e: number): void {
    const w = Math.max(e - s, MIN_VISIBLE_NS);
    const pad = w * 0.05;
    this.set(s - pad, s + w + pad);
  }

  /** Keeps the zoom but moves so [s, e] is on screen (centred when it was off screen). */
  reveal(s: number, e: number): void {
    if (e - s > this.span) return this.fit(s, e);
    if (s >= this.t0 && e <= this.t1) return;
    const mid = (s + e) / 2;
    this.set(mid - this.span / 2, mid + this.span / 2);
  }
}
