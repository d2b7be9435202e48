/**
 * Child processes of the logs bench (fresh heap each):
 *   logsChild.ts link           linkLogs of 100k log lines (oldest first, as the log list holds
 *                               them) to a 10k-span trace: half tied by span_id, half (their
 *                               span id dropped) by trace id and time; median of 9 after a warm-up
 *   logsChild.ts open WORKER FILE
 *                               opening FILE through the log worker (WORKER: the bundled
 *                               dist/logWorker.js): ms until the first entries are on this thread,
 *                               the longest stall of this thread from the open until the whole
 *                               file is indexed, and the time to index it all; median of 3; then
 *                               the same stall while a worker only burns CPU as long (the floor a
 *                               shared machine puts under the stall)
 * Prints `RESULT {json}`.
 */
import { Worker } from 'node:worker_threads';
import { linkLogs, linkSpansOf } from '../src/core/correlate/link';
import { parseTraceValue } from '../src/core/formats';
import { toLogEntry } from '../src/core/formats/logEntry';
import { LogWorkerClient } from '../src/core/logWorker/client';
import type { LogEntry } from '../src/core/model/logs';
import { buildSpanTree } from '../src/core/model/spanTree';
import { generateTrace } from '../test/support/synth';
import { generateLogs } from '../test/support/synth/logs';
import { median, timeOnce } from './lib';
import { longestStall } from './stall';

function linkBench(): Record<string, number> {
  const trace = parseTraceValue(generateTrace({ spans: 10_000, seed: 20260101 })).traces[0]!;
  const tree = buildSpanTree(trace);
  // Oldest first, as a lookup's merged answer and the log list hold them.
  const synth = generateLogs([trace], { shape: 'otlp', seed: 5, extraPerSpan: 9 })
    .slice(0, 100_000)
    .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  if (synth.length < 100_000) throw new Error(`only ${synth.length} lines`);
  const entries: LogEntry[] = synth.map((l, i) => {
    const e = toLogEntry({ timestampNs: l.ts, line: l.line, labels: l.labels, metadata: l.metadata ?? {}, parsed: {} });
    if (i % 2 === 0 || !e.spanId) return e;
    const { spanId: _dropped, ...rest } = e;
    return rest;
  });
  const spans = [linkSpansOf(trace, tree)];
  const times: number[] = [];
  let linked = 0;
  for (let k = -1; k < 9; k++) {
    const [ms, links] = timeOnce(() => linkLogs(spans, entries));
    if (k >= 0) times.push(ms);
    linked = [...links.how].filter((h) => h !== 0).length;
  }
  if (linked < entries.length * 0.95) throw new Error(`only ${linked} of ${entries.length} lines linked`);
  return { link: median(times), lines: entries.length, spans: trace.spans.length };
}

async function openBench(workerJs: string, file: string): Promise<Record<string, number>> {
  const first: number[] = [];
  const stalls: number[] = [];
  const indexed: number[] = [];
  let lines = 0;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    let firstMs = 0;
    const [stall] = await longestStall(async () => {
      const c = new LogWorkerClient(new Worker(workerJs));
      const done = new Promise<number>((r) => c.onProgress((e) => e.done && r(e.lines)));
      const opened = await c.open(file, 200);
      firstMs = performance.now() - t0;
      if (opened.first.length !== 200) throw new Error('no first entries');
      lines = await done;
      await c.terminate();
    });
    first.push(firstMs);
    stalls.push(stall);
    indexed.push(performance.now() - t0);
  }
  // What any worker busy for as long costs this thread here and now (other processes share the
  // cores): the floor under hostBlocked on this machine, measured right after it.
  const [baseline] = await longestStall(async () => {
    const w = new Worker(`const t = Date.now(); while (Date.now() - t < ${Math.round(median(indexed))}) {} require('node:worker_threads').parentPort.postMessage(1);`, { eval: true });
    await new Promise((r) => w.once('message', r));
    await w.terminate();
  });
  return { firstLines: median(first), hostBlocked: median(stalls), indexed: median(indexed), lines, baseline };
}

async function main(): Promise<void> {
  const [mode, a, b] = process.argv.slice(2);
  const r = mode === 'link' ? linkBench() : await openBench(a!, b!);
  console.log(`RESULT ${JSON.stringify(r)}`);
}

void main();
