/**
 * Spec OTLP/JSON → the JSON Tempo actually sends, by the rules of
 * Tempo's own encoding (gogo jsonpb with default options):
 * - ids (`traceId`, `spanId`, `parentSpanId`, link ids) as standard padded base64;
 * - enums as name strings (`SPAN_KIND_SERVER`, `STATUS_CODE_ERROR`), omitted when zero;
 * - 64-bit integers (times, `intValue`) as decimal strings, 32-bit ones as numbers;
 * - zero values omitted (0, "", false, empty lists), except inside an AnyValue oneof, and an
 *   empty message written as `{}` (`"status":{}`, `"scope":{}`, `{"arrayValue":{}}`);
 * - keys in proto field order; Status writes `message` before `code`.
 * Envelopes: v1 `{"batches":[…]}`, v2 `{"trace":{"resourceSpans":[…]},"metrics":{…}}` with an
 * optional PARTIAL status, or the bare `{"resourceSpans":[…]}` Tempo's own test files use.
 */

type Json = Record<string, unknown>;

const KIND_NAMES = ['', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_NAMES = ['', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

export interface TempoEncodeOptions {
  /** Default 'v2'. */
  readonly envelope?: 'v1' | 'v2' | 'bare';
  /** v2 only: mark the response PARTIAL with this message. */
  readonly partialMessage?: string;
  /** v2 only: `metrics.inspectedBytes`; omitted when 0 or absent. */
  readonly inspectedBytes?: number;
}

/** Hex (spec) or already-base64 id → base64 of its bytes. */
function b64(id: unknown): string | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  if (id.endsWith('=')) return id;
  return Buffer.from(id.length % 2 ? `0${id}` : id, 'hex').toString('base64');
}

function str64(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'bigint' ? v.toString() : String(v);
  return s === '0' ? undefined : s;
}

function enumName(v: unknown, names: readonly string[]): string | undefined {
  if (typeof v === 'string') return v.endsWith('_UNSPECIFIED') || v.endsWith('_UNSET') ? undefined : v;
  if (typeof v !== 'number' || v === 0) return undefined;
  return names[v];
}

/** Drops keys whose value jsonpb would omit (undefined, 0, "", false, empty arrays). */
function compact(o: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === 0 || v === '' || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

function anyValue(v: unknown): Json {
  if (typeof v !== 'object' || v === null) return {};
  const a = v as Json;
  if (a.stringValue !== undefined) return { stringValue: a.stringValue };
  if (a.boolValue !== undefined) return { boolValue: a.boolValue };
  if (a.intValue !== undefined) return { intValue: String(a.intValue) };
  if (a.doubleValue !== undefined) {
    const d = a.doubleValue;
    return { doubleValue: typeof d === 'number' && !Number.isFinite(d) ? String(d) : d };
  }
  if (a.arrayValue !== undefined) {
    const values = ((a.arrayValue as Json).values as unknown[] | undefined) ?? [];
    return { arrayValue: values.length ? { values: values.map(anyValue) } : {} };
  }
  if (a.kvlistValue !== undefined) {
    const values = ((a.kvlistValue as Json).values as unknown[] | undefined) ?? [];
    return { kvlistValue: values.length ? { values: values.map(keyValue) } : {} };
  }
  if (a.bytesValue !== undefined) return { bytesValue: a.bytesValue };
  return {};
}

function keyValue(kv: unknown): Json {
  const o = kv as Json;
  return compact({ key: o.key, value: anyValue(o.value) });
}

function attrs(list: unknown): Json[] | undefined {
  return Array.isArray(list) ? list.map(keyValue) : undefined;
}

function status(s: unknown): Json {
  const o = (s ?? {}) as Json;
  return compact({ message: o.message, code: enumName(o.code, STATUS_NAMES) });
}

function span(s: Json): Json {
  return compact({
    traceId: b64(s.traceId),
    spanId: b64(s.spanId),
    traceState: s.traceState,
    parentSpanId: b64(s.parentSpanId),
    flags: s.flags,
    name: s.name,
    kind: enumName(s.kind, KIND_NAMES),
    startTimeUnixNano: str64(s.startTimeUnixNano),
    endTimeUnixNano: str64(s.endTimeUnixNano),
    attributes: attrs(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: Array.isArray(s.events)
      ? s.events.map((e: Json) =>
          compact({
            timeUnixNano: str64(e.timeUnixNano),
            name: e.name,
            attributes: attrs(e.attributes),
            droppedAttributesCount: e.droppedAttributesCount,
          }),
        )
      : undefined,
    droppedEventsCount: s.droppedEventsCount,
    links: Array.isArray(s.links)
      ? s.links.map((l: Json) =>
          compact({
            traceId: b64(l.traceId),
            spanId: b64(l.spanId),
            traceState: l.traceState,
            attributes: attrs(l.attributes),
            droppedAttributesCount: l.droppedAttributesCount,
            flags: l.flags,
          }),
        )
      : undefined,
    droppedLinksCount: s.droppedLinksCount,
    // Status is a non-pointer message field in Tempo's proto, so it is always written, `{}` if unset.
    status: status(s.status),
  });
}

function scope(sc: unknown): Json {
  const o = (sc ?? {}) as Json;
  return compact({ name: o.name, version: o.version, attributes: attrs(o.attributes), droppedAttributesCount: o.droppedAttributesCount });
}

function resourceSpans(rs: Json): Json {
  const res = (rs.resource ?? {}) as Json;
  const scopeSpans = (rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? []) as Json[];
  return compact({
    resource: compact({ attributes: attrs(res.attributes), droppedAttributesCount: res.droppedAttributesCount }),
    scopeSpans: scopeSpans.map((ss) =>
      compact({
        scope: scope(ss.scope ?? ss.instrumentationLibrary),
        spans: ((ss.spans ?? []) as Json[]).map(span),
        schemaUrl: ss.schemaUrl,
      }),
    ),
    schemaUrl: rs.schemaUrl,
  });
}

/** Re-encodes a spec OTLP/JSON traces object (`{"resourceSpans":[…]}`) the way Tempo writes it. */
export function tempoEncode(otlp: unknown, options: TempoEncodeOptions = {}): Json {
  const list = ((otlp as Json).resourceSpans ?? []) as Json[];
  const encoded = list.map(resourceSpans);
  const envelope = options.envelope ?? 'v2';
  if (envelope === 'v1') return { batches: encoded };
  if (envelope === 'bare') return { resourceSpans: encoded };
  const out: Json = {
    trace: encoded.length ? { resourceSpans: encoded } : {},
    metrics: options.inspectedBytes ? { inspectedBytes: String(options.inspectedBytes) } : {},
  };
  if (options.partialMessage !== undefined) {
    out.status = 'PARTIAL';
    out.message = options.partialMessage;
  }
  return out;
}

/**
 * The same bytes as `JSON.stringify(tempoEncode(otlp, options))`, written in pieces (one per
 * span), for traces whose encoding is longer than one JavaScript string can be (a 1M-span trace
 * in Tempo's JSON is ~800 MB).
 */
export function writeTempoEncoded(otlp: unknown, write: (chunk: string) => void, options: TempoEncodeOptions = {}): void {
  const list = ((otlp as Json).resourceSpans ?? []) as Json[];
  const envelope = options.envelope ?? 'v2';
  const writeList = () => {
    write('[');
    list.forEach((rs, i) => {
      if (i) write(',');
      const res = (rs.resource ?? {}) as Json;
      const scopeSpans = (rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? []) as Json[];
      write(`{"resource":${JSON.stringify(compact({ attributes: attrs(res.attributes), droppedAttributesCount: res.droppedAttributesCount }))}`);
      if (scopeSpans.length) {
        write(',"scopeSpans":[');
        scopeSpans.forEach((ss, j) => {
          if (j) write(',');
          write(`{"scope":${JSON.stringify(scope(ss.scope ?? ss.instrumentationLibrary))}`);
          const spans = (ss.spans ?? []) as Json[];
          if (spans.length) {
            write(',"spans":[');
            spans.forEach((s, k) => write(`${k ? ',' : ''}${JSON.stringify(span(s))}`));
            write(']');
          }
          if (ss.schemaUrl) write(`,"schemaUrl":${JSON.stringify(ss.schemaUrl)}`);
          write('}');
        });
        write(']');
      }
      if (rs.schemaUrl) write(`,"schemaUrl":${JSON.stringify(rs.schemaUrl)}`);
      write('}');
    });
    write(']');
  };
  if (envelope === 'v1') {
    write('{"batches":');
    writeList();
    write('}');
    return;
  }
  if (envelope === 'bare') {
    write('{"resourceSpans":');
    writeList();
    write('}');
    return;
  }
  write('{"trace":');
  if (list.length) {
    write('{"resourceSpans":');
    writeList();
    write('}');
  } else write('{}');
  write(`,"metrics":${JSON.stringify(options.inspectedBytes ? { inspectedBytes: String(options.inspectedBytes) } : {})}`);
  if (options.partialMessage !== undefined) write(`,"status":"PARTIAL","message":${JSON.stringify(options.partialMessage)}`);
  write('}');
}
