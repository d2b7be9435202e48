import { openTracePage } from './test/support/webview/traceHost';
import { closeBrowser } from './test/support/webview/harness';
async function main() {
  const [f, view] = process.argv.slice(2);
  for (let i = 0; i < 3; i++) {
    const p = await openTracePage({ path: f! }, { viewport: { width: 1400, height: 900 }, load: { defaults: { view: view as 'flame', colorMode: 'service' } } });
    const r = await p.loaded();
    console.log(view, 'handled', (r.handled - r.at).toFixed(1), 'painted', (r.painted - r.at).toFixed(1));
    await p.close();
  }
  await closeBrowser();
}
main();
