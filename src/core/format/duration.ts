/**
 * THE duration format of Spanlens: the CLI, the trace view, tooltips and the details pane all
 * write durations through here, so the same span reads the same everywhere.
 */

/** Human durations from ns, with about three significant digits: 0 ns, 812 ns, 1.50 ms, 2 min 5 s. */
export function formatDuration(ns: number): string {
  const abs = Math.abs(ns);
  const fmt = (v: number, unit: string) => `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
  if (abs >= 60e9) {
    const m = Math.floor(abs / 60e9);
    return `${ns < 0 ? '-' : ''}${m} min ${((abs - m * 60e9) / 1e9).toFixed(0)} s`;
  }
  if (abs >= 1e9) return fmt(ns / 1e9, 's');
  if (abs >= 1e6) return fmt(ns / 1e6, 'ms');
  if (abs >= 1e3) return fmt(ns / 1e3, 'µs');
  return `${ns.toFixed(0)} ns`;
}

/** Axis ticks: short, unit chosen from the visible span so neighbours read alike. */
export function formatTick(ns: number, visibleSpanNs: number): string {
  if (visibleSpanNs >= 5e9) return `${+(ns / 1e9).toFixed(3)} s`;
  if (visibleSpanNs >= 5e6) return `${+(ns / 1e6).toFixed(3)} ms`;
  if (visibleSpanNs >= 5e3) return `${+(ns / 1e3).toFixed(3)} µs`;
  return `${+ns.toFixed(0)} ns`;
}
