/**
 * OTLP trace protobuf read straight from the wire into the model: one pass over the bytes per
 * message, no intermediate message objects. This is the trace decoder behind otlpProto.ts (trace
 * files, Tempo's protobuf answers, the capture's receiver): the generic protobufjs decode plus a
 * mapping pass spent most of an ingest in allocation and garbage collection. The schema is
 * otlpSchema.json's (field numbers below are the vendored trace.proto/common.proto/resource.proto);
 * unknown fields are skipped, a field of the wrong wire type, a truncated message or invalid
 * UTF-8 is refused with TraceFormatError, as protobufjs refused them.
 */
import { TraceFormatError } from '../model/errors';
import { ZERO_SPAN_ID } from '../model/ids';
import type { Attribute, AttrValue, Resource, Scope, Span, SpanEvent, SpanKind, SpanLink, SpanSink, StatusCode } from '../model/trace';
import { NO_ATTRIBUTES, NO_EVENTS, NO_LINKS, NO_SCOPE, STATUS_ERROR, STATUS_OK, STATUS_UNSET, settledEnd, UNKNOWN_SERVICE } from './common';

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;
const MAX_DEPTH = 64;

class WireError extends Error {}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** Buffer's native latin1 slice (ASCII is latin1), when the bytes are a Buffer: no copy, no decoder call. */
const LATIN1 = (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;
const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS: readonly Span['status'][] = [STATUS_UNSET, STATUS_OK, STATUS_ERROR];
const CODES: readonly StatusCode[] = ['unset', 'ok', 'error'];

/** A cursor over one message's bytes: [pos, end). */
class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    pos: number,
    readonly end: number,
  ) {
    this.pos = pos;
  }

  /** A varint as a number; exact below 2^53, which every length, tag, enum and count is. */
  varint(): number {
    const b = this.buf;
    let x = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint');
      const c = b[this.pos++]!;
      x += (c & 0x7f) * mul;
      if (c < 0x80) return x;
      mul *= 128;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** A varint as the two's-complement int64 it encodes. */
  int64(): AttrValue {
    const b = this.buf;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint');
      const c = b[this.pos++]!;
      if (shift < 28) lo |= (c & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (c & 0x0f) << 28;
        hi |= (c & 0x7f) >> 4;
      } else hi |= (c & 0x7f) << (shift - 32);
      shift += 7;
      if (c < 0x80) {
        lo >>>= 0;
        hi >>>= 0;
        // Same rule as the JSON path: a number when exact, else the decimal string.
        if (hi === 0 && lo <= 0x7fffffff) return lo;
        const big = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
        const n = Number(big);
        return Number.isSafeInteger(n) ? n : big.toString();
      }
    }
    throw new WireError('varint longer than 10 bytes');
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) throw new WireError('truncated fixed32');
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  fixed64(): bigint {
    const lo = this.fixed32();
    const hi = this.fixed32();
    return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new WireError('truncated double');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  /** The [start, end) of a length-delimited field, moving past it. */
  len(): number {
    const n = this.varint();
    const start = this.pos;
    if (start + n > this.end) throw new WireError('length past the end of the message');
    this.pos = start + n;
    return start;
  }

  string(): string {
    const start = this.len();
    const end = this.pos;
    const b = this.buf;
    const latin1 = LATIN1 && Buffer.isBuffer(b) ? LATIN1 : undefined;
    // Short ASCII (keys, names, most values) without a decoder call.
    if (end - start <= 64) {
      let ascii = true;
      for (let i = start; i < end; i++) {
        if (b[i]! >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) return latin1 ? latin1.call(b, start, end) : String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
    }
    try {
      return UTF8.decode(b.subarray(start, end));
    } catch {
      throw new WireError('invalid UTF-8 in a string');
    }
  }

  skip(wire: number, depth = 0): void {
    switch (wire) {
      case VARINT:
        this.varint();
        return;
      case FIXED64:
        if (this.pos + 8 > this.end) throw new WireError('truncated fixed64');
        this.pos += 8;
        return;
      case LEN:
        this.len();
        return;
      case FIXED32:
        if (this.pos + 4 > this.end) throw new WireError('truncated fixed32');
        this.pos += 4;
        return;
      case 3: {
        // A (deprecated) group: skip to its end tag.
        if (depth > MAX_DEPTH) throw new WireError('groups nested too deep');
        for (;;) {
          const tag = this.varint();
          if ((tag & 7) === 4) return;
          this.skip(tag & 7, depth + 1);
        }
      }
      default:
        throw new WireError(`invalid wire type ${wire}`);
    }
  }
}

function expect(wire: number, want: number, field: string): void {
  if (wire !== want) throw new WireError(`${field} has wire type ${wire}, not ${want}`);
}

/** Bytes → lowercase hex of `width` chars, left-padded; undefined when empty or too long. */
function hexId(b: Uint8Array, start: number, end: number, width: 16 | 32): string | undefined {
  const n = end - start;
  if (n === 0 || n * 2 > width) return undefined;
  let s = '';
  for (let i = start; i < end; i++) s += HEX_PAIRS[b[i]!];
  return s.length === width ? s : s.padStart(width, '0');
}

export interface WireOptions {
  /** Keep the OTLP types and wire fields the model's defaults drop (see model Attribute.type). */
  readonly keepWire?: boolean;
}

/** Decodes AnyValue at r (its message bounds); returns the value and its wire type when kept. */
function anyValue(r: Reader, depth: number, keep: boolean): { value: AttrValue; type?: Attribute['type'] } {
  let value: AttrValue = null;
  let type: Attribute['type'];
  while (r.pos < r.end) {
    const tag = r.varint();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        expect(wire, LEN, 'AnyValue.string_value');
        value = r.string();
        type = undefined;
        break;
      case 2:
        expect(wire, VARINT, 'AnyValue.bool_value');
        value = r.varint() !== 0;
        type = undefined;
        break;
      case 3:
        expect(wire, VARINT, 'AnyValue.int_value');
        value = r.int64();
        type = keep && typeof value === 'string' ? 'int' : undefined;
        break;
      case 4:
        expect(wire, FIXED64, 'AnyValue.double_value');
        value = r.double();
        type = keep && Number.isInteger(value) ? 'double' : undefined;
        break;
      case 5: {
        expect(wire, LEN, 'AnyValue.array_value');
        if (depth >= MAX_DEPTH) throw new WireError(`AnyValue nested deeper than ${MAX_DEPTH}`);
        const start = r.len();
        const sub = new Reader(r.buf, start, r.pos);
        const out: AttrValue[] = [];
        while (sub.pos < sub.end) {
          const t = sub.varint();
          if (t >>> 3 === 1) {
            expect(t & 7, LEN, 'ArrayValue.values');
            const s = sub.len();
            out.push(anyValue(new Reader(sub.buf, s, sub.pos), depth + 1, false).value);
          } else sub.skip(t & 7);
        }
        value = out;
        type = undefined;
        break;
      }
      case 6: {
        expect(wire, LEN, 'AnyValue.kvlist_value');
        if (depth >= MAX_DEPTH) throw new WireError(`AnyValue nested deeper than ${MAX_DEPTH}`);
        const start = r.len();
        const sub = new Reader(r.buf, start, r.pos);
        const out: { [key: string]: AttrValue } = {};
        while (sub.pos < sub.end) {
          const t = sub.varint();
          if (t >>> 3 === 1) {
            expect(t & 7, LEN, 'KeyValueList.values');
            const s = sub.len();
            const kv = keyValue(new Reader(sub.buf, s, sub.pos), depth + 1, false);
            // A key of "__proto__" from the wire must stay data, not become the object's prototype.
            if (kv.key === '__proto__') Object.defineProperty(out, kv.key, { value: kv.value, enumerable: true, writable: true, configurable: true });
            else out[kv.key] = kv.value;
          } else sub.skip(t & 7);
        }
        value = out;
        type = undefined;
        break;
      }
      case 7: {
        expect(wire, LEN, 'AnyValue.bytes_value');
        const start = r.len();
        value = Buffer.from(r.buf.buffer, r.buf.byteOffset + start, r.pos - start).toString('base64');
        type = keep ? 'bytes' : undefined;
        break;
      }
      default:
        r.skip(wire);
    }
  }
  return type ? { value, type } : { value };
}

