/**
 * Tempo's protobuf trace responses (`Accept: application/protobuf`) → the same model the JSON
 * path builds (formats/otlpJson.ts), with the same rules: hex ids left-padded, an all-zero parent
 * is no parent, ints beyond 2^53 kept as decimal strings, bytes as base64, an end before its start
 * clamped with a warning. protobufjs decodes against the OTLP trace schema (opentelemetry-proto,
 * Apache-2.0) declared below. The adapter maps decoded messages straight to the model: going
 * through `toObject` (base64 ids, string longs) and the JSON decoder measured ~2× slower.
 *
 * Wire layouts:
 * - v1 `/api/traces/<id>`: `tempopb.Trace { repeated ResourceSpans resourceSpans = 1 }`, which is
 *   wire-compatible with OTLP `TracesData`.
 * - v2 `/api/v2/traces/<id>`: `tempopb.TraceByIDResponse { Trace trace = 1; TraceByIDMetrics
 *   metrics = 2; PartialStatus status = 3; string message = 4 }`. Metrics are skipped (their
 *   field numbers vary by version and nothing here needs them).
 * Unknown fields (newer OTLP additions such as entity refs) are skipped by protobufjs.
 */
import * as protobuf from 'protobufjs/light';
import { TraceFormatError } from '../model/errors';
import { ZERO_SPAN_ID } from '../model/ids';
import type { Attribute, AttrValue, ParsedTraces, Resource, Scope, Span, SpanKind, SpanLink, StatusCode } from '../model/trace';
import {
  NO_ATTRIBUTES,
  NO_EVENTS,
  NO_LINKS,
  NO_SCOPE,
  STATUS_ERROR,
  STATUS_OK,
  STATUS_UNSET,
  TraceCollector,
  UNKNOWN_SERVICE,
} from './common';

const KV = { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } };

