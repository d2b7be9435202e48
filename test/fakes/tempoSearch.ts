/**
 * The Tempo fake's search, tag-name and tag-value endpoints, written
 * in Tempo's encoding: keys in proto order, zero values omitted, 64-bit ints as strings, search
 * trace ids as hex with leading zeros trimmed (unless left_pad_trace_ids), errors as plain text.
 */
import type { AttrValue, Span } from '../../src/core/model/trace';
import { goDuration, goJsonStringify } from './goJson';
import type { Reply } from './server';
import { TraceqlError, evaluate, fieldValue, parseTraceql, referenced, type Expr, type TraceContext } from './traceql';
import type { TempoTraceInput } from './tempo';

export interface StoredTrace {
  readonly traceId: string;
  readonly tenant?: string;
  readonly input: TempoTraceInput;
  readonly model: { readonly traceId: string; readonly spans: readonly Span[] };
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly root?: Span;
  readonly ctx: TraceContext;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };
const JSON_CT = { 'content-type': 'application/json' };
const MAX_LIMIT = 262_144;
const MAX_RANGE_S = 168 * 3600;
const INTRINSIC_TAGS = ['duration', 'kind', 'name', 'rootName', 'rootServiceName', 'status', 'statusMessage', 'traceDuration'];
const KEYWORDS: Readonly<Record<string, string[]>> = {
  status: ['error', 'ok', 'unset'],
  kind: ['client', 'consumer', 'internal', 'producer', 'server', 'unspecified'],
};

const bad = (msg: string): Reply => ({ status: 400, headers: TEXT, body: msg });
const json = (v: unknown): Reply => ({ status: 200, headers: JSON_CT, body: goJsonStringify(v) });

/** Drops what jsonpb would omit: zero numbers and int64 strings, empty strings, nil slices. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === 0 || v === '' || v === '0' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

function anyValue(v: AttrValue | bigint): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: JSON.stringify(v) };
}

function inspectedBytes(traces: readonly StoredTrace[]): string {
  return String(traces.reduce((n, t) => n + t.model.spans.length * 180, 0));
}

export function searchReply(params: URLSearchParams, traces: readonly StoredTrace[], leftPad: boolean): Reply {
  const q = params.get('q');
  const tags = params.get('tags');
  if (q && tags) return bad("invalid request: can't specify tags and q in the same query");
  const limit = params.has('limit') ? Number.parseInt(params.get('limit')!, 10) : 20;
  if (!(limit > 0)) return bad('invalid limit: must be a positive number');
  if (limit > MAX_LIMIT) return bad(`limit ${limit} exceeds max limit ${MAX_LIMIT}`);
  const spss = Math.min(100, params.has('spss') ? Number.parseInt(params.get('spss')!, 10) || 3 : 3);
  let start: number | undefined;
  let end: number | undefined;
  if (params.get('start') && params.get('end')) {
    start = Number.parseInt(params.get('start')!, 10);
    end = Number.parseInt(params.get('end')!, 10);
    if (end <= start) return bad(`http parameter start must be before end. received start=${start} end=${end}`);
    if (end - start > MAX_RANGE_S) return bad(`range specified by start and end exceeds ${goDuration(MAX_RANGE_S * 1000)}. received start=${start} end=${end}`);
  }
  let expr: Expr;
  try {
    expr = q ? parseTraceql(q) : tags ? tagsExpr(tags) : { kind: 'true' };
  } catch (err) {
    if (err instanceof TraceqlError) return bad(`invalid TraceQL query: ${err.message}`);
    throw err;
  }
  const minNs = durationParam(params.get('minDuration'));
  const maxNs = durationParam(params.get('maxDuration'));
  const fields = referenced(expr);
  const results: { startNs: bigint; v: Record<string, unknown> }[] = [];
  for (const t of traces) {
    if (start !== undefined && (t.endNs < BigInt(start) * 1_000_000_000n || t.startNs > BigInt(end!) * 1_000_000_000n)) continue;
    const dur = t.endNs - t.startNs;
    if ((minNs !== undefined && dur < minNs) || (maxNs !== undefined && dur > maxNs)) continue;
    const matched = t.model.spans.filter((s) => evaluate(expr, s, t.ctx));
    if (matched.length === 0) continue;
    const spans = matched.slice(0, spss).map((s) =>
      compact({
        spanID: s.spanId,
        name: s.name,
        startTimeUnixNano: s.start.toString(),
        durationNanos: (s.end - s.start).toString(),
        attributes: fields
          .filter((f) => f.scope !== 'intrinsic' || f.name === 'status' || f.name === 'kind')
          .map((f) => ({ f, v: fieldValue(f, s, t.ctx) }))
          .filter((x) => x.v !== undefined && x.v !== null)
          .map((x) => ({ key: x.f.name, value: anyValue(x.v as AttrValue | bigint) })),
      }),
    );
    const spanSet = compact({ spans, matched: matched.length });
    const stats: Record<string, { spanCount: number; errorCount?: number }> = {};
    for (const s of t.model.spans) {
      const st = (stats[s.resource.serviceName] ??= { spanCount: 0 });
      st.spanCount++;
      if (s.status.code === 'error') st.errorCount = (st.errorCount ?? 0) + 1;
    }
    const sortedStats: Record<string, unknown> = {};
    for (const k of Object.keys(stats).sort()) sortedStats[k] = stats[k];
    const hex = leftPad ? t.traceId : t.traceId.replace(/^0+/, '');
    results.push({
      startNs: t.startNs,
      v: compact({
        traceID: hex,
        rootServiceName: t.root ? t.root.resource.serviceName : '<root span not yet received>',
        rootTraceName: t.root?.name,
        startTimeUnixNano: t.startNs.toString(),
        durationMs: Number(dur / 1_000_000n),
        spanSet,
        spanSets: [spanSet],
        serviceStats: sortedStats,
      }),
    });
  }
  results.sort((a, b) => (a.startNs > b.startNs ? -1 : a.startNs < b.startNs ? 1 : 0));
  const bytes = inspectedBytes(traces);
  return json({
    traces: results.slice(0, limit).map((r) => r.v),
    metrics: compact({ inspectedTraces: traces.length, inspectedBytes: bytes, totalBlocks: 1, completedJobs: 1, totalJobs: 1, totalBlockBytes: bytes }),
  });
}

/** `tags=service.name=cart http.url="/a b"` (logfmt) → equality on span or resource attributes. */
function tagsExpr(tags: string): Expr {
  let e: Expr = { kind: 'true' };
  for (const m of tags.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const value = m[2]!.startsWith('"') ? m[2]!.slice(1, -1) : m[2]!;
    const cond: Expr = { kind: 'cond', field: { scope: 'any', name: m[1]! }, op: '=', value: { kind: 'string', v: value } };
    e = e.kind === 'true' ? cond : { kind: 'and', left: e, right: cond };
  }
  return e;
}

