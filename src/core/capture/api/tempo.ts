/**
 * Tempo's query API over the capture store, in Tempo's encodings, so Spanlens's Tempo client,
 * the `spanlens` CLI and a Grafana Tempo datasource read captured traces as they read Tempo:
 * trace by id (v1 `batches` / 404 empty, v2 `{"trace":…}` / empty 200, JSON or protobuf by
 * Accept), search (TraceQL subset or logfmt `tags`), tag names and values, buildinfo, ready.
 * Errors are Tempo's plain-text 400s.
 */
import { goString } from '../../formats/goJson';
import { tempoProto, tempoV1Json, tempoV2Json } from '../../formats/tempoWrite';
import type { AttrValue } from '../../model/trace';
import { searchTraces, type FoundTrace } from '../query/search';
import { compileFilter } from '../query/spanFilter';
import { parseTraceql, TraceqlError, type Expr } from '../query/traceql';
import { SEG, SEG_BITS } from '../store/spans';
import type { CaptureStore } from '../store/store';
import { acceptsProtobuf, text, type ApiRequest, type Reply } from './http';

const JSON_CT = { 'content-type': 'application/json' };
const PROTO_CT = { 'content-type': 'application/protobuf' };
const MAX_LIMIT = 262_144;
const INTRINSIC_TAGS = ['duration', 'kind', 'name', 'rootName', 'rootServiceName', 'status', 'statusMessage', 'traceDuration'];
const KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  status: ['error', 'ok', 'unset'],
  kind: ['client', 'consumer', 'internal', 'producer', 'server', 'unspecified'],
};
/** Tag names and values come from the newest spans, as Tempo reads only recent blocks for them. */
const TAG_SCAN_SPANS = 100_000;
const MASK = SEG - 1;

const json = (body: string): Reply => ({ status: 200, headers: JSON_CT, body });

export function tempoRoute(store: CaptureStore, req: ApiRequest, version: string): Reply | undefined {
  const { path, params } = req;
  if (path === '/api/echo') return text(200, 'echo\n');
  if (path === '/api/status/buildinfo') {
    return json(`{"version":${goString(version)},"revision":"","branch":"","buildUser":"","buildDate":"","goVersion":""}\n`);
  }
  const byId = /^\/api(\/v2)?\/traces\/([^/]*)$/.exec(path);
  if (byId) return traceById(store, decodeURIComponent(byId[2]!), byId[1] !== undefined, params, req.headers.accept);
  if (path === '/api/search') return search(store, params);
  if (path === '/api/search/tags' || path === '/api/v2/search/tags') return tagNames(store, params, path.startsWith('/api/v2/'));
  const tv = /^\/api(\/v2)?\/search\/tag\/([^/]+)\/values$/.exec(path);
  if (tv) return tagValues(store, decodeURIComponent(tv[2]!), params, tv[1] !== undefined);
  return undefined;
}

/** Tempo's pkg/util/traceid.go: hex up to 32 chars, left-padded. */
function traceIdParam(raw: string): string | Reply {
  const chars = [...raw];
  for (let i = 0; i < chars.length; i++) {
    if (!/^[0-9a-fA-F]$/.test(chars[i]!)) return text(400, `trace IDs can only contain hex characters: invalid character '${chars[i]}' at position ${i + 1}`);
  }
  if (raw.length > 32) return text(400, "trace IDs can't be larger than 128 bits");
  return raw.toLowerCase().padStart(32, '0');
}

/** Unix seconds (start/end) as Tempo parses them; a Reply when they are wrong. */
function secondsRange(params: URLSearchParams): { startNs?: bigint; endNs?: bigint } | Reply {
  const s = params.get('start');
  const e = params.get('end');
  if (!s || !e) return {};
  if (!/^\d+$/.test(s) || !/^\d+$/.test(e)) return text(400, `invalid start or end: start=${s} end=${e}`);
  if (BigInt(e) <= BigInt(s)) return text(400, `http parameter start must be before end. received start=${s} end=${e}`);
  return { startNs: BigInt(s) * 1_000_000_000n, endNs: BigInt(e) * 1_000_000_000n };
}

