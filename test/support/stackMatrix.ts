/**
 * Component choices the stack tests render, for both profiles: defaults, minimal sets, each
 * collector, the GPU opt-in, and one with the test-only `for` override.
 */
import type { StackOptionsInput } from '../../src/core/stack/options';

export interface MatrixCase {
  readonly name: string;
  readonly input: StackOptionsInput;
}

export const STACK_MATRIX: readonly MatrixCase[] = [
  { name: 'compose default', input: { profile: 'compose' } },
  { name: 'compose everything + gpu', input: { profile: 'compose', components: { dcgm: true } } },
  { name: 'compose alloy', input: { profile: 'compose', components: { collector: 'alloy' } } },
  {
    name: 'compose prometheus only',
    input: {
      profile: 'compose',
      components: { alertmanager: false, grafana: false, tempo: false, loki: false, collector: 'none', nats: false, etcd: false },
    },
  },
  {
    name: 'compose traces only, no collector',
    input: { profile: 'compose', components: { prometheus: false, alertmanager: false, loki: false, collector: 'none', nats: false, etcd: false } },
  },
  {
    name: 'compose logs + grafana, no prometheus',
    input: { profile: 'compose', components: { prometheus: false, alertmanager: false, tempo: false, collector: 'alloy' } },
  },
  {
    name: 'compose custom ports, retention, thresholds',
    input: {
      profile: 'compose',
      ports: { grafana: 13000, prometheus: 19091, otlpGrpc: 14317 },
      retention: { prometheus: '30d', tempo: '24h', loki: '14d' },
      dynamo: { systemPorts: [8081, 8082, 8083] },
      thresholds: { ttftP95Seconds: { warning: 1, critical: 3 }, errorPercent: { warning: 1, critical: 2 }, queuedRequests: { warning: 3, critical: 7 } },
    },
  },
  { name: 'compose alert for override', input: { profile: 'compose', components: { dcgm: true }, timing: { alertForOverride: '0s' } } },
  { name: 'k8s default', input: { profile: 'k8s' } },
  { name: 'k8s gpu', input: { profile: 'k8s', components: { dcgm: true }, k8s: { namespace: 'observability', dynamoNamespace: 'llm' } } },
  { name: 'k8s no collector', input: { profile: 'k8s', components: { collector: 'none' } } },
  { name: 'k8s prometheus only', input: { profile: 'k8s', components: { grafana: false, tempo: false, loki: false, collector: 'none' } } },
  { name: 'k8s grafana + loki, no prometheus', input: { profile: 'k8s', components: { prometheus: false, alertmanager: false, tempo: false } } },
];
