/**
 * `spanlens lookup <id> [--workspace DIR] [--json]`: everything about one request — its traces
 * (a trace id, or a span id / Dynamo request_id / x-request-id searched in Tempo), its logs from
 * Loki (both log shapes) and the key metrics around it from Prometheus — with the connection
 * flags of `spanlens query`. Readable by default: each trace as a tree, then the logs grouped by
 * the span they belong to, then the metric values. `--json`:
 * `{"id","kind","traces":[summary…],"logs":[entry…],"series":[{"query","labels","points","exemplars"}…],"errors":[{"backend","message"}…]}`
 * — summaries as `spanlens trace --json` prints them, log entries as `spanlens logs --json`
 * (oldest first), points as `[unixSeconds, value]`, exemplars as `{"labels","value","timestamp"}`.
 * Exit 0 when a trace or a log line was found, 1 when nothing was (or every part failed).
 */
import { detectId, type DetectedId } from '../../core/correlate/detect';
import { linkLogs, linkSpansOf } from '../../core/correlate/link';
import { startLookup, type LookupResult, type PartError, type PartUpdate } from '../../core/correlate/lookup';
import { lookupSettings } from '../../core/correlate/settings';
import { formatDuration } from '../../core/format/duration';
import { panelTitleText } from '../../core/metrics/panels';
import { formatValue } from '../../core/metrics/values';
import type { LogEntry } from '../../core/model/logs';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';
import { CONNECTION_USAGE, connectionFrom, parse, printable, withBackends } from './connection';
import { logJson, logText, safeJson, workspaceSources, type SourceResolver } from './logOutput';
import { workspaceRoot } from './logs';
import { treeText } from './trace';

const USAGE = `lookup <ID> [--workspace DIR] [--look-back 1h,24h,7d] [--attribute NAME,…] [--max-depth N] ${CONNECTION_USAGE}`;
const EXTRA = { workspace: { type: 'string' }, 'look-back': { type: 'string' }, attribute: { type: 'string' }, 'max-depth': { type: 'string' } } as const;

const KIND_TEXT: Readonly<Record<DetectedId['kind'], string>> = { trace: 'trace id', span: 'span id', uuid: 'request id (UUID)', text: 'request id' };
const BACKEND_KEY: Readonly<Record<PartError['backend'], string>> = { Tempo: 'tempo', Loki: 'loki', Prometheus: 'prometheus' };

