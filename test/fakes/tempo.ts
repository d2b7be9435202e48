/**
 * Contract fake of Tempo's query API, byte for byte where the reference
 * says how: jsonpb-encoded traces (base64 ids, enum names, 64-bit ints as strings, zeros
 * omitted, HTML-escaped strings), v1 `batches` vs v2 `{"trace":…}`, protobuf on
 * `Accept: application/protobuf`, v1 404 with an empty body, v2's empty 200 for "not found",
 * PARTIAL past max_bytes_per_trace, hex search ids with leading zeros trimmed, plain-text 400s,
 * 401 `no org id` with multi-tenancy on. Traces are served from spec OTLP/JSON as the synthetic
 * generator writes it. Runs standalone: `node --import tsx test/fakes/tempo.ts --port 3200`.
 */
import type { IncomingMessage } from 'node:http';
import { parseTraceValue } from '../../src/core/formats';
import { otlpProto } from '../../src/core/formats/otlpProto';
import type { Trace } from '../../src/core/model/trace';
import { tempoEncode } from '../support/tempoEncode';
import { goJsonStringify } from './goJson';
import { portFromArgv, startServer, type FakeServer, type Reply, type ServerOptions } from './server';
import { searchReply, tagNamesReply, tagValuesReply, type StoredTrace } from './tempoSearch';
import { TraceqlError, evaluate, parseTraceql } from './traceql';

export interface TempoTraceInput {
  /** Spec OTLP/JSON (hex ids, integer enums), as test/support/synth writes it. */
  readonly otlp: { readonly resourceSpans: readonly unknown[] };
  /** Owning tenant; absent = visible to every tenant. */
  readonly tenant?: string;
}

export interface TempoFakeOptions extends ServerOptions {
  readonly traces: readonly TempoTraceInput[];
  readonly multitenancy?: boolean;
  /** Tempo 3.0's `left_pad_trace_ids` override for search results. */
  readonly leftPadTraceIds?: boolean;
  /** false emulates an older Tempo without the /api/v2 routes. */
  readonly v2Routes?: boolean;
  /** false emulates a Tempo that has the v2 search/tag routes but not yet /api/v2/traces. */
  readonly v2TraceRoute?: boolean;
  /** Trace ids (32 hex) an access-policy redactor hides: 404 with an empty body (§1.4). */
  readonly hiddenTraceIds?: readonly string[];
  /** `max_bytes_per_trace`; 0 (default here) = unlimited. */
  readonly maxBytesPerTrace?: number;
  readonly version?: string;
  /** Emulates an auth gateway (nginx basic auth / bearer check) in front of Tempo. */
  readonly gateway?: { readonly basic?: { readonly user: string; readonly password: string }; readonly bearer?: string };
}

export interface TempoFake extends FakeServer {
  add(trace: TempoTraceInput): StoredTrace;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };
const JSON_CT = { 'content-type': 'application/json' };
const PROTO_CT = { 'content-type': 'application/protobuf' };
const NGINX_401 =
  '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const text = (status: number, body: string): Reply => ({ status, headers: TEXT, body });
const notFoundPage = (): Reply => text(404, '404 page not found\n');

