import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isHealthyStatus, parseDynamoHealth } from '../../../src/core/formats/dynamoHealth';
import { parseExactJson } from '../../../src/core/formats/exactJson';
import { TraceFormatError } from '../../../src/core/model/errors';
import { FRONTEND_INSTANCE_IDS, frontendHealthBody } from '../../fakes/dynamoHealth';

describe('Dynamo health responses', () => {
  it('frontend /health (current): endpoints, instances with exact u64 ids, transport and device', () => {
    const h = parseDynamoHealth(frontendHealthBody());
    assert.equal(h.kind, 'frontend');
    assert.equal(h.status, 'healthy');
    assert.deepEqual(h.endpoints, [
      { name: 'dyn://dynamo.backend.generate', state: 'available' },
      { name: 'dyn://dynamo.prefill.generate', state: 'available' },
    ]);
    assert.deepEqual(
      h.instances.map((i) => i.instanceId),
      [...FRONTEND_INSTANCE_IDS],
    );
    // JSON.parse would have rounded it.
    assert.notEqual(String(JSON.parse(`[${FRONTEND_INSTANCE_IDS[0]}]`)[0]), FRONTEND_INSTANCE_IDS[0]);
    assert.deepEqual(h.instances[0], {
      component: 'backend',
      endpoint: 'generate',
      namespace: 'dynamo',
      instanceId: '7587888160372585749',
      transport: 'nats_tcp: dynamo_backend.generate-694d9a6f0e1b5c15',
      deviceType: undefined,
    });
    assert.equal(h.instances[1]!.transport, 'tcp: 10.0.0.7:45123');
    assert.equal(h.instances[1]!.deviceType, 'cuda');
    assert.ok(isHealthyStatus(h.status));
  });

  it('frontend /health as the reference composes it (u64 max, http transport)', () => {
    const h = parseDynamoHealth(
      '{"endpoints":["dyn://dynamo.backend.generate"],"instances":[{"component":"backend","endpoint":"generate","instance_id":18446744073709551615,"namespace":"dynamo","transport":{"http":"http://10.1.2.3:9345/v1/rpc"}}],"status":"healthy"}',
    );
    assert.equal(h.instances[0]!.instanceId, '18446744073709551615');
    assert.equal(h.instances[0]!.transport, 'http: http://10.1.2.3:9345/v1/rpc');
  });

  it('frontend /health from older releases: unhealthy with "No endpoints available" (HTTP 200) is not healthy', () => {
    const h = parseDynamoHealth('{"message":"No endpoints available","status":"unhealthy"}');
    assert.deepEqual(h, { kind: 'frontend', status: 'unhealthy', message: 'No endpoints available', endpoints: [], instances: [] });
    assert.equal(isHealthyStatus(h.status), false);
  });

  it('frontend /health of an old release that listed endpoints without instances', () => {
    const h = parseDynamoHealth('{"endpoints":["dyn://dynamo.backend.generate"],"status":"healthy"}');
    assert.equal(h.kind, 'frontend');
    assert.equal(h.endpoints.length, 1);
    assert.deepEqual(h.instances, []);
  });

  it('frontend /live: live, and shutting_down (sent with 503)', () => {
    assert.deepEqual(parseDynamoHealth('{"message":"Service is live","status":"live"}'), { kind: 'frontend-live', status: 'live', message: 'Service is live', endpoints: [], instances: [] });
    const down = parseDynamoHealth('{"message":"Service is shutting down","status":"shutting_down"}');
    assert.equal(down.kind, 'frontend-live');
    assert.equal(down.status, 'shutting_down');
    assert.equal(isHealthyStatus(down.status), false);
  });

  it('worker system server: notready with uptime {secs, nanos} and per-endpoint states', () => {
    const h = parseDynamoHealth('{"endpoints":{"generate":"notready"},"status":"notready","uptime":{"nanos":120004311,"secs":7}}');
    assert.equal(h.kind, 'worker');
    assert.equal(h.status, 'notready');
    assert.deepEqual(h.endpoints, [{ name: 'generate', state: 'notready' }]);
    assert.ok(Math.abs(h.uptimeSeconds! - 7.120004311) < 1e-9);
    assert.equal(isHealthyStatus(h.status), false);
  });

  it('worker system server: ready, endpoints sorted by name', () => {
    const h = parseDynamoHealth('{"endpoints":{"load_metrics":"ready","clear_kv_blocks":"ready","generate":"ready"},"status":"ready","uptime":{"nanos":88112004,"secs":64}}');
    assert.deepEqual(
      h.endpoints.map((e) => e.name),
      ['clear_kv_blocks', 'generate', 'load_metrics'],
    );
    assert.ok(isHealthyStatus(h.status));
  });

  it('a worker before any endpoint registered: no endpoints map, status from DYN_SYSTEM_STARTING_HEALTH_STATUS', () => {
    const h = parseDynamoHealth('{"status":"notready","uptime":{"nanos":0,"secs":0}}');
    assert.equal(h.kind, 'worker');
    assert.deepEqual(h.endpoints, []);
    assert.equal(h.uptimeSeconds, 0);
  });

  it('a byte-order mark and whitespace around the body are fine', () => {
    assert.equal(parseDynamoHealth('\ufeff  {"status":"live"}\n').kind, 'frontend-live');
  });

  for (const [name, body] of [
    ['not JSON', 'OK'],
    ['an HTML page', '<html><body>502 Bad Gateway</body></html>'],
    ['a JSON array', '[1,2]'],
    ['no status', '{"hello":"world"}'],
    ["Prometheus' envelope", '{"status":"success","data":{}}'],
    ['an instance id that is negative', '{"status":"healthy","instances":[{"instance_id":-1}]}'],
    ['an instance id that is fractional', '{"status":"healthy","instances":[{"instance_id":1.5}]}'],
    ['worker endpoints with a non-string state', '{"status":"ready","endpoints":{"generate":1}}'],
    ['truncated JSON', '{"status":"ready","endpoints":{"gen'],
  ] as const) {
    it(`rejects ${name} with a format error`, () => {
      assert.throws(() => parseDynamoHealth(body), TraceFormatError);
    });
  }
});

