/**
 * Jaeger query-API JSON → model: the envelope `{"data":[trace…],"errors"}` of
 * `/api/traces/{id}` and a single trace object `{traceID, spans, processes}` (what the UI's
 * "Download JSON" holds per trace).
 *
 * Mapping follows Jaeger's own rules so a trace reads the same whether Jaeger or we convert it:
 * - parent = first CHILD_OF reference in the same trace, else the first FOLLOWS_FROM there
 *   (jaeger `model.Span.ParentSpanID`); every other reference becomes a link tagged
 *   `opentracing.ref_type`, as Jaeger's OTLP translator writes it.
 * - tags that OTLP holds as fields move out of the attributes: `span.kind` → kind,
 *   `otel.status_code`/`otel.status_description` and `error=true` → status,
 *   `otel.scope.*`/`otel.library.*` → scope, `w3c.tracestate` → traceState.
 * - logs → events, named by their `event` field.
 * Times are microseconds (ids 16 or 32 hex); the model holds nanoseconds.
 */
import { spanIdToHex, traceIdToHex, ZERO_SPAN_ID } from '../model/ids';
import { countOf } from '../text/plural';
import type { Attribute, AttrValue, Resource, Scope, Span, SpanEvent, SpanKind, SpanLink } from '../model/trace';
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
  STATUS_ERROR,
  STATUS_OK,
  STATUS_UNSET,
  MAX_UINT64,
  textOf,
  toUint64,
  UNKNOWN_SERVICE,
  type TraceCollector,
} from './common';

const KINDS = new Map<string, SpanKind>([
  ['client', 'client'],
  ['server', 'server'],
  ['producer', 'producer'],
  ['consumer', 'consumer'],
  ['internal', 'internal'],
]);

const UNKNOWN_RESOURCE: Resource = Object.freeze({ serviceName: UNKNOWN_SERVICE, attributes: NO_ATTRIBUTES });

/** jaeger-ui's redux state (`{data:{traceID,spans,…},id,state}`): recognised only to be refused. */
export function isJaegerUiStoreState(v: Record<string, unknown>): boolean {
  return isObject(v.data) && Array.isArray(v.data.spans);
}

function tagValue(tag: Record<string, unknown>, field: string): AttrValue {
  const v = tag.value;
  switch (tag.type) {
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return bad(`${field}.value`, 'a boolean', kindOf(v));
    case 'int64':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      // Jaeger writes int64s beyond 2^53 as strings (ui_01's "javascript_limit"); keep them exact.
      if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) return Number.isSafeInteger(Number(v)) ? Number(v) : v;
      return bad(`${field}.value`, 'an integer', kindOf(v));
    case 'float64':
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      return bad(`${field}.value`, 'a number', kindOf(v));
    default: // 'string', 'binary' (base64 text), or a type we do not know
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      if (v === undefined || v === null) return null;
      return bad(`${field}.value`, 'a string, number or boolean', kindOf(v));
  }
}

function tags(list: unknown, field: string): Attribute[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return bad(field, 'an array', kindOf(list));
  const out: Attribute[] = new Array<Attribute>(list.length);
  for (let i = 0; i < list.length; i++) {
    const t: unknown = list[i];
    if (!isObject(t)) return bad(`${field}[${i}]`, 'a tag object', kindOf(t));
    if (typeof t.key !== 'string') return bad(`${field}[${i}].key`, 'a string', kindOf(t.key));
    out[i] = { key: t.key, value: tagValue(t, `${field}[${i}]`) };
  }
  return out;
}

/** Microseconds → the model's nanoseconds, which must stay within 64 bits like OTLP's. */
function micros(v: unknown, field: string): bigint {
  const us = toUint64(v);
  if (us === undefined || us * 1000n > MAX_UINT64) return bad(field, 'an integer of unix microseconds', describe(v));
  return us * 1000n;
}

