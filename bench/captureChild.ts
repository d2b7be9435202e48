/**
 * Capture bench child, one mode per run (each in a fresh process so figures do not share a heap):
 *   memory            ingest 1M generator spans into a store; bytes held per span after a GC
 *   query             ingest 1M spans into a CaptureServer in this process; trace-by-id and an
 *                     attribute-equality search through its HTTP query API, median ms
 *   send URL N        (the other process of the ingest figure) POSTs N OTLP/HTTP protobuf batches
 *                     of 1,000 spans, 8 in flight, prints spans/s from first send to last answer
 * Spans come from the Dynamo generator (test/support/synth), encoded as the OTel SDK's
 * exporters would send them (ExportTraceServiceRequest).
 */
import { Agent, request } from 'node:http';
import { ingestRequest } from '../src/core/capture/receiver/otlpIngest';
import { CaptureServer } from '../src/core/capture/server';
import { CaptureStore } from '../src/core/capture/store/store';
import { otlpTypes } from '../src/core/formats/otlpSchema';
import { tempoEncode } from '../test/support/tempoEncode';
import { generateTrace } from '../test/support/synth/dynamo';
import { requestIdFor, traceIdFor } from '../test/support/synth/prng';
import { gc, median } from './lib';

const MILLION = 1_000_000;
/** Spans per generated request: a Dynamo request with its prefill, decode steps and tasks. */
const TRACE_SPANS = 100;
const BATCH_SPANS = 1000;

/** One ExportTraceServiceRequest of `BATCH_SPANS` spans: BATCH_SPANS / TRACE_SPANS requests from consecutive seeds. */
function batch(first: number, startNs: bigint): Uint8Array {
  const resourceSpans: unknown[] = [];
  for (let k = 0; k < BATCH_SPANS / TRACE_SPANS; k++) {
    const seed = first + k;
    const otlp = generateTrace({ spans: TRACE_SPANS, seed, startUnixNano: startNs + BigInt(seed) * 1_000_000n });
    resourceSpans.push(...(tempoEncode(otlp, { envelope: 'bare' }) as { resourceSpans: unknown[] }).resourceSpans);
  }
  return otlpTypes.ExportTraceServiceRequest.encode(otlpTypes.ExportTraceServiceRequest.fromObject({ resourceSpans })).finish();
}

const START = 1_767_225_600_000_000_000n;

async function memory(): Promise<Record<string, number>> {
  gc();
  const before = process.memoryUsage();
  const store = new CaptureStore({ maxSpans: 2 * MILLION, maxLogRecords: MILLION, maxBytes: 8 * 1024 ** 3 });
  for (let b = 0; b < MILLION / BATCH_SPANS; b++) ingestRequest(store, 'traces', 'protobuf', batch(1 + b * (BATCH_SPANS / TRACE_SPANS), START));
  gc();
  gc();
  const after = process.memoryUsage();
  const held = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  const spans = store.counts().spans;
  if (spans !== MILLION) throw new Error(`stored ${spans} spans`);
  return { bytesPerSpan: held / spans, estimate: store.bytes() / spans };
}

async function query(): Promise<Record<string, number>> {
  const server = await CaptureServer.start({ ports: { grpc: 0, http: 0, query: 0 }, limits: { maxSpans: 2 * MILLION, maxLogRecords: MILLION, maxBytes: 8 * 1024 ** 3 } });
  try {
    const traces = MILLION / TRACE_SPANS;
    for (let b = 0; b < MILLION / BATCH_SPANS; b++) ingestRequest(server.store, 'traces', 'protobuf', batch(1 + b * (BATCH_SPANS / TRACE_SPANS), START));
    const held = server.store.counts().spans;
    if (held !== MILLION) throw new Error(`stored ${held} spans`);
    const byId: number[] = [];
    const search: number[] = [];
    // node:http with keep-alive, the body read as bytes: the figure is the capture answering, not a client parsing.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string): Promise<string> =>
      new Promise((done, fail) => {
        const u = new URL(path, server.queryUrl);
        const req = request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.once('end', () => (res.statusCode === 200 ? done(Buffer.concat(chunks).toString('utf8')) : fail(new Error(`HTTP ${res.statusCode}`))));
        });
        req.once('error', fail);
        req.end();
      });
    for (let i = 0; i < 55; i++) {
      const seed = 1 + ((i * 7919) % traces);
      let t0 = performance.now();
      const body = await get(`/api/v2/traces/${traceIdFor(seed)}`);
      byId.push(performance.now() - t0);
      if (!body.includes('"resourceSpans"')) throw new Error(`trace ${traceIdFor(seed)} not found`);
      t0 = performance.now();
      const q = `{ span.x_request_id = "${requestIdFor(seed)}" }`;
      const found = await get(`/api/search?${new URLSearchParams({ q, limit: '20' })}`);
      search.push(performance.now() - t0);
      if ((JSON.parse(found) as { traces: unknown[] }).traces.length !== 1) throw new Error(`search for ${requestIdFor(seed)} found the wrong traces`);
    }
    agent.destroy();
    // The first few warm the JIT and the connection.
    return { traceById: median(byId.slice(5)), search: median(search.slice(5)) };
  } finally {
    await server.close();
  }
}

async function send(url: string, n: number): Promise<Record<string, number>> {
  const bodies: Uint8Array[] = [];
  // Distinct traces per batch (the receiver stores each), prepared before the clock starts.
  for (let b = 0; b < n; b++) bodies.push(batch(1 + b * (BATCH_SPANS / TRACE_SPANS), START));
  process.stdout.write('PREPARED\n');
  // Then stdin is done with: left open, it would keep this process (and the bench waiting on it) alive.
  await new Promise<void>((r) => process.stdin.once('data', () => (process.stdin.destroy(), r())));
  // node:http with keep-alive: the sender must cost less than what it measures (fetch's per-request overhead showed).
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const target = new URL(`${url}/v1/traces`);
  const post = (body: Uint8Array): Promise<void> =>
    new Promise((done, fail) => {
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.byteLength } },
        (res) => {
          res.resume();
          res.once('end', () => (res.statusCode === 200 ? done() : fail(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.once('error', fail);
      req.end(body);
    });
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) await post(bodies[next++]!);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  agent.destroy();
  const s = (performance.now() - t0) / 1000;
  return { spansPerSec: (n * BATCH_SPANS) / s, seconds: s };
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  const result = mode === 'memory' ? await memory() : mode === 'query' ? await query() : await send(args[0]!, Number(args[1]));
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
