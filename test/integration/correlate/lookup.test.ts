/**
 * Request-id lookup end to end in the core: the Tempo and Loki contract fakes and a real
 * Prometheus (exemplar storage on, a live target whose exemplars name a trace here), fed from
 * the generator of Dynamo-shaped data in both log shapes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createBackends, type Backends } from '../../../src/core/backends';
import { detectId } from '../../../src/core/correlate/detect';
import { LINK_NONE, linkLogs, linkSpansOf } from '../../../src/core/correlate/link';
import { startLookup, type LookupBackends, type LookupOptions, type LookupUpdate } from '../../../src/core/correlate/lookup';
import { lookupSettings } from '../../../src/core/correlate/settings';
import { parseTraceValue } from '../../../src/core/formats';
import type { Trace } from '../../../src/core/model/trace';
import { startLokiFake, type LokiFake } from '../../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../../fakes/prometheus';
import { refusedUrl } from '../../fakes/server';
import { startTempoFake, type TempoFake } from '../../fakes/tempo';
import { generateTrace } from '../../support/synth';
import { generateLogs, type SynthLogEntry } from '../../support/synth/logs';
import { dynamoRequestIdFor, requestIdFor, traceIdFor } from '../../support/synth/prng';

const NOW = Date.now();
interface Fixture {
  readonly seed: number;
  readonly model: Trace;
  readonly otlp: { resourceSpans: unknown[] };
  readonly logs: SynthLogEntry[];
}

function fixture(seed: number, spans: number, minutesAgo: number, shape: 'jsonl' | 'otlp', xRequestId?: string): Fixture {
  const otlp = generateTrace({ spans, seed, startUnixNano: BigInt(NOW - minutesAgo * 60_000) * 1_000_000n, ...(xRequestId ? { xRequestId } : {}) });
  const model = parseTraceValue(otlp).traces[0]!;
  return { seed, model, otlp, logs: generateLogs([model], { shape, seed }) };
}

/** Lines a trace-id query can find: all but the Python records logged outside any span. */
const traced = (f: Fixture): number => f.logs.filter((l) => l.metadata?.trace_id !== undefined || l.line.includes('"trace_id"')).length;

