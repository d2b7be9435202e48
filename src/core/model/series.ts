/**
 * Time series from Prometheus or Loki metric queries, and exemplars that link a sample to a
 * trace. Sample times are integer Unix milliseconds (both servers' resolution); values are
 * doubles with NaN and ±Infinity kept.
 */
import type { Labels } from './logs';

export interface SamplePoint {
  /** Unix time in milliseconds. */
  readonly timeMs: number;
  readonly value: number;
}

export interface Series {
  readonly labels: Labels;
  readonly points: readonly SamplePoint[];
}

export type PromResultType = 'matrix' | 'vector' | 'scalar' | 'string';

export interface SeriesResult {
  readonly resultType: PromResultType;
  /** Matrix and vector results; a scalar is one series with no labels. */
  readonly series: readonly Series[];
  /** Only for `string` results. */
  readonly stringValue?: string;
  /** Server warnings and infos, verbatim. */
  readonly warnings: readonly string[];
  readonly infos: readonly string[];
}

export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  readonly timeMs: number;
  /** 32 lowercase hex when a trace-id-like label holds a valid id. */
  readonly traceId?: string;
  readonly spanId?: string;
}

export interface ExemplarSeries {
  readonly seriesLabels: Labels;
  readonly exemplars: readonly Exemplar[];
}
