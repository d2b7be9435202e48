import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { OPTIONS_FILE, renderStack } from '../../../src/core/stack/render';
import { resolveOptions, StackOptionsError, type StackOptionsInput } from '../../../src/core/stack/options';
import { validateFiles } from '../../../src/core/stack/validate';
import { STACK_MATRIX } from '../../support/stackMatrix';

const paths = (input: StackOptionsInput): string[] => renderStack(input).map((f) => f.path);

describe('renderStack', () => {
  for (const c of STACK_MATRIX) {
    it(`${c.name}: same inputs give the same bytes, sorted, and pass the pure checks`, () => {
      const a = renderStack(c.input);
      const b = renderStack(structuredClone(c.input));
      assert.deepEqual(a, b);
      const ps = a.map((f) => f.path);
      assert.deepEqual(ps, [...ps].sort());
      assert.equal(new Set(ps).size, ps.length);
      assert.deepEqual(validateFiles(a), []);
    });
  }

  it('re-renders from the options file it writes', () => {
    const first = renderStack({ profile: 'compose', components: { collector: 'alloy', dcgm: true }, ports: { grafana: 3300 } });
    const saved = JSON.parse(first.find((f) => f.path === OPTIONS_FILE)!.content) as StackOptionsInput;
    assert.deepEqual(renderStack(saved), first);
  });

  it('writes only the artefacts of the chosen components', () => {
    const all = paths({ profile: 'compose' });
    for (const p of ['docker-compose.yml', 'prometheus/prometheus.yml', 'alertmanager/alertmanager.yml', 'tempo/tempo.yaml', 'loki/loki.yaml', 'otel-collector/config.yaml', 'nats/nats-server.conf', 'README.md']) {
      assert.ok(all.includes(p), p);
    }
    assert.ok(!all.includes('alloy/config.alloy'));
    const alloy = paths({ profile: 'compose', components: { collector: 'alloy' } });
    assert.ok(alloy.includes('alloy/config.alloy') && !alloy.includes('otel-collector/config.yaml'));
    const bare = paths({ profile: 'compose', components: { alertmanager: false, grafana: false, tempo: false, loki: false, collector: 'none', nats: false, etcd: false } });
    assert.ok(!bare.some((p) => p.startsWith('grafana/') || p.startsWith('tempo/') || p.startsWith('loki/') || p.startsWith('alertmanager/')));
    assert.ok(bare.includes('prometheus/prometheus.yml'));
  });

  it('writes no compose file for Kubernetes and no Helm values for compose', () => {
    assert.ok(!paths({ profile: 'k8s' }).includes('docker-compose.yml'));
    assert.ok(!paths({ profile: 'compose' }).some((p) => p.startsWith('helm/') || p.startsWith('manifests/')));
  });

  it('leaves a datasource out when its backend is not chosen, and every reference with it', () => {
    const files = renderStack({ profile: 'compose', components: { tempo: false } });
    const ds = parse(files.find((f) => f.path === 'grafana/provisioning/datasources/datasources.yaml')!.content) as { datasources: { uid: string }[] };
    assert.deepEqual(ds.datasources.map((d) => d.uid), ['prometheus', 'loki']);
    const text = files.map((f) => f.content).join('\n');
    assert.ok(!/datasourceUid: tempo|"uid": "tempo"/.test(text));
  });
});

describe('resolveOptions', () => {
  const problems = (input: StackOptionsInput): readonly string[] => {
    try {
      resolveOptions(input);
      return [];
    } catch (err) {
      assert.ok(err instanceof StackOptionsError);
      return err.problems;
    }
  };

  it('accepts the defaults of both profiles', () => {
    assert.deepEqual(problems({ profile: 'compose' }), []);
    assert.deepEqual(problems({ profile: 'k8s' }), []);
    assert.equal(resolveOptions({ profile: 'k8s' }).components.collector, 'alloy');
  });

  const bad: [string, StackOptionsInput, RegExp][] = [
    ['clashing host ports', { profile: 'compose', ports: { loki: 3000 } }, /host port 3000 is used by both grafana and loki/],
    ['a host port on a Dynamo port', { profile: 'compose', ports: { grafana: 8000 } }, /8000 .*Dynamo frontend/],
    ['port out of range', { profile: 'compose', ports: { tempo: 70000 } }, /port tempo must be an integer/],
    ['alertmanager without prometheus', { profile: 'compose', components: { prometheus: false } }, /alertmanager needs prometheus/],
    ['collector with nothing to send to', { profile: 'compose', components: { tempo: false, loki: false } }, /collector needs tempo or loki/],
    ['loki without collector in compose', { profile: 'compose', components: { collector: 'none' } }, /loki needs a collector/],
    ['otelcol on Kubernetes', { profile: 'k8s', components: { collector: 'otelcol' } }, /choose alloy or none/],
    ['Tempo retention in days', { profile: 'compose', retention: { tempo: '3d' } }, /Tempo retention/],
    ['Loki retention not whole days', { profile: 'compose', retention: { loki: '36h' } }, /whole number of days/],
    ['bad Prometheus retention', { profile: 'compose', retention: { prometheus: 'forever' } }, /Prometheus retention/],
    ['critical below warning', { profile: 'compose', thresholds: { ttftP95Seconds: { warning: 5, critical: 2 } } }, /critical level must be worse/],
    ['bad namespace', { profile: 'k8s', k8s: { namespace: 'Monitoring_NS' } }, /not a valid namespace/],
    ['webhook not http', { profile: 'compose', alertWebhookUrl: 'ftp://x' }, /not an http/],
    ['no system port', { profile: 'compose', dynamo: { systemPorts: [] } }, /at least one Dynamo system port/],
  ];
  for (const [name, input, re] of bad) {
    it(`rejects ${name}`, () => {
      const p = problems(input);
      assert.ok(p.some((x) => re.test(x)), p.join('\n'));
    });
  }

  it('lists every problem at once', () => {
    assert.ok(problems({ profile: 'compose', ports: { loki: 3000 }, retention: { tempo: '3d' } }).length >= 2);
  });
});
