/**
 * Trace area: a Dynamo-shaped synthetic trace (test/support/synth) of 1k, 10k and 100k spans,
 * Tempo v2 JSON encoding, as the extension receives it. Figures per size:
 *   bytes             response size
 *   jsonParse         bare JSON.parse of the text (the floor any decoder pays)
 *   decode            parseTraceText: JSON.parse + conversion to the model
 *   decodeToJsonParse decode / jsonParse; the budget is ≤ 2 at 100k
 *   layout            layoutTrace on the decoded trace
 *   peakHeap          most heap in use from reading the text to the finished layout, above the
 *                     process's idle heap (text + parse tree + model + layout + garbage)
 *   retainedHeap      heap still held by the model and layout once the text is dropped
 *   hostBlocked       longest stall of the extension host's thread while a file opens through
 *                     the trace worker (dist/traceWorker.js, bundled here) into a trace view's
 *                     page, until its first paint; see traceHostChild.ts
 *   hostBlockedInline the decode and layout done on the host's thread, as before the worker
 *   open              file → first paint, through the worker, in a new page of the shipped bundle
 *   dataOnHost        the part of the open until the trace data is on the host
 * The 1M-span file is larger than one JavaScript string: the timing and memory runs (which make
 * one) are skipped there; the open through the worker reads it without making one.
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTraceWebview, ROOT, runChild, sizes, type BenchArea, type Figures } from './lib';
import { syntheticTraceFile } from './syntheticTrace';

const SIZES = { '1k': 1_000, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
/** One string holds at most 2^29 − 24 characters. */
const MAX_STRING = 2 ** 29 - 24;

async function run(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-bench-'));
  try {
    // The worker as shipped: bundled and minified like `npm run package` does.
    const workerJs = join(dir, 'traceWorker.js');
    buildTraceWebview();
    buildSync({ entryPoints: [join(ROOT, 'src/extension/panels/traceWorker.ts')], outfile: workerJs, bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
    for (const [label, n] of sizes(SIZES)) {
      const file = await syntheticTraceFile(n, log);
      const bytes = statSync(file).size;
      log(`trace ${label}: host thread while opening through the worker`);
      const h = (await runChild('bench/traceHostChild.ts', [workerJs, file], ['--max-old-space-size=16384'])).result;
      Object.assign(figures, {
        [`bytes.${label}.bytes`]: bytes,
        [`hostBlocked.${label}.ms`]: h.hostBlocked!,
        [`hostBlockedInline.${label}.ms`]: h.hostBlockedInline!,
        [`open.${label}.ms`]: h.open!,
        [`dataOnHost.${label}.ms`]: h.dataOnHost!,
        [`hostBlockedPost.${label}.ms`]: h.hostBlockedPost!,
      });
      if (bytes > MAX_STRING) continue;
      log(`trace ${label}: timing`);
      const t = (await runChild('bench/traceChild.ts', ['time', file])).result;
      log(`trace ${label}: memory`);
      const m = await runChild('bench/traceChild.ts', ['memory', file], ['--trace-gc']);
      const peak = Math.max(m.result.atEndMiB!, ...m.heapBeforeGcMiB) - m.result.baselineMiB!;
      Object.assign(figures, {
        [`jsonParse.${label}.ms`]: t.jsonParse!,
        [`decode.${label}.ms`]: t.decode!,
        [`decodeToJsonParse.${label}.ratio`]: t.decode! / t.jsonParse!,
        [`layout.${label}.ms`]: t.layout!,
        [`peakHeap.${label}.mb`]: peak,
        [`retainedHeap.${label}.mb`]: m.result.retainedMiB!,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

export const traceArea: BenchArea = {
  name: 'trace',
  description: 'decode (Tempo v2 JSON → model), flame layout, and the host thread while the trace worker opens synthetic Dynamo traces',
  run,
};
