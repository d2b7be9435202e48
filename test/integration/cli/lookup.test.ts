/**
 * `spanlens lookup` against the Tempo and Loki fakes and a real Prometheus, and `spanlens logs`
 * on log files as Dynamo writes them and as `docker compose logs` / `kubectl logs` print them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTraceValue } from '../../../src/core/formats';
import { startLokiFake, type LokiFake } from '../../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../../fakes/prometheus';
import { refusedUrl } from '../../fakes/server';
import { startTempoFake, type TempoFake } from '../../fakes/tempo';
import { cli } from '../../support/cli';
import { generateTrace } from '../../support/synth';
import { generateLogs } from '../../support/synth/logs';
import { dynamoRequestIdFor, requestIdFor } from '../../support/synth/prng';

const LOG_KEYS = ['timestampNs', 'line', 'labels', 'metadata', 'traceId', 'spanId', 'level', 'source'];

describe('spanlens lookup / logs', { timeout: 180_000 }, () => {
  const now = Date.now();
  const otlpTrace = generateTrace({ spans: 40, seed: 6101, startUnixNano: BigInt(now - 15 * 60_000) * 1_000_000n });
  const jsonlTrace = generateTrace({ spans: 30, seed: 6102, startUnixNano: BigInt(now - 12 * 60_000) * 1_000_000n });
  const otlpModel = parseTraceValue(otlpTrace).traces[0]!;
  const jsonlModel = parseTraceValue(jsonlTrace).traces[0]!;
  const otlpLogs = generateLogs([otlpModel], { shape: 'otlp', seed: 1 });
  const jsonlLogs = generateLogs([jsonlModel], { shape: 'jsonl', seed: 2 });
  let tempo: TempoFake;
  let loki: LokiFake;
  let prom: PrometheusHarness;
  let ws: string;
  /** The file the spans and logs of the demo name, checked out under dynamo/. */
  let handlers: string;

  before(async () => {
    tempo = await startTempoFake({ traces: [{ otlp: otlpTrace }, { otlp: jsonlTrace }] });
    loki = await startLokiFake({ entries: [...otlpLogs, ...jsonlLogs], authEnabled: false });
    prom = await startPrometheus({ backfillHours: 2 });
    ws = realpathSync(mkdtempSync(join(tmpdir(), 'spanlens-lookup-')));
    handlers = join(ws, 'dynamo/components/src/dynamo/vllm/handlers.py');
    mkdirSync(join(ws, 'dynamo/components/src/dynamo/vllm'), { recursive: true });
    writeFileSync(handlers, '# stand-in\n'.repeat(1000));
  });
  after(async () => {
    await tempo?.close();
    await loki?.close();
    await prom?.close();
    rmSync(ws, { recursive: true, force: true });
  });

  const endpoints = (): string[] => ['--tempo', tempo.url, '--loki', loki.url, '--prom', prom.url];

  it('--json has exactly the documented shape, logs oldest first, sources inside the workspace', async () => {
    const r = await cli('lookup', dynamoRequestIdFor(6101), '--workspace', ws, '--json', ...endpoints());
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & {
      traces: Array<Record<string, unknown>>;
      logs: Array<Record<string, unknown> & { timestampNs: string; source: { path: string; line: number | null } | null }>;
      series: Array<Record<string, unknown> & { points: [number, number | string][] }>;
      errors: unknown[];
    };
    assert.deepEqual(Object.keys(out), ['id', 'kind', 'traces', 'logs', 'series', 'errors']);
    assert.equal(out.id, dynamoRequestIdFor(6101));
    assert.equal(out.kind, 'uuid');
    assert.deepEqual(Object.keys(out.traces[0]!), ['traceId', 'spanCount', 'services', 'root', 'rootCount', 'durationMs', 'errorCount', 'maxDepth']);
    assert.equal(out.traces[0]!.traceId, otlpModel.traceId);
    assert.equal(out.logs.length, otlpLogs.length);
    for (const l of out.logs) {
      assert.deepEqual(Object.keys(l), LOG_KEYS);
      assert.match(l.timestampNs, /^\d{19}$/);
    }
    for (let i = 1; i < out.logs.length; i++) assert.ok(BigInt(out.logs[i - 1]!.timestampNs) <= BigInt(out.logs[i]!.timestampNs), 'oldest first');
    // A Python-origin line names handlers.py, which the workspace holds: resolved into it.
    const py = out.logs.find((l) => l.source?.path.endsWith('handlers.py'))!;
    assert.equal(py.source!.path, handlers);
    assert.equal(typeof py.source!.line, 'number');
    // A Rust file the workspace does not hold: the path as logged.
    const rust = out.logs.find((l) => l.source?.path.endsWith('.rs'))!;
    assert.match(rust.source!.path, /^lib\//);
    assert.ok(out.logs.some((l) => l.traceId === null && l.spanId === null), 'a line outside any span');
    assert.ok(out.series.length > 0);
    assert.deepEqual(Object.keys(out.series[0]!), ['query', 'labels', 'points', 'exemplars']);
    assert.ok(out.series.some((s) => (s.query as string).startsWith('sum by (status) (rate(dynamo_frontend_requests_total{model=~"Qwen/Qwen3-0\\\\.6B"}[60s]))')));
    const [t, v] = out.series[0]!.points[0]!;
    assert.ok(t > 1.7e9);
    assert.ok(typeof v === 'number' || v === 'NaN');
    assert.deepEqual(out.errors, []);
  });

  it('readable: the tree, the logs grouped by span, the metric values', async () => {
    const r = await cli('lookup', requestIdFor(6102), '--workspace', ws, ...endpoints());
    assert.equal(r.code, 0, r.stderr);
    const text = r.stdout;
    assert.match(text, new RegExp(`^lookup ${requestIdFor(6102)} \\(request id\\)\\ntraces: 1 found\\n`));
    assert.match(text, new RegExp(`trace ${jsonlModel.traceId} · 30 spans · 3 services · \\d+ errors? · `));
    assert.match(text, /^http-request {2}dynamo-frontend {2}\S+ \S+ {2}\+0 ns$/m);
    assert.match(text, /└─ completions {2}dynamo-frontend/);
    assert.match(text, /^logs: \d+ lines$/m);
    const root = jsonlModel.spans.find((s) => !s.parentSpanId)!;
    const group = text.indexOf(`  http-request  dynamo-frontend  span ${root.spanId}`);
    assert.ok(group > 0, 'a group per span, titled by the span');
    assert.match(text.slice(group), /^ {4}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z {2}INFO {3}request received {2}\(\/opt\/dynamo\/lib\/llm\/src\/http\/service\/openai\.rs:\d+\)$/m);
    assert.match(text, /^metrics: \d+ series between \S+ and \S+$/m);
    assert.match(text, /^ {2}Request rate by status \{status="success"\}: min \S+\/s {2}max/m);
  });

  it('nothing found: says where it looked, exit 1; an id that is not one: exit 2', async () => {
    const r = await cli('lookup', 'no-such-request', '--look-back', '1h', ...endpoints());
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^traces: nothing found between \S+ and \S+$/m);
    assert.match(r.stdout, /^logs: nothing found between /m);
    assert.match(r.stdout, /^metrics: not searched \(no trace or log line was found to place the metrics in time\)$/m);
    const bad = await cli('lookup', 'a\u0007b', ...endpoints());
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not an id: it holds control characters/);
    const usage = await cli('lookup', ...endpoints());
    assert.equal(usage.code, 2);
    assert.match((await cli('lookup', 'x', '--look-back', '9d', ...endpoints())).stderr, /at most 168h/);
  });

  it('Loki down: the trace and metrics still come; the error names Loki and why', async () => {
    const r = await cli('lookup', otlpModel.traceId, '--json', '--tempo', tempo.url, '--loki', await refusedUrl(), '--prom', prom.url);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { traces: unknown[]; logs: unknown[]; errors: Array<{ backend: string; message: string }> };
    assert.equal(out.traces.length, 1);
    assert.equal(out.logs.length, 0);
    assert.deepEqual(Object.keys(out.errors[0]!), ['backend', 'message']);
    assert.equal(out.errors[0]!.backend, 'loki');
    assert.match(out.errors[0]!.message, /Cannot reach Loki .*connection refused/);
  });

  describe('spanlens logs', () => {
    const record = jsonlLogs.find((l) => l.line.includes('"request received"'))!.line;
    const files: Record<string, string> = {
      'dynamo.jsonl': `${jsonlLogs.slice(0, 5).map((l) => l.line).join('\n')}\n`,
      'compose.log': `Attaching to frontend-1, decode-1\nfrontend-1  | ${record}\n\u001b[36mdecode-1    |\u001b[0m ${record}\nfrontend-1  | Traceback (most recent call last):\nfrontend-1  |   File "/opt/dynamo/components/src/dynamo/vllm/handlers.py", line 88, in generate\n`,
      'kubectl.log': `[pod/vllm-frontend-7d9c5/main] ${record}\r\n[pod/vllm-frontend-7d9c5/main] 2026-04-21T18:02:11.514203000Z plain text after\r\n`,
      'empty.log': '',
    };
    before(() => {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(ws, name), text);
    });

    it('--json: the same entries, in file order', async () => {
      const r = await cli('logs', join(ws, 'dynamo.jsonl'), '--workspace', ws, '--json');
      assert.equal(r.code, 0, r.stderr);
      const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
      assert.equal(rows.length, 5);
      for (const row of rows) assert.deepEqual(Object.keys(row), LOG_KEYS);
      assert.equal(rows[0]!.traceId, jsonlModel.traceId);
      assert.equal(rows[0]!.level, 'info');
      assert.deepEqual(rows[0]!.labels, {});
    });

    it('docker compose and kubectl prefixes, colours, plain lines and a traceback frame', async () => {
      const compose = JSON.parse((await cli('logs', join(ws, 'compose.log'), '--workspace', ws, '--json')).stdout) as Array<{ labels: Record<string, string>; traceId: string | null; source: { path: string; line: number | null } | null; line: string }>;
      assert.deepEqual(compose.map((e) => e.labels.container ?? null), [null, 'frontend-1', 'decode-1', 'frontend-1', 'frontend-1']);
      assert.deepEqual(compose.map((e) => e.traceId), [null, jsonlModel.traceId, jsonlModel.traceId, null, null]);
      assert.deepEqual(compose[4]!.source, { path: handlers, line: 88 }, 'the frame resolves into the workspace');
      const kubectl = JSON.parse((await cli('logs', join(ws, 'kubectl.log'), '--json')).stdout) as Array<{ labels: Record<string, string>; timestampNs: string; line: string }>;
      assert.deepEqual(kubectl[0]!.labels, { pod: 'vllm-frontend-7d9c5', container: 'main' });
      assert.equal(kubectl[1]!.line, 'plain text after');
      assert.equal(kubectl[1]!.timestampNs, '1776794531514203000');
      assert.equal(JSON.parse((await cli('logs', join(ws, 'empty.log'), '--json')).stdout).length, 0);
    });

    it('readable, and refusals', async () => {
      const r = await cli('logs', join(ws, 'compose.log'), '--workspace', ws);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^\S+Z {2}INFO {3}\[frontend-1\] request received {2}\(\/opt\/dynamo\/lib\/llm\/src\/http\/service\/openai\.rs:\d+\)$/m);
      assert.equal((await cli('logs', join(ws, 'nope.log'))).code, 2);
      assert.equal((await cli('logs', ws)).code, 2);
      assert.equal((await cli('logs', join(ws, 'dynamo.jsonl'), '--tempo', 'x')).code, 2, 'no connection flags here');
    });
  });
});
