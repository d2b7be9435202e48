/**
 * Loki's query API over the captured log records (query/logView.ts says how a record looks to
 * Loki), in Loki's encodings: `{"status":"success","data":…}\n`, nanosecond string timestamps,
 * HTML-escaped lines, stream labels merged with structured metadata and parsed fields, or kept
 * apart with `X-Loki-Response-Encoding-Flags: categorize-labels`, the full stats block, and
 * plain-text 400s with Loki's wording. Log queries only (the LogQL subset in query/logql.ts).
 */
import { goLabels, goOrdered, goString } from '../../formats/goJson';
import { statsJson } from '../../formats/lokiStats';
import { labelName, LogView, type LabelMap } from '../query/logView';
import { LogqlError, parseLogql, type LabelExpr, type LogQuery, type Matcher } from '../query/logql';
import { SEG } from '../store/spans';
import type { CaptureStore } from '../store/store';
import { text, type ApiRequest, type Reply } from './http';

const JSON_CT = { 'content-type': 'application/json; charset=UTF-8' };
const MAX_ENTRIES = 5000;
const NS_PER_MS = 1_000_000n;

/** Loki's WriteError: plain text without a trailing newline. */
const fail = (status: number, body: string): Reply => text(status, body);
const ok = (data: string): Reply => ({ status: 200, headers: JSON_CT, body: `{"status":"success","data":${data}}\n` });

export function lokiRoute(store: CaptureStore, req: ApiRequest, version: string, body?: string): Reply | undefined {
  const path = req.path;
  if (!path.startsWith('/loki/api/v1/')) return undefined;
  if (path === '/loki/api/v1/status/buildinfo') {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: `{"version":${goString(version)},"revision":"","branch":"","buildUser":"","buildDate":"","goVersion":""}\n` };
  }
  const params = new URLSearchParams(req.params);
  if (req.method === 'POST' && body && /x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
    for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
  }
  let range: { startNs: bigint; endNs: bigint };
  try {
    range = timeRange(params, Date.now());
  } catch (err) {
    return fail(400, (err as Error).message);
  }
  switch (path) {
    case '/loki/api/v1/query_range':
      return queryRange(store, params, range, req.headers['x-loki-response-encoding-flags']);
    case '/loki/api/v1/query': {
      const q = parse(params.get('query') ?? '');
      if (q instanceof Error) return fail(400, q.message);
      return fail(400, 'log queries are not supported as an instant query type, please change your query to a range query type');
    }
    case '/loki/api/v1/labels':
      return labels(store, params, range, undefined);
    case '/loki/api/v1/series':
      return series(store, params, range);
    default: {
      const m = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
      return m ? labels(store, params, range, decodeURIComponent(m[1]!)) : undefined;
    }
  }
}

function parse(q: string): LogQuery | LogqlError {
  try {
    return parseLogql(q);
  } catch (err) {
    if (err instanceof LogqlError) return err;
    throw err;
  }
}

function matches(m: Matcher, v: string | undefined): boolean {
  const s = v ?? '';
  switch (m.op) {
    case '=':
      return s === m.value;
    case '!=':
      return s !== m.value;
    case '=~':
      return m.re!.test(s);
    default:
      return !m.re!.test(s);
  }
}

/** Label filters read parsed fields first, then structured metadata, then stream labels; absent is "". */
function labelTest(f: LabelExpr, get: (name: string) => string | undefined): boolean {
  switch (f.k) {
    case 'and':
      return labelTest(f.l, get) && labelTest(f.r, get);
    case 'or':
      return labelTest(f.l, get) || labelTest(f.r, get);
    case 'match':
      return matches(f.m, get(f.m.name));
    default: {
      const raw = get(f.name);
      const n = raw === undefined || raw === '' ? NaN : Number(raw);
      if (Number.isNaN(n)) return false;
      switch (f.op) {
        case '>':
          return n > f.value;
        case '>=':
          return n >= f.value;
        case '<':
          return n < f.value;
        case '<=':
          return n <= f.value;
        case '==':
          return n === f.value;
        default:
          return n !== f.value;
      }
    }
  }
}

/** Loki's json parser: nested objects flattened with `_`, arrays skipped, names sanitized. */
function parseJsonLine(line: string, into: LabelMap, taken: (k: string) => boolean): boolean {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const walk = (o: Record<string, unknown>, prefix: string): void => {
    for (const [k, x] of Object.entries(o)) {
      const name = prefix + labelName(k);
      if (x !== null && typeof x === 'object') {
        if (!Array.isArray(x)) walk(x as Record<string, unknown>, `${name}_`);
        continue;
      }
      into[taken(name) ? `${name}_extracted` : name] = x === null ? '' : String(x);
    }
  };
  walk(v as Record<string, unknown>, '');
  return true;
}

