import { toYaml, type StackFile } from './emit';
import type { StackOptions } from './options';
import type { Severity } from './rules';

/** Receiver names, one per severity, so a webhook can tell pages from tickets by path or name. */
export const RECEIVERS: Record<Severity | 'default', string> = {
  critical: 'dynamo-critical',
  warning: 'dynamo-warning',
  default: 'dynamo-default',
};

/** Repeat intervals by severity: critical alerts nag hourly, warnings twice a day. */
const ROUTES: readonly { severity: Severity; repeat: string; groupWait: string }[] = [
  { severity: 'critical', repeat: '1h', groupWait: '10s' },
  { severity: 'warning', repeat: '12h', groupWait: '30s' },
];

function webhook(url: string, receiver: string): string {
  const u = new URL(url);
  u.searchParams.set('receiver', receiver);
  return u.toString();
}

/**
 * Alertmanager's routing tree: one route per severity to a webhook receiver (the same URL with
 * `?receiver=` telling them apart), grouped by alert and model, and a critical alert inhibits
 * the warning of the same alert on the same thing.
 */
export function alertmanagerConfig(o: StackOptions): Record<string, unknown> {
  const receiver = (name: string): Record<string, unknown> => ({
    name,
    webhook_configs: [{ url: webhook(o.alertWebhookUrl, name), send_resolved: true }],
  });
  return {
    route: {
      receiver: RECEIVERS.default,
      group_by: ['alertname', 'model', 'job'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '12h',
      routes: ROUTES.map((r) => ({
        receiver: RECEIVERS[r.severity],
        matchers: [`severity="${r.severity}"`],
        group_wait: r.groupWait,
        repeat_interval: r.repeat,
      })),
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ['alertname', 'model', 'job', 'instance', 'pod', 'gpu', 'Hostname'],
      },
    ],
    receivers: [receiver(RECEIVERS.default), receiver(RECEIVERS.critical), receiver(RECEIVERS.warning)],
  };
}

export function alertmanagerFiles(o: StackOptions): StackFile[] {
  if (o.profile !== 'compose' || !o.components.alertmanager) return [];
  return [{ path: 'alertmanager/alertmanager.yml', content: toYaml(alertmanagerConfig(o)) }];
}