describe('exact JSON', () => {
  it('keeps integers outside the safe range as bigint and everything else as JSON.parse does', () => {
    const text = '{"big":9007199254740993,"neg":-9007199254740993,"safe":9007199254740991,"f":1.5e3,"e":1e400,"s":"a\\u00e9\\n\\"","t":true,"n":null,"a":[0,-0.25,[]]}';
    const v = parseExactJson(text) as Record<string, unknown>;
    assert.equal(v.big, 9007199254740993n);
    assert.equal(v.neg, -9007199254740993n);
    assert.equal(v.safe, 9007199254740991);
    assert.equal(v.f, 1500);
    assert.equal(v.e, Infinity);
    assert.equal(v.s, 'aé\n"');
    assert.equal(v.t, true);
    assert.equal(v.n, null);
    assert.deepEqual(v.a, [0, -0.25, []]);
  });

  it('treats __proto__ as a plain key', () => {
    const v = parseExactJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(v), ['__proto__']);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
  });

  for (const bad of ['', '{', '{"a":1,}', '[1 2]', '01', '"raw\nnewline"', '{"a":1} x', 'nul', '"\\x"', '{a:1}']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseExactJson(bad), TraceFormatError));
  }

  it('agrees with JSON.parse on safe documents', () => {
    const docs = ['{"a":[1,2,{"b":"c"}],"d":-12.5e-3}', '[]', '"x"', '0', '[true,false,null]', '{"k":"\\ud83d\\ude00"}'];
    for (const d of docs) assert.deepEqual(parseExactJson(d), JSON.parse(d));
  });
});
