import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, type HttpClientOptions } from '../../../src/core/backends/http';
import { TempoClient } from '../../../src/core/backends/tempo/client';
import { AuthError, NotJsonError, QueryRejectedError, TraceNotFoundError } from '../../../src/core/backends/errors';
import { parseTraceValue } from '../../../src/core/formats';
import { startServer } from '../../fakes/server';
import { startTempoFake, type TempoFake } from '../../fakes/tempo';
import { generateTrace } from '../../support/synth';
import { leftoverHandles, watchedHandles } from '../../support/handles';

type Otlp = { resourceSpans: unknown[] };

/** The same trace with another trace id (for ids with leading zeros). */
function withTraceId(otlp: Otlp, id: string): Otlp {
  return JSON.parse(JSON.stringify(otlp).replace(/"traceId":"[0-9a-f]{32}"/g, `"traceId":"${id}"`)) as Otlp;
}

const T1 = generateTrace({ spans: 400, seed: 11 });
const T2 = withTraceId(generateTrace({ spans: 30, seed: 12 }), '0000000000000000d6e9329d67b6146a');
const id1 = parseTraceValue(T1).traces[0]!.traceId;
const START_MS = Number(parseTraceValue(T1).traces[0]!.spans[0]!.start / 1_000_000n);

describe('Tempo client against the Tempo contract fake', () => {
  let fake: TempoFake;
  let old: TempoFake;
  let tenanted: TempoFake;
  let gated: TempoFake;
  let limited: TempoFake;
  let baseline: string[];
  const clients: TempoClient[] = [];
  const tempo = (url: string, extra: Partial<HttpClientOptions> = {}, protobuf = false): TempoClient => {
    const c = new TempoClient(new HttpClient({ backend: 'Tempo', baseUrl: url, retry: { baseDelayMs: 1 }, ...extra }), { protobuf });
    clients.push(c);
    return c;
  };

  before(async () => {
    baseline = watchedHandles();
    fake = await startTempoFake({ traces: [{ otlp: T1 }, { otlp: T2 }] });
    old = await startTempoFake({ traces: [{ otlp: T1 }], v2Routes: false, maxBytesPerTrace: 20_000 });
    tenanted = await startTempoFake({ traces: [{ otlp: T1, tenant: 'team-a' }], multitenancy: true });
    gated = await startTempoFake({ traces: [{ otlp: T1 }], gateway: { basic: { user: 'grafana', password: 's3cret-pass' } } });
    limited = await startTempoFake({ traces: [{ otlp: T1 }], maxBytesPerTrace: 20_000 });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.http.close()));
    await Promise.all([fake, old, tenanted, gated, limited].map((f) => f.close()));
    assert.deepEqual(await leftoverHandles(baseline), []);
  });

  it('a body that also holds spans of another trace answers the trace asked for, and says so', async () => {
    const both = { resourceSpans: [...T1.resourceSpans, ...T2.resourceSpans] };
    const byStart = parseTraceValue(both).traces;
    // Ask for the one that starts later: the answer is not simply the first trace of the body.
    const asked = byStart[1]!;
    const server = await startServer(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trace: both }) }));
    try {
      const got = await tempo(server.url).trace(asked.traceId);
      assert.deepEqual(got.trace, asked);
      assert.deepEqual(got.warnings, [`Tempo's answer also held spans of 1 other trace; only ${asked.traceId} is shown`]);
      // Asked for a trace the body does not hold: what is shown instead is named as such.
      const other = await tempo(server.url).trace('ab'.repeat(16));
      assert.equal(other.trace.traceId, byStart[0]!.traceId);
      assert.deepEqual(other.warnings.slice(-1), [`Tempo's answer holds no span of trace ${'ab'.repeat(16)}; trace ${byStart[0]!.traceId} is shown instead`]);
    } finally {
      await server.close();
    }
  });

  it('v2 JSON: Tempo encoding (base64 ids, enum names) decodes to the same model as the spec file', async () => {
    const got = await tempo(fake.url).trace(id1);
    assert.equal(got.api, 'v2');
    assert.equal(got.encoding, 'json');
    assert.equal(got.partial, false);
    assert.deepEqual(got.trace, parseTraceValue(T1).traces[0]);
    assert.equal(fake.requests.at(-1)!.headers.accept, 'application/json');
  });

  it('protobuf: same model, fewer bytes, Accept sent', async () => {
    const json = await tempo(fake.url).trace(id1);
    const proto = await tempo(fake.url, {}, true).trace(id1.toUpperCase());
    assert.equal(proto.encoding, 'protobuf');
    assert.deepEqual(proto.trace, json.trace);
    assert.ok(proto.bytes < json.bytes / 1.5, `${proto.bytes} vs ${json.bytes}`);
    assert.equal(fake.requests.at(-1)!.headers.accept, 'application/protobuf');
  });

  it('a short id is padded; leading zeros are trimmed in search and put back', async () => {
    const c = tempo(fake.url);
    const got = await c.trace('d6e9329d67b6146a');
    assert.equal(got.trace.traceId, '0000000000000000d6e9329d67b6146a');
    const res = await c.search({ query: '{}', limit: 50 });
    assert.ok(res.traces.some((t) => t.traceId === '0000000000000000d6e9329d67b6146a'));
  });

  it('v2 empty 200 → TraceNotFoundError that says what was searched (JSON and protobuf)', async () => {
    const range = { startMs: START_MS - 60_000, endMs: START_MS + 60_000 };
    for (const proto of [false, true]) {
      await assert.rejects(tempo(fake.url, {}, proto).trace('1234', { range }), (e: unknown) => {
        assert.ok(e instanceof TraceNotFoundError);
        assert.match(e.message, /^Trace 00000000000000000000000000001234 was not found in Tempo at http:\/\/127\.0\.0\.1:\d+ \(searched 20\d\d-.*Z to 20\d\d-.*Z\)\.$/);
        return true;
      });
    }
  });

  it('older Tempo: v2 route 404 → v1 (batches / tempopb.Trace); v1 404 has an empty body', async () => {
    for (const proto of [false, true]) {
      const c = tempo(old.url, {}, proto);
      await assert.rejects(c.trace(id1), (e: unknown) => e instanceof QueryRejectedError && e.message === 'Tempo rejected the query: trace exceeds max size (max bytes: 20000)');
      await assert.rejects(c.trace('abc'), TraceNotFoundError);
    }
    const small = generateTrace({ spans: 5, seed: 99 });
    old.add({ otlp: small });
    const got = await tempo(old.url, {}, true).trace(parseTraceValue(small).traces[0]!.traceId);
    assert.equal(got.api, 'v1');
    assert.equal(got.encoding, 'protobuf');
    assert.deepEqual(got.trace, parseTraceValue(small).traces[0]);
    const v1json = await tempo(old.url).trace(parseTraceValue(small).traces[0]!.traceId);
    assert.deepEqual(v1json.trace, got.trace);
  });

  it('a trace hidden by an access policy (v2 404, empty body) is not found, and v2 stays in use', async () => {
    const hidden = parseTraceValue(T2).traces[0]!.traceId;
    const redacting = await startTempoFake({ traces: [{ otlp: T1 }, { otlp: T2 }], maxBytesPerTrace: 20_000, hiddenTraceIds: [hidden] });
    try {
      const c = tempo(redacting.url);
      await assert.rejects(c.trace(hidden), TraceNotFoundError);
      // Falling back to v1 for good would turn this PARTIAL answer into v1's 422.
      const got = await c.trace(id1);
      assert.equal(got.api, 'v2');
      assert.equal(got.partial, true);
    } finally {
      await redacting.close();
    }
  });

  it('a Tempo with v2 tag routes but no v2 trace route: traces from v1, tags still scoped', async () => {
    const between = await startTempoFake({ traces: [{ otlp: T1 }], v2TraceRoute: false });
    try {
      const c = tempo(between.url);
      assert.equal((await c.trace(id1)).api, 'v1');
      assert.equal((await c.trace(id1)).api, 'v1');
      assert.equal(between.requests.filter((r) => r.url.startsWith('/api/v2/traces/')).length, 1, 'the missing route is learnt once');
      const scopes = await c.tagNames();
      assert.ok(scopes.some((x) => x.name === 'resource'), JSON.stringify(scopes.map((x) => x.name)));
    } finally {
      await between.close();
    }
  });

  it('PARTIAL past max_bytes_per_trace is surfaced, in JSON and protobuf', async () => {
    for (const proto of [false, true]) {
      const got = await tempo(limited.url, {}, proto).trace(id1);
      assert.equal(got.partial, true);
      assert.equal(got.message, 'Trace exceeds maximum size of 20000 bytes, a partial trace is returned');
      assert.ok(got.trace.spans.length < 400 && got.trace.spans.length > 0);
      assert.ok(got.warnings.some((w) => w.includes('partial')));
    }
  });

  it('a bad trace id and bad TraceQL show Tempo\'s own text', async () => {
    await assert.rejects(tempo(fake.url).trace('xyz'), (e: unknown) => e instanceof QueryRejectedError && /^Tempo rejected the query: trace IDs can only contain hex characters: invalid character 'x'/.test(e.message));
    await assert.rejects(tempo(fake.url).search({ query: 'foo' }), (e: unknown) => {
      assert.ok(e instanceof QueryRejectedError);
      assert.equal(e.message, 'Tempo rejected the query: invalid TraceQL query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER');
      return true;
    });
  });

  it('search with TraceQL, range, limit and spss', async () => {
    const c = tempo(fake.url);
    const res = await c.search({
      query: '{ resource.service.name = "dynamo-frontend" && name = "http-request" }',
      range: { startMs: START_MS - 3_600_000, endMs: START_MS + 3_600_000 },
      limit: 5,
      spss: 2,
    });
    const hit = res.traces.find((t) => t.traceId === id1);
    assert.ok(hit, 'the trace is found');
    assert.equal(hit.rootServiceName, 'dynamo-frontend');
    assert.equal(hit.rootMissing, false);
    assert.ok(hit.durationMs > 0);
    assert.equal(hit.spanSets[0]!.spans[0]!.name, 'http-request');
    assert.equal(hit.spanSets[0]!.spans[0]!.spanId.length, 16);
    assert.deepEqual(hit.spanSets[0]!.spans[0]!.attributes.map((a) => a.key), ['service.name']);
    assert.ok(hit.serviceStats['dynamo-frontend']!.spanCount > 0);
    const sent = new URL(fake.requests.at(-1)!.url, 'http://x').searchParams;
    assert.equal(sent.get('spss'), '2');
    assert.equal(sent.get('limit'), '5');
    assert.ok(Number(sent.get('end')) > Number(sent.get('start')));
  });

  it('search: omitted zeros (durationMs under 1 ms, errorCount) and a missing root read as 0 and rootMissing', async () => {
    // One span whose parent never arrived, 400 µs long, status unset: Tempo writes no durationMs,
    // no rootTraceName, no errorCount, and '<root span not yet received>'.
    const orphan = {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'dynamo-worker-vllm' } }] },
        scopeSpans: [{ scope: { name: 'dynamo' }, spans: [{
          traceId: '00000000000000000000000000c0ffee', spanId: '00000000000000aa', parentSpanId: '00000000000000bb',
          name: 'handle_payload', kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000400000', status: {},
        }] }],
      }],
    };
    const f = await startTempoFake({ traces: [{ otlp: orphan }] });
    try {
      const res = await tempo(f.url).search({ query: '{}' });
      const t = res.traces[0]!;
      assert.equal(t.traceId, '00000000000000000000000000c0ffee');
      assert.equal(t.rootMissing, true);
      assert.equal(t.rootServiceName, '<root span not yet received>');
      assert.equal(t.rootTraceName, undefined);
      assert.equal(t.durationMs, 0);
      assert.equal(t.start, 1_700_000_000_000_000_000n);
      assert.deepEqual(t.serviceStats, { 'dynamo-worker-vllm': { spanCount: 1, errorCount: 0 } });
      assert.equal(t.spanSets[0]!.spans[0]!.durationNs, 400_000n);
      assert.equal(t.spanSets[0]!.matched, 1);
    } finally {
      await f.close();
    }
  });

  it('tag names and values: v2 with scopes, v1 fallback', async () => {
    const scopes = await tempo(fake.url).tagNames();
    assert.deepEqual(scopes.map((s) => s.name).filter((n) => n === 'resource' || n === 'span' || n === 'intrinsic'), ['resource', 'span', 'intrinsic']);
    const values = await tempo(fake.url).tagValues('resource.service.name');
    assert.ok(values.some((v) => v.type === 'string' && v.value === 'dynamo-frontend'));
    assert.deepEqual((await tempo(fake.url).tagValues('status')).map((v) => v.value), ['error', 'ok', 'unset']);
    const v1 = await tempo(old.url).tagNames();
    assert.equal(v1[0]!.name, 'unscoped');
    assert.ok(v1[0]!.tags.includes('service.name'));
    const v1values = await tempo(old.url).tagValues('resource.service.name');
    assert.ok(v1values.some((v) => v.value === 'dynamo-frontend'));
  });

  it('multi-tenancy: no tenant → needs-a-tenant; wrong tenant → not found for that tenant', async () => {
    await assert.rejects(tempo(tenanted.url).trace(id1), (e: unknown) => e instanceof AuthError && e.needsTenant && e.status === 401);
    await assert.rejects(tempo(tenanted.url, { tenant: 'team-b' }).trace(id1), (e: unknown) => e instanceof TraceNotFoundError && /tenant "team-b"/.test(e.message));
    const ok = await tempo(tenanted.url, { tenant: 'team-a' }).trace(id1);
    assert.equal(ok.trace.spans.length, 400);
    assert.equal((await tempo(tenanted.url).health()).state, 'unauthorised');
    assert.equal((await tempo(tenanted.url, { tenant: 'team-a' }).health()).state, 'ok');
  });

  it('bad credentials at a gateway → AuthError (not "not JSON"), good ones pass', async () => {
    await assert.rejects(tempo(gated.url, { auth: { kind: 'basic', username: 'grafana', password: 'wrong-pass' } }).trace(id1), (e: unknown) => {
      assert.ok(e instanceof AuthError);
      assert.ok(e.offerCredentials);
      assert.match(e.message, /requires authentication \(HTTP 401 Unauthorized: 401 Authorization Required 401 Authorization Required nginx\)/);
      assert.ok(!e.message.includes('wrong-pass'));
      return true;
    });
    const ok = await tempo(gated.url, { auth: { kind: 'basic', username: 'grafana', password: 's3cret-pass' } }).trace(id1);
    assert.equal(ok.trace.traceId, id1);
  });

  it('406 to protobuf falls back to JSON; a proxy\'s HTML page is NotJson; 429 then success', async () => {
    fake.faults.add({ kind: 'status', status: 406, body: 'not acceptable' }, { path: /\/api\/v2\/traces\// });
    const got = await tempo(fake.url, {}, true).trace(id1);
    assert.equal(got.encoding, 'json');
    assert.match(got.warnings[0] ?? '', /HTTP 406/);
    fake.faults.add({ kind: 'html' });
    await assert.rejects(tempo(fake.url).trace(id1), NotJsonError);
    fake.faults.add({ kind: 'rateLimit', retryAfter: '0' }, { times: 2 });
    assert.equal((await tempo(fake.url).trace(id1)).trace.traceId, id1);
  });

  it('build info, ready, health', async () => {
    const c = tempo(fake.url);
    assert.equal((await c.buildInfo()).version, 'v3.0.3');
    assert.deepEqual(await c.ready(), { ready: true, message: 'ready' });
    const h = await c.health();
    assert.equal(h.state, 'ok');
    assert.equal(h.version, 'v3.0.3');
  });
});
