/**
 * Entry of the trace worker thread (bundled as dist/traceWorker.js). Parsing and laying out a
 * large file takes about a second of CPU; here it blocks this thread instead of the extension
 * host. Core only: a worker cannot reach the `vscode` API.
 */
import { parentPort } from 'node:worker_threads';
import { handleTraceRequest, TraceStore } from '../../core/traceWorker/store';

const port = parentPort;
if (!port) throw new Error('traceWorker.js runs only as a worker thread');
const store = new TraceStore();
port.on('message', (request: unknown) => {
  const reply = handleTraceRequest(store, request);
  if (reply) port.postMessage(reply);
});
