/**
 * Model spans → Tempo's trace-by-id bodies, as Tempo writes them (jsonpb: base64 ids, enum names,
 * 64-bit ints as strings, zero values omitted, keys in proto order, HTML-escaped strings; or the
 * protobuf messages), for the local capture's query endpoint. Spans are grouped by resource and
 * scope in order of first appearance, as Tempo combines the batches it stored. The wire types
 * the model keeps (Attribute.type, flags, dropped counts) are written back, so what a sender
 * exported is what a reader gets.
 */
import type { Attribute, AttrValue, Resource, Scope, Span } from '../model/trace';
import { goString } from './goJson';
import { otlpTypes } from './otlpSchema';

const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const KIND_INDEX = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
const STATUS_NAMES = { unset: 'STATUS_CODE_UNSET', ok: 'STATUS_CODE_OK', error: 'STATUS_CODE_ERROR' } as const;
const STATUS_INDEX = { unset: 0, ok: 1, error: 2 } as const;

interface Group {
  readonly resource: Resource;
  readonly scopes: { readonly scope: Scope; readonly spans: Span[] }[];
}

/** Spans by resource, then scope, in order of first appearance (by object: the store shares them). */
export function groupSpans(spans: readonly Span[]): Group[] {
  const groups: Group[] = [];
  const byRes = new Map<Resource, Group>();
  for (const s of spans) {
    let g = byRes.get(s.resource);
    if (!g) {
      g = { resource: s.resource, scopes: [] };
      byRes.set(s.resource, g);
      groups.push(g);
    }
    let sc = g.scopes.find((x) => x.scope === s.scope);
    if (!sc) g.scopes.push((sc = { scope: s.scope, spans: [] }));
    sc.spans.push(s);
  }
  return groups;
}

function hexToB64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/** One AnyValue in jsonpb; `type` is the wire type the model kept, if any. */
export function anyValueJson(v: AttrValue, type?: Attribute['type']): string {
  if (typeof v === 'string') {
    if (type === 'int') return `{"intValue":"${v}"}`;
    if (type === 'bytes') return `{"bytesValue":${goString(v)}}`;
    return `{"stringValue":${goString(v)}}`;
  }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && type !== 'double') return `{"intValue":"${v}"}`;
    return `{"doubleValue":${Number.isFinite(v) ? JSON.stringify(v) : `"${v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : 'NaN'}"`}}`;
  }
  if (typeof v === 'boolean') return `{"boolValue":${v}}`;
  if (v === null) return '{}';
  if (Array.isArray(v)) return v.length ? `{"arrayValue":{"values":[${v.map((x) => anyValueJson(x)).join(',')}]}}` : '{"arrayValue":{}}';
  const keys = Object.keys(v);
  return keys.length ? `{"kvlistValue":{"values":[${keys.map((k) => `{"key":${goString(k)},"value":${anyValueJson(v[k]!)}}`).join(',')}]}}` : '{"kvlistValue":{}}';
}

export function attributesJson(list: readonly Attribute[]): string {
  return list.map((a) => `{${a.key ? `"key":${goString(a.key)},` : ''}"value":${anyValueJson(a.value, a.type)}}`).join(',');
}

function spanJson(s: Span): string {
  let o = `{"traceId":"${hexToB64(s.traceId)}","spanId":"${hexToB64(s.spanId)}"`;
  if (s.traceState) o += `,"traceState":${goString(s.traceState)}`;
  if (s.parentSpanId) o += `,"parentSpanId":"${hexToB64(s.parentSpanId)}"`;
  if (s.flags) o += `,"flags":${s.flags}`;
  if (s.name) o += `,"name":${goString(s.name)}`;
  if (s.kind !== 'unspecified') o += `,"kind":"${KIND_NAMES[KIND_INDEX[s.kind]]}"`;
  if (s.start) o += `,"startTimeUnixNano":"${s.start}"`;
  if (s.end) o += `,"endTimeUnixNano":"${s.end}"`;
  if (s.attributes.length) o += `,"attributes":[${attributesJson(s.attributes)}]`;
  if (s.droppedAttributesCount) o += `,"droppedAttributesCount":${s.droppedAttributesCount}`;
  if (s.events.length) {
    o += `,"events":[${s.events
      .map((e) => {
        const parts: string[] = [];
        if (e.time) parts.push(`"timeUnixNano":"${e.time}"`);
        if (e.name) parts.push(`"name":${goString(e.name)}`);
        if (e.attributes.length) parts.push(`"attributes":[${attributesJson(e.attributes)}]`);
        if (e.droppedAttributesCount) parts.push(`"droppedAttributesCount":${e.droppedAttributesCount}`);
        return `{${parts.join(',')}}`;
      })
      .join(',')}]`;
  }
  if (s.droppedEventsCount) o += `,"droppedEventsCount":${s.droppedEventsCount}`;
  if (s.links.length) {
    o += `,"links":[${s.links
      .map((l) => {
        let x = `{"traceId":"${hexToB64(l.traceId)}","spanId":"${hexToB64(l.spanId)}"`;
        if (l.traceState) x += `,"traceState":${goString(l.traceState)}`;
        if (l.attributes.length) x += `,"attributes":[${attributesJson(l.attributes)}]`;
        if (l.droppedAttributesCount) x += `,"droppedAttributesCount":${l.droppedAttributesCount}`;
        if (l.flags) x += `,"flags":${l.flags}`;
        return `${x}}`;
      })
      .join(',')}]`;
  }
  if (s.droppedLinksCount) o += `,"droppedLinksCount":${s.droppedLinksCount}`;
  // Status is a non-pointer message in Tempo's proto: always written, `{}` when unset.
  const st = s.status;
  const parts: string[] = [];
  if (st.message) parts.push(`"message":${goString(st.message)}`);
  if (st.code !== 'unset') parts.push(`"code":"${STATUS_NAMES[st.code]}"`);
  return `${o},"status":{${parts.join(',')}}}`;
}