function parseLogfmtLine(line: string, into: LabelMap, taken: (k: string) => boolean): boolean {
  const re = /\s*([^\s=]+)(?:=("(?:[^"\\]|\\.)*"|[^\s]*))?/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(line)) && m[0] !== '') {
    end = re.lastIndex;
    const name = labelName(m[1]!);
    let value = m[2] ?? '';
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        return false;
      }
    }
    into[taken(name) ? `${name}_extracted` : name] = value;
  }
  return line.slice(end).trim() === '';
}

interface Picked {
  readonly ts: bigint;
  readonly line: string;
  readonly stream: LabelMap;
  readonly metadata: LabelMap;
  readonly parsed: LabelMap;
}

/** Rows the index can narrow to: a top-level `trace_id="…"` label filter. */
function indexedRows(store: CaptureStore, q: LogQuery): number[] | undefined {
  for (const s of q.stages) {
    if (s.k !== 'label') continue;
    const eq = findEquality(s.f, 'trace_id');
    if (eq === undefined) continue;
    const id = store.pool.find(eq.toLowerCase());
    return id === undefined ? [] : [...(store.logs.byTrace.get(id) ?? [])];
  }
  return undefined;
}

function findEquality(f: LabelExpr, name: string): string | undefined {
  if (f.k === 'match') return f.m.name === name && f.m.op === '=' && /^[0-9a-fA-F]{32}$/.test(f.m.value) ? f.m.value : undefined;
  if (f.k === 'and') return findEquality(f.l, name) ?? findEquality(f.r, name);
  return undefined;
}

function queryRange(store: CaptureStore, params: URLSearchParams, range: { startNs: bigint; endNs: bigint }, flags: string | undefined): Reply {
  const t0 = performance.now();
  const q = parse(params.get('query') ?? '');
  if (q instanceof Error) return fail(400, q.message);
  const limit = params.has('limit') ? Number(params.get('limit')) : 100;
  if (!Number.isInteger(limit) || limit <= 0) return fail(400, 'limit must be a positive value');
  if (limit > MAX_ENTRIES) return fail(400, `max entries limit per query exceeded, limit > max_entries_limit_per_query (${limit} > ${MAX_ENTRIES})`);
  const direction = params.get('direction') ?? 'backward';
  if (direction !== 'backward' && direction !== 'forward') return fail(400, `invalid direction: ${direction}`);
  const categorize = (flags ?? '')
    .split(',')
    .map((s) => s.trim())
    .includes('categorize-labels');
  const table = store.logs;
  const view = new LogView(table);
  const picked: Picked[] = [];
  let scanned = 0;
  let bytes = 0;
  const rows = indexedRows(store, q);
  const consider = (row: number): void => {
    const ts = table.timeNs(row);
    if (ts < range.startNs || ts >= range.endNs) return;
    const stream = view.stream(row);
    for (const m of q.selector) if (!matches(m, stream[m.name])) return;
    scanned++;
    let line = view.line(row);
    bytes += line.length;
    let e: { metadata: LabelMap; line: string } | undefined;
    const parsed: LabelMap = {};
    for (const s of q.stages) {
      if (s.k === 'line') {
        const any = s.res ? s.res.some((re) => re.test(line)) : s.values.some((v) => line.includes(v));
        if ((s.op === '|=' || s.op === '|~') !== any) return;
        continue;
      }
      e ??= view.entry(row);
      const metadata = e.metadata;
      if (s.k === 'label') {
        if (!labelTest(s.f, (n) => parsed[n] ?? metadata[n] ?? stream[n])) return;
        continue;
      }
      const taken = (k: string): boolean => k in stream || k in metadata;
      const okParse = s.k === 'json' ? parseJsonLine(line, parsed, taken) : parseLogfmtLine(line, parsed, taken);
      if (!okParse && parsed.__error__ === undefined) {
        parsed.__error__ = s.k === 'json' ? 'JSONParserErr' : 'LogfmtParserErr';
        parsed.__error_details__ = s.k === 'json' ? 'Value looks like object, but can\'t find closing \'}\' symbol' : 'logfmt syntax error';
      }
    }
    e ??= view.entry(row);
    line = e.line;
    picked.push({ ts, line, stream, metadata: e.metadata, parsed });
  };
  if (rows) for (const r of rows) consider(r);
  else for (let r = table.headRow; r < table.endRow; r++) if (table.segment(r)) consider(r);
  const sign = direction === 'backward' ? -1 : 1;
  picked.sort((a, b) => (a.ts === b.ts ? 0 : a.ts < b.ts ? -sign : sign));
  const kept = picked.slice(0, limit);
  const streams = new Map<string, { labels: LabelMap; values: string[] }>();
  for (const p of kept) {
    const labels = categorize ? p.stream : { ...p.stream, ...p.metadata, ...p.parsed };
    const key = goLabels(labels);
    let s = streams.get(key);
    if (!s) streams.set(key, (s = { labels, values: [] }));
    let v = `[${goString(String(p.ts))},${goString(p.line, true)}`;
    if (categorize) {
      const parts: string[] = [];
      if (Object.keys(p.metadata).length) parts.push(`"structuredMetadata":${goOrdered(p.metadata)}`);
      if (Object.keys(p.parsed).length) parts.push(`"parsed":${goOrdered(p.parsed)}`);
      v += `,{${parts.join(',')}}`;
    }
    s.values.push(`${v}]`);
  }
  const result = [...streams.keys()].sort().map((k) => `{"stream":${k},"values":[${streams.get(k)!.values.join(',')}]}`);
  const flagsJson = categorize ? '"encodingFlags":["categorize-labels"],' : '';
  const stats = statsJson({ execTimeSec: Math.max(1e-6, (performance.now() - t0) / 1000), entriesReturned: kept.length, bytesProcessed: bytes, linesProcessed: scanned });
  return ok(`{"resultType":"streams",${flagsJson}"result":[${result.join(',')}],"stats":${stats}}`);
}