function traceById(store: CaptureStore, rawId: string, v2: boolean, params: URLSearchParams, accept: string | undefined): Reply {
  const id = traceIdParam(rawId);
  if (typeof id !== 'string') return id;
  const range = secondsRange(params);
  if ('status' in range) return range;
  let t = store.trace(id);
  if (t && range.startNs !== undefined && (t.end < range.startNs || t.start > range.endNs!)) t = undefined;
  const proto = acceptsProtobuf(accept);
  const spans = t ? store.spans.traceSpans(t) : [];
  if (!v2) {
    if (!t) return { status: 404, body: '' };
    return proto ? { status: 200, headers: PROTO_CT, body: tempoProto(spans, 'v1') } : json(tempoV1Json(spans));
  }
  return proto ? { status: 200, headers: PROTO_CT, body: tempoProto(spans, 'v2') } : json(tempoV2Json(spans, 0));
}

function durationParam(v: string | null): bigint | undefined {
  if (!v) return undefined;
  let ns = 0;
  let rest = v;
  const unit: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    ns += Number(m[1]) * unit[m[2]!]!;
    rest = rest.replace(m[0], '');
  }
  return rest === '' ? BigInt(Math.round(ns)) : undefined;
}

/** `tags=service.name=cart http.url="/a b"` (logfmt) → equalities on span or resource attributes. */
function tagsExpr(tags: string): Expr {
  let e: Expr = { k: 'true' };
  for (const m of tags.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const v = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
    const c: Expr = { k: 'cond', field: { scope: 'any', name: m[1]! }, op: '=', lit: { t: 'string', v } };
    e = e.k === 'true' ? c : { k: 'and', l: e, r: c };
  }
  return e;
}

function anyValue(v: AttrValue, int: boolean): string {
  if (typeof v === 'string') return `{"stringValue":${goString(v)}}`;
  if (typeof v === 'boolean') return `{"boolValue":${v}}`;
  if (typeof v === 'number') return int || Number.isInteger(v) ? `{"intValue":"${v}"}` : `{"doubleValue":${JSON.stringify(v)}}`;
  return `{"stringValue":${goString(JSON.stringify(v))}}`;
}

function search(store: CaptureStore, params: URLSearchParams): Reply {
  const q = params.get('q');
  const tags = params.get('tags');
  if (q && tags) return text(400, "invalid request: can't specify tags and q in the same query");
  const limit = params.has('limit') ? Number(params.get('limit')) : 20;
  if (!Number.isInteger(limit) || limit <= 0) return text(400, 'invalid limit: must be a positive number');
  if (limit > MAX_LIMIT) return text(400, `limit ${limit} exceeds max limit ${MAX_LIMIT}`);
  const spssRaw = params.has('spss') ? Number(params.get('spss')) : 3;
  if (!Number.isInteger(spssRaw) || spssRaw <= 0) return text(400, 'invalid spss: must be a positive number');
  if (spssRaw > 100) return text(400, `spss ${spssRaw} exceeds max spss 100`);
  const range = secondsRange(params);
  if ('status' in range) return range;
  let expr: Expr;
  try {
    expr = q ? parseTraceql(q) : tags ? tagsExpr(tags) : { k: 'true' };
  } catch (err) {
    if (err instanceof TraceqlError) return text(400, `invalid TraceQL query: ${err.message}`);
    throw err;
  }
  let r: ReturnType<typeof searchTraces>;
  try {
    r = searchTraces(store.spans, {
      expr,
      limit,
      spss: spssRaw,
      ...range,
      minDurationNs: durationParam(params.get('minDuration')),
      maxDurationNs: durationParam(params.get('maxDuration')),
    });
  } catch (err) {
    // Compiling the filter finds what parsing cannot, e.g. a regular expression that does not compile.
    if (err instanceof TraceqlError) return text(400, `invalid TraceQL query: ${err.message}`);
    throw err;
  }
  const traces = r.traces.map(traceJson).join(',');
  const bytes = Math.round(store.bytes() * (r.inspectedSpans / Math.max(1, store.spans.liveSpans)));
  const metrics = [
    r.inspectedTraces ? `"inspectedTraces":${r.inspectedTraces}` : '',
    bytes ? `"inspectedBytes":"${bytes}"` : '',
    '"completedJobs":1,"totalJobs":1',
    r.inspectedSpans ? `"inspectedSpans":"${r.inspectedSpans}"` : '',
  ].filter(Boolean);
  return json(`{"traces":[${traces}],"metrics":{${metrics.join(',')}}}`);
}

