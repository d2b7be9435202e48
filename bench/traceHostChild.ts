/**
 * How long the extension host's thread is blocked while a trace file opens, measured in a fresh
 * process (spawned by bench/trace.ts):  traceHostChild.ts WORKER_JS FILE
 *   hostBlocked      longest event-loop stall on this (the host's) thread from reading the file
 *                    until the first trace's flame data has arrived from the worker, which
 *                    parses and lays it out meanwhile; median over opens, each with a new worker
 *                    as a newly opened view has
 *   open             wall time of that same open (read, worker start, parse, layout, flame data)
 *   hostBlockedInline what the host was blocked for before the worker: decode + parse + layout +
 *                    flame data on its own thread, one synchronous stretch
 * Prints `RESULT {json}` on its last line.
 */
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { toTraceData } from '../src/core/flame/traceData';
import { layoutTrace } from '../src/core/flame/layout';
import { decodeTraceBody } from '../src/core/formats/traceBody';
import { TraceWorkerClient } from '../src/core/traceWorker/client';
import { gc, median, timeOnce } from './lib';
import { longestStall } from './stall';

const [workerJs, file] = process.argv.slice(2);
if (!workerJs || !file) throw new Error('usage: traceHostChild.ts WORKER_JS FILE');

async function openOnce(): Promise<{ stall: number; open: number }> {
  // The inline comparison before it leaves the host's heap full of a whole decoded trace (GBs at
  // 1M spans): collected now, that is not billed as a stall of the worker path measured next.
  gc();
  const t0 = performance.now();
  let client: TraceWorkerClient | undefined;
  const [stall, flame] = await longestStall(async () => {
    // As the file source does for a local file: the worker reads it, the host never holds the bytes.
    client = new TraceWorkerClient(new Worker(workerJs!, { resourceLimits: { maxOldGenerationSizeMb: 8192 } }));
    await client.load({ kind: 'file', path: file! });
    return client.traceData(0);
  });
  const open = performance.now() - t0;
  if (!flame.count) throw new Error('no spans');
  await client!.terminate();
  return { stall, open };
}

async function main(): Promise<void> {
  const bytes = await readFile(file!);
  const runs = bytes.byteLength > 200e6 ? 2 : bytes.byteLength > 20e6 ? 5 : 9;
  const stall: number[] = [];
  const open: number[] = [];
  const inline: number[] = [];
  for (let i = -1; i < runs; i++) {
    const o = await openOnce();
    // What the host would pay doing it all itself (the split parse where one string cannot hold it).
    const [sync] = timeOnce(() => {
      const t = decodeTraceBody(bytes).parsed.traces[0]!;
      return toTraceData(t, layoutTrace(t));
    });
    if (i < 0) continue; // warm-up
    stall.push(o.stall);
    open.push(o.open);
    inline.push(sync);
  }
  console.log(`RESULT ${JSON.stringify({ hostBlocked: median(stall), open: median(open), hostBlockedInline: median(inline) })}`);
}

void main();
