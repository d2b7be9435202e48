/**
 * Prometheus-style query results → Series. Used for Prometheus itself and for Loki metric
 * queries, which share the shape but not the number formatting (Loki writes
 * `1435781430.5`, Prometheus `1435781430.500`; both parse to the same double). Sample values are
 * strings, with "NaN", "+Inf" and "-Inf".
 */
import { TraceFormatError } from '../model/errors';
import { NO_LABELS, type Labels } from '../model/logs';
import type { PromResultType, SamplePoint, Series } from '../model/series';

export interface DecodedResult {
  readonly resultType: PromResultType;
  readonly series: Series[];
  readonly stringValue?: string;
  /** Samples skipped because they are native histograms (no scalar value to plot). */
  readonly histogramSamples: number;
}

/** `data` of a query / query_range response: `{resultType, result}`. */
export function decodePromData(data: unknown, where = 'data'): DecodedResult {
  if (!isObject(data)) throw new TraceFormatError(where, 'an object with resultType and result');
  const type = data.resultType;
  const result = data.result;
  switch (type) {
    case 'matrix':
    case 'vector': {
      if (!Array.isArray(result)) throw new TraceFormatError(`${where}.result`, `an array (${type})`);
      let histogramSamples = 0;
      const series: Series[] = [];
      for (let i = 0; i < result.length; i++) {
        const at = `${where}.result[${i}]`;
        const s: unknown = result[i];
        if (!isObject(s)) throw new TraceFormatError(at, 'a series object');
        const labels = labelMap(s.metric, `${at}.metric`);
        let points: SamplePoint[];
        if (type === 'matrix') {
          if (s.values !== undefined && !Array.isArray(s.values)) throw new TraceFormatError(`${at}.values`, 'an array of [time, "value"]');
          const values = (s.values ?? []) as unknown[];
          points = values.map((p, j) => samplePoint(p, `${at}.values[${j}]`));
          if (Array.isArray(s.histograms)) histogramSamples += s.histograms.length;
        } else if (s.value !== undefined) {
          points = [samplePoint(s.value, `${at}.value`)];
        } else {
          if (s.histogram !== undefined) histogramSamples++;
          else throw new TraceFormatError(`${at}.value`, 'a [time, "value"] sample');
          points = [];
        }
        series.push({ labels, points });
      }
      return { resultType: type, series, histogramSamples };
    }
    case 'scalar':
      return { resultType: 'scalar', series: [{ labels: NO_LABELS, points: [samplePoint(result, `${where}.result`)] }], histogramSamples: 0 };
    case 'string': {
      if (!Array.isArray(result) || typeof result[1] !== 'string') throw new TraceFormatError(`${where}.result`, 'a [time, "string"] pair');
      return { resultType: 'string', series: [], stringValue: result[1], histogramSamples: 0 };
    }
    default:
      throw new TraceFormatError(`${where}.resultType`, 'one of matrix, vector, scalar, string');
  }
}

/** `[1435781430.781, "1"]` → {timeMs, value}. */
export function samplePoint(p: unknown, where: string): SamplePoint {
  if (!Array.isArray(p) || p.length < 2) throw new TraceFormatError(where, 'a [time, "value"] sample');
  return { timeMs: secondsToMs(p[0], `${where}[0]`), value: sampleValue(p[1], `${where}[1]`) };
}

/** The widest time a JS Date holds (±100,000,000 days), in milliseconds. */
const MAX_DATE_MS = 8.64e15;

/**
 * Float seconds (number, or a string as some proxies write) → integer milliseconds, within the
 * range a Date can hold: views and the CLI format these times, and `new Date(1e22)` is invalid.
 */
export function secondsToMs(t: unknown, where: string): number {
  const n = typeof t === 'number' ? t : typeof t === 'string' && t.trim() !== '' ? Number(t) : NaN;
  const ms = Math.round(n * 1000);
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) throw new TraceFormatError(where, 'a Unix time in seconds');
  return ms;
}

export function sampleValue(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') throw new TraceFormatError(where, 'a sample value as a string');
  switch (v) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
  }
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) throw new TraceFormatError(where, `a number, not "${v.slice(0, 40)}"`);
  return n;
}

export function labelMap(v: unknown, where: string): Labels {
  if (v === undefined || v === null) return NO_LABELS;
  if (!isObject(v)) throw new TraceFormatError(where, 'an object of string labels');
  for (const k of Object.keys(v)) {
    if (typeof v[k] !== 'string') throw new TraceFormatError(`${where}.${k}`, 'a string label value');
  }
  return v as Labels;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
