/**
 * `spanlens serve` as a process: it receives OTLP, and the other `spanlens` commands read what it
 * holds through its query URL as they read Tempo and Loki (trace, search, query loki); a port that
 * is taken is refused naming the process holding it; SIGTERM stops it cleanly.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateTrace } from '../../support/synth/dynamo';
import { requestIdFor } from '../../support/synth/prng';
import { cli } from '../../support/cli';

const root = join(__dirname, '../../..');
let proc: ChildProcessWithoutNullStreams;
let ready: { grpc: string; http: string; query: string };

function serve(...args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', ...args], { cwd: root });
}

function firstLine(p: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) done(out.split('\n')[0]!);
    });
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.once('exit', (code) => fail(new Error(`spanlens serve exited ${code}: ${err}`)));
  });
}

before(async () => {
  proc = serve('--grpc', '0', '--http', '0', '--query', '0', '--json');
  ready = JSON.parse(await firstLine(proc)) as typeof ready;
});
after(() => {
  if (proc.exitCode === null) proc.kill('SIGKILL');
});

test('what serve receives, spanlens trace, search and query loki read back through its query URL', async () => {
  const otlp = generateTrace({ spans: 40, seed: 4242 });
  const r = await fetch(`${ready.http}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlp) });
  assert.equal(r.status, 200);
  const traceId = (otlp.resourceSpans[0] as { scopeSpans: { spans: { traceId: string }[] }[] }).scopeSpans[0]!.spans[0]!.traceId.toLowerCase();
  const logs = {
    resourceLogs: [
      { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'dynamo-frontend' } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), body: { stringValue: 'request received' }, traceId, spanId: '0000000000000001' }] }] },
    ],
  };
  assert.equal((await fetch(`${ready.http}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(logs) })).status, 200);

  const t = await cli('trace', traceId, '--tempo', ready.query, '--json');
  assert.equal(t.code, 0, t.stderr);
  assert.equal((JSON.parse(t.stdout) as { spanCount?: number; spans?: number }).spanCount ?? (JSON.parse(t.stdout) as { spans: number }).spans, 40);

  const s = await cli('search', `{ span.x_request_id = "${requestIdFor(4242)}" }`, '--tempo', ready.query, '--since', '100000h', '--json');
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, new RegExp(traceId.replace(/^0+/, '')));

  const l = await cli('query', 'loki', `{service_name="dynamo-frontend"} | trace_id="${traceId}"`, '--loki', ready.query, '--since', '1h', '--json');
  assert.equal(l.code, 0, l.stderr);
  assert.match(l.stdout, /request received/);
});

test('a taken port is refused, naming the port and who holds it', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    const p = serve('--grpc', '0', '--http', String(port), '--query', '0');
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((r) => p.once('exit', r));
    assert.equal(code, 1);
    assert.match(err, new RegExp(`port ${port} \\(OTLP/HTTP\\) on 127\\.0\\.0\\.1 is already in use`));
    if (process.platform === 'linux') assert.match(err, new RegExp(`pid ${process.pid}\\b`));
  } finally {
    blocker.close();
  }
});

test('SIGTERM stops it and it says what it held', async () => {
  let err = '';
  proc.stderr.on('data', (b: Buffer) => (err += b.toString()));
  proc.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => proc.once('exit', r));
  assert.equal(code, 0);
  assert.match(err, /stopped; held 1 traces, 40 spans, 1 log records/);
});
