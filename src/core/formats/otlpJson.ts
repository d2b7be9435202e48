/**
 * OTLP/JSON traces → model, in both spellings met in practice:
 * the spec's (hex ids, integer enums) and Tempo's jsonpb (base64 ids, enum names, 64-bit ints as
 * strings, zero values omitted). Envelopes (bare, Tempo v1 `batches`, v2 `trace`) are unwrapped
 * by formats/index.ts, which hands the `resourceSpans` list here.
 *
 * This is the hot path for 100k-span Tempo responses, budgeted at 2× a bare JSON.parse, hence:
 * resources and scopes decoded once and shared, the trace id decoded once per run of equal
 * strings, error paths built only when something is wrong, no closures or regexes per span.
 */
import { spanIdToHex, traceIdToHex, ZERO_SPAN_ID } from '../model/ids';
import { isLazyArray } from './jsonBytes';
import type {
  Attribute,
  AttrValue,
  Resource,
  Scope,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanSink,
  StatusCode,
} from '../model/trace';
import {
  bad,
  describe,
  fail,
  FieldError,
  isObject,
  kindOf,
  NO_ATTRIBUTES,
  NO_EVENTS,
  NO_LINKS,
  NO_SCOPE,
  settledEnd,
  STATUS_ERROR,
  STATUS_OK,
  STATUS_UNSET,
  toUint64,
  UNKNOWN_SERVICE,
} from './common';

const KIND_BY_NUMBER: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const KIND_BY_NAME = new Map<string, SpanKind>([
  ['SPAN_KIND_UNSPECIFIED', 'unspecified'],
  ['SPAN_KIND_INTERNAL', 'internal'],
  ['SPAN_KIND_SERVER', 'server'],
  ['SPAN_KIND_CLIENT', 'client'],
  ['SPAN_KIND_PRODUCER', 'producer'],
  ['SPAN_KIND_CONSUMER', 'consumer'],
]);
const STATUS_BY_NUMBER: readonly StatusCode[] = ['unset', 'ok', 'error'];
const STATUS_BY_NAME = new Map<string, StatusCode>([
  ['STATUS_CODE_UNSET', 'unset'],
  ['STATUS_CODE_OK', 'ok'],
  ['STATUS_CODE_ERROR', 'error'],
]);
const SHARED_STATUS = { unset: STATUS_UNSET, ok: STATUS_OK, error: STATUS_ERROR } as const;

/** AnyValue nesting deeper than this is hostile input, not telemetry; refuse it before the stack does. */
const MAX_VALUE_DEPTH = 64;

function isIntString(s: string): boolean {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0; // '-': int64 may be negative
  if (i === n || n - i > 19) return false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Numbers when exact; beyond 2^53 the decimal string is kept so no digit is lost. */
function intValue(x: unknown, field: string): AttrValue {
  if (typeof x === 'number') {
    if (Number.isInteger(x)) return x;
  } else if (typeof x === 'string' && isIntString(x)) {
    const n = Number(x);
    return Number.isSafeInteger(n) ? n : x;
  }
  return bad(`${field}.intValue`, 'an integer', kindOf(x));
}

function doubleValue(x: unknown, field: string): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string') {
    // jsonpb writes NaN and the infinities as strings.
    if (x === 'NaN') return NaN;
    if (x === 'Infinity') return Infinity;
    if (x === '-Infinity') return -Infinity;
    const n = Number(x);
    if (x.trim() !== '' && !Number.isNaN(n)) return n;
  }
  return bad(`${field}.doubleValue`, 'a number', kindOf(x));
}

function anyValue(v: unknown, field: string, depth: number): AttrValue {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) return bad(field, 'an AnyValue object', kindOf(v));
  const o = v as Record<string, unknown>;
  let x = o.stringValue;
  if (x !== undefined) return typeof x === 'string' ? x : bad(`${field}.stringValue`, 'a string', kindOf(x));
  x = o.intValue;
  if (x !== undefined) return intValue(x, field);
  x = o.boolValue;
  if (x !== undefined) return typeof x === 'boolean' ? x : bad(`${field}.boolValue`, 'a boolean', kindOf(x));
  x = o.doubleValue;
  if (x !== undefined) return doubleValue(x, field);
  x = o.arrayValue;
  if (x !== undefined) return arrayValue(x, `${field}.arrayValue`, depth);
  x = o.kvlistValue;
  if (x !== undefined) return kvlistValue(x, `${field}.kvlistValue`, depth);
  x = o.bytesValue;
  // The model has no bytes type; the base64 text is the faithful, printable form.
  if (x !== undefined) return typeof x === 'string' ? x : bad(`${field}.bytesValue`, 'a base64 string', kindOf(x));
  return null; // `{}`: an AnyValue with nothing set
}

