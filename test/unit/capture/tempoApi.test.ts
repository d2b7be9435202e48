import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { tempoRoute } from '../../../src/core/capture/api/tempo';
import { CaptureStore } from '../../../src/core/capture/store/store';
import { threeTraces } from './fixtures';

const store = new CaptureStore();
store.ingestSpans((sink) => threeTraces().forEach((s) => sink.add(s)));

function get(path: string, params: Record<string, string> = {}, accept?: string): { status: number; body: string; type?: string } {
  const r = tempoRoute(store, { method: 'GET', path, params: new URLSearchParams(params), headers: accept ? { accept } : {} }, 'spanlens-test')!;
  return { status: r.status, body: typeof r.body === 'string' ? r.body : Buffer.from(r.body).toString('base64'), type: r.headers?.['content-type'] };
}

test('tag names: v2 by scope with the intrinsics, v1 flat', () => {
  const v2 = JSON.parse(get('/api/v2/search/tags').body) as { scopes: { name: string; tags: string[] }[] };
  assert.deepEqual(v2.scopes.map((s) => s.name), ['resource', 'span', 'intrinsic']);
  assert.deepEqual(v2.scopes[0]!.tags, ['deployment.environment', 'gpu', 'service.name']);
  assert.deepEqual(v2.scopes[1]!.tags, ['http.status_code', 'model', 'streaming', 'ttft_ms', 'x_request_id']);
  assert.ok(v2.scopes[2]!.tags.includes('duration'));
  const span = JSON.parse(get('/api/v2/search/tags', { scope: 'span' }).body) as { scopes: { name: string }[] };
  assert.deepEqual(span.scopes.map((s) => s.name), ['span']);
  const v1 = JSON.parse(get('/api/search/tags').body) as { tagNames: string[] };
  assert.ok(v1.tagNames.includes('service.name') && v1.tagNames.includes('x_request_id'));
  assert.equal(get('/api/v2/search/tags', { scope: 'nope' }).status, 400);
});

test('tag values: typed in v2 (with keywords for status and kind, filtered by q), strings in v1', () => {
  const v = JSON.parse(get('/api/v2/search/tag/span.http.status_code/values').body) as { tagValues: { type: string; value: string }[] };
  assert.deepEqual(v.tagValues, [{ type: 'int', value: '200' }, { type: 'int', value: '500' }]);
  const svc = JSON.parse(get('/api/v2/search/tag/resource.service.name/values').body) as { tagValues: { type: string; value: string }[] };
  assert.deepEqual(svc.tagValues.map((x) => x.value), ['dynamo-frontend', 'dynamo-worker']);
  const filtered = JSON.parse(get('/api/v2/search/tag/.x_request_id/values', { q: '{ status = error }' }).body) as { tagValues: { value: string }[] };
  assert.deepEqual(filtered.tagValues.map((x) => x.value), ['req-b']);
  const status = JSON.parse(get('/api/v2/search/tag/status/values').body) as { tagValues: { type: string }[] };
  assert.ok(status.tagValues.every((x) => x.type === 'keyword'));
  const names = JSON.parse(get('/api/v2/search/tag/name/values').body) as { tagValues: { value: string }[] };
  assert.deepEqual(names.tagValues.map((x) => x.value), ['engine.generate', 'handle_payload', 'http-request']);
  const v1 = JSON.parse(get('/api/search/tag/x_request_id/values').body) as { tagValues: string[] };
  assert.deepEqual(v1.tagValues, ['req-a', 'req-b']);
});

test('search in Tempo\'s encoding: trimmed hex ids, the root, spansets with the queried attributes, service stats; refusals as plain-text 400s', () => {
  const r = JSON.parse(get('/api/search', { q: '{ span.http.status_code = 500 }' }).body) as { traces: Record<string, unknown>[] };
  assert.equal(r.traces.length, 1);
  const t = r.traces[0]!;
  assert.equal(t.traceID, '2');
  assert.equal(t.rootServiceName, 'dynamo-frontend');
  assert.equal(t.rootTraceName, 'http-request');
  assert.equal(t.durationMs, 2500);
  assert.deepEqual((t.spanSet as { spans: { attributes: unknown[] }[]; matched: number }).spans[0]!.attributes, [{ key: 'http.status_code', value: { intValue: '500' } }]);
  assert.deepEqual(t.serviceStats, { 'dynamo-frontend': { spanCount: 1, errorCount: 1 }, 'dynamo-worker': { spanCount: 1, errorCount: 1 } });
  const orphan = JSON.parse(get('/api/search', { q: '{ name = "engine.generate" }' }).body) as { traces: { rootServiceName: string; rootTraceName?: string }[] };
  assert.equal(orphan.traces[0]!.rootServiceName, '<root span not yet received>');
  assert.equal(orphan.traces[0]!.rootTraceName, undefined);
  const bad = get('/api/search', { q: '{ .a = 1 } | count() > 1' });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /^invalid TraceQL query: parse error at line 1, col 12: a pipeline/);
  assert.equal(get('/api/search', { q: '{}', tags: 'a=b' }).status, 400);
  assert.equal(get('/api/search', { limit: '0' }).body, 'invalid limit: must be a positive number');
});

test('trace by id: v2 empty 200 and v1 empty 404 when missing; bad ids as Tempo words them; protobuf by Accept', () => {
  assert.deepEqual(JSON.parse(get('/api/v2/traces/abc').body), { trace: {}, metrics: {} });
  const v1 = get('/api/traces/abc');
  assert.equal(v1.status, 404);
  assert.equal(v1.body, '');
  assert.equal(get('/api/v2/traces/xyz').body, "trace IDs can only contain hex characters: invalid character 'x' at position 1");
  assert.equal(get('/api/v2/traces/1', {}, 'application/protobuf').type, 'application/protobuf');
  assert.equal(get('/api/v2/traces/1', { start: '10', end: '5' }).status, 400);
});
