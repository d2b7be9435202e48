/**
 * `spanlens check`: each backend's state (ok / unreachable / unauthorised / error), version and
 * latency. Exit 0 when all are ok, 1 otherwise. `--json` prints an array of the health records.
 */
import { BACKEND_LABEL } from '../../core/backends/options';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';
import { CONNECTION_USAGE, connectionFrom, parse, printable, table, withBackends } from './connection';

const USAGE = `check ${CONNECTION_USAGE}`;

export const checkCommand: CliCommand = {
  words: ['check'],
  usage: USAGE,
  summary: 'Check that Tempo, Loki and Prometheus answer: state, version, latency',
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parse(args, {}, USAGE);
    if (positionals.length) throw new CliUsageError(`unexpected argument '${printable(positionals[0]!)}' (usage: spanlens ${USAGE})`);
    const conn = connectionFrom(values);
    const results = await withBackends(conn, (w) => io.stderr.write(`warning: ${w}\n`), (b, signal) => b.health({ signal }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    } else {
      const rows = results.map((h) => [
        h.backend,
        h.state,
        printable(h.version ?? '-'),
        h.latencyMs === undefined ? '-' : `${h.latencyMs} ms`,
        h.url,
      ]);
      io.stdout.write(table(['BACKEND', 'STATE', 'VERSION', 'LATENCY', 'URL'], rows));
      for (const h of results) if (h.error) io.stdout.write(`\n${BACKEND_LABEL[h.backend]}: ${printable(h.error)}\n`);
    }
    return results.every((h) => h.state === 'ok') ? 0 : 1;
  },
};