/** Hostile nesting makes paths as long as the nesting; keep messages one readable line. */
function shorten(field: string): string {
  return field.length > 80 ? `${field.slice(0, 40)}…${field.slice(-30)}` : field;
}

function arrayValue(x: unknown, field: string, depth: number): AttrValue[] {
  if (!isObject(x)) return bad(field, 'an object', kindOf(x));
  if (depth >= MAX_VALUE_DEPTH) return bad(shorten(field), `nested at most ${MAX_VALUE_DEPTH} deep`, 'deeper nesting');
  const values = x.values;
  if (values === undefined) return []; // Tempo writes an empty array as `{"arrayValue":{}}`
  if (!Array.isArray(values)) return bad(`${field}.values`, 'an array', kindOf(values));
  const out: AttrValue[] = new Array<AttrValue>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = anyValue(values[i], `${field}.values[${i}]`, depth + 1);
  return out;
}

function kvlistValue(x: unknown, field: string, depth: number): { [key: string]: AttrValue } {
  if (!isObject(x)) return bad(field, 'an object', kindOf(x));
  if (depth >= MAX_VALUE_DEPTH) return bad(shorten(field), `nested at most ${MAX_VALUE_DEPTH} deep`, 'deeper nesting');
  const values = x.values;
  const out: { [key: string]: AttrValue } = {};
  if (values === undefined) return out;
  if (!Array.isArray(values)) return bad(`${field}.values`, 'an array', kindOf(values));
  for (let i = 0; i < values.length; i++) {
    const kv: unknown = values[i];
    if (!isObject(kv)) return bad(`${field}.values[${i}]`, 'a key/value object', kindOf(kv));
    const key = kv.key === undefined ? '' : kv.key;
    if (typeof key !== 'string') return bad(`${field}.values[${i}].key`, 'a string', kindOf(key));
    const value = anyValue(kv.value, `${field}.values[${i}].value`, depth + 1);
    // A key of "__proto__" from a file must stay data, not become the object's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

/**
 * True while decoding a JSON value that parseTraceText parsed itself and nobody else holds: its
 * key/value objects are then turned into the model's Attributes in place. Attributes are most of
 * a span's objects (16 per Dynamo span), and allocating fresh ones cost ~10% of decode time.
 */
let reuseInput = false;

/**
 * True while decoding for a reader that must give back what it received (the capture store):
 * attributes then carry the OTLP type where the value alone loses it (model Attribute.type), and
 * spans and links their flags and dropped counts.
 */
let keepWire = false;

/** The OTLP type of a raw AnyValue that its model value does not show (see Attribute.type). */
export function jsonWireType(raw: unknown, value: AttrValue): Attribute['type'] {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (o.stringValue !== undefined) return undefined;
  if (o.intValue !== undefined) return typeof value === 'string' ? 'int' : undefined;
  if (o.boolValue !== undefined) return undefined;
  if (o.doubleValue !== undefined) return typeof value === 'number' && Number.isInteger(value) ? 'double' : undefined;
  if (o.arrayValue !== undefined || o.kvlistValue !== undefined) return undefined;
  return o.bytesValue !== undefined ? 'bytes' : undefined;
}

/** `owner` is a constant like "attributes"; paths are only concatenated on error or nesting. */
export function attributes(list: unknown, owner: string): readonly Attribute[] {
  if (list === undefined || list === null) return NO_ATTRIBUTES;
  if (!Array.isArray(list)) return bad(owner, 'an array', kindOf(list));
  const n = list.length;
  if (n === 0) return NO_ATTRIBUTES;
  // When reusing, the parsed list itself becomes the Attribute list, element by element; not a
  // lazy list from parseJsonBytes, whose elements are parsed afresh each time their batch loads.
  const reuse = reuseInput && !isLazyArray(list);
  const out: Attribute[] = reuse ? (list as Attribute[]) : new Array<Attribute>(n);
  for (let i = 0; i < n; i++) {
    const kv: unknown = list[i];
    if (typeof kv !== 'object' || kv === null) return bad(`${owner}[${i}]`, 'a key/value object', kindOf(kv));
    let key = (kv as { key?: unknown }).key;
    if (typeof key !== 'string') {
      if (key !== undefined) return bad(`${owner}[${i}].key`, 'a string', kindOf(key));
      key = ''; // jsonpb omits an empty key
    }
    const raw = (kv as { value?: unknown }).value;
    // Inline fast path for the commonest value; anyValue handles the rest and all errors.
    const s = typeof raw === 'object' && raw !== null ? (raw as { stringValue?: unknown }).stringValue : undefined;
    const value = typeof s === 'string' ? s : anyValue(raw, `${owner}[${i}].value`, 0);
    const type = keepWire && typeof s !== 'string' ? jsonWireType(raw, value) : undefined;
    if (reuse) {
      // The parsed {key, value} object becomes the Attribute: one allocation fewer per attribute.
      const a = kv as { key: string; value: AttrValue; type?: Attribute['type'] };
      a.key = key as string;
      a.value = value;
      if (type) a.type = type;
    } else {
      out[i] = type ? { key: key as string, value, type } : { key: key as string, value };
    }
  }
  return out;
}

function nanos(v: unknown, field: string, out: SpanSink): bigint {
  if (v === undefined) return 0n; // jsonpb omits zero
  const t = toUint64(v);
  if (t === undefined) return bad(field, 'an integer of unix nanoseconds', describe(v));
  if (typeof v === 'number') out.noteNumber(t);
  return t;
}

function kindOfSpan(k: unknown): SpanKind {
  if (k === undefined) return 'unspecified';
  if (typeof k === 'number') {
    // Proto enums are open: an unknown number is legal on the wire and means "not one we know".
    if (Number.isInteger(k)) return KIND_BY_NUMBER[k] ?? 'unspecified';
  } else if (typeof k === 'string') {
    const kind = KIND_BY_NAME.get(k);
    if (kind !== undefined) return kind;
  }
  return bad('kind', 'a span kind, 0-5 or SPAN_KIND_*', describe(k));
}

function status(s: unknown): Span['status'] {
  if (s === undefined || s === null) return STATUS_UNSET;
  if (!isObject(s)) return bad('status', 'an object', kindOf(s));
  const c = s.code;
  let code: StatusCode | undefined;
  if (c === undefined) code = 'unset';
  else if (typeof c === 'number') code = Number.isInteger(c) ? (STATUS_BY_NUMBER[c] ?? 'unset') : undefined;
  else if (typeof c === 'string') code = STATUS_BY_NAME.get(c);
  if (code === undefined) return bad('status.code', 'a status code, 0-2 or STATUS_CODE_*', describe(c));
  const message = s.message;
  if (message === undefined || message === '') return SHARED_STATUS[code];
  if (typeof message !== 'string') return bad('status.message', 'a string', kindOf(message));
  return { code, message };
}

function optionalString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  return typeof v === 'string' ? v : bad(field, 'a string', kindOf(v));
}

function events(list: unknown, out: SpanSink): readonly SpanEvent[] {
  if (list === undefined || list === null) return NO_EVENTS;
  if (!Array.isArray(list)) return bad('events', 'an array', kindOf(list));
  if (list.length === 0) return NO_EVENTS;
  const res: SpanEvent[] = new Array<SpanEvent>(list.length);
  for (let i = 0; i < list.length; i++) {
    const e: unknown = list[i];
    if (!isObject(e)) return bad(`events[${i}]`, 'an object', kindOf(e));
    const name = e.name === undefined ? '' : e.name;
    if (typeof name !== 'string') return bad(`events[${i}].name`, 'a string', kindOf(name));
    const ev: SpanEvent = {
      time: nanos(e.timeUnixNano, `events[${i}].timeUnixNano`, out),
      name,
      attributes: attributes(e.attributes, `events[${i}].attributes`),
    };
    const dropped = keepWire ? count(e.droppedAttributesCount, `events[${i}].droppedAttributesCount`) : 0;
    res[i] = dropped ? { ...ev, droppedAttributesCount: dropped } : ev;
  }
  return res;
}

function links(list: unknown): readonly SpanLink[] {
  if (list === undefined || list === null) return NO_LINKS;
  if (!Array.isArray(list)) return bad('links', 'an array', kindOf(list));
  if (list.length === 0) return NO_LINKS;
  const res: SpanLink[] = new Array<SpanLink>(list.length);
  for (let i = 0; i < list.length; i++) {
    const l: unknown = list[i];
    if (!isObject(l)) return bad(`links[${i}]`, 'an object', kindOf(l));
    const traceId = typeof l.traceId === 'string' ? traceIdToHex(l.traceId) : undefined;
    if (traceId === undefined) return bad(`links[${i}].traceId`, 'a trace id of hex or base64', describe(l.traceId));
    const spanId = typeof l.spanId === 'string' ? spanIdToHex(l.spanId) : undefined;
    if (spanId === undefined) return bad(`links[${i}].spanId`, 'a span id of hex or base64', describe(l.spanId));
    const link: SpanLink = {
      traceId,
      spanId,
      traceState: optionalString(l.traceState, `links[${i}].traceState`),
      attributes: attributes(l.attributes, `links[${i}].attributes`),
    };
    if (!keepWire) {
      res[i] = link;
      continue;
    }
    const flags = count(l.flags, `links[${i}].flags`);
    const dropped = count(l.droppedAttributesCount, `links[${i}].droppedAttributesCount`);
    res[i] = flags || dropped ? { ...link, flags: flags || undefined, droppedAttributesCount: dropped || undefined } : link;
  }
  return res;
}

/** A uint32 wire count or flag word (0 when absent). */
function count(v: unknown, field: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
  return bad(field, 'an unsigned 32-bit integer', describe(v));
}

export function resourceOf(rs: Record<string, unknown>): Resource {
  const r = rs.resource;
  if (r === undefined || r === null) return { serviceName: UNKNOWN_SERVICE, attributes: NO_ATTRIBUTES };
  if (!isObject(r)) return bad('resource', 'an object', kindOf(r));
  const attrs = attributes(r.attributes, 'resource.attributes');
  let serviceName = UNKNOWN_SERVICE;
  for (const a of attrs) {
    if (a.key === 'service.name' && typeof a.value === 'string' && a.value !== '') {
      serviceName = a.value;
      break;
    }
  }
  return { serviceName, attributes: attrs };
}

export function scopeOf(ss: Record<string, unknown>): Scope {
  // `instrumentationLibrary` is the pre-1.0 name of `scope` (deprecated, still in old files).
  const key = currentOrLegacy(ss, 'scope', 'instrumentationLibrary');
  const s = ss[key];
  if (s === undefined || s === null) return NO_SCOPE;
  if (!isObject(s)) return bad(key, 'an object', kindOf(s));
  const name = s.name === undefined ? '' : s.name;
  if (typeof name !== 'string') return bad(`${key}.name`, 'a string', kindOf(name));
  const version = optionalString(s.version, `${key}.version`);
  const attrs = attributes(s.attributes, `${key}.attributes`);
  return name === '' && version === undefined && attrs.length === 0 ? NO_SCOPE : { name, version, attributes: attrs };
}

/**
 * Which of a current OTLP key and its pre-1.0 name (`scopeSpans`/`instrumentationLibrarySpans`,
 * `scope`/`instrumentationLibrary`) to read. The old one only when the current one holds
 * nothing and the old one does, as protobufjs reads the wire: an encoder that writes both, or
 * null or [] for the new one, must not hide what sits under the old.
 */
export function currentOrLegacy<K extends string, L extends string>(o: Record<string, unknown>, current: K, legacy: L): K | L {
  const empty = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  return empty(o[current]) && !empty(o[legacy]) ? legacy : current;
}

export function list(v: unknown, where: string): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return fail(where, `expected an array (found ${kindOf(v)})`);
  return v;
}