function keyValue(r: Reader, depth: number, keep: boolean): Attribute {
  let key = '';
  let v: { value: AttrValue; type?: Attribute['type'] } = { value: null };
  while (r.pos < r.end) {
    const tag = r.varint();
    const wire = tag & 7;
    const field = tag >>> 3;
    if (field === 1) {
      expect(wire, LEN, 'KeyValue.key');
      key = r.string();
    } else if (field === 2) {
      expect(wire, LEN, 'KeyValue.value');
      const s = r.len();
      v = anyValue(new Reader(r.buf, s, r.pos), depth, keep);
    } else r.skip(wire);
  }
  return v.type ? { key, value: v.value, type: v.type } : { key, value: v.value };
}

/** Appends one KeyValue (at r's current LEN field) to `list`. */
function pushAttribute(r: Reader, list: Attribute[], keep: boolean): void {
  const s = r.len();
  list.push(keyValue(new Reader(r.buf, s, r.pos), 0, keep));
}

function resource(r: Reader, keep: boolean): Resource {
  const attrs: Attribute[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag >>> 3 === 1) {
      expect(tag & 7, LEN, 'Resource.attributes');
      pushAttribute(r, attrs, keep);
    } else r.skip(tag & 7);
  }
  let serviceName = UNKNOWN_SERVICE;
  for (const a of attrs) {
    if (a.key === 'service.name' && typeof a.value === 'string' && a.value !== '') {
      serviceName = a.value;
      break;
    }
  }
  return { serviceName, attributes: attrs.length ? attrs : NO_ATTRIBUTES };
}

