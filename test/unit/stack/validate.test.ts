import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderStack, type StackFile } from '../../../src/core/stack/render';
import { hostPorts, validateFiles, type StackProblem } from '../../../src/core/stack/validate';
import { validateCompose } from '../../../src/core/stack/composeSchema';
import { parse } from 'yaml';
import Ajv2019 from 'ajv/dist/2019';

function edit(files: readonly StackFile[], path: string, fn: (s: string) => string): StackFile[] {
  let hit = false;
  const out = files.map((f) => {
    if (f.path !== path) return f;
    hit = true;
    const content = fn(f.content);
    assert.notEqual(content, f.content, `edit of ${path} changed nothing`);
    return { ...f, content };
  });
  assert.ok(hit, `no file ${path}`);
  return out;
}

const compose = renderStack({ profile: 'compose', components: { dcgm: true } });
const k8s = renderStack({ profile: 'k8s' });
const only = (ps: StackProblem[], source: string): StackProblem[] => ps.filter((p) => p.source === source);

describe('validateFiles', () => {
  it('reports YAML syntax errors with their line', () => {
    const ps = validateFiles(edit(compose, 'tempo/tempo.yaml', (s) => s.replace('server:\n', 'server:\n  - [unclosed\n')));
    const y = only(ps, 'yaml');
    assert.ok(y.length > 0);
    assert.equal(y[0]!.file, 'tempo/tempo.yaml');
    assert.ok(typeof y[0]!.line === 'number' && y[0]!.line > 1);
  });

  it('reports JSON that does not parse', () => {
    const ps = validateFiles(edit(compose, 'grafana/dashboards/kvbm.json', (s) => s.replace('{', '{,')));
    assert.equal(only(ps, 'json')[0]?.file, 'grafana/dashboards/kvbm.json');
  });

  it('checks docker-compose.yml against the Compose schema, with the line of the fault', () => {
    const ps = validateFiles(edit(compose, 'docker-compose.yml', (s) => s.replace('    restart: unless-stopped\n', '    restart: unless-stopped\n    colour: blue\n')));
    const s = only(ps, 'compose-schema');
    assert.equal(s.length, 1);
    assert.match(s[0]!.message, /additional properties 'colour'/);
    const lines = compose.find((f) => f.path === 'docker-compose.yml')!.content.split('\n');
    assert.equal(lines[s[0]!.line! - 1]?.trim(), 'prometheus:');
  });

  it('rejects a bad duration and a bad port through the schema formats', () => {
    const doc = parse(compose.find((f) => f.path === 'docker-compose.yml')!.content) as { services: Record<string, Record<string, unknown>> };
    (doc.services['tempo']!['healthcheck'] as Record<string, unknown>)['interval'] = 'ten seconds';
    doc.services['tempo']!['ports'] = ['127.0.0.1:abc:3200'];
    const errors = validateCompose(doc).map((e) => `${e.path.join('.')} ${e.message}`);
    assert.ok(errors.some((e) => /healthcheck\.interval .*duration/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /ports\.0 .*ports/.test(e)), errors.join('\n'));
  });

  it('finds what docker compose up would not resolve: an undeclared volume, a missing dependency, an empty bind mount', () => {
    let files = edit(compose, 'docker-compose.yml', (s) => s.replace(/^  tempo-data: \{\}\n/m, ''));
    files = edit(files, 'docker-compose.yml', (s) => s.replace('      - tempo\n', '      - tempoo\n'));
    files = files.filter((f) => !f.path.startsWith('blackbox/'));
    const r = only(validateFiles(files), 'compose-refs');
    assert.deepEqual(r.map((p) => [p.severity, p.message]), [
      ['warning', "bind mount './blackbox' has no config file in the folder; Docker would mount an empty directory"],
      ['error', "named volume 'tempo-data' is not declared under the top-level volumes"],
      ['error', "depends_on names 'tempoo', which is not a service of this file"],
    ]);
    const lines = files.find((f) => f.path === 'docker-compose.yml')!.content.split('\n');
    assert.match(lines[r[1]!.line! - 1]!, /- tempo-data:\/var\/tempo/);
    assert.deepEqual(only(validateFiles(compose), 'compose-refs'), []);
  });

  it('finds a host port published twice', () => {
    const ps = validateFiles(edit(compose, 'docker-compose.yml', (s) => s.replace('published: 3100', 'published: 3000')));
    const p = only(ps, 'ports');
    assert.equal(p.length, 1);
    assert.match(p[0]!.message, /3000\/tcp is published by both/);
    assert.ok(p[0]!.line);
  });

  it('reads short and long port syntax', () => {
    assert.deepEqual(hostPorts('127.0.0.1:3000:3000'), ['3000/tcp']);
    assert.deepEqual(hostPorts('4317:4317/udp'), ['4317/udp']);
    assert.deepEqual(hostPorts('9000-9001:9000-9001'), ['9000/tcp', '9001/tcp']);
    assert.deepEqual(hostPorts('3000'), []);
    assert.deepEqual(hostPorts({ target: 1, published: 8080 }), ['8080/tcp']);
  });

  it('finds a dashboard datasource uid that is not provisioned (the reference stack defect)', () => {
    const ps = validateFiles(edit(compose, 'grafana/dashboards/dynamo-overview.json', (s) => s.replace(/"uid": "prometheus"/g, '"uid": "P1809F7CD0C75ACF3"')));
    const u = only(ps, 'datasource-uid');
    assert.equal(u.length, 1);
    assert.match(u[0]!.message, /'P1809F7CD0C75ACF3' is not provisioned/);
    assert.ok(u[0]!.line);
  });

  it('finds a correlation to a datasource that is not provisioned', () => {
    const ps = validateFiles(edit(compose, 'grafana/provisioning/datasources/datasources.yaml', (s) => s.replace(/datasourceUid: loki/g, 'datasourceUid: logs')));
    assert.ok(only(ps, 'datasource-uid').some((p) => /'logs' is not provisioned/.test(p.message)));
  });

  it('warns about datasource variables it cannot check', () => {
    const ps = validateFiles(edit(compose, 'grafana/dashboards/kvbm.json', (s) => s.replace(/"uid": "prometheus"/g, '"uid": "${datasource}"')));
    assert.deepEqual(only(ps, 'datasource-uid').map((p) => p.severity), ['warning']);
  });

  it('checks Kubernetes datasources and dashboards inside their ConfigMaps', () => {
    assert.deepEqual(validateFiles(k8s), []);
    const broken = edit(k8s, 'manifests/grafana-dashboards.yaml', (s) => s.replace(/"uid": "loki"/g, '"uid": "loki-old"'));
    const u = only(validateFiles(broken), 'datasource-uid');
    assert.equal(u.length, 1, JSON.stringify(u));
    assert.equal(u[0]!.file, 'manifests/grafana-dashboards.yaml');
    assert.match(u[0]!.message, /^manifests\/grafana-dashboards\.yaml \(dynamo-logs\.json\): datasource uid 'loki-old'/);
    const lines = broken.find((f) => f.path === 'manifests/grafana-dashboards.yaml')!.content.split('\n');
    assert.match(lines[u[0]!.line! - 1]!, /"uid": "loki-old"/);
  });

  it('catches a Grafana macro that environment expansion would eat', () => {
    const ps = validateFiles(edit(compose, 'grafana/provisioning/datasources/datasources.yaml', (s) => s.replace('$${__trace.traceId}', '${__trace.traceId}')));
    const e = only(ps, 'grafana-escape');
    assert.equal(e.length, 1);
    assert.ok(e[0]!.line);
  });

  it('parses the Tempo config carried inside the Helm values, with the line in the values file', () => {
    const broken = edit(k8s, 'helm/tempo.values.yaml', (s) => s.replace('    log_level: info\n', '    log_level: [info\n'));
    const y = only(validateFiles(broken), 'yaml');
    assert.ok(y.length >= 1, JSON.stringify(y));
    assert.equal(y[0]!.file, 'helm/tempo.values.yaml');
    assert.match(y[0]!.message, /^config: /);
    const lines = broken.find((f) => f.path === 'helm/tempo.values.yaml')!.content.split('\n');
    assert.ok(y[0]!.line && y[0]!.line > lines.findIndex((l) => l.startsWith('config:')) + 1, JSON.stringify(y));
  });

  it('notices when the PrometheusRule and the tested rule file drift apart', () => {
    const ps = validateFiles(edit(k8s, 'manifests/prometheusrule.yaml', (s) => s.replace('for: 10m', 'for: 11m')));
    assert.equal(only(ps, 'rules').length, 1);
  });
});

describe('the Compose schema', () => {
  it('is compiled once, not on every validateFiles call', () => {
    const proto = Ajv2019.prototype as { compile: (...args: unknown[]) => unknown };
    const compile = proto.compile;
    let compiles = 0;
    proto.compile = function (this: unknown, ...args: unknown[]) {
      compiles++;
      return compile.apply(this, args);
    };
    try {
      for (let i = 0; i < 3; i++) validateFiles(compose);
    } finally {
      proto.compile = compile;
    }
    assert.ok(compiles <= 1, `compiled ${compiles} times in three calls`);
  });
});