/**
 * Decodes a `resourceSpans` (or Tempo v1 `batches`) list into `out`. `path` names the list in
 * the input ("resourceSpans", "batches", "trace.resourceSpans") for error messages. `ownsValue`:
 * the caller parsed `value` itself and will not look at it again, so it may be reused.
 */
export function decodeResourceSpans(value: unknown, path: string, out: SpanSink, ownsValue = false): void {
  reuseInput = ownsValue;
  try {
    decodeList(value, path, out);
  } finally {
    reuseInput = false;
  }
}

const NOT_SEEN = Symbol('no trace id seen yet');

/**
 * An OTLP/JSON ExportTraceServiceRequest (`{"resourceSpans":[…]}`, already parsed and owned by
 * the caller) → `sink`, keeping the wire's types and fields when `keepWire`. A span that cannot
 * be read goes to `sink.reject` when the sink has one; a request of the wrong shape throws.
 */
export function decodeTracesJson(value: unknown, sink: SpanSink, opts: { readonly keepWire?: boolean } = {}): void {
  if (!isObject(value)) fail('', `expected an OTLP/JSON traces object (found ${kindOf(value)})`);
  keepWire = opts.keepWire ?? false;
  try {
    decodeResourceSpans(value.resourceSpans, 'resourceSpans', sink, true);
  } finally {
    keepWire = false;
  }
}

