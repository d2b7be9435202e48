/**
 * `spanlens check` and `spanlens query tempo|loki|prom` against the Tempo and Loki fakes and a
 * real Prometheus: in process through main(), and once as a child process to check that it exits
 * at once (no pool or timer keeps it alive).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseTraceValue } from '../../../src/core/formats';
import { startLokiFake, type LokiFake } from '../../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../../fakes/prometheus';
import { refusedUrl } from '../../fakes/server';
import { startTempoFake, type TempoFake } from '../../fakes/tempo';
import { generateLogs } from '../../support/synth/logs';
import { generateTrace } from '../../support/synth';
import { cli } from '../../support/cli';

const ROOT = resolve(__dirname, '..', '..', '..');


describe('spanlens check / query', { timeout: 180_000 }, () => {
  let tempo: TempoFake;
  let loki: LokiFake;
  let prom: PrometheusHarness;
  let down: string;
  const startMs = Date.now() - 20 * 60_000;
  const otlp = generateTrace({ spans: 120, seed: 77, startUnixNano: BigInt(startMs) * 1_000_000n });
  const model = parseTraceValue(otlp).traces[0]!;

  before(async () => {
    tempo = await startTempoFake({ traces: [{ otlp }] });
    loki = await startLokiFake({ entries: generateLogs([model], { shape: 'otlp' }), authEnabled: false });
    prom = await startPrometheus({ backfillHours: 2 });
    down = await refusedUrl();
  });
  after(async () => {
    await tempo?.close();
    await loki?.close();
    await prom?.close();
  });

  const endpoints = (): string[] => ['--tempo', tempo.url, '--loki', loki.url, '--prom', prom.url];

  it('check: all three ok with versions; exit 0', async () => {
    const r = await cli('check', ...endpoints());
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^BACKEND\s+STATE\s+VERSION\s+LATENCY\s+URL$/);
    assert.match(lines[1]!, new RegExp(`^tempo\\s+ok\\s+v3\\.0\\.3\\s+\\d+ ms\\s+${tempo.url}$`));
    assert.match(lines[2]!, new RegExp(`^loki\\s+ok\\s+3\\.7\\.6\\s+\\d+ ms\\s+${loki.url}$`));
    assert.match(lines[3]!, new RegExp(`^prometheus\\s+ok\\s+${prom.version.replace(/[.+]/g, '\\$&')}\\s+\\d+ ms\\s+${prom.url}$`));
  });

  it('check --json with one server down: its state, URL and error; exit 1', async () => {
    const r = await cli('check', '--tempo', tempo.url, '--loki', down, '--prom', prom.url, '--json');
    assert.equal(r.code, 1);
    const rows = JSON.parse(r.stdout) as { backend: string; state: string; url: string; error?: string }[];
    const l = rows.find((x) => x.backend === 'loki')!;
    assert.equal(l.state, 'unreachable');
    assert.equal(l.url, down);
    assert.match(l.error!, /Cannot reach Loki at .*connection refused \(ECONNREFUSED\)/);
    assert.deepEqual(rows.map((x) => x.state), ['ok', 'unreachable', 'ok']);
  });

  it('query tempo --json: {traceId, rootService, rootName, startUnixNano, durationMs}', async () => {
    const r = await cli('query', 'tempo', '{ resource.service.name = "dynamo-frontend" }', '--since', '1h', '--json', ...endpoints());
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(rows.length, 1);
    assert.deepEqual(Object.keys(rows[0]!), ['traceId', 'rootService', 'rootName', 'startUnixNano', 'durationMs']);
    assert.equal(rows[0]!.traceId, model.traceId);
    assert.equal(rows[0]!.rootService, 'dynamo-frontend');
    assert.equal(rows[0]!.startUnixNano, model.spans.reduce((m, s) => (s.start < m ? s.start : m), model.spans[0]!.start).toString());
    const text = await cli('query', 'tempo', '{}', ...endpoints());
    assert.match(text.stdout, new RegExp(`^TRACE ID\\s+START\\s+DURATION\\s+ROOT\\n${model.traceId}\\s+20`));
  });

  it('query loki --json: {timestampNs, line, labels, metadata} with exact ns', async () => {
    const r = await cli('query', 'loki', '{service_name="dynamo-frontend"}', '--start', new Date(startMs - 60_000).toISOString(), '--end', 'now', '--limit', '5', '--json', ...endpoints());
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as { timestampNs: string; line: string; labels: Record<string, string>; metadata: Record<string, string> }[];
    assert.equal(rows.length, 5);
    assert.deepEqual(Object.keys(rows[0]!), ['timestampNs', 'line', 'labels', 'metadata']);
    assert.match(rows[0]!.timestampNs, /^\d{19}$/);
    assert.deepEqual(rows[0]!.labels, { service_name: 'dynamo-frontend' });
    assert.equal(rows[0]!.metadata.trace_id, model.traceId);
    assert.match(r.stderr, /stopped at the limit of 5 lines/);
  });

  it('query prom --json: {labels, points: [[unixSeconds, value]]}', async () => {
    const r = await cli('query', 'prom', 'sum by (instance) (dynamo_frontend_inflight_requests{job="dynamo-frontend"})', '--since', '1h', '--step', '1m', '--json', ...endpoints());
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as { labels: Record<string, string>; points: [number, number | string][] }[];
    assert.ok(rows.length >= 2);
    assert.deepEqual(Object.keys(rows[0]!), ['labels', 'points']);
    const [t, v] = rows[0]!.points[0]!;
    assert.ok(t > 1.7e9 && Number.isInteger(Math.round(t * 1000)));
    assert.equal(typeof v, 'number');
    const nan = await cli('query', 'prom', '0/0', '--instant', '--json', ...endpoints());
    assert.deepEqual((JSON.parse(nan.stdout) as { points: unknown[] }[])[0]!.points[0]![1 as never], 'NaN');
  });

  it('a bad query prints the server\'s message and exits 1; bad flags exit 2', async () => {
    const r = await cli('query', 'loki', 'foo', ...endpoints());
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'spanlens: Loki rejected the query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER\n');
    assert.equal((await cli('query', 'jaeger', 'x')).code, 2);
    assert.equal((await cli('query', 'prom', 'up', '--since', 'yesterday')).code, 2);
    assert.equal((await cli('check', '--bogus')).code, 2);
  });

  it('endpoints from SPANLENS_* variables; the process exits promptly', async () => {
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'check', '--json'], {
      cwd: ROOT,
      env: { ...process.env, SPANLENS_TEMPO_URL: tempo.url, SPANLENS_LOKI_URL: loki.url, SPANLENS_PROMETHEUS_URL: prom.url, SPANLENS_TENANT: 'team-a' },
      timeout: 30_000,
    });
    const rows = JSON.parse(stdout) as { state: string }[];
    assert.deepEqual(rows.map((x) => x.state), ['ok', 'ok', 'ok']);
    assert.equal(tempo.requests.at(-1)!.headers['x-scope-orgid'], 'team-a');
    // Keep-alive sockets or timers left open would hold the process for seconds.
    assert.ok(Date.now() - started < 15_000);
  });
});
