/**
 * Prometheus over HTTP (backend-apis.md §3). Every /api/v1 answer is the JSON envelope; errors
 * come back as `{"status":"error","errorType","error"}` with a matching status code, which the
 * HTTP layer turns into QueryRejected (400/422) or Server (5xx) errors carrying `error` verbatim.
 * `warnings` and `infos` ride along with successful results. Range queries pick a step that keeps
 * each series within the server's 11,000-point limit.
 */
import { BadResponseError, QueryRejectedError } from '../errors';
import { TraceFormatError } from '../../model/errors';
import { labelMap, decodePromData, sampleValue, secondsToMs } from '../../formats/promMatrix';
import { spanIdToHex, traceIdToHex } from '../../model/ids';
import type { Labels } from '../../model/logs';
import type { Exemplar, ExemplarSeries, SeriesResult } from '../../model/series';
import type { HttpClient, QueryValue } from '../http';
import { probeHealth } from '../health';
import { minStepMs } from '../time';
import { asBuildInfo, asStringArray, readyState } from '../decode';
import type { BackendHealth, BuildInfo, CallOptions, ReadyState, TimeRange } from '../types';
import type { Alert, Rule, RuleGroup, Target, Targets } from './types';

/** Points a default step aims for: a sparkline's worth, far under the 11,000 limit. */
const DEFAULT_POINTS = 300;
/** Past this, send the query in a POST form rather than the URL. */
const LONG_QUERY = 4000;
const TRACE_ID_LABELS = ['trace_id', 'traceID', 'traceId', 'trace-id', 'TraceID'];
const SPAN_ID_LABELS = ['span_id', 'spanID', 'spanId', 'span-id'];

export interface RangeQueryOptions extends CallOptions {
  /** Requested resolution; raised when it would exceed 11,000 points per series. */
  readonly stepMs?: number;
}

export class PrometheusClient {
  constructor(readonly http: HttpClient) {}

  get url(): string {
    return this.http.displayUrl;
  }

  async query(query: string, opts: CallOptions & { timeMs?: number } = {}): Promise<SeriesResult> {
    const env = await this.call('/api/v1/query', { query, time: opts.timeMs === undefined ? undefined : seconds(opts.timeMs) }, opts.signal, query);
    return this.series(env);
  }

  async queryRange(query: string, range: TimeRange, opts: RangeQueryOptions = {}): Promise<SeriesResult> {
    const stepMs = chooseStepMs(range, opts.stepMs);
    const env = await this.call(
      '/api/v1/query_range',
      { query, start: seconds(range.startMs), end: seconds(range.endMs), step: seconds(stepMs) },
      opts.signal,
      query,
    );
    return this.series(env);
  }

  async exemplars(query: string, range: TimeRange, opts: CallOptions = {}): Promise<ExemplarSeries[]> {
    const env = await this.call('/api/v1/query_exemplars', { query, start: seconds(range.startMs), end: seconds(range.endMs) }, opts.signal, query);
    return this.decode(() => {
      const data = env.data ?? [];
      if (!Array.isArray(data)) throw new TraceFormatError('data', 'an array of exemplar series');
      return data.map((s: { seriesLabels?: unknown; exemplars?: unknown }, i) => {
        const at = `data[${i}]`;
        const list = s?.exemplars ?? [];
        if (!Array.isArray(list)) throw new TraceFormatError(`${at}.exemplars`, 'an array');
        return {
          seriesLabels: labelMap(s?.seriesLabels, `${at}.seriesLabels`),
          exemplars: list.map((e: { labels?: unknown; value?: unknown; timestamp?: unknown }, j) => exemplar(e, `${at}.exemplars[${j}]`)),
        };
      });
    });
  }

  async labels(opts: CallOptions & { range?: TimeRange; match?: readonly string[] } = {}): Promise<string[]> {
    const env = await this.call('/api/v1/labels', { ...rangeParams(opts.range), 'match[]': opts.match }, opts.signal);
    return this.decode(() => asStringArray(env.data ?? [], 'data'));
  }

  async labelValues(name: string, opts: CallOptions & { range?: TimeRange; match?: readonly string[] } = {}): Promise<string[]> {
    const env = await this.call(`/api/v1/label/${encodeURIComponent(escapeLabelName(name))}/values`, { ...rangeParams(opts.range), 'match[]': opts.match }, opts.signal);
    return this.decode(() => asStringArray(env.data ?? [], 'data'));
  }