function decodeList(value: unknown, path: string, out: SpanSink): void {
  const rsList = list(value, path);
  let n = 0; // span ordinal across the whole input, for "span N" in messages
  // Where we are, kept as numbers so the location string is only built when something is wrong.
  let i = -1;
  let j = -1;
  let k = -1;
  let ssKey = 'scopeSpans';
  const ids: TraceIdMemo = { raw: NOT_SEEN, hex: '' };
  const where = (): string => `span ${n} at ${path}[${i}].${ssKey}[${j}].spans[${k}]`;
  try {
    for (i = 0; i < rsList.length; i++) {
      j = -1;
      k = -1;
      const rs = rsList[i];
      if (!isObject(rs)) return fail(`${path}[${i}]`, `expected an object (found ${kindOf(rs)})`);
      const resource = resourceOf(rs);
      ssKey = currentOrLegacy(rs, 'scopeSpans', 'instrumentationLibrarySpans');
      const ssList = list(rs[ssKey], `${path}[${i}].${ssKey}`);
      for (j = 0; j < ssList.length; j++) {
        k = -1;
        const ss = ssList[j];
        if (!isObject(ss)) return fail(`${path}[${i}].${ssKey}[${j}]`, `expected an object (found ${kindOf(ss)})`);
        const scope = scopeOf(ss);
        const spans = list(ss.spans, `${path}[${i}].${ssKey}[${j}].spans`);
        for (k = 0; k < spans.length; k++, n++) {
          if (!out.reject) {
            out.add(readSpan(spans[k], resource, scope, out, where, ids));
            continue;
          }
          try {
            out.add(readSpan(spans[k], resource, scope, out, where, ids));
          } catch (e) {
            if (!(e instanceof FieldError)) throw e;
            out.reject(where(), e.problem);
          }
        }
      }
    }
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    if (k >= 0) return fail(where(), e.problem);
    return fail(j >= 0 ? `${path}[${i}].${ssKey}[${j}]` : `${path}[${i}]`, e.problem);
  }
}