function durationParam(v: string | null): bigint | undefined {
  if (!v) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(v);
  if (!m) return undefined;
  const unit = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 }[m[2] as 'ns'];
  return BigInt(Math.round(Number(m[1]) * unit));
}

function collectKeys(traces: readonly StoredTrace[]): Record<string, Set<string>> {
  const keys: Record<string, Set<string>> = { resource: new Set(), span: new Set(), event: new Set(), link: new Set() };
  for (const t of traces) {
    for (const s of t.model.spans) {
      for (const a of s.resource.attributes) keys.resource!.add(a.key);
      for (const a of s.attributes) keys.span!.add(a.key);
      for (const e of s.events) for (const a of e.attributes) keys.event!.add(a.key);
      for (const l of s.links) for (const a of l.attributes) keys.link!.add(a.key);
    }
  }
  return keys;
}

export function tagNamesReply(params: URLSearchParams, traces: readonly StoredTrace[], v2: boolean): Reply {
  const scope = params.get('scope') ?? '';
  const known = ['resource', 'span', 'event', 'link', 'instrumentation', 'intrinsic'];
  if (scope && scope !== 'all' && !known.includes(scope)) return bad(`invalid scope: ${scope}`);
  const keys = collectKeys(traces);
  const metrics = { inspectedBytes: inspectedBytes(traces) };
  if (!v2) {
    const names = scope === 'intrinsic' ? INTRINSIC_TAGS : [...new Set([...(scope === 'span' ? [] : keys.resource!), ...(scope === 'resource' ? [] : keys.span!)])].sort();
    return json({ tagNames: names, metrics });
  }
  const scopes = ['resource', 'span', 'event', 'link', 'intrinsic']
    .filter((n) => !scope || scope === 'all' || scope === n)
    .map((name) => ({ name, tags: name === 'intrinsic' ? INTRINSIC_TAGS : [...keys[name]!].sort() }))
    .filter((s) => s.tags.length > 0);
  return json({ scopes, metrics });
}

export function tagValuesReply(tag: string, params: URLSearchParams, traces: readonly StoredTrace[], v2: boolean): Reply {
  const metrics = { inspectedBytes: inspectedBytes(traces) };
  // A malformed q is ignored, as Tempo documents.
  let filter: Expr = { kind: 'true' };
  try {
    if (params.get('q')) filter = parseTraceql(params.get('q')!);
  } catch {
    filter = { kind: 'true' };
  }
  if (!v2) {
    const values = new Set<string>();
    for (const t of traces) {
      for (const s of t.model.spans) {
        const v = s.attributes.find((a) => a.key === tag)?.value ?? s.resource.attributes.find((a) => a.key === tag)?.value;
        if (v !== undefined && v !== null && typeof v !== 'object') values.add(String(v));
      }
    }
    return json({ tagValues: [...values].sort(), metrics });
  }
  const intrinsic = tag.replace(/^(span|trace):/, '');
  if (KEYWORDS[intrinsic]) return json({ tagValues: KEYWORDS[intrinsic]!.map((value) => ({ type: 'keyword', value })), metrics });
  let field: Parameters<typeof fieldValue>[0];
  if (tag === 'name') field = { scope: 'intrinsic', name: 'name' };
  else if (tag.startsWith('resource.')) field = { scope: 'resource', name: tag.slice(9) };
  else if (tag.startsWith('span.')) field = { scope: 'span', name: tag.slice(5) };
  else if (tag.startsWith('.')) field = { scope: 'any', name: tag.slice(1) };
  else return bad(`invalid tag: ${tag}`);
  const seen = new Map<string, { type: string; value: string }>();
  for (const t of traces) {
    for (const s of t.model.spans) {
      if (!evaluate(filter, s, t.ctx)) continue;
      const v = fieldValue(field, s, t.ctx);
      if (v === undefined || v === null || typeof v === 'object') continue;
      const type = typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : typeof v === 'bigint' || Number.isInteger(v) ? 'int' : 'float';
      seen.set(`${type}/${String(v)}`, { type, value: String(v) });
    }
  }
  return json({ tagValues: [...seen.values()].sort((a, b) => (a.value < b.value ? -1 : 1)), metrics });
}
