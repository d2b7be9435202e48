/**
 * OTLP protobuf traces → the model the JSON path builds (formats/otlpJson.ts), with the same
 * rules: hex ids left-padded, an all-zero parent is no parent, ints beyond 2^53 kept as decimal
 * strings, bytes as base64, an end before its start clamped with a warning. Three wire messages
 * carry the same `resource_spans = 1`: OTLP TracesData (a .pb file), the collector's
 * ExportTraceServiceRequest (what the receiver gets) and Tempo's v1 `tempopb.Trace`; Tempo's v2
 * answer wraps it in `TraceByIDResponse { trace = 1; status = 3; message = 4 }`. The adapter maps
 * decoded messages straight to the model: going through `toObject` and the JSON decoder measured
 * ~2× slower. Unknown fields (newer OTLP additions) are skipped by protobufjs.
 */
import { TraceFormatError } from '../model/errors';
import { ZERO_SPAN_ID } from '../model/ids';
import type { ParsedTraces, Span, SpanKind, SpanLink, SpanSink, StatusCode } from '../model/trace';
import { NO_EVENTS, NO_LINKS, STATUS_ERROR, STATUS_OK, STATUS_UNSET, TraceCollector } from './common';
import {
  attributes,
  decodeOrFail,
  hexId,
  problemOf,
  resourceOf,
  scopeOf,
  u64,
  wireKept,
  withWire,
  type Long64,
  type PKeyValue,
  type PResource,
  type PScope,
} from './otlpProtoValues';
import { otlpTypes } from './otlpSchema';

/** The message types, for encoders (the Tempo fake) as well as the decoders below. */
export const otlpProto = {
  Trace: otlpTypes.TempoTrace,
  TraceByIDResponse: otlpTypes.TraceByIDResponse,
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
  const msg = decodeOrFail('a Tempo trace message', () => otlpProto.TraceByIDResponse.decode(body) as unknown as PTraceByIdResponse);
  const out = new TraceCollector();
  addResourceSpans(msg.trace?.resourceSpans ?? [], out);
  const partial = msg.status === 1;
  const message = msg.message || undefined;
  if (partial) out.warn(`Tempo returned a partial trace${message ? `: ${message}` : ''}`);
  return { parsed: out.finish('tempo-v2', partial ? (message ? { message } : {}) : undefined), partial, message };
}

/** A v1 body (tempopb.Trace, wire-compatible with OTLP TracesData, so also a .pb trace file) → model. */
export function decodeTempoV1Proto(body: Uint8Array, format: 'tempo-v1' | 'otlp-proto' = 'tempo-v1'): TempoProtoResult {
  const msg = decodeOrFail('a Tempo trace message', () => otlpProto.Trace.decode(body) as unknown as PTrace);
  const out = new TraceCollector();
  addResourceSpans(msg.resourceSpans ?? [], out);
  return { parsed: out.finish(format), partial: false };
}

/**
 * An OTLP ExportTraceServiceRequest (or TracesData) → `sink`, keeping the wire's types and
 * fields when `keepWire`. Throws TraceFormatError when the bytes are not the message; a span
 * that cannot be read goes to `sink.reject` when the sink has one.
 */
export function decodeTracesProto(body: Uint8Array, sink: SpanSink, opts: { readonly keepWire?: boolean } = {}): void {
  const msg = decodeOrFail('an OTLP traces message', () => otlpTypes.ExportTraceServiceRequest.decode(body) as unknown as PTrace);
  withWire(opts.keepWire ?? false, () => addResourceSpans(msg.resourceSpans ?? [], sink));
}

