/**
 * What the soak does, as a table: one entry per kind of work a user's session produces, with
 * its share of the mix (a new kind joins with one entry, as the lookup did). Each runs
 * against the long-lived clients, with a signal the soak may abort (a closed panel).
 */
import type { Backends } from '../../src/core/backends';
import { startLookup } from '../../src/core/correlate/lookup';
import type { TimeRange } from '../../src/core/backends/types';

export interface SoakWorld {
  readonly traceIds: readonly string[];
  readonly range: TimeRange;
  /** Deterministic choices (a seeded generator): the same seed gives the same mix. */
  pick<T>(list: readonly T[]): T;
}

export interface Operation {
  readonly name: string;
  /** Relative share of the mix. */
  readonly weight: number;
  run(b: Backends, w: SoakWorld, signal: AbortSignal): Promise<unknown>;
}

const LOGQL = ['{service_name=~".+"}', '{service_name="dynamo-frontend"} |= "request"', '{job="dynamo"} | json | level="ERROR"'];
const PROMQL = ['up', 'rate(prometheus_http_requests_total[5m])', 'sum by (job) (up)'];

export const OPERATIONS: readonly Operation[] = [
  { name: 'search', weight: 3, run: (b, w, signal) => b.tempo!.search({ query: w.pick(['{}', '{ status = error }', '{ resource.service.name = "dynamo-frontend" }']), range: w.range, limit: 20, signal }) },
  { name: 'traceFetch', weight: 3, run: (b, w, signal) => b.tempo!.trace(w.pick(w.traceIds), { signal }) },
  { name: 'logQuery', weight: 3, run: (b, w, signal) => b.loki!.queryRange({ query: w.pick(LOGQL), range: w.range, limit: 500, signal }) },
  { name: 'logMetric', weight: 1, run: (b, w, signal) => b.loki!.queryRange({ query: 'sum by (service_name) (count_over_time({service_name=~".+"}[1m]))', range: w.range, stepMs: 60_000, signal }) },
  { name: 'metricQuery', weight: 2, run: (b, w, signal) => b.prometheus!.queryRange(w.pick(PROMQL), { startMs: Date.now() - 3_600_000, endMs: Date.now() }, { signal }) },
  { name: 'tags', weight: 1, run: (b, _w, signal) => b.tempo!.tagValues('resource.service.name', { signal }) },
  { name: 'health', weight: 1, run: (b, _w, signal) => b.health({ signal }) },
  // Request-id lookup: trace, logs and metrics of one id in parallel, as the lookup panel runs it.
  { name: 'lookup', weight: 2, run: (b, w, signal) => startLookup(w.pick(w.traceIds), { backends: b, signal }).done },
];
