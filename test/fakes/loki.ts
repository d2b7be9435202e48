/**
 * Contract fake of Loki's query API, byte for byte where the reference
 * says how: `{"status":"success","data":…}\n` envelopes, the full stats block, the
 * categorize-labels triple with `{}` for an empty third element, HTML-escaped lines, Loki's
 * shortest-form sample seconds, plain-text errors without a trailing newline, limits and their
 * exact texts, and `no org id` when auth is on. Runs standalone:
 * `node --import tsx test/fakes/loki.ts --port 3100`.
 */
import type { IncomingMessage } from 'node:http';
import { goDuration, goFloatF, goLabels, goOrdered, goString, lokiSeconds } from './goJson';
import { LogqlError, matches, parseLogql, runPipeline, type LogQuery, type MetricQuery, type Query } from './logql';
import { statsJson } from './lokiStats';
import { portFromArgv, startServer, type FakeServer, type Reply, type ServerOptions } from './server';

export interface LokiEntry {
  readonly labels: Readonly<Record<string, string>>;
  readonly ts: bigint;
  readonly line: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Tenant that owns the entry; absent = every tenant (and the no-auth tenant). */
  readonly tenant?: string;
}

export interface LokiFakeOptions extends ServerOptions {
  readonly entries: readonly LokiEntry[];
  /** Loki's `auth_enabled` (true in Loki's own defaults). */
  readonly authEnabled?: boolean;
  readonly maxEntriesLimitPerQuery?: number;
  readonly maxQuerySeries?: number;
  readonly maxQueryLengthMs?: number;
  readonly version?: string;
  /** Answer /ready with 503 until this many ms after start (ingester warm-up). */
  readonly readyAfterMs?: number;
}

export interface LokiFake extends FakeServer {
  /** Adds entries at run time (kept sorted). */
  push(entries: readonly LokiEntry[]): void;
}

const JSON_CT = { 'content-type': 'application/json; charset=UTF-8' };
const TEXT_ERR = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };
const NS_PER_MS = 1_000_000n;

/** WriteError: plain text, no trailing newline. */
const fail = (status: number, text: string): Reply => ({ status, headers: TEXT_ERR, body: text });

