/**
 * Time arguments as people type them (`--since 1h`, `--start 2026-04-21T18:00:00Z`,
 * `--end now-5m`, Unix seconds/ms/ns) → Unix milliseconds. Shared by the CLI and the extension.
 */
import type { TimeRange } from './types';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90s`, `1h30m`, `2d`, `500ms` → milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  const t = text.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (!t || consumed !== t.length) throw new Error(`not a duration: "${text}" (expected e.g. 30s, 15m, 1h, 2d)`);
  return Math.round(total);
}

/**
 * RFC 3339 / ISO 8601, `now`, `now-1h`, or a Unix time whose digit count says its unit
 * (≤ 11 digits or a fraction: seconds; 13: milliseconds; 16: microseconds; 19: nanoseconds).
 */
export function parseTime(text: string, nowMs = Date.now()): number {
  const t = text.trim();
  const rel = /^now(?:\s*([+-])\s*(.+))?$/.exec(t);
  if (rel) {
    if (!rel[1]) return nowMs;
    const d = parseDuration(rel[2]!);
    return rel[1] === '-' ? nowMs - d : nowMs + d;
  }
  if (/^\d+(\.\d+)?$/.test(t)) {
    const [int = ''] = t.split('.');
    if (t.includes('.') || int.length <= 11) return Math.round(Number(t) * 1000);
    if (int.length <= 14) return Number(t);
    if (int.length <= 17) return Math.round(Number(t) / 1000);
    return Number(BigInt(int) / 1_000_000n);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`not a time: "${text}" (expected RFC 3339 like 2026-04-21T18:00:00Z, Unix seconds, or now-1h)`);
}

export interface RangeArgs {
  readonly since?: string;
  readonly start?: string;
  readonly end?: string;
}

/** `--since` wins over `--start`; the default is the last hour. */
export function resolveRange(args: RangeArgs, nowMs = Date.now(), defaultSinceMs = 3_600_000): TimeRange {
  const endMs = args.end !== undefined ? parseTime(args.end, nowMs) : nowMs;
  let startMs: number;
  if (args.since !== undefined) startMs = endMs - parseDuration(args.since);
  else if (args.start !== undefined) startMs = parseTime(args.start, nowMs);
  else startMs = endMs - defaultSinceMs;
  if (!(startMs < endMs)) throw new Error('the start of the time range must be before its end');
  return { startMs, endMs };
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n;
}

/** Loki's and Prometheus' limit on points per series in a range query. */
export const MAX_POINTS = 11_000;

/** The smallest step that keeps a series within MAX_POINTS, the first point included. */
export function minStepMs(range: TimeRange): number {
  return Math.max(1, Math.ceil((range.endMs - range.startMs) / (MAX_POINTS - 1)));
}
