/**
 * `spanlens alerts`: Prometheus' alerting rules as on-call reads them — firing, then pending
 * (most severe and longest-standing first), then the inactive rules by group. Exit 1 while any
 * alert fires, so a script can gate on it. `--json` prints
 * `{"firing": [alert…], "pending": [alert…], "inactive": [{group, file, rules: [{name, query, health, lastError, severity, summary}]}]}`
 * with alert = `{rule, state, severity, summary, activeAt, value, labels, annotations, group, query}`.
 */
import { groupAlerts, type AlertRow } from '../../core/explorer/alerts';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';
import { CONNECTION_USAGE, connectionFrom, jsonText, jsonValue, parse, printable, table, withBackends } from './connection';

const USAGE = `alerts ${CONNECTION_USAGE}`;

export const alertsCommand: CliCommand = {
  words: ['alerts'],
  usage: USAGE,
  summary: 'Prometheus alerts: firing, pending, and inactive rules by group (exit 1 while any fires)',
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parse(args, {}, USAGE);
    if (positionals.length) throw new CliUsageError(`unexpected argument '${printable(positionals[0]!)}' (usage: spanlens ${USAGE})`);
    const warn = (w: string): void => void io.stderr.write(`warning: ${printable(w)}\n`);
    const groups = await withBackends(connectionFrom(values), warn, (b, signal) => b.prometheus!.rules({ type: 'alert', signal }));
    const o = groupAlerts(groups);
    if (values.json) {
      io.stdout.write(
        jsonText({
          firing: o.firing.map(alertJson),
          pending: o.pending.map(alertJson),
          inactive: o.inactive.map((g) => ({
            group: g.name,
            file: g.file,
            rules: g.rules.map((r) => ({ name: r.name, query: r.query, health: r.health, lastError: r.lastError ?? null, severity: r.severity ?? null, summary: r.summary ?? null })),
          })),
        }),
      );
    } else {
      const active = [...o.firing, ...o.pending];
      if (active.length) {
        io.stdout.write(
          table(
            ['STATE', 'SEVERITY', 'ALERT', 'SINCE', 'LABELS', 'SUMMARY'],
            active.map((a) => [
              a.state,
              a.severity ?? '-',
              printable(a.rule),
              a.activeAt ?? '-',
              printable(
                Object.entries(a.labels)
                  .filter(([k]) => k !== 'alertname' && k !== 'severity')
                  .map(([k, v]) => `${k}=${v}`)
                  .join(','),
              ) || '-',
              printable(a.summary ?? ''),
            ]),
          ),
        );
      } else io.stdout.write('no alert is firing or pending\n');
      for (const g of o.inactive) {
        io.stdout.write(`\ninactive in ${printable(g.name)} (${printable(g.file)}):\n`);
        for (const r of g.rules) io.stdout.write(`  ${printable(r.name)}${r.health === 'err' ? `  [rule failing: ${printable(r.lastError ?? 'error')}]` : ''}\n`);
      }
    }
    return o.firing.length ? 1 : 0;
  },
};

function alertJson(a: AlertRow): Record<string, unknown> {
  return {
    rule: a.rule,
    state: a.state,
    severity: a.severity ?? null,
    summary: a.summary ?? null,
    activeAt: a.activeAt ?? null,
    value: jsonValue(a.value),
    labels: a.labels,
    annotations: a.annotations,
    group: a.group,
    query: a.query,
  };
}
