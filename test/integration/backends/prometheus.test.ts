/**
 * The Prometheus client against a real Prometheus (test/fakes/prometheus.ts): backfilled Dynamo
 * series, live scrapes with trace_id exemplars, rules and alerts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient } from '../../../src/core/backends/http';
import { PrometheusClient } from '../../../src/core/backends/prometheus/client';
import { QueryRejectedError, UnreachableError } from '../../../src/core/backends/errors';
import { startPrometheus, type PrometheusHarness } from '../../fakes/prometheus';
import { leftoverHandles, watchedHandles } from '../../support/handles';

describe('Prometheus client against a real Prometheus', { timeout: 180_000 }, () => {
  let prom: PrometheusHarness;
  let client: PrometheusClient;
  let baseline: string[];
  const now = (): number => Date.now();

  before(async () => {
    baseline = watchedHandles();
    prom = await startPrometheus();
    client = new PrometheusClient(new HttpClient({ backend: 'Prometheus', baseUrl: prom.url }));
  });

  after(async () => {
    await client?.http.close();
    await prom?.close();
    assert.deepEqual(await leftoverHandles(baseline, 5000), []);
  });

  it('build info (inside the envelope), ready, health', async () => {
    const info = await client.buildInfo();
    assert.match(info.version, /^2\.\d+\.\d+/);
    assert.equal(info.version, prom.version);
    assert.deepEqual(await client.ready(), { ready: true, message: 'Prometheus Server is Ready.' });
    const h = await client.health();
    assert.equal(h.state, 'ok');
    assert.equal(h.version, prom.version);
  });

  it('range query over backfilled history keeps exact ms times; the step is raised under 11,000 points', async () => {
    const range = { startMs: now() - 6 * 3_600_000, endMs: now() };
    const r = await client.queryRange('sum by (status) (rate(dynamo_frontend_requests_total{job="dynamo-frontend"}[5m]))', range, { stepMs: 1 });
    assert.equal(r.resultType, 'matrix');
    assert.deepEqual(r.series.map((s) => s.labels.status).sort(), ['error', 'success']);
    const points = r.series[0]!.points;
    assert.ok(points.length > 100 && points.length <= 11_000, String(points.length));
    for (let i = 1; i < points.length; i++) assert.ok(points[i]!.timeMs > points[i - 1]!.timeMs);
    assert.ok(Number.isInteger(points[0]!.timeMs));
    const dflt = await client.queryRange('dynamo_frontend_inflight_requests', range);
    assert.ok(dflt.series.every((s) => s.points.length <= 301));
  });

  it('instant vector, scalar and string results', async () => {
    const v = await client.query('count by (__name__) ({__name__=~"dynamo_frontend_.*_total"})');
    assert.equal(v.resultType, 'vector');
    assert.ok(v.series.some((s) => s.labels.__name__ === 'dynamo_frontend_requests_total'));
    const s = await client.query('1 + 1');
    assert.equal(s.resultType, 'scalar');
    assert.equal(s.series[0]!.points[0]!.value, 2);
    assert.equal((await client.query('"hello"')).stringValue, 'hello');
    const nan = await client.query('0/0');
    assert.ok(Number.isNaN(nan.series[0]!.points[0]!.value));
  });

  it('a bad query comes back as the server\'s error text, unwrapped from the envelope', async () => {
    await assert.rejects(client.query('up{'), (e: unknown) => {
      assert.ok(e instanceof QueryRejectedError);
      assert.equal(e.status, 400);
      assert.match(e.message, /^Prometheus rejected the query: invalid parameter "query": 1:4: parse error: unexpected end of input inside braces$/);
      return true;
    });
    await assert.rejects(
      client.queryRange('up', { startMs: now(), endMs: now() - 1000 }),
      (e: unknown) => e instanceof QueryRejectedError && /end timestamp must not be before start time/.test(e.message),
    );
  });

  it('exemplars from the scraped histogram carry trace ids of the generated traces', async () => {
    const ex = await client.exemplars('dynamo_frontend_time_to_first_token_seconds_bucket', { startMs: now() - 600_000, endMs: now() + 60_000 });
    const all = ex.flatMap((s) => s.exemplars);
    assert.ok(all.length > 0);
    assert.ok(all.every((e) => e.traceId !== undefined && prom.exemplarTraceIds.includes(e.traceId)));
    assert.ok(all.every((e) => e.spanId?.length === 16));
    assert.ok(ex.every((s) => s.seriesLabels.__name__ === 'dynamo_frontend_time_to_first_token_seconds_bucket'));
  });

  it('labels, label values and series', async () => {
    const range = { startMs: now() - 6 * 3_600_000, endMs: now() };
    const labels = await client.labels({ range });
    for (const l of ['__name__', 'dynamo_component', 'model', 'le', 'job']) assert.ok(labels.includes(l), l);
    const names = await client.labelValues('__name__', { range });
    for (const n of ['dynamo_frontend_requests_total', 'dynamo_component_requests_total', 'DCGM_FI_DEV_GPU_UTIL']) assert.ok(names.includes(n), n);
    const series = await client.seriesMetadata(['DCGM_FI_DEV_GPU_UTIL'], { range });
    assert.deepEqual(series.map((s) => s.gpu).sort(), ['0', '1']);
  });

  it('targets (one up, one down with its error), rules and alerts', async () => {
    const t = await client.targets();
    const up = t.active.find((x) => x.scrapePool === 'dynamo-frontend');
    const down = t.active.find((x) => x.scrapePool === 'dynamo-worker');
    assert.equal(up?.health, 'up');
    assert.ok(down, 'down target listed');
    const groups = await client.rules();
    const rules = groups.flatMap((g) => g.rules);
    assert.ok(rules.some((r) => r.type === 'recording' && r.name === 'job:dynamo_frontend_requests:rate1m'));
    const alerting = rules.find((r) => r.type === 'alerting');
    assert.equal(alerting?.name, 'DynamoFrontendBusy');
    assert.equal(alerting?.labels.severity, 'warning');
    // The rule fires on the first evaluation after a scrape; wait for it, bounded.
    const deadline = Date.now() + 30_000;
    let alerts = await client.alerts();
    while (!alerts.some((a) => a.state === 'firing') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      alerts = await client.alerts();
    }
    const firing = alerts.find((a) => a.state === 'firing');
    assert.ok(firing, 'an alert fires');
    assert.equal(firing.labels.alertname, 'DynamoFrontendBusy');
    assert.equal(firing.value, 3);
  });

  it('after the server stops, the same client reports it unreachable', async () => {
    const other = await startPrometheus({ backfillHours: 1 });
    const c = new PrometheusClient(new HttpClient({ backend: 'Prometheus', baseUrl: other.url }));
    assert.equal((await c.health()).state, 'ok');
    await other.close();
    const h = await c.health();
    assert.equal(h.state, 'unreachable');
    assert.match(h.error ?? '', new RegExp(`Cannot reach Prometheus at ${other.url}/api/v1/status/buildinfo: connection refused`));
    await assert.rejects(c.query('up'), UnreachableError);
    await c.http.close();
  });
});