function scope(r: Reader, keep: boolean): Scope {
  let name = '';
  let version: string | undefined;
  const attrs: Attribute[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        expect(wire, LEN, 'InstrumentationScope.name');
        name = r.string();
        break;
      case 2:
        expect(wire, LEN, 'InstrumentationScope.version');
        version = r.string() || undefined;
        break;
      case 3:
        expect(wire, LEN, 'InstrumentationScope.attributes');
        pushAttribute(r, attrs, keep);
        break;
      default:
        r.skip(wire);
    }
  }
  return name === '' && version === undefined && attrs.length === 0 ? NO_SCOPE : { name, version, attributes: attrs.length ? attrs : NO_ATTRIBUTES };
}

function event(r: Reader, keep: boolean): SpanEvent {
  let time = 0n;
  let name = '';
  let dropped = 0;
  const attrs: Attribute[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        expect(wire, FIXED64, 'Event.time_unix_nano');
        time = r.fixed64();
        break;
      case 2:
        expect(wire, LEN, 'Event.name');
        name = r.string();
        break;
      case 3:
        expect(wire, LEN, 'Event.attributes');
        pushAttribute(r, attrs, keep);
        break;
      case 4:
        expect(wire, VARINT, 'Event.dropped_attributes_count');
        dropped = r.varint() >>> 0;
        break;
      default:
        r.skip(wire);
    }
  }
  const e: SpanEvent = { time, name, attributes: attrs.length ? attrs : NO_ATTRIBUTES };
  return keep && dropped ? { ...e, droppedAttributesCount: dropped } : e;
}

function link(r: Reader, keep: boolean, where: () => string): SpanLink {
  let traceId: string | undefined;
  let spanId: string | undefined;
  let traceState: string | undefined;
  let dropped = 0;
  let flags = 0;
  const attrs: Attribute[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1: {
        expect(wire, LEN, 'Link.trace_id');
        const s = r.len();
        traceId = hexId(r.buf, s, r.pos, 32);
        break;
      }
      case 2: {
        expect(wire, LEN, 'Link.span_id');
        const s = r.len();
        spanId = hexId(r.buf, s, r.pos, 16);
        break;
      }
      case 3:
        expect(wire, LEN, 'Link.trace_state');
        traceState = r.string() || undefined;
        break;
      case 4:
        expect(wire, LEN, 'Link.attributes');
        pushAttribute(r, attrs, keep);
        break;
      case 5:
        expect(wire, VARINT, 'Link.dropped_attributes_count');
        dropped = r.varint() >>> 0;
        break;
      case 6:
        expect(wire, FIXED32, 'Link.flags');
        flags = r.fixed32();
        break;
      default:
        r.skip(wire);
    }
  }
  if (traceId === undefined || spanId === undefined) throw new TraceFormatError(where(), 'a link needs a trace id and a span id');
  const l: SpanLink = { traceId, spanId, traceState, attributes: attrs.length ? attrs : NO_ATTRIBUTES };
  if (!keep || !(flags || dropped)) return l;
  return { ...l, flags: flags || undefined, droppedAttributesCount: dropped || undefined };
}

