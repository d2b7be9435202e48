/**
 * The rendered stacks against Prometheus's and Alertmanager's own tools: `promtool check config`,
 * `check rules`, `test rules` (the rendered unit tests), `amtool check-config` and routing, and
 * every dashboard query through promtool's PromQL parser, for a matrix of component choices in
 * both profiles. Then each check is shown to catch a broken file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { renderStack } from '../../../src/core/stack/render';
import { readStackDir } from '../../../src/core/stack/folder';
import { findOnPath, validateWithTools } from '../../../src/core/stack/validateTools';
import { validateFiles } from '../../../src/core/stack/validate';
import { STACK_MATRIX } from '../../support/stackMatrix';
import { requireBinary, writeStack } from './harness';

let root: string;
before(async () => {
  requireBinary('promtool', 'prometheus');
  requireBinary('amtool', 'prometheus-alertmanager');
  root = await mkdtemp(join(tmpdir(), 'spanlens-stack-tools-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

let n = 0;
async function rendered(input: Parameters<typeof renderStack>[0]): Promise<string> {
  const dir = join(root, String(n++));
  await writeStack(dir, renderStack(input));
  return dir;
}

async function check(dir: string, opts: Parameters<typeof validateWithTools>[2] = {}) {
  const files = await readStackDir(dir);
  return [...validateFiles(files), ...(await validateWithTools(dir, files, opts))];
}

async function mutate(dir: string, path: string, fn: (s: string) => string): Promise<void> {
  const abs = join(dir, path);
  const before = await readFile(abs, 'utf8');
  const after = fn(before);
  assert.notEqual(after, before, `mutation of ${path} changed nothing`);
  await writeFile(abs, after);
}

describe('rendered stacks pass promtool and amtool', () => {
  for (const c of STACK_MATRIX) {
    it(c.name, async () => {
      const dir = await rendered(c.input);
      const steps: string[] = [];
      const problems = await check(dir, { onProgress: (s) => steps.push(s) });
      assert.deepEqual(problems, []);
      const files = renderStack(c.input).map((f) => f.path);
      if (files.includes('prometheus/prometheus.yml')) assert.ok(steps.includes('promtool check config'));
      if (files.some((p) => p.startsWith('prometheus/tests/'))) assert.ok(steps.some((s) => s.startsWith('promtool test rules')));
      if (files.includes('alertmanager/alertmanager.yml') || files.includes('helm/kube-prometheus-stack.values.yaml')) {
        assert.ok(steps.some((s) => s.startsWith('amtool check-config')) || !c.input.components || c.input.components.alertmanager === false);
      }
    });
  }
});

describe('each tool check catches a broken file', () => {
  it('a rule that does not parse, with its line', async () => {
    const dir = await rendered({ profile: 'compose' });
    await mutate(dir, 'prometheus/rules/dynamo-alerts.yml', (s) => s.replace('> 0.1\n', '> 0.1 +\n'));
    const ps = (await check(dir)).filter((p) => p.source === 'promtool' && p.file === 'prometheus/rules/dynamo-alerts.yml');
    assert.ok(ps.length >= 1, JSON.stringify(ps));
    assert.ok(ps.some((p) => typeof p.line === 'number' && p.line > 1), JSON.stringify(ps));
  });

  it('a broken rule file is reported once, at the rule file, not at prometheus.yml with its lines', async () => {
    const dir = await rendered({ profile: 'compose' });
    await mutate(dir, 'prometheus/rules/dynamo-alerts.yml', (s) => `${s}\n  - alert: Broken\n    expr: sum(rate(\n`);
    const all = await check(dir);
    assert.ok(all.some((p) => p.file === 'prometheus/rules/dynamo-alerts.yml'), JSON.stringify(all));
    assert.deepEqual(all.filter((p) => p.file === 'prometheus/prometheus.yml'), []);
  });

  it('a rule whose behaviour no longer matches its unit test', async () => {
    const dir = await rendered({ profile: 'compose' });
    await mutate(dir, 'prometheus/rules/dynamo-alerts.yml', (s) => s.replace(/dynamo_frontend_queued_requests\) >= 50/, 'dynamo_frontend_queued_requests) >= 500'));
    const ps = (await check(dir)).filter((p) => p.file === 'prometheus/tests/dynamo-alerts.test.yml');
    assert.equal(ps.length, 1, JSON.stringify(ps));
    assert.match(ps[0]!.message, /^rule test "DynamoQueueBacklog fires at every level" failed: alert DynamoQueueBacklog at \S+: expected 2 alerts, got 1\n/);
    // At the failing check itself: the eval_time of that alert_rule_test.
    const lines = (await readFile(join(dir, 'prometheus/tests/dynamo-alerts.test.yml'), 'utf8')).split('\n');
    assert.match(lines[ps[0]!.line! - 1]!, /eval_time:/);
    assert.match(lines[ps[0]!.line!]!, /alertname: DynamoQueueBacklog/);
  });

  it('each failing rule test is one problem at its own line', async () => {
    const dir = await rendered({ profile: 'compose' });
    // Make the first two "fires" checks of two groups expect their alerts too early.
    await mutate(dir, 'prometheus/tests/dynamo-alerts.test.yml', (s) => s.replace('- eval_time: 105m', '- eval_time: 96m').replace('- eval_time: 7m', '- eval_time: 3m'));
    const ps = (await check(dir)).filter((p) => p.file === 'prometheus/tests/dynamo-alerts.test.yml');
    assert.deepEqual(ps.map((p) => p.message.split('\n')[0]), [
      'rule test "DynamoRequestRateDrop fires at every level" failed: alert DynamoRequestRateDrop at 1h36m: expected 2 alerts, got 0',
      'rule test "DynamoErrorRatioHigh fires at every level" failed: alert DynamoErrorRatioHigh at 3m: expected 2 alerts, got 1',
    ]);
    const lines = (await readFile(join(dir, 'prometheus/tests/dynamo-alerts.test.yml'), 'utf8')).split('\n');
    assert.deepEqual(ps.map((p) => lines[p.line! - 1]!.trim()), ['- eval_time: 96m', '- eval_time: 3m']);
  });

  it('a rule file that does not load makes its tests one problem, not the load error once per test group', async () => {
    const dir = await rendered({ profile: 'compose' });
    await mutate(dir, 'prometheus/rules/dynamo-alerts.yml', (s) => s.replace('> 0.1\n', '> 0.1 +\n'));
    const tests = (await check(dir)).filter((p) => p.file === 'prometheus/tests/dynamo-alerts.test.yml');
    assert.equal(tests.length, 1, JSON.stringify(tests));
    assert.match(tests[0]!.message, /^the rule tests did not run: prometheus\/rules\/dynamo-alerts\.yml does not load \(line \d+: .*could not parse expression/);
    assert.equal(tests[0]!.message.split('could not parse').length, 2, 'the parse error appears once');
  });

  it('a prometheus.yml field Prometheus does not know', async () => {
    const dir = await rendered({ profile: 'compose' });
    await mutate(dir, 'prometheus/prometheus.yml', (s) => s.replace('global:\n', 'global:\n  scrape_intervall: 5s\n'));
    const ps = (await check(dir)).filter((p) => p.file === 'prometheus/prometheus.yml');
    assert.ok(ps.some((p) => /scrape_intervall/.test(p.message) && p.line), JSON.stringify(ps));
  });

  it('a dashboard query that is not PromQL, at its file and line', async () => {
    const dir = await rendered({ profile: 'compose' });
    await mutate(dir, 'grafana/dashboards/kvbm.json', (s) => s.replace('"expr": "kvbm_host_cache_hit_rate"', '"expr": "kvbm_host_cache_hit_rate{"'));
    const ps = (await check(dir)).filter((p) => p.file === 'grafana/dashboards/kvbm.json');
    assert.equal(ps.length, 1, JSON.stringify(ps));
    assert.match(ps[0]!.message, /Cache hit rate.*parse error/);
    const lines = (await readFile(join(dir, 'grafana/dashboards/kvbm.json'), 'utf8')).split('\n');
    assert.match(lines[ps[0]!.line! - 1]!, /kvbm_host_cache_hit_rate\{/);
  });

  it('an Alertmanager field it does not know: one problem per field, each at its line', async () => {
    const dir = await rendered({ profile: 'compose' });
    await mutate(dir, 'alertmanager/alertmanager.yml', (s) => s.replace('  group_wait: 30s\n', '  group_wait: 30s\n  bogus_field: 1\n  other_bogus: 2\n'));
    const ps = (await check(dir)).filter((p) => p.source === 'amtool');
    const lines = (await readFile(join(dir, 'alertmanager/alertmanager.yml'), 'utf8')).split('\n');
    assert.deepEqual(
      ps.map((p) => [p.message, lines[p.line! - 1]]),
      [
        ['yaml: unmarshal errors: field bogus_field not found in type config.plain', '  bogus_field: 1'],
        ['yaml: unmarshal errors: field other_bogus not found in type config.plain', '  other_bogus: 2'],
      ],
    );
  });

  it('an Alertmanager file that is not YAML, at the line amtool names', async () => {
    const dir = await rendered({ profile: 'compose' });
    await mutate(dir, 'alertmanager/alertmanager.yml', (s) => s.replace('  group_wait: 30s\n', '  group_wait: [30s\n'));
    const ps = (await check(dir)).filter((p) => p.source === 'amtool');
    assert.equal(ps.length, 1, JSON.stringify(ps));
    assert.match(ps[0]!.message, /^yaml: line \d+: did not find expected/);
    assert.equal(typeof ps[0]!.line, 'number');
  });

  it('an Alertmanager route to a receiver that does not exist', async () => {
    const dir = await rendered({ profile: 'compose' });
    await mutate(dir, 'alertmanager/alertmanager.yml', (s) => s.replace('receiver: dynamo-critical', 'receiver: pager'));
    const ps = (await check(dir)).filter((p) => p.source === 'amtool');
    assert.ok(ps.some((p) => /pager/.test(p.message)), JSON.stringify(ps));
  });

  it('severity routing that no longer reaches its receiver', async () => {
    const dir = await rendered({ profile: 'compose' });
    await mutate(dir, 'alertmanager/alertmanager.yml', (s) => s.replace('- severity="critical"', '- severity="page"'));
    const ps = (await check(dir)).filter((p) => p.source === 'amtool');
    assert.ok(ps.some((p) => /severity=critical routes to 'dynamo-default'/.test(p.message)), JSON.stringify(ps));
  });

  it('the Kubernetes PrometheusRule and Alertmanager config inside Helm values', async () => {
    const dir = await rendered({ profile: 'k8s' });
    await mutate(dir, 'manifests/prometheusrule.yaml', (s) => s.replace('== 0', '== '));
    await mutate(dir, 'helm/kube-prometheus-stack.values.yaml', (s) => s.replace('receiver: dynamo-warning', 'receiver: nobody'));
    const ps = await check(dir);
    const rule = ps.find((p) => p.file === 'manifests/prometheusrule.yaml' && p.source === 'promtool');
    assert.ok(rule?.line, JSON.stringify(ps));
    const lines = (await readFile(join(dir, 'manifests/prometheusrule.yaml'), 'utf8')).split('\n');
    assert.match(lines[rule.line - 1]!, /expr: up\{.*== $/);
    assert.ok(ps.some((p) => p.file === 'helm/kube-prometheus-stack.values.yaml' && /nobody/.test(p.message)), JSON.stringify(ps));
  });

  it('says so when a tool is missing instead of passing quietly', async () => {
    const dir = await rendered({ profile: 'compose' });
    const ps = await validateWithTools(dir, await readStackDir(dir), { promtool: '/nonexistent/promtool' });
    assert.equal(ps.filter((p) => p.source === 'promtool').length, 1);
    assert.match(ps[0]!.message, /was not found; install it/);
  });

  it('stops when cancelled', async () => {
    const dir = await rendered({ profile: 'compose' });
    const controller = new AbortController();
    const files = await readStackDir(dir);
    const run = validateWithTools(dir, files, { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(run, (err: Error) => err.name === 'AbortError');
  });
});

describe('the checked folder cannot supply its own tools', () => {
  /** An executable `name` in `dir` that leaves `marker` behind when run. */
  async function fake(dir: string, name: string, marker: string): Promise<void> {
    await writeFile(join(dir, name), `#!/bin/sh\necho ran >> '${marker}'\nexit 0\n`);
    await chmod(join(dir, name), 0o755);
  }

  it('runs the promtool and amtool from PATH, not the ones committed in the folder', async () => {
    const dir = await rendered({ profile: 'compose' });
    const marker = join(root, `ran-${n}`);
    await fake(dir, 'promtool', marker);
    await fake(dir, 'amtool', marker);
    const old = process.env['PATH'];
    // `.` and an empty entry mean the current directory to a bare-name lookup; the folder itself
    // is on PATH too, as if a user had put it there.
    process.env['PATH'] = ['.', '', dir, old].join(delimiter);
    let problems;
    try {
      problems = await check(dir);
    } finally {
      process.env['PATH'] = old;
    }
    assert.ok(!existsSync(marker), 'a binary from the checked folder ran');
    // The real tools did run and passed the rendered stack.
    assert.deepEqual(problems, []);
  });

  it('findOnPath takes absolute entries only and returns an absolute path', async () => {
    const bin = join(root, 'bin');
    await mkdir(bin, { recursive: true });
    await fake(bin, 'spanlens-fake-tool', join(root, 'never'));
    await writeFile(join(bin, 'not-executable'), 'x');
    assert.equal(await findOnPath('spanlens-fake-tool', ['', '.', 'bin', bin].join(delimiter)), join(bin, 'spanlens-fake-tool'));
    assert.equal(await findOnPath('not-executable', bin), undefined);
    assert.equal(await findOnPath('spanlens-fake-tool', bin, root), undefined, 'an entry inside the excluded folder counts');
    const cwd = process.cwd();
    process.chdir(bin);
    try {
      assert.equal(await findOnPath('spanlens-fake-tool', ['', '.'].join(delimiter)), undefined);
    } finally {
      process.chdir(cwd);
    }
  });
});
