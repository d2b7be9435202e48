/**
 * Loki over HTTP. Log queries always ask for `categorize-labels` so stream
 * labels, structured metadata (trace_id/span_id of OTLP logs) and parsed fields stay apart, and
 * page by time when a page fills up, de-duplicating the lines that share the boundary nanosecond
 * (the same approach as logcli).
 */
import { BadResponseError, QueryRejectedError } from '../errors';
import { TraceFormatError } from '../../model/errors';
import { sortLogLines } from '../../formats/lokiStreams';
import type { Labels, LogDirection, LogLine, LogQueryResult } from '../../model/logs';
import type { Series } from '../../model/series';
import type { HttpClient, QueryValue } from '../http';
import { probeHealth } from '../health';
import { minStepMs, msToNs } from '../time';

export { minStepMs };
import type { BackendHealth, BuildInfo, CallOptions, ReadyState, TimeRange } from '../types';
import { asBuildInfo, asStringArray, readEnvelope, readyState } from '../decode';
import { decodeLokiQueryData, decodeLokiSeries } from './decode';

export const CATEGORIZE_LABELS = { 'x-loki-response-encoding-flags': 'categorize-labels' } as const;

/** Loki's default `max_entries_limit_per_query`; a smaller server limit is learnt from its 400. */
export const DEFAULT_PAGE_SIZE = 5000;
/** Past this, send the query in a POST form rather than the URL. */
const LONG_QUERY = 4000;

export interface LokiRangeOptions extends CallOptions {
  readonly query: string;
  readonly range: TimeRange;
  /** Lines wanted in total (log queries); default 1000. */
  readonly limit?: number;
  readonly direction?: LogDirection;
  /** Metric queries: resolution in milliseconds (raised so a series stays under 11,000 points). */
  readonly stepMs?: number;
  readonly pageSize?: number;
}

export type LokiRangeResult =
  | ({ readonly kind: 'streams' } & LogQueryResult)
  | { readonly kind: 'matrix'; readonly series: readonly Series[]; readonly warnings: readonly string[] };

export class LokiClient {
  constructor(readonly http: HttpClient) {}

  get url(): string {
    return this.http.displayUrl;
  }

  async queryRange(opts: LokiRangeOptions): Promise<LokiRangeResult> {
    const limit = Math.max(1, opts.limit ?? 1000);
    const direction = opts.direction ?? 'backward';
    let pageSize = Math.max(1, opts.pageSize ?? DEFAULT_PAGE_SIZE);
    let startNs = msToNs(opts.range.startMs);
    let endNs = msToNs(opts.range.endMs);
    const stepMs = opts.stepMs === undefined ? undefined : Math.max(opts.stepMs, minStepMs(opts.range));
    const lines: LogLine[] = [];
    const warnings: string[] = [];
    let boundaryTs: bigint | undefined;
    let boundary = new Set<string>();
    let pages = 0;
    for (;;) {
      // Lines on the boundary nanosecond come back again and are skipped; ask for that many more.
      const want = Math.min(limit - lines.length + boundary.size, pageSize);
      let page: { data: unknown; warnings: string[] };
      try {
        page = await this.rangePage(opts, startNs, endNs, want, direction, stepMs);
      } catch (err) {
        const max = err instanceof QueryRejectedError ? serverEntryLimit(err.serverMessage) : undefined;
        if (max !== undefined && max < want) {
          pageSize = max;
          continue;
        }
        throw err;
      }
      pages++;
      for (const w of page.warnings) if (!warnings.includes(w)) warnings.push(w);
      const decoded = this.decode(() => decodeLokiQueryData(page.data));
      if (decoded.kind === 'matrix') return { kind: 'matrix', series: decoded.series, warnings };
      const got = sortLogLines(decoded.lines, direction);
      let fresh = 0;
      for (const l of got) {
        if (lines.length >= limit) break;
        if (l.timestampNs === boundaryTs && boundary.has(lineKey(l))) continue;
        lines.push(l);
        fresh++;
      }
      const exhausted = got.length < want;
      if (exhausted || lines.length >= limit || fresh === 0) {
        return { kind: 'streams', lines, truncated: !exhausted, warnings, pages };
      }
      // Continue from the last timestamp, inclusive: other lines may share that nanosecond.
      const lastTs = got[got.length - 1]!.timestampNs;
      if (lastTs !== boundaryTs) boundary = new Set();
      boundaryTs = lastTs;
      for (const l of got) if (l.timestampNs === lastTs) boundary.add(lineKey(l));
      if (direction === 'backward') endNs = lastTs + 1n;
      else startNs = lastTs;
    }
  }