interface PSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  traceState?: string;
  parentSpanId?: Uint8Array;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: Long64;
  endTimeUnixNano?: Long64;
  attributes?: PKeyValue[];
  droppedAttributesCount?: number;
  events?: { timeUnixNano?: Long64; name?: string; attributes?: PKeyValue[]; droppedAttributesCount?: number }[];
  droppedEventsCount?: number;
  links?: { traceId?: Uint8Array; spanId?: Uint8Array; traceState?: string; attributes?: PKeyValue[]; droppedAttributesCount?: number; flags?: number }[];
  droppedLinksCount?: number;
  status?: { message?: string; code?: number };
}
interface PResourceSpans {
  resource?: PResource;
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

function addResourceSpans(list: PResourceSpans[], out: SpanSink): void {
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const rs = list[i]!;
    const resource = resourceOf(rs.resource);
    const groups = rs.scopeSpans?.length ? rs.scopeSpans : (rs.instrumentationLibrarySpans ?? []).map((g) => ({ scope: g.instrumentationLibrary, spans: g.spans }));
    for (let j = 0; j < groups.length; j++) {
      const g = groups[j]!;
      const scope = scopeOf(g.scope);
      const spans = g.spans ?? [];
      for (let k = 0; k < spans.length; k++, n++) {
        if (!out.reject) {
          out.add(span(spans[k]!, resource, scope, out, n, i, j, k));
          continue;
        }
        let s: Span;
        try {
          s = span(spans[k]!, resource, scope, out, n, i, j, k);
        } catch (e) {
          out.reject(`span ${n} at resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`, problemOf(e));
          continue;
        }
        out.add(s);
      }
    }
  }
}

function span(s: PSpan, resource: Span['resource'], scope: Span['scope'], out: SpanSink, n: number, i: number, j: number, k: number): Span {
  const where = (): string => `span ${n} at resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`;
  const traceId = hexId(s.traceId, 32);
  if (traceId === undefined) throw new TraceFormatError(where(), 'traceId is not 1-16 bytes');
  const spanId = hexId(s.spanId, 16);
  if (spanId === undefined) throw new TraceFormatError(where(), 'spanId is not 1-8 bytes');
  let parentSpanId = s.parentSpanId && s.parentSpanId.length ? hexId(s.parentSpanId, 16) : undefined;
  if (s.parentSpanId && s.parentSpanId.length && parentSpanId === undefined) throw new TraceFormatError(where(), 'parentSpanId is not 1-8 bytes');
  if (parentSpanId === ZERO_SPAN_ID) parentSpanId = undefined;
  const start = u64(s.startTimeUnixNano);
  let end = u64(s.endTimeUnixNano);
  if (end < start) {
    out.noteClamped(where());
    end = start;
  }
  const code = s.status?.code ?? 0;
  const msg = s.status?.message;
  const wire = wireKept();
  const base: Span = {
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
      ? s.events.map((e) =>
          wire && e.droppedAttributesCount
            ? { time: u64(e.timeUnixNano), name: e.name ?? '', attributes: attributes(e.attributes), droppedAttributesCount: e.droppedAttributesCount }
            : { time: u64(e.timeUnixNano), name: e.name ?? '', attributes: attributes(e.attributes) },
        )
      : NO_EVENTS,
    links: s.links?.length ? s.links.map((l, x) => link(l, wire, () => `${where()}.links[${x}]`)) : NO_LINKS,
    resource,
    scope,
    traceState: s.traceState || undefined,
  };
  if (!wire || !(s.flags || s.droppedAttributesCount || s.droppedEventsCount || s.droppedLinksCount)) return base;
  return {
    ...base,
    flags: s.flags || undefined,
    droppedAttributesCount: s.droppedAttributesCount || undefined,
    droppedEventsCount: s.droppedEventsCount || undefined,
    droppedLinksCount: s.droppedLinksCount || undefined,
  };
}

function link(l: NonNullable<PSpan['links']>[number], wire: boolean, where: () => string): SpanLink {
  const traceId = hexId(l.traceId, 32);
  const spanId = hexId(l.spanId, 16);
  if (traceId === undefined || spanId === undefined) throw new TraceFormatError(where(), 'a link needs a trace id and a span id');
  const base: SpanLink = { traceId, spanId, traceState: l.traceState || undefined, attributes: attributes(l.attributes) };
  if (!wire || !(l.flags || l.droppedAttributesCount)) return base;
  return { ...base, flags: l.flags || undefined, droppedAttributesCount: l.droppedAttributesCount || undefined };
}
