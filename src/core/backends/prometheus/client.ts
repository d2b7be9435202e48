/**
 * Prometheus over HTTP. Every /api/v1 answer is the JSON envelope; errors
 * come back as `{"status":"error","errorType","error"}` with a matching status code, which the
 * HTTP layer turns into QueryRejected (400/422) or Server (5xx) errors carrying `error` verbatim.
 * `warnings` and `infos` ride along with successful results. Range queries pick a step that keeps
 * each series within the server's 11,000-point limit.
 */
import { BadResponseError, QueryRejectedError } from '../errors';
import { TraceFormatError } from '../../model/errors';
import { decodePromData } from '../../formats/promMatrix';
import type { Labels } from '../../model/logs';
import type { ExemplarSeries, SeriesResult } from '../../model/series';
import type { HttpClient, QueryValue } from '../http';
import { probeHealth } from '../health';
import { minStepMs } from '../time';
import { asBuildInfo, asStringArray, readEnvelope, readyState } from '../decode';
import { decodeAlerts, decodeExemplars, decodeLabelSets, decodeRules, decodeTargets } from './decode';
import type { BackendHealth, BuildInfo, CallOptions, ReadyState, TimeRange } from '../types';
import type { Alert, RuleGroup, Targets } from './types';

/** Points a default step aims for: a sparkline's worth, far under the 11,000 limit. */
const DEFAULT_POINTS = 300;
/** Past this, send the query in a POST form rather than the URL. */
const LONG_QUERY = 4000;

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
    return this.decode(() => decodeExemplars(env.data));
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
    return this.decode(() => decodeLabelSets(env.data));
  }

  async targets(opts: CallOptions & { state?: 'active' | 'dropped' | 'any' } = {}): Promise<Targets> {
    const env = await this.call('/api/v1/targets', { state: opts.state }, opts.signal);
    return this.decode(() => decodeTargets(env.data));
  }

  async rules(opts: CallOptions & { type?: 'alert' | 'record' } = {}): Promise<RuleGroup[]> {
    const env = await this.call('/api/v1/rules', { type: opts.type }, opts.signal);
    return this.decode(() => decodeRules(env.data));
  }

  async alerts(opts: CallOptions = {}): Promise<Alert[]> {
    const env = await this.call('/api/v1/alerts', {}, opts.signal);
    return this.decode(() => decodeAlerts(env.data));
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
    const env = this.decode(() => readEnvelope(value));
    if (env.status === 'error') throw new QueryRejectedError('Prometheus', this.url, 200, this.http.scrub(env.error));
    return env;
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
