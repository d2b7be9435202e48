/**
 * The Dynamo load generator (real OTel SDK, OTLP/gRPC) into the capture, and the queries a
 * request-id lookup sends answered from what arrived: the trace by id exactly as generated, the
 * request id through TraceQL over the request-id attributes, the trace's logs through Loki's
 * OTLP-shape query, and the JSONL-shape query answered (empty: OTLP records carry no JSON lines).
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { CaptureServer } from '../../../src/core/capture/server';
import { parseTraceValue } from '../../../src/core/formats';
import { DynamoLoad, type SentRequest } from '../../support/loadgen/dynamoLoad';
import { generateTrace } from '../../support/synth/dynamo';

let server: CaptureServer;
let load: DynamoLoad;
const sent: SentRequest[] = [];
const NOW = BigInt(Date.now()) * 1_000_000n;

async function until(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let d = 20; !cond(); d = Math.min(d * 2, 250)) {
    if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(server.stats())}`);
    await new Promise((r) => setTimeout(r, d));
  }
}

before(async () => {
  server = await CaptureServer.start({ ports: { grpc: 0, http: 0, query: 0 } });
  load = new DynamoLoad({ grpc: `http://127.0.0.1:${server.ports.grpc}` });
  for (const [i, spans] of [120, 40, 300].entries()) sent.push(load.send(7000 + i, spans, NOW - BigInt(60 - i) * 1_000_000_000n));
  await load.flush();
  const spans = sent.reduce((n, r) => n + r.spans, 0);
  const logs = sent.reduce((n, r) => n + r.logs, 0);
  await until(() => server.stats().spans >= spans && server.stats().logRecords >= logs);
});
after(async () => {
  await load.shutdown();
  await server.close();
});

test('every generated span arrives with its ids, times, attributes, events and status', () => {
  for (const r of sent) {
    const want = parseTraceValue(generateTrace({ spans: r.spans, seed: r.seed, startUnixNano: r.startNs })).traces[0]!;
    const got = server.store.spans.traceSpans(server.store.trace(r.traceId)!);
    const key = (s: (typeof want.spans)[number]) => s.spanId;
    const norm = (s: (typeof want.spans)[number]) => ({
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      name: s.name,
      kind: s.kind,
      start: s.start,
      end: s.end,
      status: s.status,
      attributes: s.attributes.map((a) => [a.key, a.value]),
      events: s.events.map((e) => [e.time, e.name, e.attributes.map((a) => [a.key, a.value])]),
      service: s.resource.serviceName,
    });
    assert.deepEqual([...got].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map(norm), [...want.spans].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map(norm));
  }
});

test('the lookup\'s TraceQL finds each request by its id; its Loki queries return the trace\'s logs', async () => {
  for (const r of sent) {
    const q = `{ .x_request_id = "${r.requestId}" || .request_id = "${r.requestId}" }`;
    const s = (await (await fetch(`${server.queryUrl}/api/search?${new URLSearchParams({ q, limit: '20' })}`)).json()) as { traces: { traceID: string; rootServiceName: string }[] };
    assert.deepEqual(s.traces.map((t) => t.traceID.padStart(32, '0')), [r.traceId]);
    assert.equal(s.traces[0]!.rootServiceName, 'dynamo-frontend');
    const range = { start: String(r.startNs - 10_000_000_000n), end: String(r.startNs + 600_000_000_000n), limit: '5000' };
    const otlp = new URLSearchParams({ query: `{service_name=~".+"} | trace_id = "${r.traceId}"`, ...range });
    const body = (await (await fetch(`${server.queryUrl}/loki/api/v1/query_range?${otlp}`, { headers: { 'x-loki-response-encoding-flags': 'categorize-labels' } })).json()) as {
      data: { result: { stream: Record<string, string>; values: [string, string, { structuredMetadata: Record<string, string> }][] }[] };
    };
    const lines = body.data.result.flatMap((x) => x.values);
    assert.equal(lines.length, r.tracedLogs);
    assert.ok(lines.every((v) => v[2].structuredMetadata.trace_id === r.traceId));
    assert.ok(lines.some((v) => v[1] === 'request received'));
    const jsonl = new URLSearchParams({ query: `{namespace=~".+"} |= "${r.requestId}" | json | x_request_id = "${r.requestId}"`, ...range });
    const j = await fetch(`${server.queryUrl}/loki/api/v1/query_range?${jsonl}`);
    assert.equal(j.status, 200);
  }
});

test('a TraceQL regular expression that does not compile is a 400 invalid TraceQL query, as Tempo answers it', async () => {
  const res = await fetch(`${server.queryUrl}/api/search?${new URLSearchParams({ q: '{ resource.service.name =~ "{dynamo-.*" }' })}`);
  assert.equal(res.status, 400);
  assert.match(await res.text(), /^invalid TraceQL query: error parsing regexp: invalid regular expression "\{dynamo-\.\*"/);
});
