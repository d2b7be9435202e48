/**
 * Entry of the capture worker thread (bundled as dist/captureWorker.js): the local capture's
 * receivers, store and query endpoint run here, so a sender at 100,000 spans/s costs the
 * extension host nothing. Core only: a worker cannot reach the `vscode` API.
 */
import { parentPort } from 'node:worker_threads';
import { CaptureWorkerHandler } from '../../core/capture/worker';

const port = parentPort;
if (!port) throw new Error('captureWorker.js runs only as a worker thread');
const handler = new CaptureWorkerHandler((reply) => port.postMessage(reply));
port.on('message', (request: unknown) => void handler.handle(request));