/** One Span message at r → the model, or a TraceFormatError naming `where()`. */
function span(r: Reader, res: Resource, sc: Scope, out: SpanSink, keep: boolean, where: () => string): Span {
  let traceId: string | undefined;
  let spanId: string | undefined;
  let parentSpanId: string | undefined;
  let badParent = false;
  let traceState: string | undefined;
  let name = '';
  let kind = 0;
  let start = 0n;
  let end = 0n;
  let code = 0;
  let message: string | undefined;
  let flags = 0;
  let da = 0;
  let de = 0;
  let dl = 0;
  const attrs: Attribute[] = [];
  let events: SpanEvent[] | undefined;
  let links: SpanLink[] | undefined;
  while (r.pos < r.end) {
    const tag = r.varint();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1: {
        expect(wire, LEN, 'Span.trace_id');
        const s = r.len();
        traceId = hexId(r.buf, s, r.pos, 32);
        if (traceId === undefined) throw new TraceFormatError(where(), 'traceId is not 1-16 bytes');
        break;
      }
      case 2: {
        expect(wire, LEN, 'Span.span_id');
        const s = r.len();
        spanId = hexId(r.buf, s, r.pos, 16);
        if (spanId === undefined) throw new TraceFormatError(where(), 'spanId is not 1-8 bytes');
        break;
      }
      case 3:
        expect(wire, LEN, 'Span.trace_state');
        traceState = r.string() || undefined;
        break;
      case 4: {
        expect(wire, LEN, 'Span.parent_span_id');
        const s = r.len();
        parentSpanId = r.pos > s ? hexId(r.buf, s, r.pos, 16) : undefined;
        badParent = r.pos > s && parentSpanId === undefined;
        break;
      }
      case 5:
        expect(wire, LEN, 'Span.name');
        name = r.string();
        break;
      case 6:
        expect(wire, VARINT, 'Span.kind');
        kind = r.varint();
        break;
      case 7:
        expect(wire, FIXED64, 'Span.start_time_unix_nano');
        start = r.fixed64();
        break;
      case 8:
        expect(wire, FIXED64, 'Span.end_time_unix_nano');
        end = r.fixed64();
        break;
      case 9:
        expect(wire, LEN, 'Span.attributes');
        pushAttribute(r, attrs, keep);
        break;
      case 10:
        expect(wire, VARINT, 'Span.dropped_attributes_count');
        da = r.varint() >>> 0;
        break;
      case 11: {
        expect(wire, LEN, 'Span.events');
        const s = r.len();
        (events ??= []).push(event(new Reader(r.buf, s, r.pos), keep));
        break;
      }
      case 12:
        expect(wire, VARINT, 'Span.dropped_events_count');
        de = r.varint() >>> 0;
        break;
      case 13: {
        expect(wire, LEN, 'Span.links');
        const s = r.len();
        const x = (links ??= []).length;
        links.push(link(new Reader(r.buf, s, r.pos), keep, () => `${where()}.links[${x}]`));
        break;
      }
      case 14:
        expect(wire, VARINT, 'Span.dropped_links_count');
        dl = r.varint() >>> 0;
        break;
      case 15: {
        expect(wire, LEN, 'Span.status');
        const s = r.len();
        const st = new Reader(r.buf, s, r.pos);
        code = 0;
        message = undefined;
        while (st.pos < st.end) {
          const t = st.varint();
          if (t >>> 3 === 2) {
            expect(t & 7, LEN, 'Status.message');
            message = st.string() || undefined;
          } else if (t >>> 3 === 3) {
            expect(t & 7, VARINT, 'Status.code');
            code = st.varint();
          } else st.skip(t & 7);
        }
        break;
      }
      case 16:
        expect(wire, FIXED32, 'Span.flags');
        flags = r.fixed32();
        break;
      default:
        r.skip(wire);
    }
  }
  if (traceId === undefined) throw new TraceFormatError(where(), 'traceId is not 1-16 bytes');
  if (spanId === undefined) throw new TraceFormatError(where(), 'spanId is not 1-8 bytes');
  if (badParent) throw new TraceFormatError(where(), 'parentSpanId is not 1-8 bytes');
  if (parentSpanId === ZERO_SPAN_ID) parentSpanId = undefined;
  end = settledEnd(start, end, out, where);
  const base: Span = {
    traceId,
    spanId,
    parentSpanId,
    name,
    kind: KINDS[kind] ?? 'unspecified',
    start,
    end,
    status: message ? { code: CODES[code] ?? 'unset', message } : (STATUS[code] ?? STATUS_UNSET),
    attributes: attrs.length ? attrs : NO_ATTRIBUTES,
    events: events ?? NO_EVENTS,
    links: links ?? NO_LINKS,
    resource: res,
    scope: sc,
    traceState,
  };
  if (!keep || !(flags || da || de || dl)) return base;
  return { ...base, flags: flags || undefined, droppedAttributesCount: da || undefined, droppedEventsCount: de || undefined, droppedLinksCount: dl || undefined };
}

/**
 * A ScopeSpans (or pre-1.0 InstrumentationLibrarySpans) group: its scope comes first on the
 * wire from every encoder, but may come anywhere, so spans are read once the group is read.
 */