export async function startTempoFake(opts: TempoFakeOptions): Promise<TempoFake> {
  const store: StoredTrace[] = [];
  const bodies = new Map<string, Buffer>();
  const maxBytes = opts.maxBytesPerTrace ?? 0;

  function add(input: TempoTraceInput): StoredTrace {
    const parsed = parseTraceValue(input.otlp);
    const model: Trace = parsed.traces[0] ?? { traceId: '0'.repeat(32), spans: [] };
    const stored = describeTrace(model, input);
    store.push(stored);
    return stored;
  }
  opts.traces.forEach(add);

  /** Encodings are built on first use and cached: a 100k-span trace takes seconds to encode. */
  function body(t: StoredTrace, kind: 'v1json' | 'v2json' | 'v1proto' | 'v2proto', partial?: PartialCut): Buffer {
    const key = `${t.traceId}/${t.tenant ?? ''}/${kind}/${partial?.keep ?? 'all'}`;
    let b = bodies.get(key);
    if (!b) {
      const otlp = partial ? partial.otlp : t.input.otlp;
      const v2 = tempoEncode(otlp, { envelope: 'v2', inspectedBytes: protoSize(t), ...(partial ? { partialMessage: partial.message } : {}) });
      if (kind === 'v1json') b = Buffer.from(goJsonStringify(tempoEncode(otlp, { envelope: 'v1' })));
      else if (kind === 'v2json') b = Buffer.from(goJsonStringify(v2));
      else if (kind === 'v1proto') b = Buffer.from(otlpProto.Trace.encode(otlpProto.Trace.fromObject(tempoEncode(otlp, { envelope: 'bare' }))).finish());
      else b = Buffer.from(otlpProto.TraceByIDResponse.encode(otlpProto.TraceByIDResponse.fromObject({ ...v2, status: partial ? 'PARTIAL' : undefined })).finish());
      bodies.set(key, b);
    }
    return b;
  }

  function protoSize(t: StoredTrace): number {
    const key = `${t.traceId}/${t.tenant ?? ''}/size`;
    let b = bodies.get(key);
    if (!b) {
      b = Buffer.from(otlpProto.Trace.encode(otlpProto.Trace.fromObject(tempoEncode(t.input.otlp, { envelope: 'bare' }))).finish());
      bodies.set(key, b);
    }
    return b.length;
  }

  const server = await startServer((req, url) => {
    const gate = gatewayCheck(req, opts.gateway);
    if (gate) return gate;
    const path = url.pathname;
    const params = url.searchParams;
    if (path === '/ready') return text(200, 'ready\n');
    if (path === '/api/echo') return text(200, 'echo\n');
    if (path === '/api/status/buildinfo') {
      const v = goJsonStringify({ version: opts.version ?? 'v3.0.3', revision: 'ad33aa8f', branch: 'HEAD', buildUser: '', buildDate: '', goVersion: 'go1.25.0' });
      return { status: 200, headers: JSON_CT, body: `${v}\n` };
    }
    if (!path.startsWith('/api/')) return notFoundPage();
    let tenants: string[] | undefined;
    if (opts.multitenancy) {
      const h = req.headers['x-scope-orgid'];
      if (typeof h !== 'string' || h === '') return text(401, 'no org id\n');
      tenants = h.split('|');
    }
    const visible = store.filter((t) => !t.tenant || !tenants || tenants.includes(t.tenant));
    const v2 = path.startsWith('/api/v2/');
    if (v2 && opts.v2Routes === false) return notFoundPage();

    const byId = /^\/api(?:\/v2)?\/traces\/([^/]*)$/.exec(path);
    if (byId && v2 && opts.v2TraceRoute === false) return notFoundPage();
    if (byId) return traceById(decodeURIComponent(byId[1]!), v2, params, req, visible);
    if (path === '/api/search') return searchReply(params, visible, opts.leftPadTraceIds ?? false);
    if (path === '/api/search/tags' || path === '/api/v2/search/tags') return tagNamesReply(params, visible, v2);
    const tv = /^\/api(?:\/v2)?\/search\/tag\/([^/]+)\/values$/.exec(path);
    if (tv) return tagValuesReply(decodeURIComponent(tv[1]!), params, visible, v2);
    return notFoundPage();
  }, opts);

  function traceById(rawId: string, v2: boolean, params: URLSearchParams, req: IncomingMessage, visible: StoredTrace[]): Reply {
    const id = parseTraceIdParam(rawId);
    if (typeof id !== 'string') return id;
    const range = startEnd(params);
    if ('status' in range) return range;
    const proto = wantsProtobuf(req.headers.accept);
    if (opts.hiddenTraceIds?.includes(id)) return { status: 404, body: '' };
    const t = visible.find(
      (x) => x.traceId === id && (range.start === undefined || (x.endNs >= BigInt(range.start) * 1_000_000_000n && x.startNs <= BigInt(range.end!) * 1_000_000_000n)),
    );
    if (!v2) {
      // "if all downstream jobs return 404 then it will return 404 with no body"
      if (!t) return { status: 404, body: '' };
      if (maxBytes && protoSize(t) > maxBytes) return text(422, `trace exceeds max size (max bytes: ${maxBytes})`);
      return proto ? { status: 200, headers: PROTO_CT, body: body(t, 'v1proto') } : { status: 200, headers: JSON_CT, body: body(t, 'v1json') };
    }
    if (!t) {
      return proto
        ? { status: 200, headers: PROTO_CT, body: Buffer.from(otlpProto.TraceByIDResponse.encode(otlpProto.TraceByIDResponse.fromObject({ trace: {} })).finish()) }
        : { status: 200, headers: JSON_CT, body: '{"trace":{},"metrics":{}}' };
    }
    let cut: PartialCut | undefined;
    const q = params.get('q');
    if (q) {
      let expr;
      try {
        expr = parseTraceql(q);
      } catch (err) {
        if (err instanceof TraceqlError) return text(400, `invalid TraceQL query: ${err.message}`);
        throw err;
      }
      const keep = new Set(t.model.spans.filter((s) => evaluate(expr, s, t.ctx)).map((s) => s.spanId));
      if (keep.size < t.model.spans.length) {
        cut = { keep: keep.size, otlp: filterOtlp(t.input.otlp, (s) => keep.has(s.spanId)), message: 'Trace filtered, only a subset of spans matching the filter is returned' };
      }
    } else if (maxBytes && protoSize(t) > maxBytes) {
      const keepN = Math.max(1, Math.floor((t.model.spans.length * maxBytes) / protoSize(t)) - 1);
      let i = 0;
      cut = { keep: keepN, otlp: filterOtlp(t.input.otlp, () => i++ < keepN), message: `Trace exceeds maximum size of ${maxBytes} bytes, a partial trace is returned` };
    }
    return proto ? { status: 200, headers: PROTO_CT, body: body(t, 'v2proto', cut) } : { status: 200, headers: JSON_CT, body: body(t, 'v2json', cut) };
  }

  return { ...server, add };
}

