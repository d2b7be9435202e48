/**
 * The demo stack (`npm start`'s backends) on free ports: `spanlens serve`, a real Prometheus and
 * the load generator on the OTel SDK — no test fakes. The request ids and trace ids the README
 * names resolve through the capture's query API as the lookup asks (TraceQL over the request-id
 * attributes, then the trace and its logs), and Prometheus holds exemplars naming captured traces.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../../fakes/server';
import { requestIdFor, traceIdFor } from '../../support/synth/prng';

const root = join(__dirname, '../../..');
let stack: ChildProcess;
let ready: { started: { name: string; url: string }[]; skipped: unknown[]; requestIds: string[]; traceIds: string[] };
let query = '';
let prom = '';

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let d = 100; ; d = Math.min(d * 1.5, 1000)) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, d));
  }
}

before(async () => {
  const env = {
    ...process.env,
    SPANLENS_DEMO_GRPC_PORT: String(await freePort()),
    SPANLENS_DEMO_HTTP_PORT: String(await freePort()),
    SPANLENS_DEMO_QUERY_PORT: String(await freePort()),
    SPANLENS_DEMO_PROM_PORT: String(await freePort()),
  };
  stack = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo-stack.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  stack.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  ready = await new Promise((resolve, reject) => {
    let out = '';
    stack.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('DEMO-READY '));
      if (line) resolve(JSON.parse(line.slice('DEMO-READY '.length)));
    });
    stack.once('exit', (code) => reject(new Error(`demo stack exited ${code}: ${err}`)));
  });
  assert.deepEqual(ready.skipped, [], err);
  query = ready.started.find((s) => s.name.startsWith('Spanlens capture'))!.url;
  prom = ready.started.find((s) => s.name.startsWith('Prometheus'))!.url;
});

after(async () => {
  if (stack.exitCode === null) {
    stack.kill('SIGTERM');
    await new Promise((r) => stack.once('exit', r));
  }
});

test('the README names the demo\'s request and trace ids', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const seed of [1000, 1006, 1007]) assert.ok(readme.includes(`\`${requestIdFor(seed)}\``), requestIdFor(seed));
  for (const seed of [1006, 1007]) assert.ok(readme.includes(traceIdFor(seed)), traceIdFor(seed));
  assert.ok(ready.requestIds.includes(requestIdFor(1006)));
});

test('each README request id resolves to its trace, with its spans and its logs, through the capture', async () => {
  for (const [seed, spans] of [[1000, 12], [1006, 1200], [1007, 2500]] as const) {
    const id = requestIdFor(seed);
    const q = `{ .x_request_id = "${id}" || .request_id = "${id}" }`;
    const found = await until(`${id} to be searchable`, async () => {
      const r = (await (await fetch(`${query}/api/search?${new URLSearchParams({ q })}`)).json()) as { traces: { traceID: string }[] };
      return r.traces.length ? r.traces : undefined;
    });
    assert.deepEqual(found.map((t) => t.traceID.padStart(32, '0')), [traceIdFor(seed)]);
    const trace = await until(`${traceIdFor(seed)} to be whole`, async () => {
      const t = (await (await fetch(`${query}/api/v2/traces/${traceIdFor(seed)}`)).json()) as { trace: { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] } };
      const n = t.trace.resourceSpans.reduce((a, rs) => a + rs.scopeSpans.reduce((b, ss) => b + ss.spans.length, 0), 0);
      return n === spans ? n : undefined;
    });
    assert.equal(trace, spans);
    const logs = new URLSearchParams({ query: `{service_name=~".+"} | trace_id = "${traceIdFor(seed)}"`, since: '2h', limit: '5000' });
    const l = (await (await fetch(`${query}/loki/api/v1/query_range?${logs}`)).json()) as { data: { result: { values: string[][] }[] } };
    assert.ok(l.data.result.flatMap((s) => s.values).some((v) => v[1] === 'request received'));
  }
});

test('Prometheus scrapes the generator\'s metrics, with exemplars naming traces the capture holds', async () => {
  const ex = await until('exemplars', async () => {
    const end = Math.ceil(Date.now() / 1000);
    const r = (await (await fetch(`${prom}/api/v1/query_exemplars?${new URLSearchParams({ query: 'dynamo_frontend_time_to_first_token_seconds_bucket', start: String(end - 3600), end: String(end) })}`)).json()) as {
      data: { exemplars: { labels: { trace_id: string } }[] }[];
    };
    const ids = r.data.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id));
    return ids.length ? ids : undefined;
  });
  const held = await Promise.all(ex.map(async (id) => (await fetch(`${query}/api/traces/${id}`)).status));
  assert.ok(held.some((s) => s === 200), `exemplar traces ${ex.join(', ')}`);
});