export async function startLokiFake(opts: LokiFakeOptions): Promise<LokiFake> {
  const entries = [...opts.entries].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  const maxEntries = opts.maxEntriesLimitPerQuery ?? 5000;
  const maxSeries = opts.maxQuerySeries ?? 500;
  const maxLength = opts.maxQueryLengthMs ?? 721 * 3_600_000;
  const startedAt = Date.now();

  const server = await startServer(async (req, url, body) => {
    const params = new URLSearchParams(url.search);
    if (req.method === 'POST' && /x-www-form-urlencoded/.test(String(req.headers['content-type']))) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
    }
    const path = url.pathname;
    if (path === '/ready') {
      if (opts.readyAfterMs && Date.now() - startedAt < opts.readyAfterMs) {
        return { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Ingester not ready: waiting for 15s after being ready\n' };
      }
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ready\n' };
    }
    if (path === '/loki/api/v1/status/buildinfo') {
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: `{"version":"${opts.version ?? '3.7.6'}","revision":"65e30f84","branch":"HEAD","buildUser":"root@buildkitsandbox","buildDate":"2026-08-01T10:00:00Z","goVersion":"go1.25.0"}\n`,
      };
    }
    if (!path.startsWith('/loki/api/v1/')) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '404 page not found\n' };
    const tenant = tenantOf(req, opts.authEnabled ?? true);
    if (tenant === undefined) {
      return { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: 'no org id\n' };
    }
    const visible = (e: LokiEntry): boolean => !e.tenant || tenant.includes(e.tenant);
    const now = Date.now();
    let range: { startNs: bigint; endNs: bigint };
    try {
      range = timeRange(params, now);
    } catch (err) {
      return fail(400, (err as Error).message);
    }
    const inRange = (e: LokiEntry): boolean => e.ts >= range.startNs && e.ts < range.endNs && visible(e);

    switch (path) {
      case '/loki/api/v1/query_range':
      case '/loki/api/v1/query':
        return query(path.endsWith('query_range'), params, range, now, inRange, visible, req);
      case '/loki/api/v1/labels': {
        const names = new Set<string>();
        const q = params.get('query');
        const sel = q ? safeParse(q) : undefined;
        if (sel instanceof Error) return fail(400, sel.message);
        for (const e of entries) if (inRange(e) && (!sel || selects(sel, e))) for (const k of Object.keys(e.labels)) names.add(k);
        return labelsReply([...names]);
      }
      case '/loki/api/v1/series': {
        const match = params.getAll('match[]');
        if (match.length === 0) return fail(400, 'at least one match[] argument is required');
        const sels: Query[] = [];
        for (const m of match) {
          const q = safeParse(m);
          if (q instanceof Error) return fail(400, q.message);
          sels.push(q);
        }
        const seen = new Map<string, Readonly<Record<string, string>>>();
        for (const e of entries) {
          if (inRange(e) && sels.some((s) => selects(s, e))) seen.set(goLabels(e.labels), e.labels);
        }
        const data = [...seen.keys()].sort().join(',');
        return { status: 200, headers: JSON_CT, body: `{"status":"success","data":[${data}]}\n` };
      }
      default: {
        const m = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
        if (!m) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '404 page not found\n' };
        const name = decodeURIComponent(m[1]!);
        const q = params.get('query');
        const sel = q ? safeParse(q) : undefined;
        if (sel instanceof Error) return fail(400, sel.message);
        const values = new Set<string>();
        for (const e of entries) if (inRange(e) && (!sel || selects(sel, e)) && e.labels[name] !== undefined) values.add(e.labels[name]!);
        return labelsReply([...values]);
      }
    }
  }, opts);

  function query(
    isRange: boolean,
    params: URLSearchParams,
    range: { startNs: bigint; endNs: bigint },
    now: number,
    inRange: (e: LokiEntry) => boolean,
    visible: (e: LokiEntry) => boolean,
    req: IncomingMessage,
  ): Reply {
    const t0 = performance.now();
    const text = params.get('query') ?? '';
    const q = safeParse(text);
    if (q instanceof Error) return fail(400, q.message);
    const limit = params.has('limit') ? Number(params.get('limit')) : 100;
    if (!Number.isInteger(limit) || limit <= 0) return fail(400, 'limit must be a positive value');
    if (limit > maxEntries) {
      return fail(400, `max entries limit per query exceeded, limit > max_entries_limit_per_query (${limit} > ${maxEntries})`);
    }
    const lengthMs = Number((range.endNs - range.startNs) / NS_PER_MS);
    if (lengthMs > maxLength) {
      return fail(400, `the query time range exceeds the limit (query length: ${goDuration(lengthMs)}, limit: ${goDuration(maxLength)})`);
    }
    if (!isRange) {
      if (q.kind === 'log') return fail(400, 'log queries are not supported as an instant query type, please change your query to a range query type');
      const at = params.has('time') ? parseTs(params.get('time')!) : BigInt(now) * NS_PER_MS;
      const series = evalMetric(q, at, at, 1n, visible);
      if (typeof series === 'string') return fail(400, series);
      const result = series.map((s) => `{"metric":${goLabels(s.labels)},"value":[${lokiSeconds(Number(at / NS_PER_MS))},"${goFloatF(s.points[0]?.[1] ?? 0)}"]}`);
      return ok(`{"resultType":"vector","result":[${result.join(',')}],"stats":${stats(t0, result.length, 0, 0)}}`);
    }
    if (q.kind === 'log') return logReply(q, params, limit, inRange, req, t0);
    const stepMs = params.has('step') ? stepParam(params.get('step')!) : Math.max(Math.floor(lengthMs / 250_000), 1) * 1000;
    if (!(stepMs > 0)) return fail(400, 'zero or negative query resolution step widths are not accepted. Try a positive integer');
    if (lengthMs / stepMs > 11_000) {
      return fail(400, 'exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter');
    }
    const series = evalMetric(q, range.startNs, range.endNs, BigInt(stepMs) * NS_PER_MS, visible);
    if (typeof series === 'string') return fail(400, series);
    const result = series.map(
      (s) => `{"metric":${goLabels(s.labels)},"values":[${s.points.map(([t, v]) => `[${lokiSeconds(Number(t / NS_PER_MS))},"${goFloatF(v)}"]`).join(',')}]}`,
    );
    return ok(`{"resultType":"matrix","result":[${result.join(',')}],"stats":${stats(t0, 0, 0, 0)}}`);
  }

  function logReply(
    q: LogQuery,
    params: URLSearchParams,
    limit: number,
    inRange: (e: LokiEntry) => boolean,
    req: IncomingMessage,
    t0: number,
  ): Reply {
    const categorize = String(req.headers['x-loki-response-encoding-flags'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .includes('categorize-labels');
    const backward = (params.get('direction') ?? 'backward') !== 'forward';
    const picked: { e: LokiEntry; parsed: Record<string, string> }[] = [];
    let scanned = 0;
    let bytes = 0;
    const consider = (e: LokiEntry): boolean => {
      if (!inRange(e) || !q.selector.every((m) => matches(m, e.labels))) return false;
      scanned++;
      bytes += Buffer.byteLength(e.line);
      const parsed = runPipeline(q.stages, e.line, e.labels, e.metadata ?? {});
      if (parsed) picked.push({ e, parsed });
      return picked.length >= limit;
    };
    if (backward) {
      for (let i = entries.length - 1; i >= 0; i--) if (consider(entries[i]!)) break;
    } else {
      for (const e of entries) if (consider(e)) break;
    }
    // Group into streams: by stream labels (categorized) or by the full merged label set.
    const streams = new Map<string, { labels: Record<string, string>; values: string[] }>();
    for (const { e, parsed } of picked) {
      const labels = categorize ? e.labels : { ...e.labels, ...(e.metadata ?? {}), ...parsed };
      const key = goLabels(labels);
      let s = streams.get(key);
      if (!s) streams.set(key, (s = { labels, values: [] }));
      let v = `[${goString(String(e.ts))},${goString(e.line, true)}`;
      if (categorize) {
        const parts: string[] = [];
        if (e.metadata && Object.keys(e.metadata).length) parts.push(`"structuredMetadata":${goOrdered(e.metadata)}`);
        if (Object.keys(parsed).length) parts.push(`"parsed":${goOrdered(parsed)}`);
        v += `,{${parts.join(',')}}`;
      }
      s.values.push(`${v}]`);
    }
    const result = [...streams.keys()].sort().map((k) => `{"stream":${k},"values":[${streams.get(k)!.values.join(',')}]}`);
    const flags = categorize ? '"encodingFlags":["categorize-labels"],' : '';
    return ok(`{"resultType":"streams",${flags}"result":[${result.join(',')}],"stats":${stats(t0, picked.length, bytes, scanned)}}`);
  }

  function evalMetric(
    q: MetricQuery,
    startNs: bigint,
    endNs: bigint,
    stepNs: bigint,
    visible: (e: LokiEntry) => boolean,
  ): { labels: Record<string, string>; points: [bigint, number][] }[] | string {
    if (q.kind === 'vector') {
      const inner = evalMetric(q.inner, startNs, endNs, stepNs, visible);
      if (typeof inner === 'string') return inner;
      const groups = new Map<string, { labels: Record<string, string>; acc: Map<bigint, number[]> }>();
      for (const s of inner) {
        const labels: Record<string, string> = {};
        for (const [k, v] of Object.entries(s.labels)) {
          const listed = q.grouping?.labels.includes(k) ?? false;
          if (q.grouping && (q.grouping.without ? !listed : listed)) labels[k] = v;
        }
        const key = goLabels(labels);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { labels, acc: new Map() }));
        for (const [t, v] of s.points) g.acc.set(t, [...(g.acc.get(t) ?? []), v]);
      }
      return [...groups.values()].map((g) => ({
        labels: g.labels,
        points: [...g.acc.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([t, vs]) => [t, aggregate(q.fn, vs)] as [bigint, number]),
      }));
    }
    const rangeNs = BigInt(q.rangeMs) * NS_PER_MS;
    const sec = q.rangeMs / 1000;
    // Per series, per step: count and bytes of entries in (t - range, t]. Each entry is visited
    // once and added to every step whose window holds it.
    const acc = new Map<string, { labels: Record<string, string>; steps: Map<bigint, { n: number; bytes: number }> }>();
    for (const e of entries) {
      if (e.ts <= startNs - rangeNs || e.ts > endNs || !visible(e) || !q.log.selector.every((m) => matches(m, e.labels))) continue;
      const parsed = runPipeline(q.log.stages, e.line, e.labels, e.metadata ?? {});
      if (!parsed) continue;
      const labels = { ...e.labels, ...parsed };
      const key = goLabels(labels);
      let s = acc.get(key);
      if (!s) {
        acc.set(key, (s = { labels, steps: new Map() }));
        if (acc.size > maxSeries) {
          return `maximum number of series (${maxSeries}) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()`;
        }
      }
      const first = e.ts <= startNs ? 0n : (e.ts - startNs + stepNs - 1n) / stepNs;
      for (let t = startNs + first * stepNs; t <= endNs && t < e.ts + rangeNs; t += stepNs) {
        const c = s.steps.get(t) ?? { n: 0, bytes: 0 };
        c.n++;
        c.bytes += Buffer.byteLength(e.line);
        s.steps.set(t, c);
      }
    }
    const bySeries = new Map<string, { labels: Record<string, string>; points: [bigint, number][] }>();
    for (const [key, s] of acc) {
      const points = [...s.steps.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([t, c]) => [t, q.fn === 'count_over_time' ? c.n : q.fn === 'rate' ? c.n / sec : q.fn === 'bytes_over_time' ? c.bytes : c.bytes / sec] as [bigint, number]);
      if (points.length) bySeries.set(key, { labels: s.labels, points });
    }
    return [...bySeries.keys()].sort().map((k) => bySeries.get(k)!);
  }

  return {
    ...server,
    push(more) {
      entries.push(...more);
      entries.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    },
  };
}

