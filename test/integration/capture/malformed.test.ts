/**
 * Malformed and oversized OTLP, over both transports, gets what the OTLP specification
 * prescribes (HTTP 400/413/415/405/404 with a google.rpc.Status body in the request's encoding;
 * gRPC INVALID_ARGUMENT / RESOURCE_EXHAUSTED; a partial success naming the rejected spans), and
 * none of it changes the store or stops the receiver.
 */
import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { otlpTypes, OTLP_GRPC_PATHS } from '../../../src/core/formats/otlpSchema';
import { CaptureServer } from '../../../src/core/capture/server';

const LIMIT = 64 * 1024;
let server: CaptureServer;
let base: string;

before(async () => {
  server = await CaptureServer.start({ ports: { grpc: 0, http: 0, query: 0 }, maxRequestBytes: LIMIT });
  base = `http://127.0.0.1:${server.ports.http}`;
});
after(async () => {
  await server.close();
});

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

function oneSpan(spanId: string, name = 'ok'): object {
  return { traceId: '5b8efff798038103d269b633813fc60c', spanId, name, startTimeUnixNano: '1767225600000000000', endTimeUnixNano: '1767225600000001000' };
}

async function post(path: string, headers: Record<string, string>, body: string | Uint8Array, method = 'POST'): Promise<{ status: number; type: string; body: Buffer }> {
  const r = await fetch(`${base}${path}`, { method, headers, body: method === 'GET' ? undefined : typeof body === 'string' ? body : Buffer.from(body) });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: Buffer.from(await r.arrayBuffer()) };
}

function protoStatus(b: Buffer): { code: number; message: string } {
  return otlpTypes.Status.toObject(otlpTypes.Status.decode(b), { defaults: true }) as { code: number; message: string };
}

describe('OTLP/HTTP refusals', () => {
  const cases: { what: string; path?: string; method?: string; headers: Record<string, string>; body: string | Uint8Array; status: number; json?: boolean; message: RegExp }[] = [
    { what: 'protobuf that is not a request', headers: PROTO, body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), status: 400, message: /not an OTLP traces message/ },
    { what: 'JSON that is not JSON', headers: JSON_CT, body: '{"resourceSpans":[', status: 400, json: true, message: /not JSON/ },
    { what: 'JSON of the wrong shape', headers: JSON_CT, body: '{"resourceSpans":{"x":1}}', status: 400, json: true, message: /expected an array/ },
    { what: 'another content type', headers: { 'content-type': 'text/plain' }, body: 'hello', status: 415, message: /unsupported Content-Type/ },
    { what: 'another content encoding', headers: { ...PROTO, 'content-encoding': 'br' }, body: 'x', status: 415, message: /unsupported Content-Encoding/ },
    { what: 'gzip that is not gzip', headers: { ...PROTO, 'content-encoding': 'gzip' }, body: 'not gzip', status: 400, message: /could not be decompressed/ },
    { what: 'a body over the limit', headers: PROTO, body: new Uint8Array(LIMIT + 1), status: 413, message: /exceeds the limit/ },
    { what: 'gzip that inflates over the limit', headers: { ...JSON_CT, 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(LIMIT * 4, 0x20)), status: 413, json: true, message: /exceeds the limit .*decompressed/ },
    { what: 'GET', method: 'GET', headers: PROTO, body: '', status: 405, message: /POST/ },
    { what: 'another path', path: '/v1/metrics', headers: PROTO, body: new Uint8Array(), status: 404, message: /not an OTLP\/HTTP path/ },
  ];
  for (const c of cases) {
    test(`${c.what} → ${c.status} with a Status body`, async () => {
      const before = server.stats();
      const r = await post(c.path ?? '/v1/traces', c.headers, c.body, c.method);
      assert.equal(r.status, c.status);
      const st = c.json ? (JSON.parse(r.body.toString('utf8')) as { code: number; message: string }) : protoStatus(r.body);
      assert.equal(r.type, c.json ? 'application/json' : 'application/x-protobuf');
      assert.match(st.message, c.message);
      assert.ok(st.code > 0);
      assert.deepEqual(server.stats().received, before.received);
    });
  }

  test('one bad span among good ones: 200 with a partial success naming it; the good spans are stored', async () => {
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [oneSpan('1111111111111111'), oneSpan('not-hex'), oneSpan('2222222222222222')] }] }] });
    const r = await post('/v1/traces', JSON_CT, body);
    assert.equal(r.status, 200);
    const res = JSON.parse(r.body.toString('utf8')) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    assert.equal(res.partialSuccess.rejectedSpans, '1');
    assert.match(res.partialSuccess.errorMessage, /span 1 .*spanId/);
    const t = server.store.trace('5b8efff798038103d269b633813fc60c')!;
    assert.deepEqual(t.rows.map((row) => server.store.spans.spanIdHex(row)).sort(), ['1111111111111111', '2222222222222222']);
    // Protobuf too: a span id of 9 bytes.
    const req = otlpTypes.ExportTraceServiceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(9, 2), name: 'x' }] }] }] });
    const p = await post('/v1/traces', PROTO, otlpTypes.ExportTraceServiceRequest.encode(req).finish());
    assert.equal(p.status, 200);
    const pr = otlpTypes.ExportTraceServiceResponse.toObject(otlpTypes.ExportTraceServiceResponse.decode(p.body), { longs: String }) as { partialSuccess: { rejectedSpans: string } };
    assert.equal(pr.partialSuccess.rejectedSpans, '1');
  });

  test('a full success answers an empty response; an empty body is an empty request', async () => {
    const r = await post('/v1/logs', PROTO, new Uint8Array());
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 0);
    const j = await post('/v1/logs', JSON_CT, '{}');
    assert.equal(j.body.toString(), '{}');
  });
});

describe('OTLP/gRPC refusals', () => {
  function call(path: string, body: Buffer): Promise<{ err: grpc.ServiceError | null; res?: Buffer }> {
    const client = new grpc.Client(`127.0.0.1:${server.ports.grpc}`, grpc.credentials.createInsecure());
    return new Promise((done) => {
      client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        (err, res) => {
          client.close();
          done({ err, res });
        },
      );
    });
  }

  test('bytes that are not a request → INVALID_ARGUMENT, and the receiver keeps serving', async () => {
    const before = server.stats().received;
    const r = await call(OTLP_GRPC_PATHS.traces, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]));
    assert.equal(r.err?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(r.err!.details, /not an OTLP traces message/);
    const logs = await call(OTLP_GRPC_PATHS.logs, Buffer.from([0x0a, 0x05, 0x12, 0x03, 0x12, 0x01, 0xff]));
    assert.equal(logs.err?.code, grpc.status.INVALID_ARGUMENT);
    assert.deepEqual(server.stats().received, before);
    const ok = await call(OTLP_GRPC_PATHS.traces, Buffer.alloc(0));
    assert.equal(ok.err, null);
  });

  test('a message over the limit → RESOURCE_EXHAUSTED', async () => {
    const r = await call(OTLP_GRPC_PATHS.traces, Buffer.alloc(LIMIT + 10));
    assert.equal(r.err?.code, grpc.status.RESOURCE_EXHAUSTED);
  });

  test('a method the receiver does not serve → UNIMPLEMENTED', async () => {
    const r = await call('/opentelemetry.proto.collector.metrics.v1.MetricsService/Export', Buffer.alloc(0));
    assert.equal(r.err?.code, grpc.status.UNIMPLEMENTED);
  });
});
