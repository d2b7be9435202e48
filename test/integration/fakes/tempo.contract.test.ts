/**
 * The Tempo fake against Tempo's HTTP API as it answers, byte for byte, over raw HTTP (no client).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { otlpProto } from '../../../src/core/formats/otlpProto';
import { startTempoFake, type TempoFake } from '../../fakes/tempo';

const b64hex = (b64: string): string => Buffer.from(b64, 'base64').toString('hex');

/** A span as Tempo's v2 trace-by-id answer shows it, written as spec OTLP/JSON. */
const EXAMPLE = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] },
      scopeSpans: [
        {
          scope: { name: 'my.library', version: '1.0.0' },
          spans: [
            {
              traceId: b64hex('W47/95gDgQPSabYzgT/HAA=='),
              spanId: b64hex('7uGbfsPBsQA='),
              name: 'I am a span!',
              kind: 2,
              startTimeUnixNano: '1689969302000000000',
              endTimeUnixNano: '1689970000000000000',
              attributes: [{ key: 'my.span.attr', value: { stringValue: 'some value' } }],
              status: {},
            },
          ],
        },
      ],
    },
  ],
};
const EXAMPLE_BATCH =
  '{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},"scopeSpans":[{"scope":{"name":"my.library","version":"1.0.0"},' +
  '"spans":[{"traceId":"W47/95gDgQPSabYzgT/HAA==","spanId":"7uGbfsPBsQA=","name":"I am a span!","kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1689969302000000000",' +
  '"endTimeUnixNano":"1689970000000000000","attributes":[{"key":"my.span.attr","value":{"stringValue":"some value"}}],"status":{}}]}]}';
const ID = b64hex('W47/95gDgQPSabYzgT/HAA==');

/** A trace whose root never arrived, with HTML characters in a name. */
const ORPHANS = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: '00000000000000000000000000abcdef',
              spanId: '0000000000000002',
              parentSpanId: '0000000000000001',
              name: 'a <b> & c',
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000000000500000',
            },
          ],
        },
      ],
    },
  ],
};