  async labels(range: TimeRange, opts: CallOptions & { query?: string } = {}): Promise<string[]> {
    const { value } = await this.http.json('/loki/api/v1/labels', {
      query: { ...rangeParams(range), query: opts.query },
      signal: opts.signal,
    });
    return this.data(value, (d) => asStringArray(d ?? [], 'data'));
  }

  async labelValues(name: string, range: TimeRange, opts: CallOptions & { query?: string } = {}): Promise<string[]> {
    const { value } = await this.http.json(`/loki/api/v1/label/${encodeURIComponent(name)}/values`, {
      query: { ...rangeParams(range), query: opts.query },
      signal: opts.signal,
    });
    return this.data(value, (d) => asStringArray(d ?? [], 'data'));
  }

  async series(match: readonly string[], range: TimeRange, opts: CallOptions = {}): Promise<Labels[]> {
    const { value } = await this.http.json('/loki/api/v1/series', {
      query: { 'match[]': match, ...rangeParams(range) },
      signal: opts.signal,
    });
    return this.data(value, decodeLokiSeries);
  }

  async buildInfo(opts: CallOptions = {}): Promise<BuildInfo> {
    const { value } = await this.http.json('/loki/api/v1/status/buildinfo', { signal: opts.signal });
    return this.decode(() => asBuildInfo(value, ''));
  }

  async ready(opts: CallOptions = {}): Promise<ReadyState> {
    return readyState(await this.http.request('/ready', { signal: opts.signal, allowStatus: [503] }));
  }

  health(opts: CallOptions = {}): Promise<BackendHealth> {
    const nowMs = Date.now();
    return probeHealth('loki', this.url, 'Loki', {
      buildInfo: () => this.buildInfo(opts),
      ready: () => this.ready(opts),
      // Needs the tenant when auth_enabled is on (Loki's default), unlike /ready.
      authProbe: () => this.labels({ startMs: nowMs - 60_000, endMs: nowMs }, opts),
    });
  }

  private async rangePage(
    opts: LokiRangeOptions,
    startNs: bigint,
    endNs: bigint,
    limit: number,
    direction: LogDirection,
    stepMs: number | undefined,
  ): Promise<{ data: unknown; warnings: string[] }> {
    const params: Record<string, QueryValue> = {
      query: opts.query,
      start: startNs,
      end: endNs,
      limit,
      direction,
      step: stepMs === undefined ? undefined : `${stepMs / 1000}`,
    };
    const long = opts.query.length > LONG_QUERY;
    const { value } = await this.http.json('/loki/api/v1/query_range', {
      method: long ? 'POST' : 'GET',
      query: long ? undefined : params,
      form: long ? params : undefined,
      headers: CATEGORIZE_LABELS,
      signal: opts.signal,
    });
    return this.envelope(value);
  }

  private envelope(value: unknown): { data: unknown; warnings: string[] } {
    const env = this.decode(() => readEnvelope(value));
    if (env.status === 'error') throw new QueryRejectedError('Loki', this.url, 200, this.http.scrub(env.error));
    return env;
  }

  private data<T>(value: unknown, read: (data: unknown) => T): T {
    const env = this.envelope(value);
    return this.decode(() => read(env.data));
  }

  private decode<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TraceFormatError) throw new BadResponseError('Loki', this.url, err.message);
      throw err;
    }
  }
}

/** Stream + line identify a line among those sharing a nanosecond. */
function lineKey(l: LogLine): string {
  return `${JSON.stringify(l.labels)}\u0000${l.line}`;
}

function rangeParams(range: TimeRange): Record<string, QueryValue> {
  return { start: msToNs(range.startMs), end: msToNs(range.endMs) };
}


/** `… limit > max_entries_limit_per_query (10000 > 5000)` → 5000. */
export function serverEntryLimit(message: string): number | undefined {
  const m = /max_entries_limit_per_query \((\d+) > (\d+)\)/.exec(message);
  return m ? Number(m[2]) : undefined;
}

