/**
 * flameChild.ts FILE LABEL D3BUNDLE|-: the trace views in headless Chromium (the built webview
 * bundle, dist/webview/trace.js, with a stand-in for the VS Code API; see test/support/webview),
 * fed one synthetic trace the way the host feeds it (typed arrays, not JSON numbers):
 *   firstPaint       from the page receiving the load message to the first frame on screen, flame view
 *   zoomFrame(P95)   one zoom or pan step: viewport change + flame draw + a pixel read that makes
 *                    the canvas finish rasterizing; median and p95 of 50 steps (zoom in, pan, zoom out)
 *   scrollFrame      one timeline scroll step: scroll + render of the visible rows + layout; median of 50
 *   heap             the page's JS heap plus array buffers after a GC, with the trace shown and
 *                    after the zoom and scroll steps (what they cached counts), MB
 *   d3FirstPaint     d3-flame-graph's first draw of the same trace as a hierarchy (when a bundle is given)
 * Prints `RESULT {json}` on its last line.
 */
import type { CDPSession } from 'playwright-core';
import type { TraceData } from '../src/core/protocol/trace';
import { TraceWorkerHandler } from '../src/core/traceWorker/store';
import { closeBrowser, openWebview } from '../test/support/webview/harness';
import { openTracePage } from '../test/support/webview/traceHost';
import { median } from './lib';

const [file, label, d3Bundle] = process.argv.slice(2);
if (!file || !label) throw new Error('usage: flameChild.ts FILE LABEL D3BUNDLE|-');

const WIDTH = 1400;
const HEIGHT = 900;

function p95(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!;
}

async function heapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  return (u.usedSize + (u.backingStorageSize ?? 0)) / (1024 * 1024);
}

async function ours(): Promise<Record<string, number>> {
  const p = await openTracePage({ path: file! }, { viewport: { width: WIDTH, height: HEIGHT }, load: { defaults: { view: 'flame', colorMode: 'service' } } });
  try {
    const { at, painted } = await p.loaded();
    const zoom = (await p.page.evaluate(() => {
      type App = { views: { flame: { draw(): void; canvas: HTMLCanvasElement }; viewport: { zoomAt(f: number, a: number): void; pan(f: number): void } } };
      const app = (window as unknown as { spanlensTrace: App }).spanlensTrace;
      const { flame, viewport } = app.views;
      const g = flame.canvas.getContext('2d')!;
      const times: number[] = [];
      for (let i = 0; i < 50; i++) {
        const t = performance.now();
        if (i < 20) viewport.zoomAt(0.8, 0.37);
        else if (i < 30) viewport.pan(0.13);
        else viewport.zoomAt(1.25, 0.5);
        flame.draw();
        g.getImageData(0, 0, 1, 1);
        times.push(performance.now() - t);
      }
      return times;
    })) as number[];
    await p.page.locator('[data-testid="view-timeline"]').click();
    const scroll = (await p.page.evaluate(() => {
      type App = { views: { timeline: { renderNow(): void; focusTarget: HTMLElement } } };
      const { timeline } = (window as unknown as { spanlensTrace: App }).spanlensTrace.views;
      const sc = timeline.focusTarget;
      const times: number[] = [];
      for (let i = 0; i < 50; i++) {
        const t = performance.now();
        sc.scrollTop += 660;
        timeline.renderNow();
        void sc.getBoundingClientRect();
        void document.body.offsetHeight;
        times.push(performance.now() - t);
      }
      return times;
    })) as number[];
    // After the steps, not before: the heap then holds what zooming and scrolling built, and the
    // forced collection it takes does not come between the first paint and the first zoom (a
    // user's session has no such collection; it flushes compiled code the first zoom then redoes).
    const heap = await heapMb(await p.page.context().newCDPSession(p.page));
    const errors = p.fromPage.filter((m) => (m as { type?: string }).type === '__pageerror');
    if (errors.length) throw new Error(`the page failed: ${JSON.stringify(errors)}`);
    return { firstPaint: painted - at, zoomFrame: median(zoom), zoomFrameP95: p95(zoom), scrollFrame: median(scroll), heap };
  } finally {
    await p.close();
  }
}

/** The same trace as d3-flame-graph wants it: nested {name, value, children} from the parent links. */
async function hierarchyJson(): Promise<string> {
  const h = new TraceWorkerHandler();
  await h.handle({ type: 'load', id: 1, input: { kind: 'file', path: file! } });
  const r = (await h.handle({ type: 'traceData', id: 2, trace: 0 }))!.reply;
  if (!r.ok) throw new Error(r.error);
  const d = r.result as TraceData;
  type N = { name: string; value: number; children: N[] };
  const nodes: N[] = Array.from({ length: d.count }, (_, b) => ({ name: d.names[d.name[b]!]!, value: Math.max(1, d.end[b]! - d.start[b]!), children: [] }));
  const roots: N[] = [];
  for (let b = 0; b < d.count; b++) {
    const p = d.parent[b]!;
    if (p >= 0) nodes[p]!.children.push(nodes[b]!);
    else roots.push(nodes[b]!);
  }
  const root = roots.length === 1 ? roots[0]! : { name: 'trace', value: d.durationNs, children: roots };
  return JSON.stringify(root);
}

async function theirs(bundle: string): Promise<number> {
  const json = await hierarchyJson();
  const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-d3-'));
  const dataFile = join(dir, 'data.js');
  writeFileSync(dataFile, json);
  const w = await openWebview({ entry: 'd3flame', files: { 'd3flame.js': bundle, 'data.js': dataFile }, viewport: { width: WIDTH, height: HEIGHT } });
  try {
    return await w.page.evaluate((width) => (window as unknown as { runD3(u: string, w: number): Promise<number> }).runD3('/data.js', width), WIDTH);
  } finally {
    await w.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const result: Record<string, number> = await ours();
  if (d3Bundle && d3Bundle !== '-') result.d3FirstPaint = await theirs(d3Bundle);
  await closeBrowser();
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch(async (err: unknown) => {
  await closeBrowser().catch(() => undefined);
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
