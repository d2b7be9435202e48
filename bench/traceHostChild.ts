/**
 * How long the extension host's thread is blocked while a trace file opens, and how long the open
 * takes until the trace is on screen, measured in a fresh process (spawned by bench/trace.ts):
 * traceHostChild.ts WORKER_JS FILE. Medians over opens, each with a new worker as a newly
 * opened view has.
 *   open             file → first paint: the worker reads, parses and lays the file out, the load
 *                    message is posted to a new trace view's page (the shipped bundle in headless
 *                    Chromium) as the panel posts it (postInColumns; each message packed here, as
 *                    VS Code copies a message's buffers inside postMessage), and the page draws
 *                    its first frame
 *   dataOnHost       file → the first trace's flame data on the host
 *   hostBlocked      the longest event-loop stall on this (the host's) thread while the file is
 *                    read into flame data, or while that data is posted to the page, whichever is
 *                    longer. The first is timed with no page open: on a two-core machine a
 *                    page's renderer competes with the worker for the cores, and the host's
 *                    timers then wait for the scheduler, which no host code causes
 *   hostBlockedPost  the longest stall while the data is posted to the page (part of hostBlocked)
 *   hostBlockedInline what the host was blocked for before the worker: decode + parse + layout +
 *                    flame data on its own thread, one synchronous stretch
 * Prints `RESULT {json}` on its last line.
 */
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { toTraceData } from '../src/core/flame/traceData';
import { layoutTrace } from '../src/core/flame/layout';
import { decodeTraceBody } from '../src/core/formats/traceBody';
import type { TraceData } from '../src/core/protocol/trace';
import { postInColumns } from '../src/core/protocol/traceColumns';
import { TraceWorkerClient } from '../src/core/traceWorker/client';
import type { LoadedFile } from '../src/core/traceWorker/protocol';
import { browser, closeBrowser, openWebview, pack, type Packed } from '../test/support/webview/harness';
import { loadMessage } from '../test/support/webview/traceHost';
import { gc, median, timeOnce } from './lib';
import { longestStall } from './stall';

const [workerJs, tracePath] = process.argv.slice(2);
if (!workerJs || !tracePath) throw new Error('usage: traceHostChild.ts WORKER_JS FILE');

/** A new worker reads the file, parses and lays it out; resolves with the first trace's flame data. */
async function readThroughWorker(): Promise<{ file: LoadedFile; data: TraceData; terminate: () => Promise<void> }> {
  // As the file source does for a local file: the worker reads it, the host never holds the bytes.
  const client = new TraceWorkerClient(new Worker(workerJs!, { resourceLimits: { maxOldGenerationSizeMb: 8192 } }));
  const file = await client.load({ kind: 'file', path: tracePath! });
  const data = await client.traceData(0);
  if (!data.count) throw new Error('no spans');
  return { file, data, terminate: () => client.terminate() };
}

/** The host's side only: its longest stall until the flame data has arrived. */
async function openOnHost(): Promise<{ stall: number }> {
  // The inline comparison before it leaves the host's heap full of a whole decoded trace (GBs at
  // 1M spans): collected now, that is not billed as a stall of the worker path measured next.
  gc();
  const [stall, r] = await longestStall(readThroughWorker);
  await r.terminate();
  return { stall };
}

/** File → first paint in a trace view's page, and the host's longest stall while posting to it. */
async function openOnScreen(): Promise<{ open: number; dataOnHost: number; postStall: number }> {
  // The page is made first and says "ready": in VS Code the renderer makes the webview while the
  // worker reads, here Playwright would, on this thread, and its work is the driver's.
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const page = await openWebview({ onMessage: (m) => void ((m as { type?: string }).type === 'ready' && ready()) });
  await isReady;
  gc();
  const t0 = performance.now();
  const r = await readThroughWorker();
  const dataOnHost = performance.now() - t0;
  // The posts as the panel makes them, each packed on this thread as VS Code copies a message's
  // buffers inside postMessage; then the page reads them and draws.
  const packed: Packed[] = [];
  const [postStall] = await longestStall(() => postInColumns(loadMessage(r.file, r.data), 1, (m) => void packed.push(pack(m))));
  await page.deliverPacked(packed);
  const open = performance.now() - t0;
  await Promise.all([r.terminate(), page.close()]);
  return { open, dataOnHost, postStall };
}

async function main(): Promise<void> {
  await browser(); // launched once, as the editor is already running
  const bytes = await readFile(tracePath!);
  const runs = bytes.byteLength > 200e6 ? 2 : bytes.byteLength > 20e6 ? 5 : 9;
  const stall: number[] = [];
  const post: number[] = [];
  const open: number[] = [];
  const onHost: number[] = [];
  const inline: number[] = [];
  for (let i = -1; i < runs; i++) {
    const o = { ...(await openOnHost()), ...(await openOnScreen()) };
    // What the host would pay doing it all itself (the split parse where one string cannot hold it).
    const [sync] = timeOnce(() => {
      const t = decodeTraceBody(bytes).parsed.traces[0]!;
      return toTraceData(t, layoutTrace(t));
    });
    if (i < 0) continue; // warm-up
    stall.push(Math.max(o.stall, o.postStall));
    post.push(o.postStall);
    open.push(o.open);
    onHost.push(o.dataOnHost);
    inline.push(sync);
  }
  await closeBrowser();
  console.log(`RESULT ${JSON.stringify({ hostBlocked: median(stall), open: median(open), dataOnHost: median(onHost), hostBlockedPost: median(post), hostBlockedInline: median(inline) })}`);
}

void main();