function labels(store: CaptureStore, params: URLSearchParams, range: { startNs: bigint; endNs: bigint }, name: string | undefined): Reply {
  const q = params.get('query') ? parse(params.get('query')!) : undefined;
  if (q instanceof Error) return fail(400, q.message);
  const view = new LogView(store.logs);
  const out = new Set<string>();
  const seenRes = new Set<number>();
  const table = store.logs;
  for (let r = table.headRow; r < table.endRow; r++) {
    const seg = table.segment(r);
    if (!seg) continue;
    const res = seg.res[r & (SEG - 1)]!;
    if (seenRes.has(res)) continue;
    const ts = table.timeNs(r);
    if (ts < range.startNs || ts >= range.endNs) continue;
    const stream = view.stream(r);
    if (q && !q.selector.every((m) => matches(m, stream[m.name]))) continue;
    seenRes.add(res);
    if (name === undefined) for (const k of Object.keys(stream)) out.add(k);
    else if (stream[name] !== undefined) out.add(stream[name]!);
  }
  const values = [...out].sort();
  // `data` is omitempty in Loki's label responses.
  const data = values.length ? `,"data":[${values.map((v) => goString(v, false)).join(',')}]` : '';
  return { status: 200, headers: JSON_CT, body: `{"status":"success"${data}}\n` };
}

function series(store: CaptureStore, params: URLSearchParams, range: { startNs: bigint; endNs: bigint }): Reply {
  const match = params.getAll('match[]');
  if (match.length === 0) return fail(400, 'at least one match[] argument is required');
  const sels: LogQuery[] = [];
  for (const m of match) {
    const q = parse(m);
    if (q instanceof Error) return fail(400, q.message);
    sels.push(q);
  }
  const view = new LogView(store.logs);
  const seen = new Set<string>();
  const table = store.logs;
  for (let r = table.headRow; r < table.endRow; r++) {
    if (!table.segment(r)) continue;
    const ts = table.timeNs(r);
    if (ts < range.startNs || ts >= range.endNs) continue;
    const stream = view.stream(r);
    if (sels.some((s) => s.selector.every((m) => matches(m, stream[m.name])))) seen.add(goLabels(stream));
  }
  return ok(`[${[...seen].sort().join(',')}]`);
}

/** Loki's parseTimestamp: integer ≤ 10 digits = seconds, longer = ns; else float seconds; else RFC3339. */
function parseTs(v: string): bigint {
  if (/^-?\d+$/.test(v)) return v.replace('-', '').length <= 10 ? BigInt(v) * 1_000_000_000n : BigInt(v);
  if (/^-?\d*\.\d+$/.test(v)) return BigInt(Math.round(Number(v) * 1e6)) * 1000n;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new Error(`cannot parse "${v}" to a valid timestamp`);
  return BigInt(ms) * NS_PER_MS;
}

/** A Go duration or float seconds → ms. */
function durationMs(v: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  let total = 0;
  let consumed = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/gy;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, y: 3.1536e10 }[m[2] as 'ms'];
    consumed = re.lastIndex;
  }
  if (consumed !== v.length || !v) throw new Error(`invalid parameter: cannot parse "${v}" to a valid duration`);
  return total;
}

function timeRange(params: URLSearchParams, now: number): { startNs: bigint; endNs: bigint } {
  const endNs = params.has('end') ? parseTs(params.get('end')!) : BigInt(now) * NS_PER_MS;
  const since = params.has('since') ? durationMs(params.get('since')!) : 3_600_000;
  const startNs = params.has('start') ? parseTs(params.get('start')!) : endNs - BigInt(Math.round(since)) * NS_PER_MS;
  if (endNs < startNs) throw new Error('end timestamp must not be before or equal to start time');
  return { startNs, endNs };
}
