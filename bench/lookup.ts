/**
 * Lookup area (keys under `lookup.`, shared with the panel's own figures):
 *   lookup.wallVsSlowest.ratio   a whole request-id lookup's wall time over the slowest chain
 *                                of requests that must follow one another (Tempo search → trace →
 *                                Prometheus), with 100 ms of latency on every backend; target
 *                                ≤ 1.15 (the three parts truly run at once)
 *   lookup.wall.100ms.ms         that lookup's wall time
 *   lookup.slowestChain.100ms.ms the chain alone
 * Each server (the fakes, a real Prometheus behind a delaying proxy) runs in a child of its own.
 */
import { runChild, serverChild, type BenchArea, type Figures } from './lib';

async function run(log: (line: string) => void): Promise<Figures> {
  log('lookup: starting the fakes and Prometheus, one process each, with 100 ms of latency each');
  const servers = await Promise.all(['tempo', 'loki', 'prometheus'].map((role) => serverChild('bench/lookupServer.ts', [role, '100'])));
  try {
    const [tempo, loki, prometheus] = servers.map((s) => JSON.parse(s.cfg) as { url: string; id: string });
    const cfg = JSON.stringify({ tempo: tempo!.url, loki: loki!.url, prometheus: prometheus!.url, id: tempo!.id });
    log('lookup: measuring');
    const r = (await runChild('bench/lookupChild.ts', [cfg])).result;
    return { 'lookup.wallVsSlowest.ratio': r.wall! / r.slowest!, 'lookup.wall.100ms.ms': r.wall!, 'lookup.slowestChain.100ms.ms': r.slowest! };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export const lookupArea: BenchArea = {
  name: 'lookupCore',
  keyAreas: ['lookup'],
  sharesKeyAreas: true,
  description: 'request-id lookup against the fakes and a real Prometheus with 100 ms latency on each: wall time vs the slowest dependent chain',
  run,
};
