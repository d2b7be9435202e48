/**
 * Flame area: the trace views in headless Chromium against d3-flame-graph, in one run, on the same
 * synthetic Dynamo traces of 1k, 10k, 100k and 1M spans (see flameChild.ts for each figure).
 * Keys: flame.firstPaint, flame.zoomFrame, flame.zoomFrameP95, flame.heap, timeline.scrollFrame per
 * size; flame.firstPaintVsD3FlameGraph.100k.ratio = d3-flame-graph's first paint ÷ ours (bigger is
 * better for us); flame.d3FirstPaint.<size>.ms up to 100k (at 1M d3-flame-graph would need minutes).
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTraceWebview, ROOT, runChild, sizes, type BenchArea, type Figures } from './lib';
import { syntheticTraceFile } from './syntheticTrace';

const SIZES = { '1k': 1_000, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
const D3_UP_TO = 100_000;

async function run(log: (line: string) => void): Promise<Figures> {
  buildTraceWebview();
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-bench-flame-'));
  const d3 = join(dir, 'd3flame.js');
  buildSync({ entryPoints: [join(ROOT, 'bench/d3FlamePage.ts')], outfile: d3, bundle: true, minify: true, platform: 'browser', format: 'iife', target: 'chrome120', logLevel: 'warning' });
  const figures: Figures = {};
  try {
    for (const [label, n] of sizes(SIZES)) {
      const file = await syntheticTraceFile(n, log);
      log(`flame ${label}: Spanlens${n <= D3_UP_TO ? ' and d3-flame-graph' : ''} in Chromium`);
      const r = (await runChild('bench/flameChild.ts', [file, label, n <= D3_UP_TO ? d3 : '-'], ['--max-old-space-size=16384'])).result;
      figures[`flame.firstPaint.${label}.ms`] = r.firstPaint!;
      figures[`flame.zoomFrame.${label}.ms`] = r.zoomFrame!;
      figures[`flame.zoomFrameP95.${label}.ms`] = r.zoomFrameP95!;
      figures[`timeline.scrollFrame.${label}.ms`] = r.scrollFrame!;
      figures[`flame.heap.${label}.mb`] = r.heap!;
      if (r.d3FirstPaint !== undefined) {
        figures[`flame.d3FirstPaint.${label}.ms`] = r.d3FirstPaint;
        figures[`flame.firstPaintVsD3FlameGraph.${label}.ratio`] = r.d3FirstPaint / r.firstPaint!;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

export const flameArea: BenchArea = {
  name: 'flame',
  description: 'timeline and flame views in headless Chromium vs d3-flame-graph on synthetic Dynamo traces of 1k-1M spans',
  keyAreas: ['flame', 'timeline'],
  run,
};