const DESCRIPTOR = {
  nested: {
    otlp: {
      nested: {
        AnyValue: {
          oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
          fields: {
            stringValue: { type: 'string', id: 1 },
            boolValue: { type: 'bool', id: 2 },
            intValue: { type: 'int64', id: 3 },
            doubleValue: { type: 'double', id: 4 },
            arrayValue: { type: 'ArrayValue', id: 5 },
            kvlistValue: { type: 'KeyValueList', id: 6 },
            bytesValue: { type: 'bytes', id: 7 },
          },
        },
        ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
        KeyValueList: { fields: { values: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
        KeyValue: { fields: KV },
        InstrumentationScope: {
          fields: {
            name: { type: 'string', id: 1 },
            version: { type: 'string', id: 2 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
            droppedAttributesCount: { type: 'uint32', id: 4 },
          },
        },
        Resource: {
          fields: {
            attributes: { rule: 'repeated', type: 'KeyValue', id: 1 },
            droppedAttributesCount: { type: 'uint32', id: 2 },
          },
        },
        ResourceSpans: {
          fields: {
            resource: { type: 'Resource', id: 1 },
            scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 },
            schemaUrl: { type: 'string', id: 3 },
            // Pre-1.0 OTLP, still in traces written by old Tempo versions.
            instrumentationLibrarySpans: { rule: 'repeated', type: 'InstrumentationLibrarySpans', id: 1000 },
          },
        },
        ScopeSpans: {
          fields: {
            scope: { type: 'InstrumentationScope', id: 1 },
            spans: { rule: 'repeated', type: 'Span', id: 2 },
            schemaUrl: { type: 'string', id: 3 },
          },
        },
        InstrumentationLibrarySpans: {
          fields: {
            instrumentationLibrary: { type: 'InstrumentationScope', id: 1 },
            spans: { rule: 'repeated', type: 'Span', id: 2 },
            schemaUrl: { type: 'string', id: 3 },
          },
        },
        Span: {
          fields: {
            traceId: { type: 'bytes', id: 1 },
            spanId: { type: 'bytes', id: 2 },
            traceState: { type: 'string', id: 3 },
            parentSpanId: { type: 'bytes', id: 4 },
            flags: { type: 'fixed32', id: 16 },
            name: { type: 'string', id: 5 },
            kind: { type: 'SpanKind', id: 6 },
            startTimeUnixNano: { type: 'fixed64', id: 7 },
            endTimeUnixNano: { type: 'fixed64', id: 8 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
            droppedAttributesCount: { type: 'uint32', id: 10 },
            events: { rule: 'repeated', type: 'Event', id: 11 },
            droppedEventsCount: { type: 'uint32', id: 12 },
            links: { rule: 'repeated', type: 'Link', id: 13 },
            droppedLinksCount: { type: 'uint32', id: 14 },
            status: { type: 'Status', id: 15 },
          },
        },
        Event: {
          fields: {
            timeUnixNano: { type: 'fixed64', id: 1 },
            name: { type: 'string', id: 2 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
            droppedAttributesCount: { type: 'uint32', id: 4 },
          },
        },
        Link: {
          fields: {
            traceId: { type: 'bytes', id: 1 },
            spanId: { type: 'bytes', id: 2 },
            traceState: { type: 'string', id: 3 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 4 },
            droppedAttributesCount: { type: 'uint32', id: 5 },
            flags: { type: 'fixed32', id: 6 },
          },
        },
        Status: {
          fields: { message: { type: 'string', id: 2 }, code: { type: 'StatusCode', id: 3 } },
        },
        SpanKind: {
          values: {
            SPAN_KIND_UNSPECIFIED: 0,
            SPAN_KIND_INTERNAL: 1,
            SPAN_KIND_SERVER: 2,
            SPAN_KIND_CLIENT: 3,
            SPAN_KIND_PRODUCER: 4,
            SPAN_KIND_CONSUMER: 5,
          },
        },
        StatusCode: { values: { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 } },
        /** tempopb.Trace = OTLP TracesData on the wire. */
        Trace: { fields: { resourceSpans: { rule: 'repeated', type: 'ResourceSpans', id: 1 } } },
        TraceByIDResponse: {
          fields: {
            trace: { type: 'Trace', id: 1 },
            status: { type: 'PartialStatus', id: 3 },
            message: { type: 'string', id: 4 },
          },
        },
        PartialStatus: { values: { COMPLETE: 0, PARTIAL: 1 } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(DESCRIPTOR);

/** The message types, for encoders (the Tempo fake) as well as the decoders below. */
export const otlpProto = {
  Trace: root.lookupType('otlp.Trace'),
  TraceByIDResponse: root.lookupType('otlp.TraceByIDResponse'),
};

/** What a Tempo protobuf body decodes to. */
export interface TempoProtoResult {
  readonly parsed: ParsedTraces;
  /** v2 `status: PARTIAL`. */
  readonly partial: boolean;
  readonly message?: string;
}

/** A v2 body (TraceByIDResponse) → model. Throws TraceFormatError on bytes that are not one. */
export function decodeTempoV2Proto(body: Uint8Array): TempoProtoResult {
  const msg = decodeOrFail(() => otlpProto.TraceByIDResponse.decode(body) as unknown as PTraceByIdResponse);
  const out = new TraceCollector();
  addResourceSpans(msg.trace?.resourceSpans ?? [], out);
  const partial = msg.status === 1;
  const message = msg.message || undefined;
  if (partial) out.warn(`Tempo returned a partial trace${message ? `: ${message}` : ''}`);
  return { parsed: out.finish('tempo-v2', partial ? (message ? { message } : {}) : undefined), partial, message };
}

/** A v1 body (tempopb.Trace, wire-compatible with OTLP TracesData, so also a .pb trace file) → model. */
export function decodeTempoV1Proto(body: Uint8Array, format: 'tempo-v1' | 'otlp-proto' = 'tempo-v1'): TempoProtoResult {
  const msg = decodeOrFail(() => otlpProto.Trace.decode(body) as unknown as PTrace);
  const out = new TraceCollector();
  addResourceSpans(msg.resourceSpans ?? [], out);
  return { parsed: out.finish(format), partial: false };
}

function decodeOrFail<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new TraceFormatError('protobuf body', `not a Tempo trace message (${e instanceof Error ? e.message : String(e)})`);
  }
}

// Decoded message shapes (protobufjs: camelCase fields, Long for 64-bit, Uint8Array for bytes,
// unset fields absent or at their zero value).
type Long64 = { low: number; high: number } | number;
interface PAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Long64;
  doubleValue?: number;
  arrayValue?: { values?: PAnyValue[] };
  kvlistValue?: { values?: PKeyValue[] };
  bytesValue?: Uint8Array;
  value?: string;
}
interface PKeyValue {
  key?: string;
  value?: PAnyValue;
}
interface PScope {
  name?: string;
  version?: string;
  attributes?: PKeyValue[];
}
interface PSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  traceState?: string;
  parentSpanId?: Uint8Array;
  name?: string;
  kind?: number;
  startTimeUnixNano?: Long64;
  endTimeUnixNano?: Long64;
  attributes?: PKeyValue[];
  events?: { timeUnixNano?: Long64; name?: string; attributes?: PKeyValue[] }[];
  links?: { traceId?: Uint8Array; spanId?: Uint8Array; traceState?: string; attributes?: PKeyValue[] }[];
  status?: { message?: string; code?: number };
}
interface PResourceSpans {
  resource?: { attributes?: PKeyValue[] };
  scopeSpans?: { scope?: PScope; spans?: PSpan[] }[];
  instrumentationLibrarySpans?: { instrumentationLibrary?: PScope; spans?: PSpan[] }[];
}
interface PTrace {
  resourceSpans?: PResourceSpans[];
}
interface PTraceByIdResponse {
  trace?: PTrace;
  status?: number;
  message?: string;
}

const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS: readonly Span['status'][] = [STATUS_UNSET, STATUS_OK, STATUS_ERROR];
const STATUS_CODES: readonly StatusCode[] = ['unset', 'ok', 'error'];
const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const MAX_VALUE_DEPTH = 64;

/** Bytes → lowercase hex of `width` chars, left-padded (ids shorter than their width happen). */
function hexId(b: Uint8Array | undefined, width: 16 | 32): string | undefined {
  if (!b || b.length === 0 || b.length * 2 > width) return undefined;
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_PAIRS[b[i]!];
  return s.length === width ? s : s.padStart(width, '0');
}

function u64(v: Long64 | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'number') return BigInt(v);
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

function i64(v: Long64): AttrValue {
  if (typeof v === 'number') return v;
  const big = BigInt.asIntN(64, (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0));
  const n = Number(big);
  // Same rule as the JSON path: a number when exact, else the decimal string.
  return Number.isSafeInteger(n) ? n : big.toString();
}

function anyValue(v: PAnyValue | undefined, depth: number): AttrValue {
  if (!v) return null;
  // protobufjs marks the set member of a oneof in the virtual `value` property.
  switch (v.value) {
    case 'stringValue':
      return v.stringValue ?? '';
    case 'boolValue':
      return v.boolValue ?? false;
    case 'intValue':
      return i64(v.intValue ?? 0);
    case 'doubleValue':
      return v.doubleValue ?? 0;
    case 'bytesValue':
      return Buffer.from(v.bytesValue ?? []).toString('base64');
    case 'arrayValue': {
      if (depth >= MAX_VALUE_DEPTH) throw new TraceFormatError('protobuf body', `AnyValue nested deeper than ${MAX_VALUE_DEPTH}`);
      return (v.arrayValue?.values ?? []).map((x) => anyValue(x, depth + 1));
    }
    case 'kvlistValue': {
      if (depth >= MAX_VALUE_DEPTH) throw new TraceFormatError('protobuf body', `AnyValue nested deeper than ${MAX_VALUE_DEPTH}`);
      const out: { [key: string]: AttrValue } = {};
      for (const kv of v.kvlistValue?.values ?? []) {
        const key = kv.key ?? '';
        const value = anyValue(kv.value, depth + 1);
        if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
      return out;
    }
    default:
      return null;
  }
}

function attributes(list: PKeyValue[] | undefined): readonly Attribute[] {
  if (!list || list.length === 0) return NO_ATTRIBUTES;
  const out: Attribute[] = new Array<Attribute>(list.length);
  for (let i = 0; i < list.length; i++) {
    const kv = list[i]!;
    const v = kv.value;
    out[i] = { key: kv.key ?? '', value: v && v.value === 'stringValue' ? (v.stringValue ?? '') : anyValue(v, 0) };
  }
  return out;
}

function scopeOf(s: PScope | undefined): Scope {
  if (!s) return NO_SCOPE;
  const name = s.name ?? '';
  const version = s.version || undefined;
  const attrs = attributes(s.attributes);
  return name === '' && version === undefined && attrs.length === 0 ? NO_SCOPE : { name, version, attributes: attrs };
}

function addResourceSpans(list: PResourceSpans[], out: TraceCollector): void {
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const rs = list[i]!;
    const rattrs = attributes(rs.resource?.attributes);
    let serviceName = UNKNOWN_SERVICE;
    for (const a of rattrs) {
      if (a.key === 'service.name' && typeof a.value === 'string' && a.value !== '') {
        serviceName = a.value;
        break;
      }
    }
    const resource: Resource = rs.resource ? { serviceName, attributes: rattrs } : { serviceName: UNKNOWN_SERVICE, attributes: NO_ATTRIBUTES };
    const groups = rs.scopeSpans?.length ? rs.scopeSpans : (rs.instrumentationLibrarySpans ?? []).map((g) => ({ scope: g.instrumentationLibrary, spans: g.spans }));
    for (let j = 0; j < groups.length; j++) {
      const g = groups[j]!;
      const scope = scopeOf(g.scope);
      const spans = g.spans ?? [];
      for (let k = 0; k < spans.length; k++, n++) {
        const s = spans[k]!;
        const where = `span ${n} at resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`;
        const traceId = hexId(s.traceId, 32);
        if (traceId === undefined) throw new TraceFormatError(where, 'traceId is not 1-16 bytes');
        const spanId = hexId(s.spanId, 16);
        if (spanId === undefined) throw new TraceFormatError(where, 'spanId is not 1-8 bytes');
        let parentSpanId = s.parentSpanId && s.parentSpanId.length ? hexId(s.parentSpanId, 16) : undefined;
        if (s.parentSpanId && s.parentSpanId.length && parentSpanId === undefined) throw new TraceFormatError(where, 'parentSpanId is not 1-8 bytes');
        if (parentSpanId === ZERO_SPAN_ID) parentSpanId = undefined;
        const start = u64(s.startTimeUnixNano);
        let end = u64(s.endTimeUnixNano);
        if (end < start) {
          out.noteClamped(where);
          end = start;
        }
        const code = s.status?.code ?? 0;
        const msg = s.status?.message;
        out.add({
          traceId,
          spanId,
          parentSpanId,
          name: s.name ?? '',
          kind: KINDS[s.kind ?? 0] ?? 'unspecified',
          start,
          end,
          status: msg ? { code: STATUS_CODES[code] ?? 'unset', message: msg } : (STATUS[code] ?? STATUS_UNSET),
          attributes: attributes(s.attributes),
          events: s.events?.length
            ? s.events.map((e) => ({ time: u64(e.timeUnixNano), name: e.name ?? '', attributes: attributes(e.attributes) }))
            : NO_EVENTS,
          links: s.links?.length ? s.links.map((l, x) => link(l, `${where}.links[${x}]`)) : NO_LINKS,
          resource,
          scope,
          traceState: s.traceState || undefined,
        });
      }
    }
  }
}

function link(l: NonNullable<PSpan['links']>[number], where: string): SpanLink {
  const traceId = hexId(l.traceId, 32);
  const spanId = hexId(l.spanId, 16);
  if (traceId === undefined || spanId === undefined) throw new TraceFormatError(where, 'a link needs a trace id and a span id');
  return { traceId, spanId, traceState: l.traceState || undefined, attributes: attributes(l.attributes) };
}
