/**
 * Lookup panel area (keys under `lookup.` and `logs.`, beside the lookup and logs core figures):
 *   lookup.firstContent.ms   from Look Up to the trace's first frame on screen: the lookup run in
 *                            the trace worker's code as the panel runs it, against the same three
 *                            servers with 100 ms latency each, its trace delivered to the built
 *                            webview in headless Chromium; median of 5
 *   lookup.logsAfterFirstContent.ms  how long after that frame the logs part settled (positive: the
 *                            trace was drawn before its logs arrived)
 *   logs.firstPaint.100k.ms  100,000 log rows delivered to a trace view that is already shown (as a
 *                            lookup's logs arrive), from the message to the first frame with the
 *                            list drawn; median of 5 fresh pages
 */
import { runChild, serverChild, type BenchArea, type Figures } from './lib';

async function run(log: (line: string) => void): Promise<Figures> {
  log('lookup panel: 100k log rows into a shown trace view');
  const paint = (await runChild('bench/lookupPanelChild.ts', ['logs'])).result;
  log('lookup panel: starting the fakes and Prometheus with 100 ms of latency each');
  const servers = await Promise.all(['tempo', 'loki', 'prometheus'].map((role) => serverChild('bench/lookupServer.ts', [role, '100'])));
  try {
    const [tempo, loki, prometheus] = servers.map((s) => JSON.parse(s.cfg) as { url: string; id: string });
    const cfg = JSON.stringify({ tempo: tempo!.url, loki: loki!.url, prometheus: prometheus!.url, id: tempo!.id });
    log('lookup panel: first content');
    const first = (await runChild('bench/lookupPanelChild.ts', ['first', cfg])).result;
    return {
      'lookup.firstContent.ms': first.firstContent!,
      'lookup.logsAfterFirstContent.ms': first.logsAfter!,
      'logs.firstPaint.100k.ms': paint.firstPaint!,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export const lookupPanelArea: BenchArea = {
  name: 'lookupPanel',
  keyAreas: ['lookup', 'logs'],
  sharesKeyAreas: true,
  description: 'the lookup panel in headless Chromium: time to the trace drawn with 100 ms backends, and first paint of 100k log rows',
  run,
};