function scopeSpans(r: Reader, res: Resource, out: SpanSink, keep: boolean, counters: { n: number }, i: number, j: number): void {
  let sc: Scope = NO_SCOPE;
  const spans: [number, number][] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    const wire = tag & 7;
    const field = tag >>> 3;
    if (field === 1) {
      expect(wire, LEN, 'ScopeSpans.scope');
      const s = r.len();
      sc = scope(new Reader(r.buf, s, r.pos), keep);
    } else if (field === 2) {
      expect(wire, LEN, 'ScopeSpans.spans');
      const s = r.len();
      spans.push([s, r.pos]);
    } else r.skip(wire);
  }
  for (let k = 0; k < spans.length; k++) {
    const n = counters.n++;
    const where = (): string => `span ${n} at resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`;
    const [s, e] = spans[k]!;
    if (!out.reject) {
      out.add(span(new Reader(r.buf, s, e), res, sc, out, keep, where));
      continue;
    }
    let sp: Span;
    try {
      sp = span(new Reader(r.buf, s, e), res, sc, out, keep, where);
    } catch (err) {
      out.reject(where(), err instanceof TraceFormatError ? err.expected : err instanceof Error ? err.message : String(err));
      continue;
    }
    out.add(sp);
  }
}

function resourceSpans(r: Reader, out: SpanSink, keep: boolean, counters: { n: number }, i: number): void {
  let res: Resource = { serviceName: UNKNOWN_SERVICE, attributes: NO_ATTRIBUTES };
  const groups: [number, number][] = [];
  const legacy: [number, number][] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    const wire = tag & 7;
    const field = tag >>> 3;
    if (field === 1) {
      expect(wire, LEN, 'ResourceSpans.resource');
      const s = r.len();
      res = resource(new Reader(r.buf, s, r.pos), keep);
    } else if (field === 2 || field === 1000) {
      expect(wire, LEN, 'ResourceSpans.scope_spans');
      const s = r.len();
      (field === 2 ? groups : legacy).push([s, r.pos]);
    } else r.skip(wire);
  }
  // As protobufjs read it: the current scopeSpans, else the pre-1.0 instrumentationLibrarySpans.
  const list = groups.length ? groups : legacy;
  for (let j = 0; j < list.length; j++) scopeSpans(new Reader(r.buf, list[j]![0], list[j]![1]), res, out, keep, counters, i, j);
}

function run(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof WireError) throw new TraceFormatError('protobuf body', `not an OTLP traces message (${err.message})`);
    throw err;
  }
}

/** TracesData, ExportTraceServiceRequest or tempopb.Trace (all `repeated ResourceSpans = 1`). */
export function readTraces(body: Uint8Array, out: SpanSink, opts: WireOptions = {}): void {
  run(() => readTracesIn(new Reader(body, 0, body.length), out, opts.keepWire ?? false));
}

function readTracesIn(r: Reader, out: SpanSink, keep: boolean): void {
  // Resource spans are read after the whole message is checked, so a bad tail fails before any span is yielded.
  const lists: [number, number][] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag >>> 3 === 1) {
      expect(tag & 7, LEN, 'TracesData.resource_spans');
      const s = r.len();
      lists.push([s, r.pos]);
    } else r.skip(tag & 7);
  }
  const counters = { n: 0 };
  for (let i = 0; i < lists.length; i++) resourceSpans(new Reader(r.buf, lists[i]![0], lists[i]![1]), out, keep, counters, i);
}

/** Tempo's TraceByIDResponse: the trace (field 1) into `out`; its status and message. */
export function readTraceByIdResponse(body: Uint8Array, out: SpanSink): { partial: boolean; message?: string } {
  let partial = false;
  let message: string | undefined;
  run(() => {
    const r = new Reader(body, 0, body.length);
    let trace: [number, number] | undefined;
    while (r.pos < r.end) {
      const tag = r.varint();
      const wire = tag & 7;
      switch (tag >>> 3) {
        case 1: {
          expect(wire, LEN, 'TraceByIDResponse.trace');
          const s = r.len();
          trace = [s, r.pos];
          break;
        }
        case 3:
          expect(wire, VARINT, 'TraceByIDResponse.status');
          partial = r.varint() === 1;
          break;
        case 4:
          expect(wire, LEN, 'TraceByIDResponse.message');
          message = r.string() || undefined;
          break;
        default:
          r.skip(wire);
      }
    }
    if (trace) readTracesIn(new Reader(body, trace[0], trace[1]), out, false);
  });
  return { partial, message };
}