describe('Tempo fake: wire format', () => {
  let fake: TempoFake;
  let mt: TempoFake;
  async function get(path: string, headers: Record<string, string> = {}, f = fake) {
    const r = await request(`${f.url}${path}`, { headers });
    return { status: r.statusCode, headers: r.headers, body: Buffer.from(await r.body.arrayBuffer()) };
  }

  before(async () => {
    fake = await startTempoFake({ traces: [{ otlp: EXAMPLE }, { otlp: ORPHANS }] });
    mt = await startTempoFake({ traces: [], multitenancy: true });
  });
  after(async () => {
    await fake.close();
    await mt.close();
  });

  it('v1 JSON: batches, base64 ids, enum names, zeros omitted', async () => {
    const r = await get(`/api/traces/${ID}`);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.body.toString(), `{"batches":[${EXAMPLE_BATCH}]}`);
  });

  it('v2 JSON: {"trace":{"resourceSpans":…},"metrics":{"inspectedBytes":"…"}}', async () => {
    const r = await get(`/api/v2/traces/${ID.toUpperCase()}`);
    assert.match(r.body.toString(), new RegExp(`^\\{"trace":\\{"resourceSpans":\\[${EXAMPLE_BATCH.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\]\\},"metrics":\\{"inspectedBytes":"\\d+"\\}\\}$`));
  });

  it('HTML characters are escaped like encoding/json', async () => {
    const r = await get('/api/traces/abcdef');
    assert.ok(r.body.toString().includes('"name":"a \\u003cb\\u003e \\u0026 c"'));
  });

  it('not found: v1 404 with an empty body and no content type; v2 an empty 200', async () => {
    const v1 = await get('/api/traces/1234');
    assert.equal(v1.status, 404);
    assert.equal(v1.body.length, 0);
    assert.equal(v1.headers['content-type'], undefined);
    const v2 = await get('/api/v2/traces/1234');
    assert.equal(v2.status, 200);
    assert.equal(v2.body.toString(), '{"trace":{},"metrics":{}}');
  });

  it('protobuf on Accept (q-values honoured)', async () => {
    const r = await get(`/api/v2/traces/${ID}`, { accept: 'application/protobuf' });
    assert.equal(r.headers['content-type'], 'application/protobuf');
    const msg = otlpProto.TraceByIDResponse.toObject(otlpProto.TraceByIDResponse.decode(r.body), { bytes: String, longs: String, enums: String }) as {
      trace: { resourceSpans: { scopeSpans: { spans: { spanId: string; kind: string; startTimeUnixNano: string }[] }[] }[] };
    };
    const span = msg.trace.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    assert.deepEqual([span.spanId, span.kind, span.startTimeUnixNano], ['7uGbfsPBsQA=', 'SPAN_KIND_SERVER', '1689969302000000000']);
    const json = await get(`/api/v2/traces/${ID}`, { accept: 'application/protobuf;q=0.5, application/json' });
    assert.equal(json.headers['content-type'], 'application/json');
  });

  it('400s are plain text with Tempo\'s wording; 401 no org id with multi-tenancy', async () => {
    const id = await get('/api/traces/xyz');
    assert.equal(id.status, 400);
    assert.equal(id.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(id.body.toString(), "trace IDs can only contain hex characters: invalid character 'x' at position 1");
    assert.equal((await get(`/api/traces/${'a'.repeat(33)}`)).body.toString(), "trace IDs can't be larger than 128 bits");
    // pkg/util/traceid.go checks the characters before the length.
    assert.equal((await get(`/api/traces/${'a'.repeat(32)}zz`)).body.toString(), "trace IDs can only contain hex characters: invalid character 'z' at position 33");
    assert.equal((await get('/api/search?q=foo')).body.toString(), 'invalid TraceQL query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER');
    assert.equal((await get('/api/search?q=%7B%7D&tags=a%3Db')).body.toString(), "invalid request: can't specify tags and q in the same query");
    assert.equal((await get('/api/search?limit=0')).body.toString(), 'invalid limit: must be a positive number');
    assert.equal((await get('/api/search?start=10&end=5')).body.toString(), 'http parameter start must be before end. received start=10 end=5');
    assert.equal((await get('/api/search?start=0&end=700000')).body.toString(), 'range specified by start and end exceeds 168h0m0s. received start=0 end=700000');
    const noOrg = await get('/api/search', {}, mt);
    assert.equal(noOrg.status, 401);
    assert.equal(noOrg.body.toString(), 'no org id\n');
  });

  it('search: hex ids with leading zeros trimmed, keys in proto order, zeros omitted, missing root', async () => {
    const r = await get('/api/search?q=%7B%20name%20%3D%20%22a%20%3Cb%3E%20%26%20c%22%20%7D');
    const text = r.body.toString();
    assert.ok(
      text.startsWith(
        '{"traces":[{"traceID":"abcdef","rootServiceName":"\\u003croot span not yet received\\u003e","startTimeUnixNano":"1700000000000000000",' +
          '"spanSet":{"spans":[{"spanID":"0000000000000002","name":"a \\u003cb\\u003e \\u0026 c","startTimeUnixNano":"1700000000000000000","durationNanos":"500000"}],"matched":1},' +
          '"spanSets":[{"spans":[{"spanID":"0000000000000002","name":"a \\u003cb\\u003e \\u0026 c","startTimeUnixNano":"1700000000000000000","durationNanos":"500000"}],"matched":1}],' +
          '"serviceStats":{"svc":{"spanCount":1}}}],"metrics":{"inspectedTraces":2,',
      ),
      text,
    );
  });

  it('tags v1/v2, buildinfo bare with a newline, echo', async () => {
    assert.match((await get('/api/search/tags')).body.toString(), /^\{"tagNames":\["my\.span\.attr","service\.name"\],"metrics":\{"inspectedBytes":"\d+"\}\}$/);
    assert.match(
      (await get('/api/v2/search/tags')).body.toString(),
      /^\{"scopes":\[\{"name":"resource","tags":\["service\.name"\]\},\{"name":"span","tags":\["my\.span\.attr"\]\},\{"name":"intrinsic","tags":\["duration","kind","name","rootName","rootServiceName","status","statusMessage","traceDuration"\]\}\],"metrics":/,
    );
    assert.match((await get('/api/v2/search/tag/span.my.span.attr/values')).body.toString(), /^\{"tagValues":\[\{"type":"string","value":"some value"\}\],/);
    const info = await get('/api/status/buildinfo');
    assert.equal(info.body.toString(), '{"version":"v3.0.3","revision":"ad33aa8f","branch":"HEAD","buildUser":"","buildDate":"","goVersion":"go1.25.0"}\n');
    assert.equal((await get('/api/echo')).body.toString(), 'echo\n');
  });
});