function jsonNumber(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

function when(range: { startMs: number; endMs: number } | undefined): string {
  if (!range) return '';
  return ` between ${new Date(range.startMs).toISOString()} and ${new Date(range.endMs).toISOString()}`;
}

function partLine(name: string, u: PartUpdate, found: string): string {
  switch (u.state) {
    case 'found':
      return `${name}: ${found}`;
    case 'none':
      return `${name}: nothing found${when(u.range)}`;
    case 'skipped':
      return `${name}: not searched${u.warnings.length ? ` (${u.warnings[u.warnings.length - 1]})` : ''}`;
    case 'cancelled':
      return `${name}: cancelled`;
    case 'error':
      return `${name}: failed`;
    default:
      return `${name}: ${u.state}`;
  }
}

async function printText(r: LookupResult, io: CliIO, sources: SourceResolver, maxDepth: number): Promise<void> {
  const out = (s = ''): void => void io.stdout.write(`${printable(s)}\n`);
  out(`lookup ${r.id.value} (${KIND_TEXT[r.id.kind]})`);
  const traces = r.traces.value;
  out(partLine('traces', r.traces, `${traces.length} found`));
  for (const t of traces) {
    const s = t.summary;
    out();
    const n = (k: number, one: string, many: string): string => `${k} ${k === 1 ? one : many}`;
    out(`trace ${t.traceId} · ${n(s.spanCount, 'span', 'spans')} · ${n(s.services.length, 'service', 'services')} · ${n(s.errorCount, 'error', 'errors')} · ${formatDuration(t.tree.durationNs)}${t.partial ? ' · partial' : ''}`);
    io.stdout.write(treeText(t.trace, t.tree, maxDepth));
  }

  const logs = r.logs.value;
  out();
  out(partLine('logs', r.logs, `${logs.length} lines`));
  if (logs.length) {
    const links = linkLogs(
      traces.map((t) => linkSpansOf(t.trace, t.tree)),
      logs,
    );
    // Groups in the order their first line came, the unlinked lines last.
    const groups = new Map<string, { title: string; entries: LogEntry[] }>();
    logs.forEach((e, i) => {
      const ti = links.trace[i]!;
      const si = links.span[i]!;
      const key = ti < 0 ? '' : `${ti}/${si}`;
      let g = groups.get(key);
      if (!g) {
        const span = ti < 0 ? undefined : traces[ti]!.trace.spans[si]!;
        const title = span ? `${span.name}  ${span.resource.serviceName}  span ${span.spanId}${traces.length > 1 ? ` of trace ${traces[ti]!.traceId.slice(0, 8)}` : ''}` : 'not tied to a span of these traces';
        groups.set(key, (g = { title, entries: [] }));
      }
      g.entries.push(e);
    });
    const ordered = [...groups.entries()].sort(([a], [b]) => (a === '' ? 1 : 0) - (b === '' ? 1 : 0));
    for (const [, g] of ordered) {
      out(`  ${g.title}`);
      for (const e of g.entries) out(`    ${logText(e, await sources(e.source))}`);
    }
  }

  const panels = r.metrics.value;
  out();
  out(partLine('metrics', r.metrics, `${panels.reduce((n, p) => n + p.series.length, 0)} series${when(r.metricsWindow?.range)}`));
  for (const p of panels) {
    const title = panelTitleText(p.metric);
    const ex = p.exemplars.length ? `  (${p.exemplars.length} exemplars)` : '';
    if (p.error) out(`  ${title}: failed: ${p.error}`);
    else if (!p.series.length) out(`  ${title}: no data${ex}`);
    for (const s of p.series) {
      const labels = Object.entries(s.labels).filter(([k]) => k !== '__name__');
      const name = `${title}${labels.length ? ` {${labels.map(([k, v]) => `${k}="${v}"`).join(', ')}}` : ''}`;
      const values = s.points.map((pt) => pt.value).filter((v) => Number.isFinite(v));
      const fmt = (v: number): string => formatValue(v, p.metric.unit);
      const stats = values.length ? `min ${fmt(Math.min(...values))}  max ${fmt(Math.max(...values))}  last ${fmt(values[values.length - 1]!)}` : 'no values';
      out(`  ${name}: ${stats}${ex}`);
    }
  }
}

function errorsOf(r: LookupResult): PartError[] {
  return [...r.traces.errors, ...r.logs.errors, ...r.metrics.errors];
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, EXTRA, USAGE);
  if (positionals.length !== 1) throw new CliUsageError(`expected one id (usage: spanlens ${USAGE})`);
  const detected = detectId(positionals[0]!);
  if (!detected.ok) {
    const why = detected.reason === 'empty' ? 'it is empty' : detected.reason === 'tooLong' ? 'it is longer than 512 characters' : 'it holds control characters';
    throw new CliUsageError(`not an id: ${why}`);
  }
  let maxDepth = Infinity;
  if (values['max-depth'] !== undefined) {
    maxDepth = Number(values['max-depth']);
    if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new CliUsageError('--max-depth must be a whole number');
  }
  const { settings, problems } = lookupSettings({
    ...(values['look-back'] !== undefined ? { lookBack: values['look-back'].split(',').map((s) => s.trim()) } : {}),
    ...(values.attribute !== undefined ? { attributes: values.attribute.split(',') } : {}),
  });
  if (problems.length) throw new CliUsageError(`--look-back/--attribute: ${problems.join('; ')}`);
  const root = await workspaceRoot(values.workspace);
  const sources = workspaceSources(root);
  const warn = (w: string): void => void io.stderr.write(`spanlens: warning: ${printable(w)}\n`);

  const result = await withBackends(connectionFrom(values), warn, async (b, signal) => {
    return startLookup(detected.id, { backends: { tempo: b.tempo, loki: b.loki, prometheus: b.prometheus, configErrors: b.configErrors }, settings, signal }).done;
  });
  // A skipped part's reason is printed with it; other warnings go to stderr.
  for (const part of [result.traces, result.logs, result.metrics]) if (values.json || part.state !== 'skipped') for (const w of part.warnings) warn(w);
  const errors = errorsOf(result);
  if (values.json) {
    const logs = [];
    for (const e of result.logs.value) logs.push(await logJson(e, sources));
    io.stdout.write(
      `${safeJson(
        {
          id: result.id.value,
          kind: result.id.kind,
          traces: result.traces.value.map((t) => t.summary),
          logs,
          series: result.metrics.value.flatMap((panel) =>
            panel.series.map((s) => ({
              query: panel.query,
              labels: s.labels,
              points: s.points.map((p) => [p.timeMs / 1000, jsonNumber(p.value)]),
              exemplars: panel.exemplars.map((e) => ({ labels: e.labels, value: jsonNumber(e.value), timestamp: e.timeMs / 1000 })),
            })),
          ),
          errors: errors.map((e) => ({ backend: BACKEND_KEY[e.backend], message: e.message })),
        },
        2,
      )}\n`,
    );
  } else {
    await printText(result, io, sources, maxDepth);
    for (const e of errors) io.stderr.write(`spanlens: ${e.backend}${e.query ? ` (${printable(e.query)})` : ''}: ${printable(e.message)}\n`);
  }
  return result.traces.value.length || result.logs.value.length ? 0 : 1;
}

export const lookupCommand: CliCommand = {
  words: ['lookup'],
  usage: USAGE,
  summary: 'Everything about one request id (trace id, span id, Dynamo request_id or x-request-id): traces, logs by span, key metrics',
  run,
};
