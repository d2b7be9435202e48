/**
 * `spanlens check` and `spanlens query tempo|loki|prom` against the Tempo and Loki fakes and a
 * real Prometheus: in process through main(), and once as a child process to check that it exits
 * at once (no pool or timer keeps it alive).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseTraceValue } from '../../../src/core/formats';
import { startLokiFake, type LokiFake } from '../../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../../fakes/prometheus';
import { refusedUrl } from '../../fakes/server';
import { startTempoFake, type TempoFake } from '../../fakes/tempo';
import { generateLogs } from '../../support/synth/logs';
import { generateTrace } from '../../support/synth';
import { cli } from '../../support/cli';
import { CLOSED_PIPE_STATUS } from '../../../src/cli/main';

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

  it('query prom for people: one row per series (labels, last, min, max, points); --points lists every sample', async () => {
    const q = 'sum by (instance) (dynamo_frontend_inflight_requests{job="dynamo-frontend"})';
    const json = JSON.parse((await cli('query', 'prom', q, '--since', '1h', '--step', '1m', '--json', ...endpoints())).stdout) as { labels: Record<string, string>; points: [number, number][] }[];
    const r = await cli('query', 'prom', q, '--since', '1h', '--step', '1m', ...endpoints());
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^SERIES\s+LAST\s+MIN\s+MAX\s+POINTS$/);
    assert.equal(lines.length, 1 + json.length, r.stdout);
    for (const s of json) {
      const values = s.points.map((p) => p[1]);
      const row = lines.find((l) => l.startsWith(`{instance=${JSON.stringify(s.labels.instance)}}`));
      assert.ok(row, `a row for ${s.labels.instance}:\n${r.stdout}`);
      const cells = row.split(/\s{2,}/);
      assert.deepEqual(cells.slice(1).map(Number), [values.at(-1), Math.min(...values), Math.max(...values), values.length], row);
    }
    const points = await cli('query', 'prom', q, '--since', '1h', '--step', '1m', '--points', ...endpoints());
    assert.equal(points.stdout.trimEnd().split('\n').length, json.length + json.reduce((n, s) => n + s.points.length, 0));
    assert.match(points.stdout, /^\{instance="[^"]+"\}\n  20\d\d-\d\d-\d\dT[\d:.]+Z  \d/);
    // The metric name leads, as Prometheus writes a series.
    assert.match((await cli('query', 'prom', 'up', '--instant', ...endpoints())).stdout, /\nup\{instance="[^"]+", job="[^"]+"\}\s+[01]\s+[01]\s+[01]\s+1\n/);
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

  describe('a closed pipe (`spanlens … | head`) ends the CLI quietly', () => {
    /** Runs the CLI with nobody left reading its stdout: every write it makes fails with EPIPE. */
    function runUnread(args: readonly string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
      return new Promise((done, fail) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.destroy();
        let stderr = '';
        child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        child.once('error', fail);
        child.once('close', (code, signal) => done({ code, signal, stderr }));
      });
    }

    let stackDir: string;
    let traceFile: string;
    before(async () => {
      stackDir = await mkdtemp(join(tmpdir(), 'spanlens-pipe-'));
      assert.equal((await cli('render-stack', '--out', join(stackDir, 'stack'), '--profile', 'compose')).code, 0);
      // A problem to print, so validate-stack writes to stdout.
      await writeFile(join(stackDir, 'stack', 'extra.json'), '{,}');
      traceFile = join(stackDir, 'trace.json');
      await writeFile(traceFile, JSON.stringify(otlp));
    });
    after(() => rm(stackDir, { recursive: true, force: true }));

    const commands: Record<string, () => string[]> = {
      help: () => ['--help'],
      'trace summary': () => ['trace', 'summary', traceFile],
      check: () => ['check', ...endpoints()],
      'query tempo': () => ['query', 'tempo', '{}', ...endpoints()],
      'query loki': () => ['query', 'loki', '{service_name="dynamo-frontend"}', '--since', '1h', ...endpoints()],
      'query prom': () => ['query', 'prom', 'up', '--since', '15m', ...endpoints()],
      'render-stack': () => ['render-stack', '--out', join(stackDir, 'other'), '--profile', 'k8s', '--dry-run'],
      'validate-stack': () => ['validate-stack', join(stackDir, 'stack')],
    };
    for (const [name, args] of Object.entries(commands)) {
      it(`${name}: the status of a writer SIGPIPE ended, no stack trace`, async () => {
        const r = await runUnread(args());
        // Only what the command itself says on stderr (validate-stack's count), no error or trace.
        assert.doesNotMatch(r.stderr, /EPIPE|Error|\n\s+at /);
        assert.equal(r.code, CLOSED_PIPE_STATUS, r.stderr);
      });
    }

    it('in a shell, `| head -3` prints three lines and nothing on stderr', async () => {
      const sh = async (query: string): Promise<{ stdout: string; stderr: string }> =>
        promisify(execFile)('bash', ['-c', `node --import tsx src/cli/main.ts query prom ${query} --prom ${prom.url} | head -3; echo "status=\${PIPESTATUS[0]}" >&2`], { cwd: ROOT, timeout: 60_000 });
      // The issue's own command: a short table, so the CLI may finish before head exits.
      const short = await sh('up --since 15m');
      assert.match(short.stderr, new RegExp(`^status=(0|${CLOSED_PIPE_STATUS})\\n$`));
      assert.match(short.stdout, /^SERIES\s+LAST/);
      // Every sample at 1 s over an hour of backfill: ~200 kB, far more than a pipe holds, so the
      // CLI is still writing when head exits.
      const long = await sh('dynamo_frontend_inflight_requests --since 1h --step 1s --points');
      assert.equal(long.stdout.split('\n').length, 4, long.stdout);
      assert.equal(long.stderr, `status=${CLOSED_PIPE_STATUS}\n`);
    });
  });
});
