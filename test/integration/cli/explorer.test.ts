/**
 * `spanlens search | alerts | targets | health` against the Tempo fake, a real Prometheus (one
 * rule firing on a live gauge, one target down) and Dynamo health fakes (frontend, a ready and a
 * notready worker, an older frontend, a refused port), in process through main().
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTraceValue } from '../../../src/core/formats';
import { FRONTEND_INSTANCE_IDS, startFrontendHealthFake, startWorkerHealthFake, type WorkerFake } from '../../fakes/dynamoHealth';
import { startPrometheus, type PrometheusHarness } from '../../fakes/prometheus';
import { refusedUrl, type FakeServer } from '../../fakes/server';
import { startTempoFake, type TempoFake } from '../../fakes/tempo';
import { generateTrace } from '../../support/synth';
import { cli } from '../../support/cli';

describe('spanlens search / alerts / targets / health', { timeout: 180_000 }, () => {
  let tempo: TempoFake;
  let prom: PrometheusHarness;
  let frontend: FakeServer;
  let legacy: FakeServer;
  let ready: WorkerFake;
  let notready: WorkerFake;
  let down: string;
  const now = Date.now();
  const traces = [30, 20, 10].map((minAgo, i) => generateTrace({ spans: 40 + i * 10, seed: 300 + i, startUnixNano: BigInt(now - minAgo * 60_000) * 1_000_000n }));
  const models = traces.map((t) => parseTraceValue(t).traces[0]!);

  before(async () => {
    tempo = await startTempoFake({ traces: traces.map((otlp) => ({ otlp })) });
    prom = await startPrometheus({ backfillHours: 1 });
    frontend = await startFrontendHealthFake();
    legacy = await startFrontendHealthFake({ mode: 'legacy' });
    ready = await startWorkerHealthFake({ ready: true });
    notready = await startWorkerHealthFake({ ready: false, uptimeSecs: 7 });
    down = await refusedUrl();
  });
  after(async () => {
    await Promise.all([tempo?.close(), prom?.close(), frontend?.close(), legacy?.close(), ready?.close(), notready?.close()]);
  });

  it('search --json: newest first with span and error counts', async () => {
    const r = await cli('search', '{ resource.service.name = "dynamo-frontend" }', '--since', '1h', '--json', '--tempo', tempo.url);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(rows[0]!), ['traceId', 'rootService', 'rootName', 'startUnixNano', 'durationMs', 'spanCount', 'errorCount']);
    assert.deepEqual(
      rows.map((x) => x.traceId),
      [...models].reverse().map((m) => m.traceId),
    );
    assert.deepEqual(
      rows.map((x) => x.spanCount),
      [...models].reverse().map((m) => m.spans.length),
    );
    assert.equal(rows[0]!.rootName, 'http-request');
  });

  it('search: a syntax error is caught before sending (exit 2, line and column); Tempo\'s own error text is shown', async () => {
    const before = tempo.requests.length;
    const bad = await cli('search', '{ .a = }', '--tempo', tempo.url);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /TraceQL syntax error at line 1, col 8: unexpected '}'/);
    assert.equal(tempo.requests.length, before, 'nothing was sent');
    // Valid TraceQL the server refuses: its message reaches the user.
    const refused = await cli('search', '{ } | count() > 1', '--tempo', tempo.url);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Tempo rejected the query: invalid TraceQL query: parse error at line 1, col \d+/);
  });

  it('alerts: the firing rule with severity and summary, the inactive one under its group; exit 1 while firing', async () => {
    let r = await cli('alerts', '--json', '--prom', prom.url);
    const deadline = Date.now() + 30_000;
    while (!(JSON.parse(r.stdout || '{"firing":[]}') as { firing: unknown[] }).firing.length && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 250));
      r = await cli('alerts', '--json', '--prom', prom.url);
    }
    const o = JSON.parse(r.stdout) as { firing: Record<string, unknown>[]; pending: unknown[]; inactive: { group: string; file: string; rules: { name: string }[] }[] };
    assert.equal(r.code, 1);
    assert.equal(o.firing[0]!.rule, 'DynamoFrontendBusy');
    assert.equal(o.firing[0]!.severity, 'warning');
    assert.match(String(o.firing[0]!.summary), /^Requests in flight on 127\.0\.0\.1:\d+$/);
    assert.equal(o.firing[0]!.value, 3);
    assert.equal(o.firing[0]!.query, 'dynamo_frontend_inflight_requests > 2');
    assert.match(o.inactive[0]!.file, /rules\.yml$/);
    assert.deepEqual(o.inactive.map((g) => ({ ...g, file: undefined })), [{ group: 'dynamo', file: undefined, rules: [{ name: 'DynamoFrontendQueueBacklog', query: 'dynamo_frontend_queued_requests > 100', health: 'ok', lastError: null, severity: 'critical', summary: 'Requests are queueing on {{ $labels.instance }}' }] }]);
    const text = await cli('alerts', '--prom', prom.url);
    assert.match(text.stdout, /^STATE\s+SEVERITY\s+ALERT\s+SINCE\s+LABELS\s+SUMMARY\nfiring\s+warning\s+DynamoFrontendBusy\s+20\d\d-/);
    assert.match(text.stdout, /inactive in dynamo .*:\n {2}DynamoFrontendQueueBacklog\n/);
  });

  it('targets: grouped by job, the down one first with its error; exit 1', async () => {
    type Row = { job: string; health: string; lastError: string; lastScrapeDurationMs: number | null };
    // The down target is `unknown` until its first scrape attempt fails.
    const deadline = Date.now() + 30_000;
    let r = await cli('targets', '--json', '--prom', prom.url);
    while (!(JSON.parse(r.stdout) as Row[]).some((t) => t.health === 'down') && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 250));
      r = await cli('targets', '--json', '--prom', prom.url);
    }
    assert.equal(r.code, 1, r.stderr);
    const list = JSON.parse(r.stdout) as Row[];
    assert.equal(list[0]!.job, 'dynamo-worker');
    assert.equal(list[0]!.health, 'down');
    assert.match(list[0]!.lastError, /connection refused/);
    const up = list.find((t) => t.job === 'dynamo-frontend')!;
    assert.equal(up.health, 'up');
    assert.equal(typeof up.lastScrapeDurationMs, 'number');
  });

  it('health --json: every shape in the issue\'s form, 64-bit instance ids exact, 503 a state, refused port unreachable; exit 1', async () => {
    const urls = [`${frontend.url}/health`, `${frontend.url}/live`, `${ready.url}/health`, `${notready.url}/live`, `${legacy.url}/health`, `${down}/health`];
    const r = await cli('health', ...urls, '--json');
    assert.equal(r.code, 1);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.deepEqual(rows[0], {
      url: urls[0],
      httpStatus: 200,
      kind: 'frontend',
      status: 'healthy',
      endpoints: [
        { name: 'dyn://dynamo.backend.generate', state: 'available' },
        { name: 'dyn://dynamo.prefill.generate', state: 'available' },
      ],
      instances: [
        { component: 'backend', endpoint: 'generate', namespace: 'dynamo', instanceId: FRONTEND_INSTANCE_IDS[0] },
        { component: 'prefill', endpoint: 'generate', namespace: 'dynamo', instanceId: FRONTEND_INSTANCE_IDS[1] },
      ],
      uptimeSeconds: null,
    });
    // The raw text holds the id as a string of all its digits.
    assert.ok(r.stdout.includes(`"instanceId": "${FRONTEND_INSTANCE_IDS[0]}"`));
    assert.deepEqual(rows[1], { url: urls[1], httpStatus: 200, kind: 'frontend-live', status: 'live', endpoints: [], instances: [], uptimeSeconds: null });
    assert.equal(rows[2]!.kind, 'worker');
    assert.equal(rows[2]!.status, 'ready');
    assert.equal(rows[2]!.httpStatus, 200);
    assert.ok((rows[2]!.uptimeSeconds as number) >= 64);
    assert.deepEqual(rows[3]!.endpoints, [
      { name: 'clear_kv_blocks', state: 'ready' },
      { name: 'generate', state: 'notready' },
      { name: 'load_metrics', state: 'ready' },
    ]);
    assert.equal(rows[3]!.httpStatus, 503);
    assert.equal(rows[3]!.status, 'notready');
    assert.equal(rows[3]!.error, undefined, 'a 503 is a state, not an error');
    assert.equal(rows[4]!.status, 'unhealthy');
    assert.equal(rows[4]!.httpStatus, 200);
    assert.deepEqual({ ...rows[5], error: undefined }, { url: urls[5], httpStatus: null, kind: null, status: 'unreachable', endpoints: [], instances: [], uptimeSeconds: null, error: undefined });
    assert.match(String(rows[5]!.error), /Cannot reach Dynamo at .*connection refused/);
  });

  it('health: all good exits 0; the table names states and details', async () => {
    const r = await cli('health', `${frontend.url}/health`, `${ready.url}/health`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^URL\s+HTTP\s+KIND\s+STATUS\s+DETAIL\n/);
    assert.match(r.stdout, /frontend\s+healthy\s+2 endpoints, 2 instances/);
    assert.match(r.stdout, /worker\s+ready\s+clear_kv_blocks=ready generate=ready load_metrics=ready, up \d+ s/);
    const bad = await cli('health', 'localhost:8000/health');
    assert.equal(bad.code, 2);
  });
});