interface PartialCut {
  readonly keep: number;
  readonly otlp: { resourceSpans: unknown[] };
  readonly message: string;
}

function describeTrace(model: Trace, input: TempoTraceInput): StoredTrace {
  let startNs = model.spans[0]?.start ?? 0n;
  let endNs = model.spans[0]?.end ?? 0n;
  for (const s of model.spans) {
    if (s.start < startNs) startNs = s.start;
    if (s.end > endNs) endNs = s.end;
  }
  const ids = new Set(model.spans.map((s) => s.spanId));
  const root = model.spans.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
  const trueRoot = model.spans.find((s) => !s.parentSpanId);
  return {
    traceId: model.traceId,
    tenant: input.tenant,
    input,
    model,
    startNs,
    endNs,
    root: trueRoot ?? undefined,
    ctx: { rootName: (trueRoot ?? root)?.name, rootServiceName: (trueRoot ?? root)?.resource.serviceName, durationNs: endNs - startNs },
  };
}

/** Spec OTLP/JSON with only the spans `keep` accepts (ids compared as hex). */
function filterOtlp(otlp: TempoTraceInput['otlp'], keep: (s: { spanId: string }) => boolean): { resourceSpans: unknown[] } {
  type Rs = { scopeSpans?: { spans?: { spanId: string }[] }[] };
  const resourceSpans = (otlp.resourceSpans as Rs[])
    .map((rs) => ({ ...rs, scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({ ...ss, spans: (ss.spans ?? []).filter((s) => keep({ spanId: s.spanId.toLowerCase() })) })).filter((ss) => ss.spans.length) }))
    .filter((rs) => rs.scopeSpans.length);
  return { resourceSpans };
}

/** pkg/util/traceid.go: hex up to 32 chars, an odd length gets a leading 0, then left-padded. */
function parseTraceIdParam(raw: string): string | Reply {
  // Characters first, then the decoded size, as Tempo does; positions count runes (Go's Split).
  const chars = [...raw];
  for (let i = 0; i < chars.length; i++) {
    if (!/^[0-9a-fA-F]$/.test(chars[i]!)) return text(400, `trace IDs can only contain hex characters: invalid character '${chars[i]}' at position ${i + 1}`);
  }
  if (raw.length > 32) return text(400, "trace IDs can't be larger than 128 bits");
  return raw.toLowerCase().padStart(32, '0');
}

function startEnd(params: URLSearchParams): { start?: number; end?: number } | Reply {
  const s = params.get('start');
  const e = params.get('end');
  if (s === null || e === null || s === '' || e === '') return {};
  const start = Number.parseInt(s, 10);
  const end = Number.parseInt(e, 10);
  if (Number.isNaN(start) || Number.isNaN(end)) return text(400, `invalid start or end: start=${s} end=${e}`);
  if (end <= start) return text(400, `http parameter start must be before end. received start=${start} end=${end}`);
  return { start, end };
}

/** Accept with q-values: protobuf only when it outranks JSON. */
function wantsProtobuf(accept: string | undefined): boolean {
  if (!accept) return false;
  let proto = -1;
  let json = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...ps] = part.trim().split(';');
    const qp = ps.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qp ? Number(qp.slice(2)) : 1;
    if (type.trim() === 'application/protobuf') proto = Math.max(proto, q);
    if (type.trim() === 'application/json' || type.trim() === '*/*') json = Math.max(json, q);
  }
  return proto > 0 && proto > json;
}

function gatewayCheck(req: IncomingMessage, gw: TempoFakeOptions['gateway']): Reply | undefined {
  if (!gw) return undefined;
  const auth = String(req.headers.authorization ?? '');
  const okBasic = gw.basic && auth === `Basic ${Buffer.from(`${gw.basic.user}:${gw.basic.password}`).toString('base64')}`;
  const okBearer = gw.bearer && auth === `Bearer ${gw.bearer}`;
  if (okBasic || okBearer) return undefined;
  return { status: 401, headers: { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="tempo"' }, body: NGINX_401 };
}

if (process.argv[1] && /fakes[\\/]tempo\.ts$/.test(process.argv[1])) {
  void (async () => {
    const { demoDataset, demoAnchorMs } = await import('../support/synth/demo');
    const data = demoDataset(demoAnchorMs());
    const fake = await startTempoFake({ traces: data.traces.map((t) => ({ otlp: t.otlp })), port: portFromArgv(process.argv, 3200) });
    process.stdout.write(`fake Tempo on ${fake.url} (${data.traces.length} traces)\n`);
    const stop = (): void => void fake.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })();
}
