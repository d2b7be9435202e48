/** Child of bench/metrics.ts: opens the Metrics view N times and times data → painted sparklines. */
import { closeBrowser } from '../test/support/webview/harness';
import { defaultPanels, openMetricsPage, syntheticSeries } from '../test/support/webview/metricsHost';
import type { PanelData, PanelInfo } from '../src/core/protocol/metrics';
import { median } from './lib';

const RUNS = 9;

async function main(): Promise<void> {
  const panels: PanelInfo[] = [...defaultPanels(), { id: 'custom:0', title: 'Worker requests', query: 'sum(rate(dynamo_component_requests_total[1m]))', unit: 'perSecond' }];
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const p = await openMetricsPage({ panels, viewport: { width: 360, height: 900 } });
    try {
      await p.loaded();
      const end = Date.now();
      const s = (k: number) => syntheticSeries('', end, 15_000, 240, (i) => 10 + Math.sin((i + k) / 7) * 5 + (i % 3));
      const data: PanelData[] = panels.map((x, k) => ({ id: x.id, series: k === 0 ? [{ ...s(k), label: 'status="success"' }, { ...s(k + 1), label: 'status="error"' }] : [s(k)], warnings: [] }));
      const t = await p.sendData(data, { endMs: end });
      const drawn = await p.page.evaluate(() => (window as unknown as { spanlensMetrics: { drawn: number } }).spanlensMetrics.drawn);
      if (drawn !== panels.length) throw new Error(`drew ${drawn} of ${panels.length} sparklines`);
      const errors = p.fromPage.filter((m) => (m as { type?: string }).type === '__pageerror');
      if (errors.length) throw new Error(`the page failed: ${JSON.stringify(errors)}`);
      times.push(t.painted - t.at);
    } finally {
      await p.close();
    }
  }
  await closeBrowser();
  process.stdout.write(`RESULT ${JSON.stringify({ firstPaint: median(times), runs: RUNS })}\n`);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
