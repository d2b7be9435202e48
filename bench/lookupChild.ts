/**
 * Measuring child of the lookup bench: lookupChild.ts CONFIG_JSON (from lookupServer.ts).
 *   wall     a whole lookup of an x-request-id (Tempo search and trace, Loki by request id and
 *            by trace id, seven Prometheus range queries and the exemplars), median of 7 warm
 *   slowest  the chain of requests that must follow one another, sent alone with the same
 *            clients: the Tempo search, then the trace it found, then the Prometheus queries
 *            (their window comes from the trace), those at once — median of 7
 * With the same latency on every backend, a lookup whose parts run one after another costs
 * about the sum of its parts; one whose parts run at once costs about the slowest chain.
 * Prints `RESULT {json}`.
 */
import { createBackends } from '../src/core/backends';
import { startLookup } from '../src/core/correlate/lookup';
import { exemplarQuery, keyMetricExpr, metricsWindow } from '../src/core/correlate/promql';
import { DEFAULT_SETTINGS } from '../src/core/correlate/settings';
import { lookBackWindows, requestIdTraceql } from '../src/core/correlate/traceql';
import { median } from './lib';

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]!) as { tempo: string; loki: string; prometheus: string; id: string };
  const b = await createBackends({ endpoints: { tempo: { url: cfg.tempo }, loki: { url: cfg.loki }, prometheus: { url: cfg.prometheus } } });
  const walls: number[] = [];
  const chains: number[] = [];
  try {
    for (let k = -1; k < 7; k++) {
      const t0 = performance.now();
      const r = await startLookup(cfg.id, { backends: b }).done;
      const wall = performance.now() - t0;
      if (r.traces.state !== 'found' || r.logs.state !== 'found' || r.metrics.state !== 'found') {
        throw new Error(`lookup incomplete: ${r.traces.state}/${r.logs.state}/${r.metrics.state} ${JSON.stringify([...r.traces.errors, ...r.logs.errors, ...r.metrics.errors])}`);
      }

      const t1 = performance.now();
      const [first] = lookBackWindows(DEFAULT_SETTINGS.lookBackMs, Date.now());
      const found = await b.tempo!.search({ query: requestIdTraceql([cfg.id], DEFAULT_SETTINGS.attributes), range: first!, limit: DEFAULT_SETTINGS.maxTraces, spss: 1 });
      const trace = (await b.tempo!.trace(found.traces[0]!.traceId)).trace;
      const start = trace.spans.reduce((m, s) => (s.start < m ? s.start : m), trace.spans[0]!.start);
      const end = trace.spans.reduce((m, s) => (s.end > m ? s.end : m), 0n);
      const w = metricsWindow(start, end);
      const exprs = DEFAULT_SETTINGS.metrics.map((m) => keyMetricExpr(m, { rateInterval: w.rateInterval, model: 'Qwen/Qwen3-0.6B' }));
      await Promise.all([...exprs.map((q) => b.prometheus!.queryRange(q, w.range, { stepMs: w.stepMs })), b.prometheus!.exemplars(exemplarQuery(exprs.filter((_, i) => DEFAULT_SETTINGS.metrics[i]!.exemplars))!, w.range)]);
      const chain = performance.now() - t1;
      if (k >= 0) {
        walls.push(wall);
        chains.push(chain);
      }
    }
  } finally {
    await b.close();
  }
  console.log(`RESULT ${JSON.stringify({ wall: median(walls), slowest: median(chains) })}`);
}

void main();