function ok(data: string, warnings?: readonly string[]): Reply {
  const w = warnings?.length ? `"warnings":[${warnings.map((x) => goString(x)).join(',')}],` : '';
  return { status: 200, headers: JSON_CT, body: `{"status":"success",${w}"data":${data}}\n` };
}

/** `data` is omitempty in Loki's label responses. */
function labelsReply(values: string[]): Reply {
  values.sort();
  const data = values.length ? `,"data":[${values.map((v) => goString(v, false)).join(',')}]` : '';
  return { status: 200, headers: JSON_CT, body: `{"status":"success"${data}}\n` };
}

function stats(t0: number, returned: number, bytes: number, lines: number): string {
  return statsJson({ execTimeSec: Math.max(1e-6, (performance.now() - t0) / 1000), entriesReturned: returned, bytesProcessed: bytes, linesProcessed: lines });
}

function aggregate(fn: string, vs: number[]): number {
  switch (fn) {
    case 'count':
      return vs.length;
    case 'min':
      return Math.min(...vs);
    case 'max':
      return Math.max(...vs);
    case 'avg':
      return vs.reduce((a, b) => a + b, 0) / vs.length;
    default:
      return vs.reduce((a, b) => a + b, 0);
  }
}

function tenantOf(req: IncomingMessage, authEnabled: boolean): string[] | undefined {
  if (!authEnabled) return ['fake'];
  const h = req.headers['x-scope-orgid'];
  if (typeof h !== 'string' || h.trim() === '') return undefined;
  return h.split('|');
}

