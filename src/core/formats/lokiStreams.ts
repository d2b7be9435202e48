/**
 * Loki `resultType: "streams"` → LogLine[]. Handles both encodings:
 * plain `[ts, line]` pairs, where structured metadata and parsed labels are merged into the
 * stream, and `categorize-labels` triples `[ts, line, {structuredMetadata?, parsed?}]`.
 * Timestamps are nanosecond strings and stay exact (bigint).
 */
import { TraceFormatError } from '../model/errors';
import { NO_LABELS, type Labels, type LogDirection, type LogLine } from '../model/logs';

const MAX_INT64 = (1n << 63n) - 1n;

export function decodeLokiStreams(result: unknown, where = 'data.result'): LogLine[] {
  if (!Array.isArray(result)) throw new TraceFormatError(where, 'an array of streams');
  const out: LogLine[] = [];
  for (let s = 0; s < result.length; s++) {
    const stream: unknown = result[s];
    const at = `${where}[${s}]`;
    if (!isObject(stream)) throw new TraceFormatError(at, 'a stream object');
    const labels = labelMap(stream.stream, `${at}.stream`);
    const values = stream.values;
    if (!Array.isArray(values)) throw new TraceFormatError(`${at}.values`, 'an array of [timestamp, line] entries');
    for (let i = 0; i < values.length; i++) {
      const v: unknown = values[i];
      if (!Array.isArray(v) || v.length < 2) throw new TraceFormatError(`${at}.values[${i}]`, 'a [timestamp, line] entry');
      const ts: unknown = v[0];
      const line: unknown = v[1];
      const timestampNs = typeof ts === 'string' && /^\d{1,20}$/.test(ts) ? BigInt(ts) : undefined;
      // Loki's timestamps are int64 nanoseconds; 20 digits can spell more than that.
      if (timestampNs === undefined || timestampNs > MAX_INT64) {
        throw new TraceFormatError(`${at}.values[${i}][0]`, 'a timestamp in nanoseconds as a decimal string');
      }
      if (typeof line !== 'string') throw new TraceFormatError(`${at}.values[${i}][1]`, 'the log line as a string');
      let metadata = NO_LABELS;
      let parsed = NO_LABELS;
      const cat: unknown = v[2];
      if (cat !== undefined) {
        if (!isObject(cat)) throw new TraceFormatError(`${at}.values[${i}][2]`, 'an object of categorized labels');
        if (cat.structuredMetadata !== undefined) metadata = labelMap(cat.structuredMetadata, `${at}.values[${i}][2].structuredMetadata`);
        if (cat.parsed !== undefined) parsed = labelMap(cat.parsed, `${at}.values[${i}][2].parsed`);
      }
      out.push({ timestampNs, line, labels, metadata, parsed });
    }
  }
  return out;
}

/** Merges lines of several streams into one time order; ties keep the server's order. */
export function sortLogLines(lines: LogLine[], direction: LogDirection): LogLine[] {
  const sign = direction === 'backward' ? -1 : 1;
  return lines.sort((a, b) => (a.timestampNs === b.timestampNs ? 0 : a.timestampNs < b.timestampNs ? -sign : sign));
}

function labelMap(v: unknown, where: string): Labels {
  if (!isObject(v)) throw new TraceFormatError(where, 'an object of string labels');
  const keys = Object.keys(v);
  if (keys.length === 0) return NO_LABELS;
  for (const k of keys) {
    if (typeof v[k] !== 'string') throw new TraceFormatError(`${where}.${k}`, 'a string label value');
  }
  return v as Labels;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
