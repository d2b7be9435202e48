import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { distinguishingLabels, groupAlerts } from '../../../src/core/explorer/alerts';
import type { Alert, Rule, RuleGroup } from '../../../src/core/backends/prometheus/types';

const alert = (state: string, labels: Record<string, string>, activeAt?: string, annotations: Record<string, string> = {}): Alert => ({ state, labels, annotations, activeAt, value: 1 });
const rule = (name: string, over: Partial<Rule> = {}): Rule => ({
  type: 'alerting',
  name,
  query: `${name}_expr > 0`,
  health: 'ok',
  labels: {},
  annotations: {},
  state: 'inactive',
  alerts: [],
  ...over,
});
const group = (name: string, rules: Rule[]): RuleGroup => ({ name, file: `/etc/prometheus/${name}.yml`, intervalSeconds: 15, rules });

describe('alert grouping', () => {
  const groups = [
    group('dynamo', [
      rule('DynamoFrontendDown', {
        state: 'firing',
        labels: { severity: 'critical' },
        annotations: { summary: 'Frontend {{ $labels.instance }} is down' },
        alerts: [
          alert('firing', { alertname: 'DynamoFrontendDown', severity: 'critical', instance: 'fe-1:8000' }, '2026-08-01T10:05:00Z', { summary: 'Frontend fe-1:8000 is down' }),
          alert('firing', { alertname: 'DynamoFrontendDown', severity: 'critical', instance: 'fe-0:8000' }, '2026-08-01T10:00:00Z', { summary: 'Frontend fe-0:8000 is down' }),
          // A rule can hold a pending instance next to firing ones.
          alert('pending', { alertname: 'DynamoFrontendDown', severity: 'critical', instance: 'fe-2:8000' }, '2026-08-01T10:09:00Z'),
        ],
      }),
      rule('DynamoHighTTFT', {
        state: 'firing',
        labels: { severity: 'warning' },
        annotations: { description: 'TTFT p95 above 2 s' },
        alerts: [alert('firing', { alertname: 'DynamoHighTTFT', severity: 'warning', model: 'Qwen' }, '2026-08-01T09:00:00Z')],
      }),
      rule('DynamoQueueGrowing', { labels: { severity: 'info' }, annotations: { summary: 'queue grows' } }),
      { type: 'recording', name: 'job:dynamo_frontend_requests:rate1m', query: 'sum(rate(x[1m]))', health: 'ok', labels: {}, annotations: {}, alerts: [] },
    ]),
    group('gpu', [rule('GpuHot', { labels: { severity: 'warning' }, health: 'err', lastError: 'bad_data: unknown function' })]),
    group('quiet-only-recording', [{ type: 'recording', name: 'r', query: 'x', health: 'ok', labels: {}, annotations: {}, alerts: [] }]),
  ];
  const o = groupAlerts(groups);

  it('splits instances by their own state, most severe first, then the longest-standing', () => {
    assert.deepEqual(
      o.firing.map((a) => `${a.rule}@${a.labels.instance ?? a.labels.model}`),
      ['DynamoFrontendDown@fe-0:8000', 'DynamoFrontendDown@fe-1:8000', 'DynamoHighTTFT@Qwen'],
    );
    assert.deepEqual(
      o.pending.map((a) => a.labels.instance),
      ['fe-2:8000'],
    );
  });

  it('keeps severity, summary (the instance annotation, else the rule\'s, else description), since-when and the expression', () => {
    const [first] = o.firing;
    assert.equal(first!.severity, 'critical');
    assert.equal(first!.summary, 'Frontend fe-0:8000 is down');
    assert.equal(first!.activeAtMs, Date.parse('2026-08-01T10:00:00Z'));
    assert.equal(first!.query, 'DynamoFrontendDown_expr > 0');
    assert.equal(first!.group, 'dynamo');
    assert.equal(o.pending[0]!.summary, 'Frontend {{ $labels.instance }} is down');
    assert.equal(o.firing[2]!.summary, 'TTFT p95 above 2 s');
  });

  it('lists inactive rules under their group and leaves recording rules out', () => {
    assert.deepEqual(
      o.inactive.map((g) => [g.name, g.rules.map((r) => r.name)]),
      [
        ['dynamo', ['DynamoQueueGrowing']],
        ['gpu', ['GpuHot']],
      ],
    );
    assert.equal(o.inactive[1]!.rules[0]!.lastError, 'bad_data: unknown function');
    assert.equal(o.failingRules, 1);
  });

  it('tells instances apart by their other labels', () => {
    assert.deepEqual(distinguishingLabels(o.firing[0]!), [['instance', 'fe-0:8000']]);
  });

  it('nothing configured: nothing to show', () => {
    assert.deepEqual(groupAlerts([]), { firing: [], pending: [], inactive: [], failingRules: 0 });
  });

  it('an alert without severity sorts after known severities; unknown words after known ones', () => {
    const r = groupAlerts([
      group('g', [
        rule('A', { alerts: [alert('firing', { alertname: 'A' }, '2026-01-01T00:00:00Z')] }),
        rule('B', { alerts: [alert('firing', { alertname: 'B', severity: 'sev2' }, '2026-01-01T00:00:00Z')] }),
        rule('C', { alerts: [alert('firing', { alertname: 'C', severity: 'info' }, '2026-01-01T00:00:00Z')] }),
      ]),
    ]);
    assert.deepEqual(
      r.firing.map((a) => a.rule),
      ['C', 'B', 'A'],
    );
  });
});
