/**
 * Trace files and response bodies → model. The format is recognised from the content, never
 * from a file name: the same OTLP JSON arrives as `.json`, `.otlp`, a Tempo download or pasted
 * text.
 */
import { TraceFormatError } from '../model/errors';
import type { ParsedTraces } from '../model/trace';
import { isObject, TraceCollector } from './common';
import { decodeJaegerTraces, isJaegerErrorAnswer, isJaegerUiStoreState, jaegerErrorAnswer } from './jaeger';
import { findJsonFault } from './jsonError';
import { DEFAULT_MAX_TEXT_BYTES, parseJsonBytes, type JsonBytesOptions } from './jsonBytes';
import { decodeResourceSpans } from './otlpJson';
import { decodeZipkinSpans, isZipkinV1 } from './zipkin';

export { TraceFormatError } from '../model/errors';

const FORMATS_TRIED =
  'OTLP/JSON {"resourceSpans":[…]}, Tempo v1 {"batches":[…]}, Tempo v2 {"trace":{…}}, ' +
  'Jaeger {"data":[…]} or {"traceID","spans","processes"}, Zipkin v2 [{"traceId","id",…}]';

/**
 * Parses JSON bytes (a file, a response body) holding traces in any supported format, without
 * making one string of inputs too large for one (see jsonBytes.ts).
 */
export function parseTraceBytes(bytes: Uint8Array, opts: JsonBytesOptions = {}): ParsedTraces {
  if (bytes.byteLength <= (opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES)) return parseTraceText(new TextDecoder('utf-8').decode(bytes));
  return decode(parseJsonBytes(bytes, opts), true);
}

/** Parses JSON text (a file, a response body) holding traces in any supported format. */
export function parseTraceText(text: string): ParsedTraces {
  // Editors on Windows save a byte-order mark, which JSON.parse rejects.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    if (body.trim() === '') throw new TraceFormatError('', 'not JSON: the text is empty');
    const f = findJsonFault(body);
    const at = f ? ` at line ${f.line}, column ${f.column} (offset ${f.offset}): ${f.problem}` : '';
    throw new TraceFormatError('', `not JSON${at}`);
  }
  return decode(value, true);
}

function keysOf(o: Record<string, unknown>): string {
  const keys = Object.keys(o);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 6).map((k) => JSON.stringify(k.length > 30 ? `${k.slice(0, 30)}…` : k));
  return `an object with keys ${shown.join(', ')}${keys.length > 6 ? ', …' : ''}`;
}

function unknownJson(found: string): never {
  throw new TraceFormatError('', `not a trace format this reads: tried ${FORMATS_TRIED}; found ${found}`);
}

/** Decodes an already-parsed JSON value holding traces in any supported format; `value` is not modified. */
export function parseTraceValue(value: unknown): ParsedTraces {
  return decode(value, false);
}

/** `owned`: the value was parsed here and may be consumed (see otlpJson's reuseInput). */
function decode(value: unknown, owned: boolean): ParsedTraces {
  const out = new TraceCollector();
  if (Array.isArray(value)) {
    if (isZipkinV1(value)) {
      throw new TraceFormatError('', 'Zipkin v1 JSON (annotations with endpoints, binaryAnnotations) is not supported; fetch the trace from Zipkin\'s v2 API (/api/v2/trace/{traceId})');
    }
    // An empty array is a Zipkin trace with no spans (what /api/v2/trace returns for nothing).
    decodeZipkinSpans(value, out);
    return out.finish('zipkin');
  }
  if (!isObject(value)) return unknownJson(value === null ? 'null' : `a ${typeof value}`);

  if (value.resourceSpans !== undefined) {
    decodeResourceSpans(value.resourceSpans, 'resourceSpans', out, owned);
    return out.finish('otlp-json');
  }
  if (value.batches !== undefined) {
    decodeResourceSpans(value.batches, 'batches', out, owned);
    return out.finish('tempo-v1');
  }
  if (value.trace !== undefined) return tempoV2(value, out, owned);
  if (isJaegerUiStoreState(value)) {
    throw new TraceFormatError('', 'this is jaeger-ui\'s internal store state ({"data":{"traceID","spans",…},"id","state"}), not a Jaeger API response; save the trace from Jaeger\'s /api/traces/{traceId} or the UI\'s "Download JSON"');
  }
  if (isJaegerErrorAnswer(value)) throw new TraceFormatError('', `this is an error answer, not a trace: ${jaegerErrorAnswer(value)}`);
  if (Array.isArray(value.data) || (Array.isArray(value.spans) && value.traceID !== undefined)) {
    decodeJaegerTraces(value, out);
    return out.finish('jaeger');
  }
  if (value.resourceLogs !== undefined || value.resourceMetrics !== undefined) {
    throw new TraceFormatError('', `this is OTLP ${value.resourceLogs !== undefined ? 'logs' : 'metrics'}, not traces (expected "resourceSpans")`);
  }
  return unknownJson(keysOf(value));
}

/** Tempo `GET /api/v2/traces/<id>`: `{"trace":{"resourceSpans":[…]},"metrics":…,"status","message"}`. */
function tempoV2(value: Record<string, unknown>, out: TraceCollector, owned: boolean): ParsedTraces {
  const trace = value.trace;
  if (!isObject(trace)) throw new TraceFormatError('trace', 'expected an object');
  // Not found is HTTP 200 with `{"trace":{}}`: zero traces, not an error.
  decodeResourceSpans(trace.resourceSpans, 'trace.resourceSpans', out, owned);
  // jsonpb writes enums by name, but other encoders write the number (PARTIAL = 1).
  if (value.status === 'PARTIAL' || value.status === 1) {
    const message = typeof value.message === 'string' && value.message !== '' ? value.message : undefined;
    out.warn(`Tempo returned a partial trace${message ? `: ${message}` : ''}`);
    return out.finish('tempo-v2', message ? { message } : {});
  }
  return out.finish('tempo-v2');
}