function safeParse(text: string): Query | Error {
  try {
    return parseLogql(text);
  } catch (err) {
    if (err instanceof LogqlError) return err;
    throw err;
  }
}

function selects(q: Query, e: LokiEntry): boolean {
  let log: Query = q;
  while (log.kind !== 'log') log = log.kind === 'range' ? log.log : log.inner;
  return log.selector.every((m) => matches(m, e.labels));
}

/** Loki's parseTimestamp: integer ≤ 10 digits = seconds, longer = ns; else float seconds; else RFC3339. */
function parseTs(v: string): bigint {
  if (/^-?\d+$/.test(v)) return v.replace('-', '').length <= 10 ? BigInt(v) * 1_000_000_000n : BigInt(v);
  if (/^-?\d*\.\d+$/.test(v)) return BigInt(Math.round(Number(v) * 1e6)) * 1000n;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new Error(`cannot parse "${v}" to a valid timestamp`);
  return BigInt(ms) * NS_PER_MS;
}

function timeRange(params: URLSearchParams, now: number): { startNs: bigint; endNs: bigint } {
  const endNs = params.has('end') ? parseTs(params.get('end')!) : BigInt(now) * NS_PER_MS;
  const since = params.has('since') ? stepParam(params.get('since')!) : 3_600_000;
  const startNs = params.has('start') ? parseTs(params.get('start')!) : endNs - BigInt(since) * NS_PER_MS;
  if (endNs < startNs) throw new Error('end timestamp must not be before or equal to start time');
  return { startNs, endNs };
}

/** A Go duration or float seconds → ms. */
function stepParam(v: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/gy;
  let consumed = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, y: 3.1536e10 }[m[2] as 'ms'];
    consumed = re.lastIndex;
  }
  if (consumed !== v.length || !v) throw new Error(`invalid parameter: cannot parse "${v}" to a valid duration`);
  return total;
}

if (process.argv[1] && /fakes[\\/]loki\.ts$/.test(process.argv[1])) {
  void (async () => {
    const { demoDataset, demoAnchorMs } = await import('../support/synth/demo');
    const data = demoDataset(demoAnchorMs());
    const fake = await startLokiFake({ entries: data.logs, authEnabled: false, port: portFromArgv(process.argv, 3100) });
    process.stdout.write(`fake Loki on ${fake.url} (${data.logs.length} lines)\n`);
    const stop = (): void => void fake.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })();
}
