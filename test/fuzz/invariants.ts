/**
 * The promises the model's types make in their comments (src/core/model/*), checked on whatever
 * a parser returns: ids in one spelling, times exact and ordered, values of the declared kinds.
 * Views and the CLI rely on these without checking again (e.g. `new Date(timeMs)` throws on an
 * infinite time), so a parser that returns a model breaking one has a bug.
 */
import type { LogEntry, LogLine } from '../../src/core/model/logs';
import type { Series } from '../../src/core/model/series';
import type { Attribute, AttrValue, ParsedTraces, Span } from '../../src/core/model/trace';
import type { TraceSearchResult } from '../../src/core/model/traceSearch';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const KINDS = new Set(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);
const CODES = new Set(['unset', 'ok', 'error']);
/** ±8.64e15 ms is the range a JS Date can hold. */
const MAX_DATE_MS = 8.64e15;

function fail(what: string): never {
  throw new Error(what);
}

/** Times are OTLP's fixed64 nanoseconds, whatever format they came from. */
function isU64(v: unknown): boolean {
  return typeof v === 'bigint' && v >= 0n && v < 2n ** 64n;
}

function attrValue(v: AttrValue, where: string, depth = 0): void {
  if (depth > 200) fail(`${where}: nested deeper than 200`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') return; // NaN and the infinities are legal doubles
  if (Array.isArray(v)) return v.forEach((x, i) => attrValue(x, `${where}[${i}]`, depth + 1));
  if (typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) fail(`${where}: an object with a foreign prototype`);
    for (const k of Object.keys(v)) attrValue((v as Record<string, AttrValue>)[k]!, `${where}.${k}`, depth + 1);
    return;
  }
  fail(`${where}: not an attribute value (${typeof v})`);
}

function attributes(list: readonly Attribute[], where: string): void {
  if (!Array.isArray(list)) fail(`${where}: not a list`);
  list.forEach((a, i) => {
    if (typeof a.key !== 'string') fail(`${where}[${i}].key is not a string`);
    attrValue(a.value, `${where}[${i}].value`);
  });
}

function span(s: Span, traceId: string, where: string): void {
  if (s.traceId !== traceId) fail(`${where}: trace id ${s.traceId} in trace ${traceId}`);
  if (!SPAN_ID.test(s.spanId)) fail(`${where}: span id ${JSON.stringify(s.spanId)}`);
  if (s.parentSpanId !== undefined && (!SPAN_ID.test(s.parentSpanId) || s.parentSpanId === '0000000000000000')) fail(`${where}: parent ${JSON.stringify(s.parentSpanId)}`);
  if (typeof s.name !== 'string') fail(`${where}: name`);
  if (!KINDS.has(s.kind)) fail(`${where}: kind ${String(s.kind)}`);
  if (!isU64(s.start) || !isU64(s.end)) fail(`${where}: start/end not unsigned nanoseconds`);
  if (s.end < s.start) fail(`${where}: ends before it starts`);
  if (!CODES.has(s.status.code)) fail(`${where}: status ${String(s.status.code)}`);
  if (s.status.message !== undefined && typeof s.status.message !== 'string') fail(`${where}: status message`);
  attributes(s.attributes, `${where}.attributes`);
  attributes(s.resource.attributes, `${where}.resource.attributes`);
  if (typeof s.resource.serviceName !== 'string' || s.resource.serviceName === '') fail(`${where}: service name`);
  attributes(s.scope.attributes, `${where}.scope.attributes`);
  s.events.forEach((e, i) => {
    if (!isU64(e.time) || typeof e.name !== 'string') fail(`${where}.events[${i}]`);
    attributes(e.attributes, `${where}.events[${i}].attributes`);
  });
  s.links.forEach((l, i) => {
    if (!TRACE_ID.test(l.traceId) || !SPAN_ID.test(l.spanId)) fail(`${where}.links[${i}]: ids`);
    attributes(l.attributes, `${where}.links[${i}].attributes`);
  });
  if (s.traceState !== undefined && typeof s.traceState !== 'string') fail(`${where}: traceState`);
}

export function checkParsedTraces(m: unknown): void {
  const raw = m as { traces?: unknown; warnings?: unknown };
  if (!Array.isArray(raw.traces) || !Array.isArray(raw.warnings)) fail('not ParsedTraces');
  const p = m as ParsedTraces;
  p.warnings.forEach((w, i) => typeof w === 'string' || fail(`warnings[${i}]`));
  const ids = new Set<string>();
  let lastMin: bigint | undefined;
  p.traces.forEach((t, i) => {
    if (!TRACE_ID.test(t.traceId)) fail(`traces[${i}]: trace id ${JSON.stringify(t.traceId)}`);
    if (ids.has(t.traceId)) fail(`traces[${i}]: trace ${t.traceId} appears twice`);
    ids.add(t.traceId);
    if (t.spans.length === 0) fail(`traces[${i}]: no spans`);
    let min = t.spans[0]!.start;
    t.spans.forEach((s, j) => {
      span(s, t.traceId, `traces[${i}].spans[${j}]`);
      if (s.start < min) min = s.start;
    });
    if (lastMin !== undefined && min < lastMin) fail(`traces[${i}]: traces not ordered by earliest start`);
    lastMin = min;
  });
}

