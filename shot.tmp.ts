import { readFileSync, writeFileSync } from 'node:fs';
import { openTracePage } from './test/support/webview/traceHost';
import { closeBrowser } from './test/support/webview/harness';
import { generateTrace } from './test/support/synth';
import { tempoEncode } from './test/support/tempoEncode';

async function main() {
  const [what, view, theme] = process.argv.slice(2);
  let bytes: Uint8Array;
  if (what.endsWith('.json')) bytes = readFileSync(what);
  else bytes = new TextEncoder().encode(JSON.stringify(tempoEncode(generateTrace({ spans: Number(what), seed: 3 }), { envelope: 'v2', inspectedBytes: 1 })));
  const p = await openTracePage(bytes, { theme: (theme as 'dark') ?? 'dark', load: { defaults: { view: (view as 'flame') ?? 'timeline', colorMode: 'service' } } });
  await p.loaded();
  await p.page.waitForTimeout(500);
  const errs = p.fromPage.filter((m: any) => m.type === '__pageerror');
  console.log('errors', JSON.stringify(errs));
  await p.page.screenshot({ path: `/tmp/shots/${what.split('/').pop()}-${view}.png` });
  // click first row then screenshot
  if (view === 'timeline') await p.page.locator('.tl-row').nth(2).click();
  else await p.page.locator('canvas.flame-canvas').click({ position: { x: 30, y: 30 } });
  await p.page.waitForTimeout(500);
  await p.page.screenshot({ path: `/tmp/shots/${what.split('/').pop()}-${view}-sel.png` });
  console.log(JSON.stringify(p.fromPage.slice(0, 5)).slice(0, 500));
  await p.close();
  await closeBrowser();
}
main().catch((e) => { console.error(e); process.exit(1); });
