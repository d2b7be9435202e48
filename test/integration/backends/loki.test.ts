import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient } from '../../../src/core/backends/http';
import { LokiClient } from '../../../src/core/backends/loki/client';
import { AuthError, QueryRejectedError, ServerError } from '../../../src/core/backends/errors';
import { startLokiFake, type LokiEntry, type LokiFake } from '../../fakes/loki';
import { generateLogs } from '../../support/synth/logs';
import { trace } from '../../support/spans';
import { leftoverHandles, watchedHandles } from '../../support/handles';

const T0 = 1_700_000_000_000_000_000n; // spans.ts epoch
const RANGE = { startMs: 1_699_999_990_000, endMs: 1_700_000_100_000 };

const demoTrace = trace([
  { id: '1', start: 0, end: 900, name: 'http-request', service: 'dynamo-frontend', status: 'error' },
  { id: '2', parent: '1', start: 10, end: 800, name: 'handle_payload', service: 'dynamo-worker-vllm' },
  { id: '3', parent: '2', start: 20, end: 60, name: 'kv_router.schedule', service: 'dynamo-frontend' },
]);

describe('Loki client against the Loki contract fake', () => {
  let open: LokiFake;
  let authed: LokiFake;
  let baseline: string[];
  const clients: LokiClient[] = [];
  const loki = (url: string, tenant?: string): LokiClient => {
    const c = new LokiClient(new HttpClient({ backend: 'Loki', baseUrl: url, tenant, retry: { baseDelayMs: 1 } }));
    clients.push(c);
    return c;
  };

  before(async () => {
    baseline = watchedHandles();
    const jsonl = generateLogs([demoTrace], { shape: 'jsonl' });
    const otlp = generateLogs([demoTrace], { shape: 'otlp' });
    // Five lines on one nanosecond, so a page boundary falls among them.
    const same: LokiEntry[] = Array.from({ length: 5 }, (_, i) => ({ labels: { job: 'tie' }, ts: T0 + 5_000_000n, line: `tie ${i}` }));
    const bulk: LokiEntry[] = Array.from({ length: 300 }, (_, i) => ({ labels: { job: 'bulk', pod: `p${i % 3}` }, ts: T0 + BigInt(i) * 1_000_000n, line: `bulk line ${i}` }));
    open = await startLokiFake({ entries: [...jsonl, ...otlp, ...same, ...bulk], authEnabled: false, maxEntriesLimitPerQuery: 120 });
    authed = await startLokiFake({
      entries: [
        { labels: { job: 'a' }, ts: T0, line: 'for tenant a', tenant: 'team-a' },
        { labels: { job: 'a' }, ts: T0 + 1n, line: 'for tenant b', tenant: 'team-b' },
      ],
      authEnabled: true,
    });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.http.close()));
    await open.close();
    await authed.close();
    assert.deepEqual(await leftoverHandles(baseline), []);
  });

  it('keeps stream labels, structured metadata and parsed fields apart, with exact ns times', async () => {
    const r = await loki(open.url).queryRange({ query: '{service_name="dynamo-frontend"} |= "request"', range: RANGE, limit: 100 });
    assert.equal(r.kind, 'streams');
    if (r.kind !== 'streams') return;
    const otlpLines = r.lines.filter((l) => l.metadata.trace_id);
    const jsonlLines = r.lines.filter((l) => l.labels.namespace === 'dynamo');
    assert.ok(otlpLines.length > 0 && jsonlLines.length > 0);
    assert.deepEqual(otlpLines[0]!.labels, { service_name: 'dynamo-frontend' });
    assert.equal(otlpLines[0]!.metadata.trace_id, 'a'.repeat(32));
    assert.equal(otlpLines[0]!.metadata.span_id, '0000000000000001');
    // Alloy's labels on the JSONL stream; the pod rides as structured metadata.
    assert.deepEqual(jsonlLines[0]!.labels, {
      app_kubernetes_io_name: 'dynamo-frontend',
      container: 'main',
      namespace: 'dynamo',
      nvidia_com_dynamo_component_type: 'frontend',
      nvidia_com_dynamo_graph_deployment_name: 'vllm-disagg',
      service_name: 'dynamo-frontend',
    });
    assert.deepEqual(jsonlLines[0]!.metadata, { pod: `dynamo-frontend-${'a'.repeat(5)}` });
    // Newest first, and the request-completed line sits exactly at the span's end.
    for (let i = 1; i < r.lines.length; i++) assert.ok(r.lines[i - 1]!.timestampNs >= r.lines[i]!.timestampNs);
    assert.ok(r.lines.some((l) => l.timestampNs === T0 + 900_000_000n));
    const sent = open.requests.at(-1)!;
    assert.equal(sent.headers['x-loki-response-encoding-flags'], 'categorize-labels');
  });

  it('round-trips HTML-escaped lines and surfaces parsed fields', async () => {
    const r = await loki(open.url).queryRange({ query: '{namespace="dynamo"} | json | level="ERROR"', range: RANGE });
    assert.equal(r.kind, 'streams');
    if (r.kind !== 'streams') return;
    const err = r.lines.find((l) => l.parsed.message === 'request completed');
    assert.ok(err, 'the failed request-completed line');
    assert.match(err.line, /worker <decode-1> dropped the stream & the retry failed/);
    assert.equal(err.parsed.trace_id, 'a'.repeat(32));
    assert.deepEqual(err.metadata, { pod: `dynamo-frontend-${'a'.repeat(5)}` });
  });

  it('pages by time, learning the server limit and de-duplicating a shared nanosecond', async () => {
    const c = loki(open.url);
    const before = open.requests.length;
    const r = await c.queryRange({ query: '{job=~"bulk|tie"}', range: RANGE, limit: 280, pageSize: 100, direction: 'forward' });
    assert.equal(r.kind, 'streams');
    if (r.kind !== 'streams') return;
    assert.equal(r.lines.length, 280);
    assert.ok(r.truncated);
    assert.ok(r.pages >= 3);
    const keys = r.lines.map((l) => `${l.timestampNs}/${l.line}`);
    assert.equal(new Set(keys).size, keys.length, 'no duplicates');
    assert.equal(r.lines.filter((l) => l.line.startsWith('tie')).length, 5);
    for (let i = 1; i < r.lines.length; i++) assert.ok(r.lines[i - 1]!.timestampNs <= r.lines[i]!.timestampNs);

    const all = await c.queryRange({ query: '{job=~"bulk|tie"}', range: RANGE, limit: 10_000, pageSize: 500 });
    assert.equal(all.kind === 'streams' && all.lines.length, 305);
    assert.equal(all.kind === 'streams' && all.truncated, false);
    const limitErrors = open.requests.slice(before).filter((q) => /limit=(500|100)(&|$)/.test(q.url)).length;
    assert.ok(limitErrors >= 1, 'the first over-limit page was answered with the server limit text');
  });

  it('metric queries give series with exact sample times, step raised under 11,000 points', async () => {
    const c = loki(open.url);
    const r = await c.queryRange({ query: 'sum by (pod) (count_over_time({job="bulk"}[10s]))', range: RANGE, stepMs: 1 });
    assert.equal(r.kind, 'matrix');
    if (r.kind !== 'matrix') return;
    assert.deepEqual(r.series.map((s) => s.labels.pod).sort(), ['p0', 'p1', 'p2']);
    const sent = new URL(open.requests.at(-1)!.url, 'http://x');
    assert.ok(Number(sent.searchParams.get('step')) >= (RANGE.endMs - RANGE.startMs) / 1000 / 11_000);
    const total = r.series.flatMap((s) => s.points).reduce((m, p) => Math.max(m, p.value), 0);
    assert.ok(total > 0);
  });

  it('bad LogQL, an empty-compatible selector and an instant log query are shown verbatim', async () => {
    const c = loki(open.url);
    await assert.rejects(c.queryRange({ query: 'foo', range: RANGE }), (e: unknown) => {
      assert.ok(e instanceof QueryRejectedError);
      assert.equal(e.message, 'Loki rejected the query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER');
      return true;
    });
    await assert.rejects(c.queryRange({ query: '{app=~".*"}', range: RANGE }), /does not have an empty-compatible value/);
    await assert.rejects(c.queryRange({ query: '{job="bulk"}', range: { startMs: 0, endMs: 40 * 86_400_000 } }), /the query time range exceeds the limit \(query length: 960h0m0s, limit: 721h0m0s\)/);
  });

  it('labels, label values and series; an empty label list has no data key', async () => {
    const c = loki(open.url);
    assert.deepEqual(await c.labels(RANGE), ['app_kubernetes_io_name', 'container', 'job', 'namespace', 'nvidia_com_dynamo_component_type', 'nvidia_com_dynamo_graph_deployment_name', 'pod', 'service_name']);
    assert.deepEqual(await c.labelValues('pod', RANGE), ['p0', 'p1', 'p2']);
    assert.deepEqual(await c.labelValues('nope', RANGE), []);
    const series = await c.series(['{namespace="dynamo"}'], RANGE);
    assert.deepEqual(series.map((s) => s.service_name).sort(), ['dynamo-frontend', 'dynamo-worker-vllm']);
  });

  it('build info, ready and health', async () => {
    const c = loki(open.url);
    assert.equal((await c.buildInfo()).version, '3.7.6');
    assert.deepEqual(await c.ready(), { ready: true, message: 'ready' });
    const h = await c.health();
    assert.equal(h.state, 'ok');
    assert.equal(h.version, '3.7.6');
    assert.ok(typeof h.latencyMs === 'number');
  });

  it('not ready: the 503 reason is reported after one request (a /ready 503 is an answer, not retried)', async () => {
    const warming = await startLokiFake({ entries: [], authEnabled: false, readyAfterMs: 600_000 });
    try {
      const c = loki(warming.url);
      assert.deepEqual(await c.ready(), { ready: false, message: 'Ingester not ready: waiting for 15s after being ready' });
      assert.equal(warming.requests.filter((r) => r.url === '/ready').length, 1);
      const h = await c.health();
      assert.equal(h.state, 'error');
      assert.equal(h.errorKind, 'notReady');
      assert.match(h.error ?? '', /is not ready: Ingester not ready/);
      assert.equal(warming.requests.filter((r) => r.url === '/ready').length, 2);
    } finally {
      await warming.close();
    }
  });

  it('multi-tenancy: no tenant → 401 no org id; wrong tenant → nothing; federation a|b', async () => {
    await assert.rejects(loki(authed.url).queryRange({ query: '{job="a"}', range: RANGE }), (e: unknown) => e instanceof AuthError && e.needsTenant);
    const health = await loki(authed.url).health();
    assert.equal(health.state, 'unauthorised');
    assert.match(health.error ?? '', /needs a tenant/);
    const wrong = await loki(authed.url, 'team-z').queryRange({ query: '{job="a"}', range: RANGE });
    assert.equal(wrong.kind === 'streams' && wrong.lines.length, 0);
    const both = await loki(authed.url, 'team-a|team-b').queryRange({ query: '{job="a"}', range: RANGE });
    assert.deepEqual(both.kind === 'streams' && both.lines.map((l) => l.line), ['for tenant b', 'for tenant a']);
  });

  it('a 504 from the querier becomes a ServerError with its text after retries', async () => {
    const text = 'request timed out, decrease the duration of the request or add more label matchers (prefer exact match over regex match) to reduce the amount of data processed';
    open.faults.add({ kind: 'status', status: 504, body: text }, { times: 3 });
    await assert.rejects(loki(open.url).queryRange({ query: '{job="bulk"}', range: RANGE }), (e: unknown) => {
      assert.ok(e instanceof ServerError);
      assert.equal(e.status, 504);
      assert.ok(e.message.endsWith(text));
      return true;
    });
  });
});
