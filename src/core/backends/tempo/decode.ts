/**
 * Tempo's JSON answers other than traces → model: search results,
 * tag names and tag values, v1 and v2. Pure functions over an already-parsed body that throw
 * TraceFormatError on a shape they do not know, so the client turns that into BadResponseError
 * and the fuzz harness can drive them without a server. Trace bodies go through formats/.
 */
import { FieldError, isObject, toUint64 } from '../../formats/common';
import { attributes } from '../../formats/otlpJson';
import { TraceFormatError } from '../../model/errors';
import { spanIdToHex, traceIdToHex } from '../../model/ids';
import type { MatchedSpan, SpanSet, TagScope, TagValue, TraceSearchResult, TraceSummary } from '../../model/traceSearch';
import { asStringArray, setOwn } from '../decode';

export type { TagScope, TagValue } from '../../model/traceSearch';

const ROOT_MISSING = '<root span not yet received>';

/** `GET /api/search` → traces with ids padded back to 32 hex. */
export function decodeSearch(value: unknown): TraceSearchResult {
  return located(() => {
    if (!isObject(value) || !Array.isArray(value.traces)) throw new TraceFormatError('traces', 'an array of search results');
    const traces = value.traces.map((t: unknown, i: number) => summary(t, `traces[${i}]`));
    const metrics = isObject(value.metrics) ? value.metrics : {};
    return { traces, metrics };
  });
}

/** `GET /api/v2/search/tags`: `{"scopes":[{"name","tags"}]}`. */
export function decodeTagScopes(value: unknown): TagScope[] {
  const scopes = isObject(value) ? value.scopes : undefined;
  if (!Array.isArray(scopes)) throw new TraceFormatError('scopes', 'an array of tag scopes');
  return scopes.map((s: unknown, i) => {
    if (!isObject(s)) throw new TraceFormatError(`scopes[${i}]`, 'a {name, tags} object');
    return { name: typeof s.name === 'string' ? s.name : '', tags: asStringArray(s.tags ?? [], `scopes[${i}].tags`) };
  });
}

/** `GET /api/search/tags` (v1): `{"tagNames":[…]}`, one scope with no name. */
export function decodeTagNamesV1(value: unknown): TagScope[] {
  if (!isObject(value)) throw new TraceFormatError('', 'an object with tagNames');
  return [{ name: 'unscoped', tags: asStringArray(value.tagNames ?? [], 'tagNames') }];
}

/** `GET /api/v2/search/tag/<id>/values`: `{"tagValues":[{"type","value"}]}`. */
export function decodeTagValuesV2(value: unknown): TagValue[] {
  if (!isObject(value)) throw new TraceFormatError('', 'an object with tagValues');
  const list = value.tagValues ?? [];
  if (!Array.isArray(list)) throw new TraceFormatError('tagValues', 'an array');
  return list.map((t: unknown, i) => {
    if (!isObject(t) || typeof t.value !== 'string') throw new TraceFormatError(`tagValues[${i}]`, 'a {type, value} object');
    return { type: typeof t.type === 'string' ? t.type : 'string', value: t.value };
  });
}

/** `GET /api/search/tag/<name>/values` (v1): plain strings. */
export function decodeTagValuesV1(value: unknown): TagValue[] {
  if (!isObject(value)) throw new TraceFormatError('', 'an object with tagValues');
  return asStringArray(value.tagValues ?? [], 'tagValues').map((v) => ({ type: 'string', value: v }));
}

/** Attribute decoding reports a FieldError relative to its list; give it the list's place. */
function located<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FieldError) throw new TraceFormatError('', err.problem);
    throw err;
  }
}

function summary(t: unknown, at: string): TraceSummary {
  if (!isObject(t)) throw new TraceFormatError(at, 'a search result object');
  const traceId = typeof t.traceID === 'string' ? traceIdToHex(t.traceID) : undefined;
  if (!traceId) throw new TraceFormatError(`${at}.traceID`, 'a hex trace id');
  const rootServiceName = typeof t.rootServiceName === 'string' ? t.rootServiceName : '';
  const sets = Array.isArray(t.spanSets) ? t.spanSets : t.spanSet !== undefined ? [t.spanSet] : [];
  // Service names are keys from the server: a plain object would take "__proto__" as its prototype.
  const serviceStats: Record<string, { spanCount: number; errorCount: number }> = {};
  if (isObject(t.serviceStats)) {
    for (const [svc, st] of Object.entries(t.serviceStats)) {
      const o = isObject(st) ? st : {};
      setOwn(serviceStats, svc, { spanCount: count(o.spanCount), errorCount: count(o.errorCount) });
    }
  }
  return {
    traceId,
    rootServiceName,
    rootTraceName: typeof t.rootTraceName === 'string' ? t.rootTraceName : undefined,
    rootMissing: rootServiceName === ROOT_MISSING,
    start: uint64(t.startTimeUnixNano, `${at}.startTimeUnixNano`),
    durationMs: typeof t.durationMs === 'number' && Number.isFinite(t.durationMs) ? t.durationMs : 0,
    spanSets: sets.map((s: unknown, j: number) => spanSet(s, `${at}.spanSets[${j}]`)),
    serviceStats,
  };
}

function spanSet(s: unknown, at: string): SpanSet {
  if (!isObject(s)) throw new TraceFormatError(at, 'a spanset object');
  const spans = Array.isArray(s.spans) ? s.spans : [];
  return {
    spans: spans.map((sp: unknown, k: number) => matchedSpan(sp, `${at}.spans[${k}]`)),
    matched: typeof s.matched === 'number' && Number.isFinite(s.matched) ? s.matched : 0,
    attributes: attributes(s.attributes, `${at}.attributes`),
  };
}

function matchedSpan(sp: unknown, at: string): MatchedSpan {
  if (!isObject(sp)) throw new TraceFormatError(at, 'a span object');
  const spanId = typeof sp.spanID === 'string' ? spanIdToHex(sp.spanID) : undefined;
  if (!spanId) throw new TraceFormatError(`${at}.spanID`, 'a hex span id');
  return {
    spanId,
    name: typeof sp.name === 'string' ? sp.name : undefined,
    start: uint64(sp.startTimeUnixNano, `${at}.startTimeUnixNano`),
    durationNs: uint64(sp.durationNanos, `${at}.durationNanos`),
    attributes: attributes(sp.attributes, `${at}.attributes`),
  };
}

/** A counter Tempo writes as a number (or, through some proxies, a decimal string). */
function count(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
  return 0;
}

function uint64(v: unknown, where: string): bigint {
  if (v === undefined) return 0n; // jsonpb omits zero
  const n = typeof v === 'number' && !Number.isSafeInteger(v) ? undefined : toUint64(v);
  if (n === undefined) throw new TraceFormatError(where, 'an unsigned 64-bit integer as a decimal string');
  return n;
}