function traceJson(t: FoundTrace): string {
  const spans = t.spans
    .map((s) => {
      const attrs = s.attributes.length ? `,"attributes":[${s.attributes.map((a) => `{"key":${goString(a.key)},"value":${anyValue(a.value, a.int)}}`).join(',')}]` : '';
      return `{"spanID":"${s.spanId}"${s.name ? `,"name":${goString(s.name)}` : ''},"startTimeUnixNano":"${s.start}","durationNanos":"${s.durationNs}"${attrs}}`;
    })
    .join(',');
  const set = `{"spans":[${spans}]${t.matched ? `,"matched":${t.matched}` : ''}}`;
  const stats = [...t.serviceStats.keys()]
    .sort()
    .map((k) => {
      const s = t.serviceStats.get(k)!;
      return `${goString(k)}:{"spanCount":${s.spanCount}${s.errorCount ? `,"errorCount":${s.errorCount}` : ''}}`;
    })
    .join(',');
  const ms = Number(t.durationNs / 1_000_000n);
  return (
    `{"traceID":"${t.traceId.replace(/^0+(?=.)/, '')}","rootServiceName":${goString(t.rootServiceName ?? '<root span not yet received>')}` +
    (t.rootName ? `,"rootTraceName":${goString(t.rootName)}` : '') +
    `,"startTimeUnixNano":"${t.start}"${ms ? `,"durationMs":${Math.min(ms, 0xffffffff)}` : ''},"spanSet":${set},"spanSets":[${set}],"serviceStats":{${stats}}}`
  );
}

/** Attribute key ids of the newest spans (and their events and links), by scope. */
function collectKeys(store: CaptureStore): { span: Set<number>; event: Set<number>; link: Set<number> } {
  const table = store.spans;
  const codec = store.codec;
  const span = new Set<number>();
  const event = new Set<number>();
  const link = new Set<number>();
  let seen = 0;
  for (const t of table.newestFirst()) {
    for (const row of t.rows) {
      const seg = table.segments[row >>> SEG_BITS]!;
      const i = row & MASK;
      codec.keys(seg.attrs.data, seg.attrOff[i]!, seg.attrCnt[i]!, span);
      for (let k = 0, p = seg.evOff[i]!; k < seg.evCnt[i]!; k++, p += 5) codec.keys(seg.attrs.data, seg.events.data[p + 3]!, seg.events.data[p + 4]! & 0xffff, event);
      for (let k = 0, p = seg.linkOff[i]!; k < seg.linkCnt[i]!; k++, p += 10) codec.keys(seg.attrs.data, seg.links.data[p + 7]!, seg.links.data[p + 8]! & 0xffff, link);
    }
    seen += t.rows.length;
    if (seen >= TAG_SCAN_SPANS) break;
  }
  return { span, event, link };
}

function resourceKeys(store: CaptureStore): Set<number> {
  const out = new Set<number>();
  for (const r of store.spans.catalog.resources) if (r && r.postings.length) store.codec.keys(r.words, 0, r.count, out);
  return out;
}

function names(store: CaptureStore, ids: Set<number>): string[] {
  return [...ids].map((id) => store.pool.get(id)).sort();
}

