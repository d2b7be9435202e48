import { openTracePage } from './test/support/webview/traceHost';
import { closeBrowser } from './test/support/webview/harness';
async function main() {
  const f = process.argv[2]!;
  const p = await openTracePage({ path: f }, { viewport: { width: 1400, height: 900 }, load: { defaults: { view: 'flame', colorMode: 'service' } } });
  const cdp = await p.page.context().newCDPSession(p.page);
  const events: any[] = [];
  cdp.on('Tracing.dataCollected', (e: any) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  const r = await p.loaded();
  await cdp.send('Tracing.end');
  await done;
  console.log('handled', (r.handled - r.at).toFixed(1), 'painted', (r.painted - r.at).toFixed(1));
  const agg = new Map<string, number>();
  for (const e of events) if (e.ph === 'X' && e.dur) agg.set(e.name, (agg.get(e.name) ?? 0) + e.dur / 1000);
  console.log([...agg].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, v]) => `${v.toFixed(1)} ${k}`).join('\n'));
  await p.close();
  await closeBrowser();
}
main();