/** One Jaeger trace object's decoding state: processes decoded once, shared by its spans. */
class TraceDecoder {
  private readonly resources = new Map<string, Resource>();
  private readonly scopes = new Map<string, Scope>();
  spanWarnings = 0;
  firstSpanWarning = '';

  constructor(
    private readonly processes: Record<string, unknown>,
  ) {}

  private resource(s: Record<string, unknown>): Resource {
    const inline = s.process;
    if (isObject(inline)) return this.processToResource(inline, 'process');
    const pid = s.processID;
    if (pid === undefined || pid === null) return UNKNOWN_RESOURCE; // hand-written files often omit it
    if (typeof pid !== 'string') return bad('processID', 'a string', kindOf(pid));
    let r = this.resources.get(pid);
    if (r === undefined) {
      const p = Object.prototype.hasOwnProperty.call(this.processes, pid) ? this.processes[pid] : undefined;
      if (!isObject(p)) return bad('processID', 'the key of an entry in "processes"', describe(pid));
      r = this.processToResource(p, `processes[${JSON.stringify(pid)}]`);
      this.resources.set(pid, r);
    }
    return r;
  }

  private processToResource(p: Record<string, unknown>, field: string): Resource {
    const name = p.serviceName;
    if (name !== undefined && typeof name !== 'string') return bad(`${field}.serviceName`, 'a string', kindOf(name));
    const attributes = tags(p.tags, `${field}.tags`);
    return { serviceName: name || UNKNOWN_SERVICE, attributes: attributes.length ? attributes : NO_ATTRIBUTES };
  }

  private scope(name: string, version: string | undefined): Scope {
    if (name === '' && version === undefined) return NO_SCOPE;
    const key = `${name}\n${version ?? ''}`;
    let s = this.scopes.get(key);
    if (s === undefined) {
      s = { name, version, attributes: NO_ATTRIBUTES };
      this.scopes.set(key, s);
    }
    return s;
  }

  span(s: Record<string, unknown>, fallbackTraceId: string | undefined): Span {
    const rawTid = s.traceID;
    const traceId = rawTid === undefined ? fallbackTraceId : typeof rawTid === 'string' ? traceIdToHex(rawTid) : undefined;
    if (traceId === undefined) return bad('traceID', 'a trace id of 16 or 32 hex', describe(rawTid));
    const spanId = typeof s.spanID === 'string' ? spanIdToHex(s.spanID) : undefined;
    if (spanId === undefined) return bad('spanID', 'a span id of 16 hex', describe(s.spanID));
    const name = s.operationName === undefined ? '' : s.operationName;
    if (typeof name !== 'string') return bad('operationName', 'a string', kindOf(name));

    const start = micros(s.startTime, 'startTime');
    let end = start;
    const d = s.duration;
    // A negative duration leaves end = start; the span loop records the clamp with its place.
    if (d !== undefined && !(typeof d === 'number' && d < 0)) end = start + micros(d, 'duration');
    if (end > MAX_UINT64) return bad('duration', 'a duration ending within 64-bit nanoseconds', describe(d));

    const { parentSpanId, links } = this.references(s, traceId);

    let kind: SpanKind = 'unspecified';
    let status: Span['status'] = STATUS_UNSET;
    let statusCode: string | undefined;
    let statusMessage: string | undefined;
    let scopeName = '';
    let scopeVersion: string | undefined;
    let traceState: string | undefined;
    const attributes: Attribute[] = [];
    for (const a of tags(s.tags, 'tags')) {
      const v = a.value;
      switch (a.key) {
        case 'span.kind':
          if (typeof v === 'string' && KINDS.has(v)) {
            kind = KINDS.get(v)!;
            continue;
          }
          break;
        case 'error':
          if (v === true || v === 'true') {
            status = STATUS_ERROR;
            continue;
          }
          break;
        case 'otel.status_code':
          if (v === 'ERROR' || v === 'OK') {
            statusCode = v;
            continue;
          }
          break;
        case 'otel.status_description':
          if (typeof v === 'string') {
            statusMessage = v;
            continue;
          }
          break;
        case 'otel.scope.name':
        case 'otel.library.name':
          if (typeof v === 'string') {
            scopeName = v;
            continue;
          }
          break;
        case 'otel.scope.version':
        case 'otel.library.version':
          if (typeof v === 'string') {
            scopeVersion = v;
            continue;
          }
          break;
        case 'w3c.tracestate':
          if (typeof v === 'string') {
            traceState = v || undefined;
            continue;
          }
          break;
      }
      attributes.push(a);
    }
    if (statusCode === 'OK' && status !== STATUS_ERROR) status = STATUS_OK;
    if (statusCode === 'ERROR') status = STATUS_ERROR;
    if (statusMessage !== undefined && status !== STATUS_UNSET) status = { code: status.code, message: statusMessage };

    if (Array.isArray(s.warnings) && s.warnings.length > 0 && this.spanWarnings++ === 0) {
      this.firstSpanWarning = textOf(s.warnings[0]);
    }

    return {
      traceId,
      spanId,
      parentSpanId,
      name,
      kind,
      start,
      end,
      status,
      attributes: attributes.length ? attributes : NO_ATTRIBUTES,
      events: this.logs(s.logs),
      links,
      resource: this.resource(s),
      scope: this.scope(scopeName, scopeVersion),
      traceState,
    };
  }