function tagNames(store: CaptureStore, params: URLSearchParams, v2: boolean): Reply {
  const scope = params.get('scope') ?? '';
  const known = ['resource', 'span', 'event', 'link', 'instrumentation', 'intrinsic', 'all'];
  if (scope && !known.includes(scope)) return text(400, `invalid scope: ${scope}`);
  const keys = collectKeys(store);
  const res = resourceKeys(store);
  const metrics = `"metrics":{"inspectedBytes":"${store.bytes()}"}`;
  const list = (xs: string[]): string => xs.map((x) => goString(x)).join(',');
  if (!v2) {
    const tags = scope === 'intrinsic' ? INTRINSIC_TAGS : [...new Set([...(scope === 'span' ? [] : names(store, res)), ...(scope === 'resource' ? [] : names(store, keys.span))])].sort();
    return json(`{"tagNames":[${list(tags)}],${metrics}}`);
  }
  const scopes: [string, string[]][] = [
    ['resource', names(store, res)],
    ['span', names(store, keys.span)],
    ['event', names(store, keys.event)],
    ['link', names(store, keys.link)],
    ['intrinsic', INTRINSIC_TAGS],
  ];
  const shown = scopes.filter(([n, tags]) => (!scope || scope === 'all' || scope === n) && tags.length > 0);
  return json(`{"scopes":[${shown.map(([n, tags]) => `{"name":"${n}","tags":[${list(tags)}]}`).join(',')}],${metrics}}`);
}

function tagValues(store: CaptureStore, tag: string, params: URLSearchParams, v2: boolean): Reply {
  const metrics = `"metrics":{"inspectedBytes":"${store.bytes()}"}`;
  const intrinsic = tag.replace(/^(span|trace):/, '');
  if (v2 && KEYWORDS[intrinsic]) return json(`{"tagValues":[${KEYWORDS[intrinsic]!.map((v) => `{"type":"keyword","value":"${v}"}`).join(',')}],${metrics}}`);
  // A malformed q is ignored, as Tempo documents.
  let filter: Expr = { k: 'true' };
  try {
    if (params.get('q')) filter = parseTraceql(params.get('q')!);
  } catch {
    filter = { k: 'true' };
  }
  let scope: 'span' | 'resource' | 'any' | 'name';
  let name: string;
  if (!v2) [scope, name] = ['any', tag];
  else if (tag === 'name' || tag === 'span:name') [scope, name] = ['name', ''];
  else if (tag.startsWith('resource.')) [scope, name] = ['resource', tag.slice(9)];
  else if (tag.startsWith('span.')) [scope, name] = ['span', tag.slice(5)];
  else if (tag.startsWith('.')) [scope, name] = ['any', tag.slice(1)];
  else return text(400, `invalid tag: ${tag}`);
  const values = new Map<string, { type: string; value: string }>();
  const add = (v: AttrValue, int: boolean): void => {
    if (v === null || typeof v === 'object') return;
    const type = typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : int || Number.isInteger(v) ? 'int' : 'float';
    values.set(`${type}/${String(v)}`, { type, value: String(v) });
  };
  const table = store.spans;
  const pool = store.pool;
  const test = compileFilter(filter, table, []).test;
  const key = name ? pool.find(name) : undefined;
  let scanned = 0;
  for (const t of table.newestFirst()) {
    for (const row of t.rows) {
      if (!test(row, t)) continue;
      const seg = table.segments[row >>> SEG_BITS]!;
      const i = row & MASK;
      if (scope === 'name') {
        add(pool.get(seg.name[i]!), false);
        continue;
      }
      if (key === undefined) break;
      let s = scope === 'resource' ? undefined : store.codec.find(seg.attrs.data, seg.attrOff[i]!, seg.attrCnt[i]!, key);
      if (s === undefined && scope !== 'span') {
        const rec = table.catalog.resources[seg.res[i]!]!;
        s = store.codec.find(rec.words, 0, rec.count, key);
      }
      if (s && s.t === 'str') add(pool.get(s.id), false);
      else if (s && s.t === 'num') add(s.v, s.int);
      else if (s && s.t === 'bool') add(s.v, false);
    }
    scanned += t.rows.length;
    if (scanned >= TAG_SCAN_SPANS) break;
  }
  const sorted = [...values.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  if (!v2) return json(`{"tagValues":[${sorted.map((v) => goString(v.value)).join(',')}],${metrics}}`);
  return json(`{"tagValues":[${sorted.map((v) => `{"type":"${v.type}","value":${goString(v.value)}}`).join(',')}],${metrics}}`);
}
