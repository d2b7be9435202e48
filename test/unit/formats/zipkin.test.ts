/**
 * Zipkin v2 JSON → model. Expected figures were read off the files with jq and a separate
 * Python script over the raw JSON (shared halves counted as client → server), not from this code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTraceText, parseTraceValue } from '../../../src/core/formats';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import { summarizeTrace } from '../../../src/core/model/summary';
import type { Span } from '../../../src/core/model/trace';
import { fixtureText } from '../../support/fixtures';

const SMARTTHINGS = 'zipkin/zipkin-lens-smartthings-mobile-web-install.json';

test('smartthings: 1041 records → 957 spans (84 bare pieces merged), 16 services, 38 deep', () => {
  const p = parseTraceText(fixtureText(SMARTTHINGS));
  assert.equal(p.format, 'zipkin');
  // 83 CLIENT `get` spans flushed by brave without duration, 2 other CLIENTs, 6 pusher SERVER halves.
  assert.deepEqual(p.warnings, ['91 Zipkin spans have no duration (unfinished or flushed early); drawn with zero length']);
  const t = p.traces[0]!;
  assert.deepEqual(summarizeTrace(t), {
    traceId: '000000000000000014b60fd9ae504820',
    spanCount: 957,
    services: ['account', 'alice', 'auth', 'bookie', 'bouncer', 'coreSrv', 'dove', 'execution', 'gizmo', 'guardian', 'oreck', 'paperboy', 'platformapi', 'pusher', 'stLogin', 'strongman'],
    root: { name: 'get /login/tokenauth', service: 'coreSrv' },
    rootCount: 1,
    // earliest timestamp 1543549524565942 µs, latest timestamp + duration 1543549830583187 µs
    durationMs: 306017.245,
    // error=404 on both halves of shared span 71687cb74971c332
    errorCount: 2,
    maxDepth: 38,
  });
});

test('smartthings: a shared id becomes client → server, with the server under a fresh id', () => {
  const t = parseTraceText(fixtureText(SMARTTHINGS)).traces[0]!;
  const byShared = (id: string) => t.spans.filter((s) => s.spanId === id || s.attributes.some((a) => a.key === 'zipkin.shared_span_id' && a.value === id));
  // 02c9ccc069857837: a CLIENT (strongman), a SERVER shared half (platformapi) and a bare piece.
  const pair = byShared('02c9ccc069857837');
  assert.equal(pair.length, 2, 'the bare piece merged into the server half');
  const client = pair.find((s) => s.kind === 'client');
  const server = pair.find((s) => s.kind === 'server');
  assert.deepEqual([client!.spanId, client!.kind, client!.resource.serviceName, client!.parentSpanId], ['02c9ccc069857837', 'client', 'strongman', '682d9e58aab98286']);
  assert.deepEqual([server!.kind, server!.resource.serviceName, server!.parentSpanId], ['server', 'platformapi', '02c9ccc069857837']);
  assert.notEqual(server!.spanId, '02c9ccc069857837');
  assert.deepEqual([server!.start, server!.end], [1543549818545012000n, 1543549818545012000n + 210542000n]);
  assert.equal(server!.attributes.find((a) => a.key === 'http.path')?.value, 'installedapps/86ee7c3f-b7ed-4feb-b362-XXXXXXXXXXXX/configs');

  // cbab506b53f336fc: one CLIENT send and five SERVER receives on five pusher hosts; each
  // pusher child (process.*) goes under the receive on its own host.
  const halves = byShared('cbab506b53f336fc');
  assert.equal(halves.length, 6);
  const receives = halves.filter((s) => s.kind === 'server');
  assert.equal(receives.length, 5);
  assert.equal(new Set(receives.map((s) => s.spanId)).size, 5);
  const ip = (s: Span) => s.attributes.find((a) => a.key === 'net.host.ip')?.value ?? s.resource.attributes.find((a) => a.key === 'net.host.ip')?.value;
  for (const [child, host] of [['017bfc73a014d42c', '10.6.83.20'], ['c1c06fd706fca9cb', '10.6.88.250'], ['b6fdd2a6b74e32e5', '10.6.150.179']]) {
    const c = t.spans.find((s) => s.spanId === child)!;
    const parent = receives.find((s) => s.spanId === c.parentSpanId)!;
    assert.equal(ip(parent), host, child);
  }
  // Every id is unique after the split.
  assert.equal(buildSpanTree(t).byId.size, t.spans.length);
});

test('yelp: shared halves of three RPCs, children under the server half', () => {
  const t = parseTraceText(fixtureText('zipkin/zipkin-lens-yelp.json')).traces[0]!;
  assert.deepEqual(summarizeTrace(t), {
    traceId: '0000000000000000a03ee8fff1dcd9b9',
    spanCount: 16,
    services: ['mobile_api', 'routing', 'spectre', 'unknown', 'yelp-main', 'yelp_main/api_proxy'],
    root: { name: 'post /location/update/v4', service: 'routing' },
    rootCount: 1,
    durationMs: 131.848, // the root: duration 131848 µs
    errorCount: 0,
    // routing → post (yelp-main) → post /location/update/v4 (mobile_api) → get (client) → get (spectre)
    maxDepth: 4,
  });
  const txn = t.spans.find((s) => s.spanId === '241cea1aa4cb2884')!;
  const parent = t.spans.find((s) => s.spanId === txn.parentSpanId)!;
  assert.deepEqual([parent.name, parent.kind], ['post api proxy proxy', 'server']);
  const post = t.spans.find((s) => s.spanId === '668ed78ad94b35a1')!;
  assert.deepEqual([post.kind, post.resource.serviceName, post.events.map((e) => e.name)], ['client', 'unknown', []]);
  assert.equal(parent.events.length, 1); // the annotation sits on the server half
});

test('pieces, missing timestamps, 64-bit ids joining a 128-bit trace, error tags', () => {
  const p = parseTraceValue([
    { traceId: '463ac35c9f6413ad48485a3953bb6124', id: 'a', name: 'root', timestamp: 10, duration: 100, localEndpoint: { serviceName: 'svc' } },
    // Low half of the 128-bit id: the same trace (Zipkin's non-strict trace ids).
    { traceId: '48485a3953bb6124', id: 'b', parentId: 'a', name: 'child', timestamp: 20, duration: 5, localEndpoint: { serviceName: 'svc' }, tags: { error: 'boom' } },
    // A late piece of span b: tags and an annotation only.
    { traceId: '48485a3953bb6124', id: 'b', localEndpoint: { serviceName: 'svc' }, tags: { late: 'yes' }, annotations: [{ timestamp: 22, value: 'flush' }] },
    // No timestamp and nothing to merge into: drawn at its parent's start.
    { traceId: '463ac35c9f6413ad48485a3953bb6124', id: 'c', parentId: 'b', name: 'untimed', localEndpoint: { serviceName: 'other' } },
    // A self-parent is dropped, not followed.
    { traceId: '463ac35c9f6413ad48485a3953bb6124', id: 'd', parentId: 'd', name: 'self', timestamp: 30, tags: { error: '' } },
  ]);
  assert.equal(p.traces.length, 1);
  const spans = p.traces[0]!.spans;
  assert.deepEqual(spans.map((s) => [s.spanId, s.parentSpanId, s.start, s.end]), [
    ['000000000000000a', undefined, 10000n, 110000n],
    ['000000000000000b', '000000000000000a', 20000n, 25000n],
    ['000000000000000c', '000000000000000b', 20000n, 20000n],
    ['000000000000000d', undefined, 30000n, 30000n],
  ]);
  const b = spans[1]!;
  assert.deepEqual(b.status, { code: 'error', message: 'boom' });
  assert.deepEqual(b.attributes, [{ key: 'error', value: 'boom' }, { key: 'late', value: 'yes' }]);
  assert.deepEqual(b.events, [{ time: 22000n, name: 'flush', attributes: [] }]);
  assert.deepEqual(spans[3]!.status, { code: 'error' });
  assert.equal(spans[3]!.resource.serviceName, 'unknown_service');
  assert.deepEqual(p.warnings, [
    "1 Zipkin span has no timestamp; it is drawn at its parent's start",
    '2 Zipkin spans have no duration (unfinished or flushed early); drawn with zero length',
  ]);
});

test('an empty array is a Zipkin answer with no spans', () => {
  assert.deepEqual(parseTraceText('[]'), { format: 'zipkin', traces: [], warnings: [] });
});

test('a negative duration is clamped to zero with a warning', () => {
  const p = parseTraceText('[{"traceId":"1","id":"1","timestamp":5,"duration":-3}]');
  const s = p.traces[0]!.spans[0]!;
  assert.deepEqual([s.start, s.end], [5000n, 5000n]);
  assert.deepEqual(p.warnings, ['span 0 ends before it starts; its end was set to its start']);
});
