/**
 * Trace search over the capture store, answering what Tempo's /api/search answers: the newest
 * traces (by start) holding at least one span the filter matches, each with up to `spss` matched
 * spans, the number matched, the root's service and name, and per-service span and error counts.
 */
import type { AttrValue } from '../../model/trace';
import type { Scalar } from '../store/attrs';
import type { SpanTable, TraceRec } from '../store/spans';
import { SEG, SEG_BITS } from '../store/spans';
import { compileFilter } from './spanFilter';
import { referencedFields, type Expr, type Field } from './traceql';

const MASK = SEG - 1;
const CODES = ['unset', 'ok', 'error'] as const;
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

export interface SearchParams {
  readonly expr: Expr;
  readonly limit: number;
  readonly spss: number;
  /** Unix ns bounds the trace must overlap. */
  readonly startNs?: bigint;
  readonly endNs?: bigint;
  readonly minDurationNs?: bigint;
  readonly maxDurationNs?: bigint;
}

export interface FoundSpan {
  readonly spanId: string;
  readonly name: string;
  readonly start: bigint;
  readonly durationNs: bigint;
  /** Values of the fields the query names, as found on the span. */
  readonly attributes: readonly { readonly key: string; readonly value: AttrValue; readonly int: boolean }[];
}

export interface FoundTrace {
  readonly traceId: string;
  readonly rootServiceName?: string;
  readonly rootName?: string;
  readonly start: bigint;
  readonly durationNs: bigint;
  readonly spans: readonly FoundSpan[];
  readonly matched: number;
  readonly serviceStats: ReadonlyMap<string, { spanCount: number; errorCount: number }>;
}

export interface SearchResult {
  readonly traces: readonly FoundTrace[];
  readonly inspectedTraces: number;
  readonly inspectedSpans: number;
}

export function searchTraces(table: SpanTable, p: SearchParams): SearchResult {
  const fields = referencedFields(p.expr);
  const filter = compileFilter(p.expr, table, fields);
  const cand = filter.candidates();
  const pool: TraceRec[] = [];
  if (cand) {
    for (const seq of cand) {
      const t = table.bySeq.get(seq);
      if (t) pool.push(t);
    }
  } else for (const t of table.newestFirst()) pool.push(t);
  pool.sort((a, b) => (a.start > b.start ? -1 : a.start < b.start ? 1 : b.seq - a.seq));
  const out: FoundTrace[] = [];
  let inspectedTraces = 0;
  let inspectedSpans = 0;
  for (const t of pool) {
    if (out.length >= p.limit) break;
    if (p.startNs !== undefined && t.end < p.startNs) continue;
    if (p.endNs !== undefined && t.start > p.endNs) continue;
    const dur = t.end - t.start;
    if (p.minDurationNs !== undefined && dur < p.minDurationNs) continue;
    if (p.maxDurationNs !== undefined && dur > p.maxDurationNs) continue;
    inspectedTraces++;
    const matchedRows: number[] = [];
    for (const row of t.rows) {
      inspectedSpans++;
      if (filter.test(row, t)) matchedRows.push(row);
    }
    if (matchedRows.length === 0) continue;
    matchedRows.sort((a, b) => (table.start(a) < table.start(b) ? -1 : table.start(a) > table.start(b) ? 1 : 0));
    out.push(describe(table, t, matchedRows, p.spss, fields));
  }
  return { traces: out, inspectedTraces, inspectedSpans };
}

function describe(table: SpanTable, t: TraceRec, rows: number[], spss: number, fields: readonly Field[]): FoundTrace {
  const stats = new Map<string, { spanCount: number; errorCount: number }>();
  const pool = table.pool;
  for (const row of t.rows) {
    const seg = table.segments[row >>> SEG_BITS]!;
    const i = row & MASK;
    const svc = pool.get(table.catalog.resources[seg.res[i]!]!.service);
    let st = stats.get(svc);
    if (!st) stats.set(svc, (st = { spanCount: 0, errorCount: 0 }));
    st.spanCount++;
    if (((seg.kindStatus[i]! >> 3) & 3) === 2) st.errorCount++;
  }
  const rootSeg = t.root >= 0 ? table.segments[t.root >>> SEG_BITS] : undefined;
  return {
    traceId: t.id,
    rootServiceName: rootSeg ? pool.get(table.catalog.resources[rootSeg.res[t.root & MASK]!]!.service) : undefined,
    rootName: rootSeg ? pool.get(rootSeg.name[t.root & MASK]!) : undefined,
    start: t.start,
    durationNs: t.end - t.start,
    matched: rows.length,
    spans: rows.slice(0, spss).map((row) => foundSpan(table, row, fields)),
    serviceStats: stats,
  };
}

function foundSpan(table: SpanTable, row: number, fields: readonly Field[]): FoundSpan {
  const seg = table.segments[row >>> SEG_BITS]!;
  const i = row & MASK;
  const pool = table.pool;
  const attributes: { key: string; value: AttrValue; int: boolean }[] = [];
  for (const f of fields) {
    if (f.scope === 'intrinsic') {
      if (f.name === 'status') attributes.push({ key: 'status', value: CODES[(seg.kindStatus[i]! >> 3) & 3]!, int: false });
      else if (f.name === 'kind') attributes.push({ key: 'kind', value: KINDS[seg.kindStatus[i]! & 7]!, int: false });
      continue;
    }
    const key = pool.find(f.name);
    if (key === undefined) continue;
    let s: Scalar | undefined;
    if (f.scope !== 'resource') s = table.codec.find(seg.attrs.data, seg.attrOff[i]!, seg.attrCnt[i]!, key);
    if (s === undefined && f.scope !== 'span') {
      const rec = table.catalog.resources[seg.res[i]!]!;
      s = table.codec.find(rec.words, 0, rec.count, key);
    }
    if (s === undefined || s.t === 'other') continue;
    attributes.push({ key: f.name, value: s.t === 'str' ? pool.get(s.id) : s.v, int: s.t === 'num' && s.int });
  }
  const start = table.start(row);
  return { spanId: table.spanIdHex(row), name: pool.get(seg.name[i]!), start, durationNs: BigInt(table.durationNs(row)), attributes };
}