  async seriesMetadata(match: readonly string[], opts: CallOptions & { range?: TimeRange } = {}): Promise<Labels[]> {
    const env = await this.call('/api/v1/series', { 'match[]': match, ...rangeParams(opts.range) }, opts.signal);
    return this.decode(() => {
      const data = env.data ?? [];
      if (!Array.isArray(data)) throw new TraceFormatError('data', 'an array of label sets');
      return data.map((l, i) => labelMap(l, `data[${i}]`));
    });
  }

  async targets(opts: CallOptions & { state?: 'active' | 'dropped' | 'any' } = {}): Promise<Targets> {
    const env = await this.call('/api/v1/targets', { state: opts.state }, opts.signal);
    return this.decode(() => {
      const d = obj(env.data, 'data');
      const active = (arr(d.activeTargets ?? [], 'data.activeTargets') as Record<string, unknown>[]).map((t, i): Target => {
        const at = `data.activeTargets[${i}]`;
        const health = t.health === 'up' || t.health === 'down' ? t.health : 'unknown';
        return {
          scrapePool: str(t.scrapePool),
          scrapeUrl: str(t.scrapeUrl),
          health,
          labels: labelMap(t.labels, `${at}.labels`),
          discoveredLabels: labelMap(t.discoveredLabels, `${at}.discoveredLabels`),
          lastError: str(t.lastError),
          lastScrape: optStr(t.lastScrape),
          lastScrapeDurationMs: typeof t.lastScrapeDuration === 'number' ? t.lastScrapeDuration * 1000 : undefined,
          scrapeInterval: optStr(t.scrapeInterval),
          scrapeTimeout: optStr(t.scrapeTimeout),
        };
      });
      const dropped = (arr(d.droppedTargets ?? [], 'data.droppedTargets') as Record<string, unknown>[]).map((t, i) =>
        labelMap(t.discoveredLabels, `data.droppedTargets[${i}].discoveredLabels`),
      );
      const droppedCounts: Record<string, number> = {};
      for (const [k, v] of Object.entries(obj(d.droppedTargetCounts ?? {}, 'data.droppedTargetCounts'))) droppedCounts[k] = Number(v) || 0;
      return { active, dropped, droppedCounts };
    });
  }

  async rules(opts: CallOptions & { type?: 'alert' | 'record' } = {}): Promise<RuleGroup[]> {
    const env = await this.call('/api/v1/rules', { type: opts.type }, opts.signal);
    return this.decode(() =>
      (arr(obj(env.data, 'data').groups ?? [], 'data.groups') as Record<string, unknown>[]).map((g, i) => ({
        name: str(g.name),
        file: str(g.file),
        intervalSeconds: typeof g.interval === 'number' ? g.interval : 0,
        rules: (arr(g.rules ?? [], `data.groups[${i}].rules`) as Record<string, unknown>[]).map((r, j) => rule(r, `data.groups[${i}].rules[${j}]`)),
      })),
    );
  }

  async alerts(opts: CallOptions = {}): Promise<Alert[]> {
    const env = await this.call('/api/v1/alerts', {}, opts.signal);
    return this.decode(() => (arr(obj(env.data, 'data').alerts ?? [], 'data.alerts') as Record<string, unknown>[]).map((a, i) => alert(a, `data.alerts[${i}]`)));
  }

  async buildInfo(opts: CallOptions = {}): Promise<BuildInfo> {
    const env = await this.call('/api/v1/status/buildinfo', {}, opts.signal);
    return this.decode(() => asBuildInfo(env.data, 'data'));
  }

  async ready(opts: CallOptions = {}): Promise<ReadyState> {
    return readyState(await this.http.request('/-/ready', { signal: opts.signal, allowStatus: [503] }));
  }

  health(opts: CallOptions = {}): Promise<BackendHealth> {
    // Build info sits under /api/v1, so a gateway's auth check already applies to it.
    return probeHealth('prometheus', this.url, 'Prometheus', { buildInfo: () => this.buildInfo(opts), ready: () => this.ready(opts) });
  }

