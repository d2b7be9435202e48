/**
 * The `data` of Loki's answers → model: a query_range page (log
 * streams or, for metric LogQL, a matrix) and series label sets. Pure functions that throw
 * TraceFormatError on a shape they do not know; the client turns that into BadResponseError.
 */
import { isObject } from '../../formats/common';
import { decodeLokiStreams } from '../../formats/lokiStreams';
import { decodePromData, labelMap } from '../../formats/promMatrix';
import { TraceFormatError } from '../../model/errors';
import type { Labels, LogLine } from '../../model/logs';
import type { Series } from '../../model/series';

export type LokiQueryData = { readonly kind: 'streams'; readonly lines: LogLine[] } | { readonly kind: 'matrix'; readonly series: Series[] };

/** One query_range page's `data`: `{resultType:"streams",result}` or a Prometheus-style result. */
export function decodeLokiQueryData(data: unknown): LokiQueryData {
  if (!isObject(data)) throw new TraceFormatError('data', 'an object');
  if (data.resultType === 'streams') return { kind: 'streams', lines: decodeLokiStreams(data.result) };
  return { kind: 'matrix', series: decodePromData(data, 'data').series };
}

/** `/loki/api/v1/series`: label sets; a missing `data` is none (Loki omits an empty list). */
export function decodeLokiSeries(data: unknown): Labels[] {
  if (data === undefined) return [];
  if (!Array.isArray(data)) throw new TraceFormatError('data', 'an array of label sets');
  return data.map((s: unknown, i) => {
    if (!isObject(s)) throw new TraceFormatError(`data[${i}]`, 'an object of string labels');
    return labelMap(s, `data[${i}]`);
  });
}
