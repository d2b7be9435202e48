/**
 * The real worker thread (src/extension/panels/traceWorker.ts, run from source through tsx)
 * behind the host's client: bytes are transferred, answers come back by id, and every request
 * settles when the worker dies or is stopped.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { TraceWorkerClient, TraceWorkerError, transferableBuffer } from '../../../src/core/traceWorker/client';
import { fixturePath } from '../../support/fixtures';
import { generateTrace } from '../../support/synth';
import { tempoEncode } from '../../support/tempoEncode';

const ENTRY = resolve(__dirname, '../../../src/extension/panels/traceWorker.ts');
const clients: TraceWorkerClient[] = [];

function spawn(resourceLimits?: ResourceLimits): TraceWorkerClient {
  // --require (not --import): a worker's ESM hooks register too late for its own entry file.
  const c = new TraceWorkerClient(new Worker(ENTRY, { execArgv: ['--require', 'tsx/cjs'], ...(resourceLimits ? { resourceLimits } : {}) }));
  clients.push(c);
  return c;
}

const bytes = (b: ArrayBuffer) => ({ kind: 'bytes' as const, bytes: b });
const hotrod = () => bytes(transferableBuffer(readFileSync(fixturePath('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json'))));

async function rejection(p: Promise<unknown>): Promise<TraceWorkerError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof TraceWorkerError, `expected a TraceWorkerError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('trace worker thread', () => {
  after(async () => {
    await Promise.all(clients.map((c) => c.terminate()));
  });

  test('parses transferred bytes and answers trace data and details by id; trace data arrives as typed arrays', async () => {
    const c = spawn();
    const input = hotrod();
    const size = input.bytes.byteLength;
    const loading = c.load(input);
    assert.equal(input.bytes.byteLength, 0, 'the buffer was transferred, not copied');
    const file = await loading;
    assert.equal(file.bytes, size);
    assert.deepEqual(file.spanCounts, [40]);
    // Sent together, answered each to its own request.
    const [flame, root, last] = await Promise.all([c.traceData(0), c.details(0, 0), c.details(0, 39)]);
    assert.ok(flame.start instanceof Float64Array && flame.rowBoxes instanceof Uint32Array);
    assert.equal(flame.count, 40);
    assert.equal(root.name, 'GET /dispatch');
    assert.equal(last.box, 39);
    assert.equal(last.name, flame.names[flame.name[39]!]);
    assert.equal(c.pendingCount, 0);
  });

  test('not a trace and an out-of-range box come back as errors of their kind; the worker lives on', async () => {
    const c = spawn();
    const notTrace = await rejection(c.load(bytes(transferableBuffer(new TextEncoder().encode('{"name":"not-a-trace"}')))));
    assert.equal(notTrace.kind, 'format');
    assert.match(notTrace.message, /not a trace format this reads/);
    await c.load(hotrod());
    const out = await rejection(c.details(0, 40));
    assert.equal(out.kind, 'request');
    assert.match(out.message, /box 40 is out of range/);
    assert.ok(c.alive);
    assert.equal((await c.details(0, 1)).box, 1);
  });

  test('a worker that crashes (out of memory) rejects every pending request, and later ones at once', async () => {
    const c = spawn({ maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 });
    await c.load(hotrod()); // small files fit: the crash below is the big parse, not start-up
    const big = new TextEncoder().encode(JSON.stringify(tempoEncode(generateTrace({ spans: 20_000, seed: 7 }), { envelope: 'v2', inspectedBytes: 1 })));
    const pending = [c.load(bytes(transferableBuffer(big))), c.details(0, 0), c.traceData(0)];
    const errors = await Promise.all(pending.map(rejection));
    for (const e of errors) {
      assert.equal(e.kind, 'exited');
      assert.match(e.message, /memory/);
    }
    assert.equal(c.alive, false);
    assert.equal(c.pendingCount, 0);
    assert.equal((await rejection(c.traceData(0))).kind, 'exited');
  });

  test('a worker that exits under the client rejects what it was asked', async () => {
    const worker = new Worker(ENTRY, { execArgv: ['--require', 'tsx/cjs'] });
    const c = new TraceWorkerClient(worker);
    clients.push(c);
    const pending = c.load(hotrod());
    void worker.terminate(); // not through the client: as the thread ending on its own
    const e = await rejection(pending);
    assert.equal(e.kind, 'exited');
    assert.match(e.message, /exit code/);
  });

  test('terminate (cancel, dispose) rejects pending requests at once with its reason', async () => {
    const c = spawn();
    const big = new TextEncoder().encode(JSON.stringify(tempoEncode(generateTrace({ spans: 5_000, seed: 3 }), { envelope: 'v2', inspectedBytes: 1 })));
    const pending = c.load(bytes(transferableBuffer(big)));
    const reason = new Error('cancelled by the user');
    const stopping = c.terminate(reason);
    const e = await rejection(pending);
    assert.equal(e.kind, 'terminated');
    assert.equal(e.reason, reason);
    await stopping;
    assert.equal(c.alive, false);
  });
});

test('transferableBuffer hands over the file\'s own buffer, and copies a view of a larger one', () => {
  const own = new Uint8Array([1, 2, 3]);
  assert.ok(transferableBuffer(own) === own.buffer);
  const pooled = Buffer.from('abc'); // a slice of Node's shared pool
  const b = transferableBuffer(pooled);
  assert.ok(b !== pooled.buffer, 'a copy, not the shared pool');
  assert.equal(b.byteLength, 3);
  assert.deepEqual([...new Uint8Array(b)], [97, 98, 99]);
});
