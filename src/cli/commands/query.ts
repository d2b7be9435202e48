/**
 * `spanlens query tempo|loki|prom '<query>'` with a time range (--since 1h, or --start/--end) and
 * `--json` for scripts:
 * - tempo → `[{traceId, rootService, rootName, startUnixNano, durationMs}]`
 * - loki  → `[{timestampNs, line, labels, metadata}]` (a metric query prints series like prom)
 * - prom  → `[{labels, points: [[unixSeconds, value], …]}]`
 * For people, series print as one row each (labels, last value, min, max, point count);
 * `--points` prints every sample under its series instead.
 * Nanosecond times are decimal strings (exact); a value that JSON can't hold (NaN, ±Inf) is
 * written as Prometheus writes it ("NaN", "+Inf", "-Inf"). Warnings go to stderr.
 */
import { parseDuration, resolveRange } from '../../core/backends/time';
import type { LogLine } from '../../core/model/logs';
import type { Series } from '../../core/model/series';
import { countOf } from '../../core/text/plural';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';
import { CONNECTION_USAGE, clientOf, connectionFrom, jsonValue, parse, printable, table, withBackends } from './connection';

const USAGE = `query tempo|loki|prom '<query>' [--since 1h | --start T --end T] [--limit N] [--step 30s] [--instant] [--points] [--direction backward|forward] ${CONNECTION_USAGE}`;

const EXTRA = {
  since: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  limit: { type: 'string' },
  step: { type: 'string' },
  instant: { type: 'boolean' },
  points: { type: 'boolean' },
  direction: { type: 'string' },
} as const;

export const queryCommand: CliCommand = {
  words: ['query'],
  usage: USAGE,
  summary: 'Run TraceQL, LogQL or PromQL against Tempo, Loki or Prometheus',
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parse(args, EXTRA, USAGE);
    const [target, text, ...rest] = positionals;
    if (!target || !['tempo', 'loki', 'prom', 'prometheus'].includes(target)) throw new CliUsageError(`say which backend: tempo, loki or prom (usage: spanlens ${USAGE})`);
    if (text === undefined || text.trim() === '') throw new CliUsageError(`missing the query text (usage: spanlens ${USAGE})`);
    if (rest.length) throw new CliUsageError(`unexpected argument '${printable(rest[0]!)}'; quote the query as one argument`);
    let range;
    let limit: number | undefined;
    let stepMs: number | undefined;
    try {
      range = resolveRange({ since: values.since, start: values.start, end: values.end });
      if (values.step !== undefined) stepMs = parseDuration(values.step);
    } catch (err) {
      throw new CliUsageError((err as Error).message);
    }
    if (values.limit !== undefined) {
      limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit <= 0) throw new CliUsageError(`--limit must be a positive integer, not "${values.limit}"`);
    }
    const direction = values.direction ?? 'backward';
    if (direction !== 'backward' && direction !== 'forward') throw new CliUsageError('--direction is backward or forward');
    const warn = (w: string): void => void io.stderr.write(`warning: ${printable(w)}\n`);
    const out = (v: unknown): void => void io.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
    const seriesFormat: SeriesFormat = values.json ? 'json' : values.points ? 'points' : 'rows';

    await withBackends(connectionFrom(values), warn, async (b, signal) => {
      if (target === 'tempo') {
        const res = await clientOf(b, 'tempo').search({ query: text, range, limit: limit ?? 20, signal });
        const rows = res.traces.map((t) => ({
          traceId: t.traceId,
          rootService: t.rootServiceName,
          rootName: t.rootTraceName ?? null,
          startUnixNano: t.start.toString(),
          durationMs: t.durationMs,
        }));
        if (values.json) return out(rows);
        if (!rows.length) return void io.stderr.write('no traces found\n');
        io.stdout.write(
          table(
            ['TRACE ID', 'START', 'DURATION', 'ROOT'],
            rows.map((r) => [r.traceId, isoNs(BigInt(r.startUnixNano)), `${r.durationMs} ms`, printable(`${r.rootService}: ${r.rootName ?? '?'}`)]),
          ),
        );
      } else if (target === 'loki') {
        const res = await clientOf(b, 'loki').queryRange({ query: text, range, limit: limit ?? 100, direction, stepMs, signal });
        res.warnings.forEach(warn);
        if (res.kind === 'matrix') return printSeries(res.series, seriesFormat, io);
        if (res.truncated) warn(`stopped at the limit of ${countOf(limit ?? 100, 'line', 'lines')}; raise --limit or narrow the range`);
        if (values.json) return out(res.lines.map(logJson));
        for (const l of res.lines) io.stdout.write(`${isoNs(l.timestampNs)}  ${printable(labelText(l.labels))}  ${printable(l.line)}\n`);
      } else {
        const res = values.instant ? await clientOf(b, 'prometheus').query(text, { timeMs: range.endMs, signal }) : await clientOf(b, 'prometheus').queryRange(text, range, { stepMs, signal });
        [...res.warnings, ...res.infos].forEach(warn);
        if (res.resultType === 'string') return values.json ? out(res.stringValue) : void io.stdout.write(`${printable(res.stringValue ?? '')}\n`);
        printSeries(res.series, seriesFormat, io);
      }
    });
    return 0;
  },
};

function logJson(l: LogLine): { timestampNs: string; line: string; labels: Record<string, string>; metadata: Record<string, string> } {
  // Parsed fields (from `| json` and the like) count as metadata here: both are per-line, not stream labels.
  return { timestampNs: l.timestampNs.toString(), line: l.line, labels: { ...l.labels }, metadata: { ...l.metadata, ...l.parsed } };
}

type SeriesFormat = 'json' | 'points' | 'rows';

function printSeries(series: readonly Series[], format: SeriesFormat, io: CliIO): void {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(series.map((s) => ({ labels: s.labels, points: s.points.map((p) => [p.timeMs / 1000, jsonValue(p.value)]) })), null, 2)}\n`);
    return;
  }
  if (!series.length) return void io.stderr.write('no series\n');
  if (format === 'rows') return void io.stdout.write(seriesTable(series));
  for (const s of series) {
    io.stdout.write(`${printable(labelText(s.labels))}\n`);
    for (const p of s.points) io.stdout.write(`  ${new Date(p.timeMs).toISOString()}  ${p.value}\n`);
  }
}

/** One row per series: what a terminal can show of a range query without scrolling past every sample. */
export function seriesTable(series: readonly Series[]): string {
  const rows = series.map((s) => {
    const values = s.points.map((p) => p.value);
    const numbers = values.filter((v) => !Number.isNaN(v));
    const last = values.length ? values[values.length - 1]! : Number.NaN;
    return [
      printable(labelText(s.labels)),
      values.length ? promValue(last) : '-',
      numbers.length ? promValue(Math.min(...numbers)) : '-',
      numbers.length ? promValue(Math.max(...numbers)) : '-',
      String(values.length),
    ];
  });
  return table(['SERIES', 'LAST', 'MIN', 'MAX', 'POINTS'], rows, { rightAligned: [1, 2, 3, 4] });
}

/** A sample value as Prometheus writes it: NaN, +Inf, -Inf, else the shortest exact decimal. */
const promValue = (v: number): string => String(jsonValue(v));

/** `name{k="v", …}` as Prometheus shows a series: the metric name, then the other labels. */
function labelText(labels: Readonly<Record<string, string>>): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return pairs.length || !name ? `${name}{${pairs.join(', ')}}` : name;
}

/** ISO 8601 with all nine fraction digits. */
export function isoNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}