describe('request-id lookup against the fakes and a real Prometheus', { timeout: 180_000 }, () => {
  const jsonl = fixture(5001, 60, 20, 'jsonl');
  const otlp = fixture(5002, 45, 25, 'otlp');
  // A client retrying: two requests, one x-request-id, two traces (and two Dynamo request ids).
  const retry1 = fixture(5003, 30, 30, 'jsonl', 'client-retry-7');
  const retry2 = fixture(5004, 30, 29, 'otlp', 'client-retry-7');
  // Recent enough that the live target's exemplars (stored at scrape time) fall in its window.
  const recent = fixture(5005, 25, 2, 'jsonl');
  // Five hours back: past the first look-back window.
  const old = fixture(5006, 20, 300, 'otlp');
  const all = [jsonl, otlp, retry1, retry2, recent, old];
  let tempo: TempoFake;
  let loki: LokiFake;
  let prom: PrometheusHarness;
  let backends: Backends;

  before(async () => {
    tempo = await startTempoFake({ traces: all.map((f) => ({ otlp: f.otlp })) });
    loki = await startLokiFake({ entries: all.flatMap((f) => f.logs), authEnabled: false });
    prom = await startPrometheus({ backfillHours: 2, exemplarSeeds: [recent.seed] });
    backends = await createBackends({ endpoints: { tempo: { url: tempo.url }, loki: { url: loki.url }, prometheus: { url: prom.url } } });
  });
  after(async () => {
    await backends?.close();
    await tempo?.close();
    await loki?.close();
    await prom?.close();
  });

  const lookup = (id: string, b: LookupBackends = backends, extra: Partial<LookupOptions> = {}) => startLookup(id, { backends: b, nowMs: NOW + 60_000, ...extra });

  it('an x-request-id: the trace found by TraceQL, its logs by request id and trace id, linked to spans', async () => {
    const r = await lookup(requestIdFor(jsonl.seed)).done;
    assert.equal(r.id.kind, 'text');
    assert.equal(r.traces.state, 'found');
    assert.deepEqual(r.traces.value.map((t) => [t.traceId, t.via, t.summary.spanCount]), [[jsonl.model.traceId, 'search', 60]]);
    assert.equal(r.traces.range!.endMs - r.traces.range!.startMs, 3_600_000, 'found in the first window (1 h)');
    assert.equal(r.logs.state, 'found');
    assert.equal(r.logs.value.length, traced(jsonl), 'every line of the request that names it or its trace');
    for (let i = 1; i < r.logs.value.length; i++) assert.ok(r.logs.value[i - 1]!.timestampNs <= r.logs.value[i]!.timestampNs, 'oldest first');
    const links = linkLogs([linkSpansOf(r.traces.value[0]!.trace, r.traces.value[0]!.tree)], r.logs.value);
    assert.equal([...links.how].filter((h) => h === LINK_NONE).length, 0, 'every JSONL line names its span');
    const close = r.logs.value.find((e) => e.lifecycle?.kind === 'close');
    assert.ok(close?.lifecycle?.durationUs, 'SPAN_CLOSED records are understood');
    assert.ok(r.logs.value.every((e) => e.source?.path.startsWith('/opt/dynamo/')));
    // Logs were asked once per shape by request id; the trace's window adds the by-trace-id pair.
    const asked = loki.requests.filter((q) => q.url.includes('query_range')).map((q) => new URL(q.url, 'http://x').searchParams.get('query')!);
    const x = requestIdFor(jsonl.seed);
    assert.ok(asked.some((q) => q.startsWith(`{namespace=~".+"} |= "${x}" | json | x_request_id = "${x}" or request_id = "${x}"`)));
    assert.ok(asked.some((q) => q === `{service_name=~".+"} | trace_id = "${jsonl.model.traceId}"`));
  });

  it('a Dynamo request_id (UUID) on OTLP logs: the request-id lines lead to the trace id, which gives the rest', async () => {
    const r = await lookup(dynamoRequestIdFor(otlp.seed).toUpperCase()).done;
    assert.equal(r.id.kind, 'uuid');
    assert.deepEqual(r.traces.value.map((t) => t.traceId), [otlp.model.traceId]);
    assert.equal(r.logs.value.length, otlp.logs.length, 'the metadata-tagged events, the span-less Python ones and every traced line');
    const detached = r.logs.value.filter((e) => !e.traceId);
    assert.ok(detached.length >= 1 && detached.every((e) => e.metadata.request_id === dynamoRequestIdFor(otlp.seed)));
    assert.ok(detached.every((e) => e.source?.path.endsWith('handlers.py')), 'Python-origin log.file from metadata');
    const traceLines = r.logs.value.filter((e) => e.traceId);
    assert.ok(traceLines.every((e) => e.level && e.source && e.source.line), 'level and code.* from structured metadata');
  });

  it('a trace id is fetched directly; a 32-hex id Tempo does not hold is searched as a request id', async () => {
    const r = await lookup(`"${jsonl.model.traceId.toUpperCase()}"`).done;
    assert.deepEqual(r.traces.value.map((t) => t.via), ['id']);
    assert.equal(r.logs.value.length, traced(jsonl));
    const missing = traceIdFor(999_999);
    const m = await lookup(missing).done;
    assert.equal(m.traces.state, 'none');
    assert.equal(m.traces.range!.endMs - m.traces.range!.startMs, 7 * 86_400_000, 'widened to the last window');
    assert.match(m.traces.warnings[0]!, new RegExp(`Trace ${missing} was not found in Tempo`));
    assert.equal(m.logs.state, 'none');
    assert.equal(m.metrics.state, 'skipped', 'no trace or line to place the metrics');
  });

  it('a traceparent and a span id', async () => {
    const root = otlp.model.spans.find((s) => !s.parentSpanId)!;
    const tp = await lookup(`traceparent: 00-${otlp.model.traceId}-${root.spanId}-01`).done;
    assert.deepEqual(tp.traces.value.map((t) => t.traceId), [otlp.model.traceId]);
    const child = jsonl.model.spans[7]!;
    const s = await lookup(child.spanId).done;
    assert.equal(s.id.kind, 'span');
    assert.deepEqual(s.traces.value.map((t) => t.traceId), [jsonl.model.traceId]);
    assert.ok(s.logs.value.some((e) => e.spanId === child.spanId));
    assert.equal(s.logs.value.length, traced(jsonl), 'the span\'s lines, then the whole trace\'s');
  });

  it('a retried request: every trace is kept, newest first, with the logs of both', async () => {
    const r = await lookup('client-retry-7').done;
    assert.deepEqual(r.traces.value.map((t) => t.traceId), [retry2.model.traceId, retry1.model.traceId]);
    assert.equal(r.logs.value.length, traced(retry1) + traced(retry2), 'JSONL lines carry the x-request-id; the OTLP ones come by trace id');
    const links = linkLogs(r.traces.value.map((t) => linkSpansOf(t.trace, t.tree)), r.logs.value);
    assert.deepEqual(new Set([...links.trace].filter((t) => t >= 0)), new Set([0, 1]));
  });

  it('the look-back widens until it finds an older request', async () => {
    const seen: LookupUpdate[] = [];
    const r = await lookup(requestIdFor(old.seed), backends, { onUpdate: (u) => seen.push(u) }).done;
    assert.deepEqual(r.traces.value.map((t) => t.traceId), [old.model.traceId]);
    const windows = seen.filter((u) => u.part === 'traces' && u.state === 'searching' && u.range).map((u) => u.range!.endMs - u.range!.startMs);
    assert.deepEqual(windows, [3_600_000, 86_400_000]);
    assert.equal(r.logs.value.length, traced(old), 'asked for over the trace\'s own window once Tempo placed it');
  });

  it('metrics: every key query over [start − 5 min, end + 5 min] with a readable step, the trace\'s model filled in', async () => {
    // 20 minutes back: its window lies in the backfilled history.
    const r = await lookup(jsonl.model.traceId).done;
    assert.equal(r.metrics.state, 'found', JSON.stringify(r.metrics.errors));
    assert.deepEqual(r.metrics.errors, []);
    const w = r.metricsWindow!;
    const t = r.traces.value[0]!.tree;
    assert.equal(w.range.startMs, Number(t.traceStart / 1_000_000n) - 300_000);
    assert.ok(w.range.endMs >= Number((t.traceStart + BigInt(t.durationNs)) / 1_000_000n) + 300_000);
    assert.deepEqual(r.metrics.value.map((p) => p.metric.defaultId), ['requestRate', 'ttftP50', 'ttftP95', 'itlP95', 'inflight', 'queued', 'gpuUtil'], 'one panel per key query, in order');
    for (const p of r.metrics.value) assert.ok(p.series.length > 0, `${p.metric.defaultId} has data in the window`);
    const rate = r.metrics.value[0]!;
    assert.ok(rate.query.includes('model=~"Qwen/Qwen3-0\\\\.6B"'), `the trace's model, regex-escaped: ${rate.query}`);
    assert.deepEqual(new Set(rate.series.map((s) => s.labels.status)), new Set(['success', 'error']), 'by status');
    const pts = rate.series[0]!.points;
    assert.ok(pts.length > 100 && pts.every((p, i) => i === 0 || (p.timeMs - pts[i - 1]!.timeMs) % w.stepMs === 0), 'a sparkline of points on the step');
  });

  it('metrics: the exemplars that name this trace, on the histogram panels only', async () => {
    prom.live.observe(0.12, recent.model.traceId, recent.model.spans[0]!.spanId);
    // The live target's exemplars carry their scrape time: this recent trace's window holds them.
    const r = await lookup(recent.model.traceId).done;
    const w = r.metricsWindow!;
    const ttft = r.metrics.value.find((p) => p.metric.defaultId === 'ttftP95')!;
    assert.ok(ttft.exemplars.some((e) => e.traceId === recent.model.traceId), `an exemplar names this trace; got ${JSON.stringify(ttft.exemplars)}`);
    assert.ok(ttft.exemplars.every((e) => e.timeMs >= w.range.startMs && e.timeMs <= w.range.endMs), 'exemplars inside the window');
    assert.deepEqual(r.metrics.value.find((p) => p.metric.defaultId === 'ttftP50')!.exemplars, ttft.exemplars, 'p50 and p95 read the same histogram');
    assert.equal(r.metrics.value.find((p) => p.metric.defaultId === 'inflight')!.exemplars.length, 0, 'gauges ask for none');
    assert.equal(prom.url.length > 0, true);
  });

  it('Loki unreachable: the trace still comes, the logs part says why', async () => {
    const down = await createBackends({ endpoints: { tempo: { url: tempo.url }, loki: { url: await refusedUrl() }, prometheus: { url: prom.url } }, retry: { maxTries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    try {
      const r = await lookup(requestIdFor(jsonl.seed), down).done;
      assert.equal(r.traces.state, 'found');
      assert.equal(r.logs.state, 'error');
      assert.match(r.logs.errors[0]!.message, /Cannot reach Loki at http:\/\/127\.0\.0\.1:\d+\/loki\/api\/v1\/query_range: connection refused \(ECONNREFUSED\)/);
      assert.equal(r.logs.errors[0]!.backend, 'Loki');
      assert.equal(r.metrics.state, 'found');
    } finally {
      await down.close();
    }
  });

  it("a selector Loki rejects: the server's own message", async () => {
    const { settings } = lookupSettings({ jsonlSelector: '{namespace=~".*"}' });
    const r = await lookup(dynamoRequestIdFor(otlp.seed), backends, { settings }).done;
    const err = r.logs.errors.find((e) => e.query === 'JSONL logs');
    assert.ok(err, JSON.stringify(r.logs.errors));
    assert.match(err.message, /Loki rejected the query: parse error : queries require at least one regexp or equality matcher/);
    assert.equal(r.logs.state, 'found', 'the OTLP shape still answered');
    assert.equal(r.logs.value.length, otlp.logs.length);
  });

  it('each part is cancelled on its own; updates come as they arrive, the trace first', async () => {
    loki.faults.add({ kind: 'delay', ms: 5000 }, { path: /query_range/, times: 20 });
    try {
      const run = lookup(jsonl.model.traceId);
      const order: string[] = [];
      const iterated = (async () => {
        for await (const u of run.updates()) if (u.done) order.push(`${u.part}:${u.state}`);
      })();
      for await (const u of run.updates()) {
        if (u.part === 'traces' && u.done) break;
      }
      run.cancel('logs');
      const r = await run.done;
      await iterated;
      assert.equal(r.traces.state, 'found');
      assert.equal(r.logs.state, 'cancelled');
      assert.equal(order[0], 'traces:found');
      assert.ok(order.includes('logs:cancelled'));
      assert.equal(r.metrics.state, 'found', 'metrics did not wait for the logs');
    } finally {
      loki.faults.clear();
    }
  });

  it('the whole lookup is cancelled by its signal', async () => {
    tempo.faults.add({ kind: 'delay', ms: 5000 }, { times: 5 });
    try {
      const ac = new AbortController();
      const run = lookup(requestIdFor(jsonl.seed), backends, { signal: ac.signal });
      setImmediate(() => ac.abort());
      const r = await run.done;
      assert.deepEqual([r.traces.state, r.logs.state, r.metrics.state], ['cancelled', 'cancelled', 'cancelled']);
    } finally {
      tempo.faults.clear();
    }
  });

  it('a backend with unusable settings is an error; one not set is skipped', async () => {
    const r = await lookup(requestIdFor(jsonl.seed), { loki: backends.loki, configErrors: { tempo: new Error('Tempo URL "htp:/x" is not a URL') } }).done;
    assert.equal(r.traces.state, 'error');
    assert.equal(r.traces.errors[0]!.message, 'Tempo URL "htp:/x" is not a URL');
    assert.equal(r.metrics.state, 'skipped');
    assert.equal(r.logs.state, 'found', 'logs by request id need no trace');
  });

  it('detection is the one the CLI and the quick input use', () => {
    const d = detectId(` '${dynamoRequestIdFor(otlp.seed)}' `);
    assert.ok(d.ok && d.id.kind === 'uuid');
  });
});