  private async call(
    path: string,
    params: Record<string, QueryValue>,
    signal: AbortSignal | undefined,
    query?: string,
  ): Promise<{ data: unknown; warnings: string[]; infos: string[] }> {
    const long = (query?.length ?? 0) > LONG_QUERY;
    const { value } = await this.http.json(path, { method: long ? 'POST' : 'GET', query: long ? undefined : params, form: long ? params : undefined, signal });
    if (typeof value !== 'object' || value === null) throw new BadResponseError('Prometheus', this.url, 'expected the {"status","data"} envelope');
    const v = value as { status?: unknown; data?: unknown; error?: unknown; errorType?: unknown; warnings?: unknown; infos?: unknown };
    if (v.status === 'error') {
      throw new QueryRejectedError('Prometheus', this.url, 200, this.http.scrub(String(v.error ?? v.errorType ?? 'error')));
    }
    if (v.status !== 'success') throw new BadResponseError('Prometheus', this.url, 'status: expected "success" or "error"');
    return { data: v.data, warnings: strings(v.warnings), infos: strings(v.infos) };
  }

  private series(env: { data: unknown; warnings: string[]; infos: string[] }): SeriesResult {
    const d = this.decode(() => decodePromData(env.data, 'data'));
    const warnings = [...env.warnings];
    if (d.histogramSamples > 0) warnings.push(`${d.histogramSamples} native histogram samples are not shown (no single value to plot)`);
    return { resultType: d.resultType, series: d.series, stringValue: d.stringValue, warnings, infos: env.infos };
  }

  private decode<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TraceFormatError) throw new BadResponseError('Prometheus', this.url, err.message);
      throw err;
    }
  }
}

/** The requested step, or range/300, raised to keep (end - start) / step within 11,000. */
export function chooseStepMs(range: TimeRange, requestedMs?: number): number {
  const floor = minStepMs(range);
  const wanted = requestedMs ?? Math.max(1000, Math.ceil((range.endMs - range.startMs) / DEFAULT_POINTS / 1000) * 1000);
  return Math.max(floor, wanted);
}

/**
 * Prometheus 3's escaping for label names outside the legacy charset in URL paths
 * (`http.status_code` → `U__http_2e_status__code`); legacy names pass unchanged.
 */
export function escapeLabelName(name: string): string {
  if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) return name;
  let out = 'U__';
  let i = 0;
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (ch === '_') out += '__';
    else if (/[a-zA-Z:]/.test(ch) || (i > 0 && /[0-9]/.test(ch))) out += ch;
    else out += `_${cp.toString(16)}_`;
    i++;
  }
  return out;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3).replace(/\.?0+$/, '');
}

function rangeParams(range: TimeRange | undefined): Record<string, QueryValue> {
  return range ? { start: seconds(range.startMs), end: seconds(range.endMs) } : {};
}

function exemplar(e: { labels?: unknown; value?: unknown; timestamp?: unknown }, at: string): Exemplar {
  const labels = labelMap(e?.labels, `${at}.labels`);
  const rawTrace = TRACE_ID_LABELS.map((k) => labels[k]).find((v) => v !== undefined);
  const rawSpan = SPAN_ID_LABELS.map((k) => labels[k]).find((v) => v !== undefined);
  return {
    labels,
    value: sampleValue(e?.value, `${at}.value`),
    timeMs: secondsToMs(e?.timestamp, `${at}.timestamp`),
    traceId: rawTrace ? traceIdToHex(rawTrace) : undefined,
    spanId: rawSpan ? spanIdToHex(rawSpan) : undefined,
  };
}

function rule(r: Record<string, unknown>, at: string): Rule {
  const type = r.type === 'alerting' ? 'alerting' : 'recording';
  return {
    type,
    name: str(r.name),
    query: str(r.query),
    health: str(r.health) || 'unknown',
    lastError: optStr(r.lastError),
    labels: labelMap(r.labels, `${at}.labels`),
    annotations: labelMap(r.annotations, `${at}.annotations`),
    state: optStr(r.state),
    forSeconds: typeof r.duration === 'number' ? r.duration : undefined,
    alerts: (arr(r.alerts ?? [], `${at}.alerts`) as Record<string, unknown>[]).map((a, i) => alert(a, `${at}.alerts[${i}]`)),
    evaluationTimeMs: typeof r.evaluationTime === 'number' ? r.evaluationTime * 1000 : undefined,
    lastEvaluation: optStr(r.lastEvaluation),
  };
}

function alert(a: Record<string, unknown>, at: string): Alert {
  return {
    labels: labelMap(a.labels, `${at}.labels`),
    annotations: labelMap(a.annotations, `${at}.annotations`),
    state: str(a.state),
    activeAt: optStr(a.activeAt),
    value: a.value === undefined ? NaN : sampleValue(a.value, `${at}.value`),
  };
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TraceFormatError(where, 'an object');
  return v as Record<string, unknown>;
}

function arr(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new TraceFormatError(where, 'an array');
  return v;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
