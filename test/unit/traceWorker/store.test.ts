import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { handleTraceRequest, TraceStore } from '../../../src/core/traceWorker/store';
import type { LoadedFile, TraceWorkerReply } from '../../../src/core/traceWorker/protocol';
import type { FlameData, SpanDetails } from '../../../src/core/protocol';
import { fixturePath } from '../../support/fixtures';

const HOTROD = 'otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json';
const MULTI = 'otlp/jaeger-memstore-otel_traces_01.json'; // two traces

/** A file's bytes as the host sends them: an ArrayBuffer of exactly the file. */
function bytesOf(rel: string): ArrayBuffer {
  const b = readFileSync(fixturePath(rel));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

const text = (s: string): ArrayBuffer => new TextEncoder().encode(s).buffer as ArrayBuffer;

function ok<T>(reply: TraceWorkerReply | null, id: number): T {
  assert.ok(reply, 'a reply');
  assert.equal(reply.id, id);
  assert.ok(reply.ok, `expected success, got ${!reply.ok ? `${reply.kind}: ${reply.error}` : ''}`);
  return reply.result as T;
}

function failed(reply: TraceWorkerReply | null, id: number): { kind: string; error: string } {
  assert.ok(reply, 'a reply');
  assert.equal(reply.id, id);
  assert.equal(reply.ok, false);
  return reply as { kind: string; error: string };
}

test('load parses the file and returns what the host keeps: choices, span counts, format', () => {
  const store = new TraceStore();
  const file = ok<LoadedFile>(handleTraceRequest(store, { type: 'load', id: 1, bytes: bytesOf(HOTROD) }), 1);
  assert.equal(file.format, 'otlp-json');
  assert.equal(file.choices.length, 1);
  assert.deepEqual(file.spanCounts, [40]);
  assert.match(file.choices[0]!.label, /^frontend: GET \/dispatch \(40\) [0-9a-f]{8}$/);
  assert.equal(file.bytes, readFileSync(fixturePath(HOTROD)).byteLength);
  assert.equal(file.warningCount, file.warnings.length);
  // Structured clone carries it unchanged (no bigint, no class instances).
  assert.deepEqual(structuredClone(file), file);
});

test('a file of several traces lists each; flame answers per trace index', () => {
  const store = new TraceStore();
  const file = ok<LoadedFile>(handleTraceRequest(store, { type: 'load', id: 1, bytes: bytesOf(MULTI) }), 1);
  assert.ok(file.choices.length > 1, `expected several traces, got ${file.choices.length}`);
  file.spanCounts.forEach((n, i) => {
    const d = ok<FlameData>(handleTraceRequest(store, { type: 'flame', id: 10 + i, trace: i }), 10 + i);
    assert.equal(d.count, n);
    assert.equal(d.traceId, file.choices[i]!.traceId);
  });
});

test('a file that is not a trace answers a format error with the parser\'s words', () => {
  const store = new TraceStore();
  const r = failed(handleTraceRequest(store, { type: 'load', id: 7, bytes: text('{"name":"not-a-trace","version":"1.0.0"}') }), 7);
  assert.equal(r.kind, 'format');
  assert.match(r.error, /not a trace format this reads/);
  const bad = failed(handleTraceRequest(store, { type: 'load', id: 8, bytes: text('{"resourceSpans": [') }), 8);
  assert.equal(bad.kind, 'format');
  assert.match(bad.error, /not JSON at line 1/);
});

test('details by box: the box the flame data drew, with its span\'s attributes', () => {
  const store = new TraceStore();
  handleTraceRequest(store, { type: 'load', id: 1, bytes: bytesOf(HOTROD) });
  const flame = ok<FlameData>(handleTraceRequest(store, { type: 'flame', id: 2, trace: 0 }), 2);
  const root = ok<SpanDetails>(handleTraceRequest(store, { type: 'details', id: 3, trace: 0, box: 0 }), 3);
  assert.equal(root.box, 0);
  assert.equal(root.name, 'GET /dispatch');
  assert.equal(root.service, 'frontend');
  assert.equal(root.kind, 'server');
  assert.ok(root.attributes.length > 0);
  const last = flame.count - 1;
  const d = ok<SpanDetails>(handleTraceRequest(store, { type: 'details', id: 4, trace: 0, box: last }), 4);
  assert.equal(d.name, flame.names[flame.name[last]!]);
  assert.equal(d.startOffsetNs, flame.start[last]);
});

test('an out-of-range box, trace or malformed request is a request error for its id, not a throw', () => {
  const store = new TraceStore();
  const early = failed(handleTraceRequest(store, { type: 'flame', id: 1, trace: 0 }), 1);
  assert.equal(early.kind, 'request');
  assert.match(early.error, /no trace file is loaded/);
  handleTraceRequest(store, { type: 'load', id: 2, bytes: bytesOf(HOTROD) });
  for (const [id, box] of [[3, 40], [4, -1], [5, 1.5], [6, Number.NaN]] as const) {
    const r = failed(handleTraceRequest(store, { type: 'details', id, trace: 0, box }), id);
    assert.equal(r.kind, 'request');
    assert.match(r.error, /out of range/);
  }
  assert.match(failed(handleTraceRequest(store, { type: 'flame', id: 7, trace: 1 }), 7).error, /trace 1 is out of range/);
  assert.equal(failed(handleTraceRequest(store, { type: 'details', id: 8, trace: 0 }), 8).kind, 'request');
  assert.equal(failed(handleTraceRequest(store, { type: 'load', id: 9, bytes: 'text' }), 9).kind, 'request');
  assert.equal(failed(handleTraceRequest(store, { type: 'explode', id: 10 }), 10).kind, 'request');
  // No id: nobody can be waiting, so no reply at all.
  for (const raw of [null, 'load', { type: 'flame', trace: 0 }, { type: 'flame', id: -1, trace: 0 }]) {
    assert.equal(handleTraceRequest(store, raw), null);
  }
});

test('a failed load drops the previous file, so nothing stale answers', () => {
  const store = new TraceStore();
  ok(handleTraceRequest(store, { type: 'load', id: 1, bytes: bytesOf(HOTROD) }), 1);
  failed(handleTraceRequest(store, { type: 'load', id: 2, bytes: text('[1, 2') }), 2);
  assert.match(failed(handleTraceRequest(store, { type: 'details', id: 3, trace: 0, box: 0 }), 3).error, /no trace file is loaded/);
});

test('a byte-order mark and UTF-8 names survive the bytes → text step', () => {
  const store = new TraceStore();
  const json = readFileSync(fixturePath(HOTROD), 'utf8').replace('"GET /dispatch"', '"GET /dispatch — 派送"');
  const file = ok<LoadedFile>(handleTraceRequest(store, { type: 'load', id: 1, bytes: text(`\ufeff${json}`) }), 1);
  assert.match(file.choices[0]!.label, /GET \/dispatch — 派送/);
});
