/**
 * Entry of the trace worker thread (bundled as dist/traceWorker.js). Reading, parsing and laying
 * out a large trace takes seconds of CPU; here it blocks this thread instead of the extension
 * host. Core only: a worker cannot reach the `vscode` API.
 */
import { parentPort } from 'node:worker_threads';
import { TraceWorkerHandler } from '../../core/traceWorker/store';

const port = parentPort;
if (!port) throw new Error('traceWorker.js runs only as a worker thread');
// Events (a lookup's progress) carry no id, which tells the host's client they answer no request.
const handler = new TraceWorkerHandler(undefined, (event) => port.postMessage(event));
port.on('message', (request: unknown) => {
  void handler.handle(request).then((r) => {
    if (r) port.postMessage(r.reply, r.transfer);
  });
});
