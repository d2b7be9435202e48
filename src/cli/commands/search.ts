/**
 * `spanlens search '<traceql>'`: Tempo's trace search, newest first. The query is checked with
 * Grafana's TraceQL grammar before it is sent (exit 2 with line and column); Tempo's own error
 * text is shown when it rejects one. `--json` prints
 * `[{traceId, rootService, rootName, startUnixNano, durationMs, spanCount, errorCount}]`
 * (`spanCount` is null when Tempo sends no per-service stats).
 */
import { resolveRange } from '../../core/backends/time';
import { formatDuration } from '../../core/format/duration';
import { traceRows } from '../../core/explorer/traces';
import { checkTraceql, describeProblem } from '../../core/traceql/check';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';
import { CONNECTION_USAGE, connectionFrom, jsonText, parse, printable, table, withBackends } from './connection';
import { isoNs } from './query';

const USAGE = `search '<traceql>' [--since 1h | --start T --end T] [--limit N] ${CONNECTION_USAGE}`;

const EXTRA = {
  since: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  limit: { type: 'string' },
} as const;

export const searchCommand: CliCommand = {
  words: ['search'],
  usage: USAGE,
  summary: 'Search Tempo with TraceQL (checked before it is sent); newest traces first',
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parse(args, EXTRA, USAGE);
    const [text, ...rest] = positionals;
    if (rest.length) throw new CliUsageError(`unexpected argument '${printable(rest[0]!)}'; quote the query as one argument`);
    const query = text?.trim() || '{}';
    const problem = checkTraceql(query);
    if (problem) throw new CliUsageError(`TraceQL syntax error at ${describeProblem(problem)}`);
    let range;
    try {
      range = resolveRange({ since: values.since, start: values.start, end: values.end });
    } catch (err) {
      throw new CliUsageError((err as Error).message);
    }
    let limit = 20;
    if (values.limit !== undefined) {
      limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit <= 0) throw new CliUsageError(`--limit must be a positive integer, not "${values.limit}"`);
    }
    const warn = (w: string): void => void io.stderr.write(`warning: ${printable(w)}\n`);
    const res = await withBackends(connectionFrom(values), warn, (b, signal) => b.tempo!.search({ query, range, limit, signal }));
    const rows = traceRows(res.traces);
    if (values.json) {
      io.stdout.write(
        jsonText(
          rows.map((r) => ({
            traceId: r.traceId,
            rootService: r.rootService,
            rootName: r.rootName ?? null,
            startUnixNano: r.startNs.toString(),
            durationMs: r.durationMs,
            spanCount: r.spanCount ?? null,
            errorCount: r.errorCount,
          })),
        ),
      );
      return 0;
    }
    if (!rows.length) {
      io.stderr.write('no traces found\n');
      return 0;
    }
    io.stdout.write(
      table(
        ['TRACE ID', 'START', 'DURATION', 'SPANS', 'ERRORS', 'ROOT'],
        rows.map((r) => [
          r.traceId,
          isoNs(r.startNs),
          formatDuration(r.durationMs * 1e6),
          r.spanCount === undefined ? '-' : String(r.spanCount),
          String(r.errorCount),
          printable(`${r.rootService}: ${r.rootName ?? '?'}`),
        ]),
      ),
    );
    if (rows.length === limit) io.stderr.write(`showing the first ${limit} traces; raise --limit for more\n`);
    return 0;
  },
};
