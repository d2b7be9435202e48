/**
 * A request-id lookup run inside the trace worker's handler (as a lookup panel runs it): against
 * the Tempo and Loki fakes and a real Prometheus. The traces it finds answer the views' requests
 * like a file's; its logs come back tied to the boxes of the shown trace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../../src/core/correlate/settings';
import { parseTraceValue } from '../../../src/core/formats';
import type { LogRow, TraceData } from '../../../src/core/protocol/trace';
import type { LookupEvent, LookupStarted } from '../../../src/core/traceWorker/lookupSession';
import { TraceWorkerHandler } from '../../../src/core/traceWorker/store';
import { startLokiFake, type LokiFake } from '../../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../../fakes/prometheus';
import { refusedUrl } from '../../fakes/server';
import { startTempoFake, type TempoFake } from '../../fakes/tempo';
import { generateTrace } from '../../support/synth';
import { generateLogs } from '../../support/synth/logs';
import { requestIdFor } from '../../support/synth/prng';

const NOW = Date.now();
const SEED = 6101;
const otlp = generateTrace({ spans: 80, seed: SEED, startUnixNano: BigInt(NOW - 10 * 60_000) * 1_000_000n });
const model = parseTraceValue(otlp).traces[0]!;
const logs = generateLogs([model], { shape: 'jsonl', seed: SEED });

describe('a lookup in the trace worker', { timeout: 180_000 }, () => {
  let tempo: TempoFake;
  let loki: LokiFake;
  let prom: PrometheusHarness;

  before(async () => {
    tempo = await startTempoFake({ traces: [{ otlp }] });
    loki = await startLokiFake({ entries: logs, authEnabled: false });
    prom = await startPrometheus({ backfillHours: 1 });
  });
  after(async () => {
    await tempo?.close();
    await loki?.close();
    await prom?.close();
  });

  async function run(lokiUrl: string) {
    const events: LookupEvent[] = [];
    const h = new TraceWorkerHandler(undefined, (e) => events.push(e));
    const r = await h.handle({
      type: 'lookup', id: 1, input: requestIdFor(SEED), settings: DEFAULT_SETTINGS, nowMs: NOW + 60_000,
      connection: { endpoints: { tempo: { url: tempo.url }, loki: { url: lokiUrl }, prometheus: { url: prom.url } }, retry: { maxTries: 1, baseDelayMs: 1, maxDelayMs: 1 } },
    });
    assert.ok(r?.reply.ok, JSON.stringify(r?.reply));
    return { h, events, started: r.reply.result as LookupStarted };
  }

  async function settled(events: LookupEvent[], part: 'logs' | 'metrics'): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!events.some((e) => e.type === 'lookupPart' && e.part === part && e.report.state !== 'searching')) {
      if (Date.now() > deadline) throw new Error(`the ${part} part did not settle`);
      await new Promise((res) => setTimeout(res, 20));
    }
  }

  it('finds the trace by request id; the views read it; its logs come tied to its boxes', async () => {
    const { h, events, started } = await run(loki.url);
    assert.equal(started.kind, 'text');
    assert.equal(started.traces.state, 'found');
    assert.deepEqual(started.file?.spanCounts, [80]);
    assert.equal(started.file?.choices[0]?.traceId, model.traceId);
    const data = (await h.handle({ type: 'traceData', id: 2, trace: 0 }))!.reply;
    assert.ok(data.ok);
    assert.equal((data.result as TraceData).count, 80);
    await settled(events, 'logs');
    const rows = (await h.handle({ type: 'logRows', id: 3, trace: 0 }))!.reply;
    assert.ok(rows.ok);
    const list = rows.result as LogRow[];
    assert.ok(list.length > 0, 'log lines found');
    assert.ok(list.filter((r) => r.box >= 0).length >= list.length * 0.9, 'nearly every line is tied to a box');
    for (const r of list) if (r.box >= 0) assert.ok(r.box < 80);
    assert.match(list[0]!.timeText, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const withSource = list.findIndex((r) => r.hasSource);
    assert.ok(withSource >= 0);
    const src = (await h.handle({ type: 'logSource', id: 4, index: withSource }))!.reply;
    assert.ok(src.ok && src.result && typeof (src.result as { path: string }).path === 'string');
    await settled(events, 'metrics');
    const metrics = events.find((e) => e.type === 'lookupMetrics');
    assert.ok(metrics && metrics.type === 'lookupMetrics' && metrics.panels.length > 0);
  });

  it('Loki down: the trace is still found, and the logs part says why it failed', async () => {
    const { events, started } = await run(await refusedUrl());
    assert.equal(started.traces.state, 'found');
    await settled(events, 'logs');
    const logsPart = events.filter((e) => e.type === 'lookupPart' && e.part === 'logs').pop();
    assert.ok(logsPart && logsPart.type === 'lookupPart');
    assert.equal(logsPart.report.state, 'error');
    assert.match(logsPart.report.errors[0]!.message, /Loki/);
  });
});
