import { openTracePage } from './test/support/webview/traceHost';
import { closeBrowser } from './test/support/webview/harness';
async function main() {
  const f = process.argv[2]!;
  const p = await openTracePage({ path: f }, { viewport: { width: 1400, height: 900 }, load: { defaults: { view: 'flame', colorMode: 'service' } } });
  const cdp = await p.page.context().newCDPSession(p.page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const r = await p.loaded();
  const { profile } = (await cdp.send('Profiler.stop')) as any;
  console.log('handled', (r.handled - r.at).toFixed(1), 'painted', (r.painted - r.at).toFixed(1));
  // self time per function
  const self = new Map<string, number>();
  const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
  const dt = profile.timeDeltas as number[];
  profile.samples.forEach((id: number, i: number) => {
    const n = byId.get(id); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(1)}ms ${k}`).join('\n'));
  await p.close();
  await closeBrowser();
}
main();
