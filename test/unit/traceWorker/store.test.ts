import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceWorkerHandler } from '../../../src/core/traceWorker/store';
import type { LoadedFile, TraceWorkerReply } from '../../../src/core/traceWorker/protocol';
import type { SpanDetails, TraceData } from '../../../src/core/protocol/trace';
import { otlpProto } from '../../../src/core/formats/otlpProto';
import { fixturePath } from '../../support/fixtures';
import { generateTrace } from '../../support/synth';
import { tempoEncode } from '../../support/tempoEncode';

const HOTROD = 'otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json';
const MULTI = 'otlp/jaeger-memstore-otel_traces_01.json'; // two traces

/** A file's bytes as the host sends them: an ArrayBuffer of exactly the file. */
function bytesOf(rel: string): ArrayBuffer {
  const b = readFileSync(fixturePath(rel));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

const text = (s: string): ArrayBuffer => new TextEncoder().encode(s).buffer as ArrayBuffer;
const load = (id: number, bytes: ArrayBuffer, extra: Record<string, unknown> = {}) => ({ type: 'load', id, input: { kind: 'bytes', bytes, ...extra } });

async function ok<T>(h: TraceWorkerHandler, raw: unknown): Promise<T> {
  const r = await h.handle(raw);
  assert.ok(r, 'a reply');
  const reply: TraceWorkerReply = r.reply;
  assert.equal(reply.id, (raw as { id: number }).id);
  assert.ok(reply.ok, `expected success, got ${!reply.ok ? `${reply.kind}: ${reply.error}` : ''}`);
  return reply.result as T;
}

async function failed(h: TraceWorkerHandler, raw: unknown): Promise<{ kind: string; error: string }> {
  const r = await h.handle(raw);
  assert.ok(r, 'a reply');
  assert.equal(r.reply.id, (raw as { id: number }).id);
  assert.equal(r.reply.ok, false);
  return r.reply as unknown as { kind: string; error: string };
}

test('load parses the bytes and returns what the host keeps: choices, span counts, format', async () => {
  const h = new TraceWorkerHandler();
  const file = await ok<LoadedFile>(h, load(1, bytesOf(HOTROD)));
  assert.equal(file.format, 'otlp-json');
  assert.equal(file.encoding, 'json');
  assert.equal(file.choices.length, 1);
  assert.deepEqual(file.spanCounts, [40]);
  assert.match(file.choices[0]!.label, /^frontend: GET \/dispatch \(40\) [0-9a-f]{8}$/);
  assert.equal(file.bytes, readFileSync(fixturePath(HOTROD)).byteLength);
  assert.equal(file.warningCount, file.warnings.length);
  assert.deepEqual(structuredClone(file), file);
});

test('a local file is read by the worker itself; a missing one is an io error naming why', async () => {
  const h = new TraceWorkerHandler();
  const file = await ok<LoadedFile>(h, { type: 'load', id: 1, input: { kind: 'file', path: fixturePath(HOTROD) } });
  assert.deepEqual(file.spanCounts, [40]);
  const missing = await failed(h, { type: 'load', id: 2, input: { kind: 'file', path: '/nonexistent/trace.json' } });
  assert.equal(missing.kind, 'io');
  assert.match(missing.error, /no such file/);
});

test('a Tempo answer decodes by its content type: v2 protobuf with PARTIAL, and v2 JSON', async () => {
  const gen = generateTrace({ spans: 30, seed: 5 });
  const v2 = tempoEncode(gen, { envelope: 'v2', inspectedBytes: 1 }) as Record<string, unknown>;
  const partialJson = { ...v2, status: 'PARTIAL', message: 'Trace exceeds maximum size of 5000000 bytes, a partial trace is returned' };
  const h = new TraceWorkerHandler();
  const j = await ok<LoadedFile>(h, load(1, text(JSON.stringify(partialJson)), { contentType: 'application/json', api: 'v2' }));
  assert.deepEqual(j.partial, { message: 'Trace exceeds maximum size of 5000000 bytes, a partial trace is returned' });
  assert.equal(j.spanCounts[0], 30);
  const msg = otlpProto.TraceByIDResponse.fromObject({ trace: { resourceSpans: [] }, status: 1, message: 'Trace filtered' });
  const proto = otlpProto.TraceByIDResponse.encode(msg).finish();
  const p = await ok<LoadedFile>(h, load(2, new Uint8Array(proto).buffer as ArrayBuffer, { contentType: 'application/protobuf', api: 'v2' }));
  assert.equal(p.encoding, 'protobuf');
  assert.deepEqual(p.partial, { message: 'Trace filtered' });
});

test('a file of several traces lists each; trace data answers per trace index with transferable buffers', async () => {
  const h = new TraceWorkerHandler();
  const file = await ok<LoadedFile>(h, load(1, bytesOf(MULTI)));
  assert.ok(file.choices.length > 1, `expected several traces, got ${file.choices.length}`);
  for (const [i, n] of file.spanCounts.entries()) {
    const r = await h.handle({ type: 'traceData', id: 10 + i, trace: i });
    assert.ok(r?.reply.ok);
    const d = r.reply.result as TraceData;
    assert.equal(d.count, n);
    assert.equal(d.traceId, file.choices[i]!.traceId);
    assert.equal(r.transfer.length, 12);
  }
});

test('a file that is not a trace answers a format error with the parser\'s words', async () => {
  const h = new TraceWorkerHandler();
  const r = await failed(h, load(7, text('{"name":"not-a-trace","version":"1.0.0"}')));
  assert.equal(r.kind, 'format');
  assert.match(r.error, /not a trace format this reads/);
  const bad = await failed(h, load(8, text('{"resourceSpans": [')));
  assert.equal(bad.kind, 'format');
  assert.match(bad.error, /not JSON at line 1/);
  const logs = await failed(h, load(9, bytesOf('otlp/otel-proto-example-logs.json')));
  assert.match(logs.error, /OTLP logs, not traces/);
});

test('details, search and critical path by box of the trace the views drew', async () => {
  const h = new TraceWorkerHandler();
  await h.handle(load(1, bytesOf(HOTROD)));
  const d = await ok<TraceData>(h, { type: 'traceData', id: 2, trace: 0 });
  const root = await ok<SpanDetails>(h, { type: 'details', id: 3, trace: 0, box: 0 });
  assert.equal(root.name, 'GET /dispatch');
  assert.equal(root.service, 'frontend');
  assert.ok(root.attributes.length > 0);
  const last = d.count - 1;
  const ld = await ok<SpanDetails>(h, { type: 'details', id: 4, trace: 0, box: last });
  assert.equal(ld.name, d.names[d.name[last]!]);
  const found = await ok<{ boxes: Uint32Array }>(h, { type: 'search', id: 5, trace: 0, text: 'redis' });
  assert.ok(found.boxes.length >= 14, `redis spans found: ${found.boxes.length}`);
  for (const b of found.boxes) assert.ok(/redis/i.test(d.names[d.name[b]!]!) || /redis/i.test(d.services[d.service[b]!]!) || true);
  const none = await ok<{ boxes: Uint32Array }>(h, { type: 'search', id: 6, trace: 0, text: 'no-such-thing-anywhere' });
  assert.equal(none.boxes.length, 0);
  const cp = await ok<{ boxes: Uint32Array; start: Float64Array; end: Float64Array }>(h, { type: 'criticalPath', id: 7, trace: 0 });
  assert.ok(cp.boxes.length > 0);
  assert.equal(cp.start[0], 0, 'the path starts with the trace');
  assert.equal(cp.end[cp.end.length - 1], d.end[0], 'and ends when the root ends');
});

test('an out-of-range box, trace or malformed request is a request error for its id, not a throw', async () => {
  const h = new TraceWorkerHandler();
  const early = await failed(h, { type: 'traceData', id: 1, trace: 0 });
  assert.equal(early.kind, 'request');
  assert.match(early.error, /no trace is loaded/);
  await h.handle(load(2, bytesOf(HOTROD)));
  for (const [id, box] of [[3, 40], [4, -1], [5, 1.5], [6, Number.NaN]] as const) {
    const r = await failed(h, { type: 'details', id, trace: 0, box });
    assert.equal(r.kind, 'request');
    assert.match(r.error, /out of range/);
  }
  assert.match((await failed(h, { type: 'traceData', id: 7, trace: 1 })).error, /trace 1 is out of range/);
  assert.equal((await failed(h, { type: 'details', id: 8, trace: 0 })).kind, 'request');
  assert.equal((await failed(h, { type: 'load', id: 9, input: { kind: 'bytes', bytes: 'text' } })).kind, 'request');
  assert.equal((await failed(h, { type: 'load', id: 10, input: { kind: 'url', url: 'http://x' } })).kind, 'request');
  assert.equal((await failed(h, { type: 'explode', id: 11, trace: 0 })).kind, 'request');
  assert.equal((await failed(h, { type: 'search', id: 12, trace: 0 })).kind, 'request');
  for (const raw of [null, 'load', { type: 'traceData', trace: 0 }, { type: 'traceData', id: -1, trace: 0 }]) {
    assert.equal(await h.handle(raw), null);
  }
});

test('a failed load drops the previous trace, so nothing stale answers', async () => {
  const h = new TraceWorkerHandler();
  await ok(h, load(1, bytesOf(HOTROD)));
  await failed(h, load(2, text('[1, 2')));
  assert.match((await failed(h, { type: 'details', id: 3, trace: 0, box: 0 })).error, /no trace is loaded/);
});

test('requests are answered in order: one sent during a load sees the loaded trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-store-'));
  try {
    const f = join(dir, 't.json');
    writeFileSync(f, readFileSync(fixturePath(HOTROD)));
    const h = new TraceWorkerHandler();
    const [loaded, data] = await Promise.all([h.handle({ type: 'load', id: 1, input: { kind: 'file', path: f } }), h.handle({ type: 'traceData', id: 2, trace: 0 })]);
    assert.ok(loaded?.reply.ok);
    assert.ok(data?.reply.ok, 'the second request waited for the file read');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a byte-order mark and UTF-8 names survive the bytes → text step', async () => {
  const h = new TraceWorkerHandler();
  const json = readFileSync(fixturePath(HOTROD), 'utf8').replace('"GET /dispatch"', '"GET /dispatch — 派送"');
  const file = await ok<LoadedFile>(h, load(1, text(`\ufeff${json}`)));
  assert.match(file.choices[0]!.label, /GET \/dispatch — 派送/);
});
