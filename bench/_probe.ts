import { Worker } from 'node:worker_threads';
import { TraceWorkerClient } from '../src/core/traceWorker/client';
import { pack } from '../test/support/webview/harness';
import { loadMessage } from '../test/support/webview/traceHost';
(async () => {
  const client = new TraceWorkerClient(new Worker('/tmp/tw.js', { resourceLimits: { maxOldGenerationSizeMb: 8192 } }));
  const file = await client.load({ kind: 'file', path: process.argv[2]! });
  const data = await client.traceData(0);
  console.log('names', data.names.length, 'services', data.services.length, 'statusMessages', data.statusMessages.length);
  for (let i = 0; i < 4; i++) {
    const m = loadMessage(file, data);
    let t = performance.now();
    const j = JSON.stringify(m, (_k, v) => (ArrayBuffer.isView(v) ? 0 : v));
    const tj = performance.now() - t;
    t = performance.now();
    const p = pack(m);
    console.log('json-only', tj.toFixed(1), 'pack', (performance.now() - t).toFixed(1), 'bytes', p.body.length, 'json', j.length);
  }
  await client.terminate();
})();
