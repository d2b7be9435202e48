/**
 * The command paths the leak test drives, as tables: one line per CLI invocation and per core
 * client call, and one per failure class the way in front of the backends can produce. A command
 * added later joins with one line here.
 */
import type { Backends } from '../../../src/core/backends';
import { startLookup } from '../../../src/core/correlate/lookup';

/** What a path gets to build its arguments from. */
export interface PathContext {
  readonly tempo: string;
  readonly loki: string;
  readonly prom: string;
  /** A trace id the Tempo fake holds. */
  readonly traceId: string;
  /** A span of that trace. */
  readonly spanId: string;
  /** The x-request-id that trace carries. */
  readonly requestId: string;
  /** A folder holding that span's source file. */
  readonly workspace: string;
}

/**
 * `spanlens …` invocations. The connection flags are added by the test unless `connection` is
 * false; `succeeds` (default true) says the ok class must exit 0.
 */
export const CLI_PATHS: readonly { readonly name: string; argv(c: PathContext): string[]; readonly connection?: false; readonly succeeds?: false }[] = [
  { name: 'check', argv: () => ['check'] },
  { name: 'check --json', argv: () => ['check', '--json'] },
  { name: 'query tempo', argv: () => ['query', 'tempo', '{}', '--since', '24h'] },
  { name: 'query tempo --json', argv: () => ['query', 'tempo', '{ status = error }', '--since', '24h', '--json'] },
  { name: 'query loki', argv: () => ['query', 'loki', '{service_name=~".+"}', '--since', '24h'] },
  { name: 'query loki metric --json', argv: () => ['query', 'loki', 'count_over_time({service_name=~".+"}[1m])', '--since', '1h', '--json'] },
  { name: 'query prom', argv: () => ['query', 'prom', 'up', '--since', '1h'] },
  { name: 'query prom --instant --json', argv: () => ['query', 'prom', 'up', '--instant', '--json'] },
  { name: 'trace <id>', argv: (c) => ['trace', c.traceId] },
  { name: 'trace <id> --json --critical-path', argv: (c) => ['trace', c.traceId, '--json', '--critical-path'] },
  { name: 'source <id> <span>', argv: (c) => ['source', c.traceId, c.spanId, '--workspace', c.workspace, '--json'] },
  { name: 'search', argv: () => ['search', '{ status = error }', '--since', '24h'] },
  // Exits 1 while an alert fires, as the test Prometheus's rules make some do.
  { name: 'alerts --json', argv: () => ['alerts', '--json'], succeeds: false },
  // Exits 1 while a scrape target is down, as some of the test Prometheus's are.
  { name: 'targets', argv: () => ['targets'], succeeds: false },
  // A Tempo answer is no Dynamo health body: the ok class exits 1 (not healthy), with its reason.
  { name: 'health <url> --json', argv: (c) => ['health', `${c.tempo}/api/status/buildinfo`, '--json', '--timeout', '700'], connection: false, succeeds: false },
  { name: 'lookup <trace id> --json', argv: (c) => ['lookup', c.traceId, '--workspace', c.workspace, '--json'] },
  { name: 'lookup <request id>', argv: (c) => ['lookup', c.requestId, '--look-back', '1h'] },
];

/** Every client call of the core, the extension's and the CLI's way to the backends. */
export const CORE_PATHS: readonly { readonly name: string; run(b: Backends, c: PathContext): Promise<unknown> }[] = [
  { name: 'health', run: (b) => b.health() },
  { name: 'tempo.trace', run: (b, c) => b.tempo!.trace(c.traceId) },
  { name: 'tempo.search', run: (b) => b.tempo!.search({ query: '{}' }) },
  { name: 'tempo.tagNames', run: (b) => b.tempo!.tagNames() },
  { name: 'tempo.tagValues', run: (b) => b.tempo!.tagValues('resource.service.name') },
  { name: 'tempo.buildInfo', run: (b) => b.tempo!.buildInfo() },
  { name: 'loki.queryRange', run: (b) => b.loki!.queryRange({ query: '{service_name=~".+"}', range: { startMs: Date.now() - 3_600_000, endMs: Date.now() } }) },
  { name: 'loki.labels', run: (b) => b.loki!.labels({ startMs: Date.now() - 3_600_000, endMs: Date.now() }) },
  { name: 'loki.series', run: (b) => b.loki!.series(['{service_name=~".+"}'], { startMs: Date.now() - 3_600_000, endMs: Date.now() }) },
  { name: 'prometheus.query', run: (b) => b.prometheus!.query('up') },
  { name: 'prometheus.queryRange', run: (b) => b.prometheus!.queryRange('up', { startMs: Date.now() - 3_600_000, endMs: Date.now() }) },
  { name: 'prometheus.exemplars', run: (b) => b.prometheus!.exemplars('up', { startMs: Date.now() - 3_600_000, endMs: Date.now() }) },
  { name: 'prometheus.targets', run: (b) => b.prometheus!.targets() },
  { name: 'prometheus.rules', run: (b) => b.prometheus!.rules() },
  { name: 'prometheus.alerts', run: (b) => b.prometheus!.alerts() },
  // The lookup's parts report failures as states, not throws: its result (errors, warnings) is what must not leak.
  { name: 'correlate.lookup', run: (b, c) => startLookup(c.traceId, { backends: b }).done },
];

export { FAILURES, type Failure } from '../../support/leakGate';
