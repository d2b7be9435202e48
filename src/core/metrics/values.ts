/**
 * Numbers as the Metrics view shows them: the latest value and the window's min and max over
 * every series of a panel (NaN and ±Inf skipped), and a value in its unit.
 */
import { formatDuration } from '../format/duration';
import type { MetricUnit } from './panels';

export interface SeriesStats {
  /** The last finite sample of the series that ends latest; undefined when there is none. */
  readonly current?: number;
  readonly min?: number;
  readonly max?: number;
}

/**
 * `t` in Unix ms and `v` in the same order, per series. With several series (e.g. by status)
 * "current" is their sum at the latest time any of them has a value.
 */
export function seriesStats(series: ReadonlyArray<{ readonly t: ArrayLike<number>; readonly v: ArrayLike<number> }>): SeriesStats {
  let min = Infinity;
  let max = -Infinity;
  let latest = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.v.length; i++) {
      const v = s.v[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      if (s.t[i]! > latest) latest = s.t[i]!;
    }
  }
  if (min === Infinity) return {};
  let current = 0;
  for (const s of series) {
    for (let i = s.v.length - 1; i >= 0 && s.t[i]! >= latest; i--) {
      if (s.t[i] === latest && Number.isFinite(s.v[i]!)) current += s.v[i]!;
    }
  }
  return { current, min, max };
}

function compact(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e9) return `${+(v / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  // Trailing zeros dropped: a count reads `3`, not `3.00`.
  if (a >= 10) return String(+v.toFixed(1));
  if (a >= 0.01) return String(+v.toFixed(2));
  return String(+v.toPrecision(2));
}

/** `812 ms`, `42.5 %`, `71 °C`, `3.20/s`, `12`. */
export function formatValue(v: number, unit: MetricUnit): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  switch (unit) {
    case 'seconds':
      return formatDuration(v * 1e9);
    case 'percent':
      return `${compact(v)} %`;
    case 'celsius':
      return `${compact(v)} °C`;
    case 'perSecond':
      return `${compact(v)}/s`;
    default:
      return compact(v);
  }
}