/**
 * Spans of one request mostly share a trace id: the last raw id and its hex, so each distinct id
 * is converted once. `raw` starts as a sentinel no input equals (starting from undefined let a
 * first span without a traceId through unchecked, with the empty id).
 */
interface TraceIdMemo {
  raw: unknown;
  hex: string;
}

/** One span; `where` names it, built only when the span needs naming (a clamped end). */
function readSpan(raw: unknown, resource: Resource, scope: Scope, out: SpanSink, where: () => string, ids: TraceIdMemo): Span {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('the span', 'an object', kindOf(raw));
  const s = raw as Record<string, unknown>;
  if (s.traceId !== ids.raw) {
    const hex = typeof s.traceId === 'string' ? traceIdToHex(s.traceId) : undefined;
    if (hex === undefined) bad('traceId', 'a trace id of 32 hex or 24 base64 chars', describe(s.traceId));
    ids.raw = s.traceId;
    ids.hex = hex;
  }
  const traceId = ids.hex;
  const spanId = typeof s.spanId === 'string' ? spanIdToHex(s.spanId) : undefined;
  if (spanId === undefined) bad('spanId', 'a span id of 16 hex or 12 base64 chars', describe(s.spanId));
  const rawParent = s.parentSpanId;
  let parentSpanId: string | undefined;
  if (rawParent !== undefined && rawParent !== '' && rawParent !== null) {
    parentSpanId = typeof rawParent === 'string' ? spanIdToHex(rawParent) : undefined;
    if (parentSpanId === undefined) bad('parentSpanId', 'a span id of 16 hex or 12 base64 chars', describe(rawParent));
    if (parentSpanId === ZERO_SPAN_ID) parentSpanId = undefined; // all zeros = no parent
  }
  const name = s.name === undefined ? '' : s.name;
  if (typeof name !== 'string') bad('name', 'a string', kindOf(name));
  const start = nanos(s.startTimeUnixNano, 'startTimeUnixNano', out);
  const end = settledEnd(start, nanos(s.endTimeUnixNano, 'endTimeUnixNano', out), out, where);
  const span: Span = {
    traceId,
    spanId,
    parentSpanId,
    name,
    kind: kindOfSpan(s.kind),
    start,
    end,
    status: status(s.status),
    attributes: attributes(s.attributes, 'attributes'),
    events: events(s.events, out),
    links: links(s.links),
    resource,
    scope,
    traceState: optionalString(s.traceState, 'traceState'),
  };
  if (!keepWire) return span;
  const flags = count(s.flags, 'flags');
  const da = count(s.droppedAttributesCount, 'droppedAttributesCount');
  const de = count(s.droppedEventsCount, 'droppedEventsCount');
  const dl = count(s.droppedLinksCount, 'droppedLinksCount');
  if (!(flags || da || de || dl)) return span;
  return { ...span, flags: flags || undefined, droppedAttributesCount: da || undefined, droppedEventsCount: de || undefined, droppedLinksCount: dl || undefined };
}
