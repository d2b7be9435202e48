/**
 * Entry of the log-file worker thread (bundled as dist/logWorker.js). Reading and indexing a
 * log file of a gigabyte takes seconds of I/O and CPU; here it never blocks the extension host.
 * Core only: a worker cannot reach the `vscode` API.
 */
import { parentPort } from 'node:worker_threads';
import { LogWorkerHandler } from '../../core/logWorker/store';

const port = parentPort;
if (!port) throw new Error('logWorker.js runs only as a worker thread');
const handler = new LogWorkerHandler((event) => port.postMessage(event));
port.on('message', (request: unknown) => {
  void handler.handle(request).then((r) => {
    if (r) port.postMessage(r.reply, r.transfer);
  });
});
