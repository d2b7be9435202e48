/**
 * Metrics area: `metrics.firstPaint.8x1h.ms` — the Metrics view in headless Chromium (the built
 * webview, production bundle) receiving one refresh of eight panels of one hour at 15 s steps
 * (240 points each, two series in the first): from the page receiving the data message to the
 * first frame with every sparkline on screen. Median over fresh pages, in a child process.
 */
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, runChild, type BenchArea, type Figures } from './lib';

async function run(log: (line: string) => void): Promise<Figures> {
  // The CSS and the rest of the webview output as the build writes them, then the script as shipped.
  const { buildAll } = (await import(pathToFileURL(join(ROOT, 'scripts/build.mjs')).href)) as { buildAll(): Promise<void> };
  await buildAll();
  buildSync({ entryPoints: [join(ROOT, 'webview/metrics/main.ts')], outfile: join(ROOT, 'dist/webview/metrics.js'), bundle: true, minify: true, platform: 'browser', format: 'iife', target: 'chrome120', logLevel: 'warning' });
  log('metrics 8x1h: eight sparklines in Chromium');
  const r = (await runChild('bench/metricsChild.ts', [])).result;
  return { 'firstPaint.8x1h.ms': r.firstPaint! };
}

export const metricsArea: BenchArea = {
  name: 'metrics',
  description: 'Metrics view first paint of eight one-hour sparklines in headless Chromium',
  run,
};