function scopeJson(sc: Scope): string {
  const parts: string[] = [];
  if (sc.name) parts.push(`"name":${goString(sc.name)}`);
  if (sc.version) parts.push(`"version":${goString(sc.version)}`);
  if (sc.attributes.length) parts.push(`"attributes":[${attributesJson(sc.attributes)}]`);
  return `{${parts.join(',')}}`;
}

/** `[{"resource":…,"scopeSpans":[…]}, …]` — the list both envelopes hold. */
export function resourceSpansJson(spans: readonly Span[]): string {
  return `[${groupSpans(spans)
    .map(
      (g) =>
        `{"resource":{${g.resource.attributes.length ? `"attributes":[${attributesJson(g.resource.attributes)}]` : ''}},"scopeSpans":[${g.scopes
          .map((sc) => `{"scope":${scopeJson(sc.scope)},"spans":[${sc.spans.map(spanJson).join(',')}]}`)
          .join(',')}]}`,
    )
    .join(',')}]`;
}

/** The v2 body `{"trace":{"resourceSpans":[…]},"metrics":{…}}` (`{"trace":{},…}` when empty). */
export function tempoV2Json(spans: readonly Span[], inspectedBytes: number): string {
  const metrics = inspectedBytes ? `{"inspectedBytes":"${inspectedBytes}"}` : '{}';
  return `{"trace":${spans.length ? `{"resourceSpans":${resourceSpansJson(spans)}}` : '{}'},"metrics":${metrics}}`;
}

/** The v1 body `{"batches":[…]}`. */
export function tempoV1Json(spans: readonly Span[]): string {
  return `{"batches":${resourceSpansJson(spans)}}`;
}

// ---- protobuf ---------------------------------------------------------------------------

function anyValueObject(v: AttrValue, type?: Attribute['type']): Record<string, unknown> {
  if (typeof v === 'string') {
    if (type === 'int') return { intValue: v };
    if (type === 'bytes') return { bytesValue: Buffer.from(v, 'base64') };
    return { stringValue: v };
  }
  if (typeof v === 'number') return Number.isInteger(v) && type !== 'double' ? { intValue: v } : { doubleValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (v === null) return {};
  if (Array.isArray(v)) return { arrayValue: { values: v.map((x) => anyValueObject(x)) } };
  return { kvlistValue: { values: Object.keys(v).map((k) => ({ key: k, value: anyValueObject(v[k]!) })) } };
}

function attrObjects(list: readonly Attribute[]): Record<string, unknown>[] {
  return list.map((a) => ({ key: a.key, value: anyValueObject(a.value, a.type) }));
}

/** Spans as a TracesData-shaped object for protobufjs' fromObject. */
export function resourceSpansObjects(spans: readonly Span[]): Record<string, unknown>[] {
  return groupSpans(spans).map((g) => ({
    resource: { attributes: attrObjects(g.resource.attributes) },
    scopeSpans: g.scopes.map((sc) => ({
      scope: { name: sc.scope.name, version: sc.scope.version ?? '', attributes: attrObjects(sc.scope.attributes) },
      spans: sc.spans.map((s) => ({
        traceId: Buffer.from(s.traceId, 'hex'),
        spanId: Buffer.from(s.spanId, 'hex'),
        traceState: s.traceState ?? '',
        parentSpanId: s.parentSpanId ? Buffer.from(s.parentSpanId, 'hex') : Buffer.alloc(0),
        flags: s.flags ?? 0,
        name: s.name,
        kind: KIND_INDEX[s.kind],
        startTimeUnixNano: s.start.toString(),
        endTimeUnixNano: s.end.toString(),
        attributes: attrObjects(s.attributes),
        droppedAttributesCount: s.droppedAttributesCount ?? 0,
        events: s.events.map((e) => ({ timeUnixNano: e.time.toString(), name: e.name, attributes: attrObjects(e.attributes), droppedAttributesCount: e.droppedAttributesCount ?? 0 })),
        droppedEventsCount: s.droppedEventsCount ?? 0,
        links: s.links.map((l) => ({
          traceId: Buffer.from(l.traceId, 'hex'),
          spanId: Buffer.from(l.spanId, 'hex'),
          traceState: l.traceState ?? '',
          attributes: attrObjects(l.attributes),
          droppedAttributesCount: l.droppedAttributesCount ?? 0,
          flags: l.flags ?? 0,
        })),
        droppedLinksCount: s.droppedLinksCount ?? 0,
        status: { code: STATUS_INDEX[s.status.code], message: s.status.message ?? '' },
      })),
    })),
  }));
}

/** Tempo v2's protobuf `TraceByIDResponse` (v1: `tempopb.Trace`). */
export function tempoProto(spans: readonly Span[], api: 'v1' | 'v2'): Uint8Array {
  const resourceSpans = resourceSpansObjects(spans);
  if (api === 'v1') return otlpTypes.TempoTrace.encode(otlpTypes.TempoTrace.fromObject({ resourceSpans })).finish();
  return otlpTypes.TraceByIDResponse.encode(otlpTypes.TraceByIDResponse.fromObject({ trace: { resourceSpans } })).finish();
}
