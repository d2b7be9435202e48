/**
 * `spanlens targets`: Prometheus' active scrape targets grouped by job, down ones first, with
 * the last error and scrape duration. Exit 1 while any target is down. `--json` prints
 * `[{job, instance, health, scrapeUrl, lastError, lastScrape, lastScrapeDurationMs, scrapeInterval, labels}]`.
 */
import { groupTargets, targetInstance } from '../../core/explorer/targets';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';
import { CONNECTION_USAGE, connectionFrom, jsonText, parse, printable, table, withBackends } from './connection';

const USAGE = `targets ${CONNECTION_USAGE}`;

export const targetsCommand: CliCommand = {
  words: ['targets'],
  usage: USAGE,
  summary: 'Prometheus scrape targets by job: up/down, last error, last scrape duration (exit 1 while any is down)',
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parse(args, {}, USAGE);
    if (positionals.length) throw new CliUsageError(`unexpected argument '${printable(positionals[0]!)}' (usage: spanlens ${USAGE})`);
    const warn = (w: string): void => void io.stderr.write(`warning: ${printable(w)}\n`);
    const targets = await withBackends(connectionFrom(values), warn, (b, signal) => b.prometheus!.targets({ state: 'active', signal }));
    const jobs = groupTargets(targets);
    const rows = jobs.flatMap((j) => j.targets.map((t) => ({ job: j.job, t })));
    if (values.json) {
      io.stdout.write(
        jsonText(
          rows.map(({ job, t }) => ({
            job,
            instance: targetInstance(t),
            health: t.health,
            scrapeUrl: t.scrapeUrl,
            lastError: t.lastError,
            lastScrape: t.lastScrape ?? null,
            lastScrapeDurationMs: t.lastScrapeDurationMs ?? null,
            scrapeInterval: t.scrapeInterval ?? null,
            labels: t.labels,
          })),
        ),
      );
    } else if (!rows.length) {
      io.stderr.write('no active scrape targets\n');
    } else {
      io.stdout.write(
        table(
          ['JOB', 'INSTANCE', 'HEALTH', 'SCRAPE', 'LAST ERROR'],
          rows.map(({ job, t }) => [
            printable(job),
            printable(targetInstance(t)),
            t.health,
            t.lastScrapeDurationMs === undefined ? '-' : `${t.lastScrapeDurationMs.toFixed(1)} ms`,
            printable(t.lastError) || '-',
          ]),
        ),
      );
    }
    return jobs.some((j) => j.down > 0) ? 1 : 0;
  },
};