  private references(s: Record<string, unknown>, traceId: string): { parentSpanId?: string; links: readonly SpanLink[] } {
    const refs = s.references;
    const parsed: { child: boolean; traceId: string; spanId: string }[] = [];
    if (refs !== undefined && refs !== null) {
      if (!Array.isArray(refs)) return bad('references', 'an array', kindOf(refs));
      for (let i = 0; i < refs.length; i++) {
        const r: unknown = refs[i];
        if (!isObject(r)) return bad(`references[${i}]`, 'an object', kindOf(r));
        const t = r.traceID === undefined ? traceId : typeof r.traceID === 'string' ? traceIdToHex(r.traceID) : undefined;
        if (t === undefined) return bad(`references[${i}].traceID`, 'a trace id', describe(r.traceID));
        const sid = typeof r.spanID === 'string' ? spanIdToHex(r.spanID) : undefined;
        if (sid === undefined) return bad(`references[${i}].spanID`, 'a span id', describe(r.spanID));
        const type = r.refType ?? 'CHILD_OF'; // the enum's zero value
        if (type !== 'CHILD_OF' && type !== 'FOLLOWS_FROM') return bad(`references[${i}].refType`, 'CHILD_OF or FOLLOWS_FROM', describe(type));
        parsed.push({ child: type === 'CHILD_OF', traceId: t, spanId: sid });
      }
    }
    let parent = parsed.findIndex((r) => r.child && r.traceId === traceId);
    if (parent < 0) parent = parsed.findIndex((r) => !r.child && r.traceId === traceId);
    let parentSpanId = parent >= 0 ? parsed[parent]!.spanId : undefined;
    // Pre-references Jaeger JSON had a bare parentSpanID; honour it when nothing else names a parent.
    if (parentSpanId === undefined && typeof s.parentSpanID === 'string') parentSpanId = spanIdToHex(s.parentSpanID);
    if (parentSpanId === ZERO_SPAN_ID) parentSpanId = undefined;
    const links: SpanLink[] = [];
    parsed.forEach((r, i) => {
      if (i === parent) return;
      links.push({
        traceId: r.traceId,
        spanId: r.spanId,
        attributes: [{ key: 'opentracing.ref_type', value: r.child ? 'child_of' : 'follows_from' }],
      });
    });
    return { parentSpanId, links: links.length ? links : NO_LINKS };
  }

