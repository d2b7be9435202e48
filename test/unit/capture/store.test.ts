import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { CaptureStore } from '../../../src/core/capture/store/store';
import type { Span } from '../../../src/core/model/trace';
import { record, span } from './fixtures';

function trace(no: number, spans: number): Span[] {
  return Array.from({ length: spans }, (_, i) => span(no, `op-${i}`, { parent: i > 0, attrs: [{ key: 'request_id', value: `req-${no}` }, { key: 'i', value: i }] }));
}

test('past the span limit whole traces leave, oldest first, and are counted', () => {
  const store = new CaptureStore({ maxSpans: 100, maxLogRecords: 10, maxBytes: 1e12 });
  for (let t = 1; t <= 5; t++) store.ingestSpans((sink) => trace(t, 30).forEach((s) => sink.add(s)));
  const c = store.counts();
  assert.equal(c.spans, 90);
  assert.equal(c.traces, 3);
  assert.deepEqual(c.evicted, { traces: 2, spans: 60, logRecords: 0 });
  assert.equal(store.trace((1).toString(16).padStart(32, '0')), undefined);
  assert.equal(store.trace((2).toString(16).padStart(32, '0')), undefined);
  assert.equal(store.trace((3).toString(16).padStart(32, '0'))!.rows.length, 30);
  assert.deepEqual(c.received, { spans: 150, logRecords: 0 });
});

test('a trace that grows after it arrived still leaves whole, as the oldest', () => {
  const store = new CaptureStore({ maxSpans: 50, maxLogRecords: 10, maxBytes: 1e12 });
  const first = trace(1, 20);
  store.ingestSpans((sink) => first.slice(0, 10).forEach((s) => sink.add(s)));
  store.ingestSpans((sink) => trace(2, 20).forEach((s) => sink.add(s)));
  store.ingestSpans((sink) => first.slice(10).forEach((s) => sink.add(s)));
  assert.equal(store.counts().spans, 40);
  store.ingestSpans((sink) => trace(3, 20).forEach((s) => sink.add(s)));
  assert.equal(store.trace((1).toString(16).padStart(32, '0')), undefined);
  assert.deepEqual(store.counts().evicted, { traces: 1, spans: 20, logRecords: 0 });
});

test('log records leave oldest first past their limit; the byte limit evicts whichever is older', () => {
  const store = new CaptureStore({ maxSpans: 1e6, maxLogRecords: 3, maxBytes: 1e12 });
  store.ingestLogs((sink) => [1, 2, 3, 4, 5].forEach((i) => sink.add(record({ body: `line ${i}`, time: BigInt(i) }))));
  const rows = [];
  for (let r = store.logs.headRow; r < store.logs.endRow; r++) rows.push(store.logs.record(r).body);
  assert.deepEqual(rows, ['line 3', 'line 4', 'line 5']);
  assert.equal(store.counts().evicted.logRecords, 2);

  const small = new CaptureStore({ maxSpans: 1e6, maxLogRecords: 1e6, maxBytes: 6_000_000 });
  // 40,000 spans need three 16k-row segments (~2 MB each): more than the limit allows.
  for (let t = 1; t <= 40; t++) small.ingestSpans((sink) => trace(t, 1000).forEach((s) => sink.add(s)));
  assert.ok(small.bytes() <= 6_000_000, `${small.bytes()} bytes held`);
  assert.ok(small.counts().evicted.traces > 0);
  const newest = small.trace((40).toString(16).padStart(32, '0'));
  assert.equal(newest?.rows.length, 1000);
});

test('nothing leaks: once everything is evicted, only the empty string is interned and no pair or resource is held', () => {
  const store = new CaptureStore({ maxSpans: 1e6, maxLogRecords: 1e6, maxBytes: 1e12 });
  for (let t = 1; t <= 20; t++) store.ingestSpans((sink) => trace(t, 50).forEach((s) => sink.add(s)));
  store.ingestLogs((sink) => [1, 2, 3].forEach((i) => sink.add(record({ body: { msg: `m${i}` }, traceId: 'ab'.repeat(16), attributes: [{ key: 'k', value: i * 1.5 }] }))));
  assert.ok(store.pool.size > 50);
  store.clear();
  assert.equal(store.pool.size, 1);
  assert.equal(store.codec.pairs, 0);
  assert.equal(store.spans.catalog.resources.filter(Boolean).length, 0);
  assert.equal(store.logs.byTrace.size, 0);
  assert.equal(store.spans.rowOfSpanId('0000000000000001'), -1);
});

test('span id index finds rows, forgets evicted ones', () => {
  const store = new CaptureStore({ maxSpans: 30, maxLogRecords: 10, maxBytes: 1e12 });
  const a = trace(1, 20);
  const b = trace(2, 20);
  store.ingestSpans((sink) => a.forEach((s) => sink.add(s)));
  const row = store.spans.rowOfSpanId(a[5]!.spanId);
  assert.equal(store.spans.spanIdHex(row), a[5]!.spanId);
  store.ingestSpans((sink) => b.forEach((s) => sink.add(s)));
  assert.equal(store.spans.rowOfSpanId(a[5]!.spanId), -1);
  assert.equal(store.spans.spanIdHex(store.spans.rowOfSpanId(b[19]!.spanId)), b[19]!.spanId);
});
