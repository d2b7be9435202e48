/**
 * Measuring child of the lookup panel bench (see lookupPanel.ts):
 *   lookupPanelChild.ts logs          logs.firstPaint.100k
 *   lookupPanelChild.ts first CONFIG  lookup.firstContent against the servers of lookupServer.ts
 * Prints `RESULT {json}`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../src/core/correlate/settings';
import type { LogRow, TraceData } from '../src/core/protocol/trace';
import { postInColumns } from '../src/core/protocol/traceColumns';
import type { LookupEvent, LookupStarted } from '../src/core/traceWorker/lookupSession';
import { TraceWorkerHandler } from '../src/core/traceWorker/store';
import { closeBrowser, openWebview } from '../test/support/webview/harness';
import { loadMessage, openTracePage } from '../test/support/webview/traceHost';
import { generateTrace } from '../test/support/synth';
import { median } from './lib';

const RUNS = 5;
const VIEWPORT = { width: 1400, height: 900 };

function rows(n: number, boxes: number): LogRow[] {
  const out: LogRow[] = [];
  for (let i = 0; i < n; i++) {
    const level = i % 50 === 0 ? 'error' : i % 7 === 0 ? 'debug' : 'info';
    const message = `engine step ${i} request_id=3fa941c5-44e6-4c51-8ee2-${String(i).padStart(12, '0')}`;
    out.push({ timeText: new Date(1_767_225_600_000 + i).toISOString(), offsetNs: i * 1000, level, message, line: `{"message":"${message}"}`, box: i % boxes, service: 'dynamo-frontend', hasSource: i % 3 === 0 });
  }
  return out;
}

async function logsFirstPaint(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-bench-'));
  try {
    const file = join(dir, 'trace.json');
    writeFileSync(file, JSON.stringify(generateTrace({ spans: 1000, seed: 3 })));
    const list = rows(100_000, 1000);
    const times: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      const p = await openTracePage({ path: file }, { viewport: VIEWPORT });
      try {
        await p.loaded();
        const { at, painted } = await p.deliver({ type: 'logs', rows: list, state: { state: 'found', text: '100,000 lines' } });
        await p.page.waitForFunction(() => document.querySelector('[data-testid="logs-count"]')?.textContent === '100,000 lines');
        times.push(painted - at);
      } finally {
        await p.close();
      }
    }
    return { firstPaint: median(times) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function firstContent(cfg: { tempo: string; loki: string; prometheus: string; id: string }): Promise<Record<string, number>> {
  const firsts: number[] = [];
  const logsAfter: number[] = [];
  for (let k = -1; k < RUNS; k++) {
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const w = await openWebview({ viewport: VIEWPORT, onMessage: (m) => void ((m as { type?: string }).type === 'ready' && ready()) });
    try {
      await isReady;
      let logsAt = Number.NaN;
      const h = new TraceWorkerHandler(undefined, (e: LookupEvent) => {
        if (e.type === 'lookupPart' && e.part === 'logs' && e.report.state !== 'searching' && Number.isNaN(logsAt)) logsAt = performance.now();
      });
      const t0 = performance.now();
      const r = await h.handle({
        type: 'lookup', id: 1, input: cfg.id, settings: DEFAULT_SETTINGS,
        connection: { endpoints: { tempo: { url: cfg.tempo }, loki: { url: cfg.loki }, prometheus: { url: cfg.prometheus } } },
      });
      const started = r?.reply.ok ? (r.reply.result as LookupStarted) : undefined;
      if (!started?.file) throw new Error(`the lookup found no trace: ${JSON.stringify(r?.reply)}`);
      const d = (await h.handle({ type: 'traceData', id: 2, trace: 0 }))!.reply;
      if (!d.ok) throw new Error(d.error);
      const posted: unknown[] = [];
      await postInColumns(loadMessage(started.file, d.result as TraceData, { source: 'bench', title: cfg.id, warnings: [], warningCount: 0 }), k + 10, (m) => void posted.push(m));
      // deliverAll() resolves once the page reports the frame after the last message on screen.
      await w.deliverAll(posted);
      const shown = performance.now();
      while (Number.isNaN(logsAt)) await new Promise((res) => setTimeout(res, 5));
      if (k >= 0) {
        firsts.push(shown - t0);
        logsAfter.push(logsAt - shown);
      }
      await h.handle({ type: 'cancelLookup', id: 3 });
    } finally {
      await w.close();
    }
  }
  return { firstContent: median(firsts), logsAfter: median(logsAfter) };
}

async function main(): Promise<void> {
  const [mode, cfg] = process.argv.slice(2);
  try {
    const result = mode === 'logs' ? await logsFirstPaint() : await firstContent(JSON.parse(cfg!) as never);
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await closeBrowser();
  }
}

void main();
