/**
 * Capture area: the local capture's store and receiver, on the Dynamo generator's spans.
 *   capture.ingest.spansPerSec       OTLP/HTTP protobuf batches of 1,000 spans POSTed by another
 *                                    process (8 in flight) to the capture running in a worker thread,
 *                                    as in the extension; this thread's event-loop delay is logged
 *   capture.traceById.1m.ms          GET /api/v2/traces/<id> of a 100-span trace with 1M spans stored, the
 *                                    answer read as bytes (median of 50 distinct traces)
 *   capture.search.1m.ms             /api/search `{ span.x_request_id = "…" }` over 1M stored spans (median)
 *   capture.bytesPerSpan.1m.bytes    heap and array buffers held per span with 1M stored, after a GC
 */
import { buildSync } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { CaptureReply } from '../src/core/capture/worker';
import { ROOT, runChild, type BenchArea, type Figures } from './lib';

const INGEST_BATCHES = 300;

function request(w: Worker, msg: Record<string, unknown>): Promise<unknown> {
  return new Promise((done, fail) => {
    const on = (m: CaptureReply): void => {
      if ('event' in m || m.id !== msg.id) return;
      w.off('message', on);
      if (m.ok) done(m.result);
      else fail(new Error(m.error.message));
    };
    w.on('message', on);
    w.postMessage(msg);
  });
}

async function ingest(log: (line: string) => void): Promise<number> {
  // The worker as the extension ships it (dist/captureWorker.js), bundled here.
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-bench-capture-'));
  const workerJs = join(dir, 'captureWorker.js');
  buildSync({ entryPoints: [join(ROOT, 'src/extension/capture/captureWorker.ts')], outfile: workerJs, bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  // The extension's own worker options (controller.ts).
  const worker = new Worker(workerJs, { resourceLimits: { maxYoungGenerationSizeMb: 192 } });
  try {
    const started = (await request(worker, {
      id: 1,
      type: 'start',
      options: { ports: { grpc: 0, http: 0, query: 0 }, limits: { maxSpans: 2_000_000, maxLogRecords: 1_000_000, maxBytes: 4 * 1024 ** 3 } },
    })) as { ports: { http: number } };
    const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', resolve(ROOT, 'bench/captureChild.ts'), 'send', `http://127.0.0.1:${started.ports.http}`, String(INGEST_BATCHES)], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const result = await new Promise<{ spansPerSec: number; seconds: number }>((done, fail) => {
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lines.on('line', (l) => {
        if (l === 'PREPARED') {
          lag.enable();
          child.stdin!.write('go\n');
        } else if (l.startsWith('RESULT ')) {
          lag.disable();
          log(`capture ingest: host thread event-loop delay while receiving: p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`);
          done(JSON.parse(l.slice(7)) as { spansPerSec: number; seconds: number });
        }
      });
      child.once('exit', (code) => code !== 0 && fail(new Error(`sender exited ${code}`)));
    }).finally(() => {
      // The sender is done (or failed): it must not outlive the area, or the bench never exits.
      child.stdin!.destroy();
      if (child.exitCode === null) child.kill();
    });
    const stats = (await request(worker, { id: 2, type: 'stats' })) as { spans: number; rejected: { spans: number } };
    log(`capture ingest: ${INGEST_BATCHES * 1000} spans in ${result.seconds.toFixed(2)} s; stored ${stats.spans}, rejected ${stats.rejected.spans}`);
    if (stats.spans !== INGEST_BATCHES * 1000) throw new Error(`the capture stored ${stats.spans} of ${INGEST_BATCHES * 1000} spans`);
    await request(worker, { id: 3, type: 'stop' });
    return result.spansPerSec;
  } finally {
    await worker.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(log: (line: string) => void): Promise<Figures> {
  log('capture: ingest (OTLP/HTTP protobuf, another process → the capture worker)');
  const spansPerSec = await ingest(log);
  log('capture: 1M spans stored, trace by id and search');
  const q = (await runChild('bench/captureChild.ts', ['query'], ['--max-old-space-size=8192'])).result;
  log('capture: memory held per span at 1M');
  const m = (await runChild('bench/captureChild.ts', ['memory'], ['--max-old-space-size=8192'])).result;
  log(`capture: the store's own byte estimate is ${m.estimate!.toFixed(0)} bytes per span`);
  return {
    'ingest.spansPerSec': spansPerSec,
    'traceById.1m.ms': q.traceById!,
    'search.1m.ms': q.search!,
    'bytesPerSpan.1m.bytes': m.bytesPerSpan!,
  };
}

export const captureArea: BenchArea = {
  name: 'capture',
  description: 'the local capture: OTLP/HTTP ingest from another process, trace by id and search with 1M spans stored, bytes per stored span',
  run,
};
