/**
 * The rendered compose stack's Prometheus and Alertmanager, for real: Prometheus started with the
 * rendered prometheus.yml, rules and the very flags of the rendered compose command scrapes
 * Dynamo-shaped test servers, stores an exemplar, accepts remote writes, fires a rendered alert,
 * and the rendered Alertmanager routes it by severity to a webhook. A second, empty Prometheus
 * parses every dashboard, correlation and rule query of every matrix case.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderStack } from '../../../src/core/stack/render';
import { resolveOptions, type StackOptionsInput } from '../../../src/core/stack/options';
import { alertSpecs, renderAnnotation, ruleGroups } from '../../../src/core/stack/rules';
import { promQueries } from '../../../src/core/stack/promQueries';
import { STACK_MATRIX } from '../../support/stackMatrix';
import { EXEMPLAR_TRACE_ID, MODEL, QUEUED, startMetricsServer, type MetricsServer } from './dynamoMetrics';
import { freePort } from '../../fakes/server';
import { getJson, requireBinary, startProcess, waitFor, writeStack, type Proc } from './harness';

let root: string;
let servers: MetricsServer[] = [];
let hook: Server;
const received: { url: string; body: any }[] = [];
let prom: Proc | undefined;
let am: Proc | undefined;
let empty: Proc | undefined;
let promUrl = '';
let amUrl = '';
let emptyUrl = '';
let input: StackOptionsInput;

function mapContainerPaths(flags: readonly string[], dir: string, tsdb: string): string[] {
  return flags.map((f) => f.replace('=/etc/prometheus/', `=${join(dir, 'prometheus')}/`).replace(/^--storage\.tsdb\.path=\/prometheus$/, `--storage.tsdb.path=${tsdb}`));
}

before(async () => {
  requireBinary('prometheus', 'prometheus');
  requireBinary('prometheus-alertmanager', 'prometheus-alertmanager');
  root = await mkdtemp(join(tmpdir(), 'spanlens-stack-prom-'));
  servers = await Promise.all((['frontend', 'worker', 'kvbm', 'nixl'] as const).map(startMetricsServer));
  const [frontend, worker, kvbm, nixl] = servers as [MetricsServer, MetricsServer, MetricsServer, MetricsServer];
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body: JSON.parse(body || 'null') });
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookPort = (hook.address() as { port: number }).port;

  input = {
    profile: 'compose',
    components: { grafana: false, tempo: false, loki: false, collector: 'none', nats: false, etcd: false },
    dynamo: { host: '127.0.0.1', frontendPort: frontend.port, systemPorts: [worker.port], kvbmPort: kvbm.port, nixlPort: nixl.port },
    // Test-only timing: scrape and evaluate every second and fire without waiting out `for`.
    timing: { scrapeInterval: '1s', evaluationInterval: '1s', alertForOverride: '0s' },
    alertWebhookUrl: `http://127.0.0.1:${hookPort}/alerts`,
  };
  const files = renderStack(input);
  const dir = join(root, 'stack');
  await writeStack(dir, files);

  const [promPort, amPort, emptyPort] = [await freePort(), await freePort(), await freePort()];
  promUrl = `http://127.0.0.1:${promPort}`;
  amUrl = `http://127.0.0.1:${amPort}`;
  emptyUrl = `http://127.0.0.1:${emptyPort}`;
  // The one edit: the compose service name `alertmanager` does not resolve outside compose.
  const promYml = join(dir, 'prometheus/prometheus.yml');
  await writeFile(promYml, (await readFile(promYml, 'utf8')).replace('alertmanager:9093', `127.0.0.1:${amPort}`));

  am = startProcess('prometheus-alertmanager', [
    `--config.file=${join(dir, 'alertmanager/alertmanager.yml')}`,
    `--storage.path=${join(root, 'am-data')}`,
    `--web.listen-address=127.0.0.1:${amPort}`,
    '--cluster.listen-address=',
  ]);
  const compose = parse(files.find((f) => f.path === 'docker-compose.yml')!.content) as { services: { prometheus: { command: string[] } } };
  prom = startProcess('prometheus', [...mapContainerPaths(compose.services.prometheus.command, dir, join(root, 'tsdb')), `--web.listen-address=127.0.0.1:${promPort}`]);

  const emptyCfg = join(root, 'empty.yml');
  await writeFile(emptyCfg, 'global:\n  scrape_interval: 1m\n');
  empty = startProcess('prometheus', [`--config.file=${emptyCfg}`, `--storage.tsdb.path=${join(root, 'tsdb-empty')}`, `--web.listen-address=127.0.0.1:${emptyPort}`]);

  const ready = (url: string, p: Proc) =>
    waitFor(`${url} ready`, async () => {
      if (p.child.exitCode !== null) throw new Error(`exited ${p.child.exitCode}: ${p.output()}`);
      return (await fetch(`${url}/-/ready`)).ok ? true : undefined;
    });
  await Promise.all([ready(promUrl, prom), ready(amUrl, am), ready(emptyUrl, empty)]);
});

after(async () => {
  await Promise.all([prom?.stop(), am?.stop(), empty?.stop()]);
  await Promise.all(servers.map((s) => s.close()));
  await new Promise<void>((r) => (hook ? hook.close(() => r()) : r()));
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the rendered Prometheus, running', () => {
  it('runs with exemplar storage and the remote-write receiver on', async () => {
    const flags = (await getJson(`${promUrl}/api/v1/status/flags`)).body.data;
    assert.match(flags['enable-feature'], /exemplar-storage/);
    assert.equal(flags['web.enable-remote-write-receiver'], 'true');
    // With the receiver off this path is 404; on, a body that is not snappy protobuf is a 400.
    const res = await fetch(`${promUrl}/api/v1/write`, { method: 'POST', body: 'not snappy' });
    assert.equal(res.status, 400);
  });

  it("scrapes the Dynamo-shaped frontend, worker, KVBM and NIXL targets", async () => {
    const up = await waitFor('Dynamo targets up', async () => {
      const r = await getJson(`${promUrl}/api/v1/query?query=${encodeURIComponent('up{job=~"dynamo-(frontend|backend|kvbm|nixl)"} == 1')}`);
      const jobs = (r.body.data.result as { metric: { job: string } }[]).map((x) => x.metric.job).sort();
      return jobs.length === 4 ? jobs : undefined;
    });
    assert.deepEqual(up, ['dynamo-backend', 'dynamo-frontend', 'dynamo-kvbm', 'dynamo-nixl']);
    const series = await getJson(`${promUrl}/api/v1/query?query=${encodeURIComponent('dynamo_component_requests_total')}`);
    assert.equal(series.body.data.result[0].metric.dynamo_endpoint, 'generate');
  });

  it('fires a rendered alert rule with its severity, summary and description', async () => {
    const spec = alertSpecs(resolveOptions(input)).find((s) => s.alert === 'DynamoQueueBacklog')!;
    const alerts = await waitFor('DynamoQueueBacklog firing at both levels', async () => {
      const r = await getJson(`${promUrl}/api/v1/alerts`);
      const mine = (r.body.data.alerts as { labels: Record<string, string>; annotations: Record<string, string>; state: string }[]).filter(
        (a) => a.labels['alertname'] === 'DynamoQueueBacklog' && a.state === 'firing',
      );
      return mine.length === 2 ? mine : undefined;
    });
    for (const a of alerts) {
      const level = spec.levels.find((l) => l.severity === a.labels['severity'])!;
      assert.equal(a.labels['model'], MODEL);
      assert.equal(a.labels['component'], 'frontend');
      assert.equal(a.annotations['summary'], renderAnnotation(spec.summary, { model: MODEL }, QUEUED));
      assert.equal(a.annotations['description'], renderAnnotation(spec.description(level.threshold), { model: MODEL }, QUEUED));
    }
    assert.deepEqual(alerts.map((a) => a.labels['severity']).sort(), ['critical', 'warning']);
  });

  it('stores the exemplar the frontend serves', async () => {
    const trace = await waitFor('an exemplar', async () => {
      const now = Date.now() / 1000;
      const q = encodeURIComponent('dynamo_frontend_time_to_first_token_seconds_bucket');
      const r = await getJson(`${promUrl}/api/v1/query_exemplars?query=${q}&start=${now - 300}&end=${now + 60}`);
      return (r.body.data as { exemplars: { labels: { trace_id?: string } }[] }[])?.[0]?.exemplars?.[0]?.labels.trace_id;
    });
    assert.equal(trace, EXEMPLAR_TRACE_ID);
  });

  it('Alertmanager sends the critical alert to the critical webhook receiver and holds back the warning', async () => {
    const msg = await waitFor(
      'the critical webhook call',
      async () => received.find((m) => m.body?.receiver === 'dynamo-critical' && m.body.alerts.some((a: { labels: Record<string, string> }) => a.labels['alertname'] === 'DynamoQueueBacklog')),
      40_000,
    );
    assert.match(msg.url, /^\/alerts\?receiver=dynamo-critical$/);
    assert.ok(msg.body.alerts.every((a: { labels: Record<string, string> }) => a.labels['severity'] === 'critical'));
    const warning = await waitFor('the warning marked inhibited', async () => {
      const r = await getJson(`${amUrl}/api/v2/alerts?filter=${encodeURIComponent('alertname="DynamoQueueBacklog"')}&filter=${encodeURIComponent('severity="warning"')}`);
      const a = (r.body as { status: { state: string; inhibitedBy: string[] } }[])[0];
      return a?.status.state === 'suppressed' ? a : undefined;
    });
    assert.ok(warning.status.inhibitedBy.length > 0);
  });
});

describe('every query parses on an empty Prometheus', () => {
  it('dashboards, correlations and rules of every matrix case', async () => {
    const exprs = new Map<string, string>();
    for (const c of STACK_MATRIX) {
      for (const q of promQueries(renderStack(c.input))) exprs.set(q.expr, `${c.name}: ${q.file} ${q.where}`);
      for (const g of ruleGroups(resolveOptions(c.input))) for (const r of g.rules) exprs.set(r.expr, `${c.name}: rule ${r.alert}`);
    }
    assert.ok(exprs.size > 60);
    const failures: string[] = [];
    for (const [expr, where] of exprs) {
      const r = await getJson(`${emptyUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
      if (r.body?.status !== 'success') failures.push(`${where}: ${r.body?.error ?? r.status}: ${expr}`);
    }
    assert.deepEqual(failures, []);
    // The check can fail: a broken query is refused by the same API.
    const bad = await getJson(`${emptyUrl}/api/v1/query?query=${encodeURIComponent('sum(rate(up[1m])')}`);
    assert.equal(bad.body.errorType, 'bad_data');
  });
});