  private logs(list: unknown): readonly SpanEvent[] {
    if (list === undefined || list === null) return NO_EVENTS;
    if (!Array.isArray(list)) return bad('logs', 'an array', kindOf(list));
    if (list.length === 0) return NO_EVENTS;
    return list.map((l: unknown, i): SpanEvent => {
      if (!isObject(l)) return bad(`logs[${i}]`, 'an object', kindOf(l));
      const fields = tags(l.fields, `logs[${i}].fields`);
      const ev = fields.findIndex((f) => f.key === 'event' && typeof f.value === 'string');
      const name = ev >= 0 ? (fields[ev]!.value as string) : '';
      if (ev >= 0) fields.splice(ev, 1);
      return { time: micros(l.timestamp, `logs[${i}].timestamp`), name, attributes: fields.length ? fields : NO_ATTRIBUTES };
    });
  }
}

function decodeTrace(t: unknown, path: string, out: TraceCollector): void {
  const at = path || 'the trace';
  if (!isObject(t)) return fail(at, `expected a trace object (found ${kindOf(t)})`);
  let fallback: string | undefined;
  if (t.traceID !== undefined) {
    fallback = typeof t.traceID === 'string' ? traceIdToHex(t.traceID) : undefined;
    if (fallback === undefined) return fail(at, `traceID is not a trace id (found ${describe(t.traceID)})`);
  }
  const processes = t.processes ?? {};
  if (!isObject(processes)) return fail(at, `processes is not an object (found ${kindOf(processes)})`);
  const spans = t.spans;
  if (!Array.isArray(spans)) return fail(`${path ? `${path}.` : ''}spans`, `expected an array (found ${kindOf(spans)})`);
  const d = new TraceDecoder(processes);
  let k = 0;
  try {
    for (; k < spans.length; k++) {
      const s: unknown = spans[k];
      if (!isObject(s)) bad('the span', 'an object', kindOf(s));
      const span = d.span(s, fallback);
      const where = () => `span ${k} at ${path ? `${path}.` : ''}spans[${k}]`;
      if (typeof s.duration === 'number' && s.duration < 0) out.noteClamped(where());
      else if (s.duration === undefined) out.noteNoEnd(where());
      out.add(span);
    }
  } catch (e) {
    if (e instanceof FieldError) return fail(`span ${k} at ${path ? `${path}.` : ''}spans[${k}]`, e.problem);
    throw e;
  }
  if (Array.isArray(t.warnings)) for (const w of t.warnings) out.warn(`Jaeger: ${textOf(w)}`);
  if (d.spanWarnings > 0) {
    out.warn(`Jaeger: ${countOf(d.spanWarnings, 'span carries', 'spans carry')} warnings (first: ${d.firstSpanWarning})`);
  }
}

/**
 * Jaeger's query API answers a failure in its envelope, with no data:
 * `{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}`.
 */
export function isJaegerErrorAnswer(value: Record<string, unknown>): boolean {
  return (value.data === null || value.data === undefined) && Array.isArray(value.errors) && value.errors.some(isObject);
}

/** The first error of such an answer, as the decoder words them. */
export function jaegerErrorAnswer(value: Record<string, unknown>): string {
  return jaegerErrorText((value.errors as unknown[]).find(isObject)!);
}

function jaegerErrorText(e: Record<string, unknown>): string {
  const tid = typeof e.traceID === 'string' ? ` for trace ${e.traceID}` : '';
  return `Jaeger reported an error${tid}: ${e.msg === undefined ? '' : textOf(e.msg)}${e.code !== undefined ? ` (code ${textOf(e.code)})` : ''}`;
}

/** `value` is the envelope (`data` array) or one trace object. */
export function decodeJaegerTraces(value: Record<string, unknown>, out: TraceCollector): void {
  if (!Array.isArray(value.data)) return decodeTrace(value, '', out);
  value.data.forEach((t, i) => decodeTrace(t, `data[${i}]`, out));
  if (Array.isArray(value.errors)) {
    for (const e of value.errors) {
      if (!isObject(e)) continue;
      out.warn(jaegerErrorText(e));
    }
  }
}