/** Tempo's proto decoders return `{parsed, partial, message}`. */
export function checkTempoProto(m: unknown): void {
  const r = m as { parsed: unknown; partial: unknown; message?: unknown };
  if (typeof r.partial !== 'boolean') fail('partial is not a boolean');
  if (r.message !== undefined && typeof r.message !== 'string') fail('message');
  checkParsedTraces(r.parsed);
}

function labels(l: unknown, where: string): void {
  if (typeof l !== 'object' || l === null || Array.isArray(l)) fail(`${where}: not a label object`);
  for (const [k, v] of Object.entries(l)) if (typeof v !== 'string') fail(`${where}.${k}: not a string`);
}

export function checkLogLines(m: unknown): void {
  if (!Array.isArray(m)) fail('not a list of log lines');
  (m as LogLine[]).forEach((l, i) => {
    if (!isU64(l.timestampNs)) fail(`[${i}]: timestamp`);
    if (typeof l.line !== 'string') fail(`[${i}]: line`);
    labels(l.labels, `[${i}].labels`);
    labels(l.metadata, `[${i}].metadata`);
    labels(l.parsed, `[${i}].parsed`);
  });
}

export function checkTimeMs(t: unknown, where: string): void {
  if (typeof t !== 'number' || !Number.isInteger(t) || Math.abs(t) > MAX_DATE_MS) fail(`${where}: ${String(t)} is not a time a Date can hold`);
}

export function checkSeries(m: unknown): void {
  if (!Array.isArray(m)) fail('not a list of series');
  (m as Series[]).forEach((s, i) => {
    labels(s.labels, `[${i}].labels`);
    s.points.forEach((p, j) => {
      checkTimeMs(p.timeMs, `[${i}].points[${j}].timeMs`);
      if (typeof p.value !== 'number') fail(`[${i}].points[${j}].value`);
    });
  });
}

export function checkSearch(m: unknown): void {
  if (!Array.isArray((m as { traces?: unknown }).traces)) fail('traces');
  const r = m as TraceSearchResult;
  r.traces.forEach((t, i) => {
    if (!TRACE_ID.test(t.traceId)) fail(`traces[${i}].traceId ${JSON.stringify(t.traceId)}`);
    if (!isU64(t.start)) fail(`traces[${i}].start`);
    if (typeof t.durationMs !== 'number' || !Number.isFinite(t.durationMs)) fail(`traces[${i}].durationMs`);
    for (const [svc, st] of Object.entries(t.serviceStats)) {
      if (!Number.isFinite(st.spanCount) || !Number.isFinite(st.errorCount)) fail(`traces[${i}].serviceStats.${svc}`);
    }
    if (Object.getPrototypeOf(t.serviceStats) !== Object.prototype) fail(`traces[${i}].serviceStats has a foreign prototype`);
    t.spanSets.forEach((s, j) => {
      if (!Number.isFinite(s.matched)) fail(`traces[${i}].spanSets[${j}].matched`);
      attributes(s.attributes, `traces[${i}].spanSets[${j}].attributes`);
      s.spans.forEach((sp, k) => {
        if (!SPAN_ID.test(sp.spanId)) fail(`traces[${i}].spanSets[${j}].spans[${k}].spanId`);
        if (!isU64(sp.start) || !isU64(sp.durationNs)) fail(`traces[${i}].spanSets[${j}].spans[${k}] times`);
        attributes(sp.attributes, `traces[${i}].spanSets[${j}].spans[${k}].attributes`);
      });
    });
  });
}

/** Strings only, for lists of names and values. */
export function checkStrings(m: unknown, where = ''): void {
  if (!Array.isArray(m)) fail(`${where}: not a list`);
  m.forEach((s, i) => typeof s === 'string' || fail(`${where}[${i}]: not a string`));
}

export function checkLabelSets(m: unknown): void {
  if (!Array.isArray(m)) fail('not a list of label sets');
  m.forEach((l, i) => labels(l, `[${i}]`));
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** Log entries (Loki lines or file lines made entries): exact times, ids in the model's spelling, a source with a path. */
export function checkLogEntries(m: unknown): void {
  if (!Array.isArray(m)) fail('not a list of log entries');
  (m as LogEntry[]).forEach((e, i) => {
    if (typeof e.timestampNs !== 'bigint') fail(`[${i}]: timestamp`);
    if (typeof e.line !== 'string' || typeof e.message !== 'string') fail(`[${i}]: line or message`);
    labels(e.labels, `[${i}].labels`);
    labels(e.metadata, `[${i}].metadata`);
    if (e.traceId !== undefined && !TRACE_ID.test(e.traceId)) fail(`[${i}].traceId ${JSON.stringify(e.traceId)}`);
    if (e.spanId !== undefined && !SPAN_ID.test(e.spanId)) fail(`[${i}].spanId ${JSON.stringify(e.spanId)}`);
    if (e.level !== undefined && !LEVELS.has(e.level)) fail(`[${i}].level ${JSON.stringify(e.level)}`);
    if (typeof e.fields !== 'object' || e.fields === null) fail(`[${i}].fields`);
    if (e.source !== null) {
      if (typeof e.source.path !== 'string') fail(`[${i}].source.path`);
      if (e.source.line !== undefined && !(Number.isSafeInteger(e.source.line) && e.source.line > 0)) fail(`[${i}].source.line`);
    }
  });
}
