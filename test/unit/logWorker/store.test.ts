/**
 * The log-file worker's store and handler as plain functions, and the real worker thread behind
 * the host's client: files read in chunks and indexed, entries parsed on demand, search, the
 * lines of a trace or a span, progress, and every refusal as an error reply.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LogWorkerClient, LogWorkerError } from '../../../src/core/logWorker/client';
import type { LogProgressEvent } from '../../../src/core/logWorker/protocol';
import { LogFileStore, LogWorkerHandler } from '../../../src/core/logWorker/store';
import { parseTraceValue } from '../../../src/core/formats';
import { generateTrace } from '../../support/synth';
import { generateLogs } from '../../support/synth/logs';

const ENTRY = resolve(__dirname, '../../../src/extension/logs/logWorker.ts');

function untilDone(store: LogFileStore): Promise<void> {
  return new Promise((r) => {
    const tick = () => (store.complete ? r() : setTimeout(tick, 5));
    tick();
  });
}

describe('log-file store', () => {
  let dir: string;
  const model = parseTraceValue(generateTrace({ spans: 300, seed: 41 })).traces[0]!;
  const lines = generateLogs([model], { shape: 'jsonl', seed: 41, extraPerSpan: 3 }).map((l) => l.line);
  let big: string;
  let bigLines: number;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanlens-logstore-'));
    writeFileSync(join(dir, 'dynamo.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'mixed.log'), `starting\r\nfrontend-1  | ${lines[0]}\r\n2026-04-21T18:02:11.514203Z WARN Ünïcode plain line\r\nno newline at the end`);
    writeFileSync(join(dir, 'empty.log'), '');
    // Past several 4 MB chunks, so lines cross chunk boundaries.
    big = join(dir, 'big.jsonl');
    const block = `${lines.join('\n')}\n`;
    const copies = Math.ceil((13 * 1024 * 1024) / block.length);
    writeFileSync(big, block.repeat(copies));
    bigLines = lines.length * copies;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers open with the first entries, then indexes the rest, reporting progress', async () => {
    const events: LogProgressEvent[] = [];
    const store = new LogFileStore((e) => events.push(e));
    const opened = await store.open(big, 50);
    assert.equal(opened.first.length, 50);
    assert.ok(opened.lines < bigLines && !opened.done, 'the first answer came before the whole file was read');
    assert.equal(opened.first[0]!.message, JSON.parse(lines[0]!).message);
    await untilDone(store);
    assert.equal(store.lineCount, bigLines);
    const last = events[events.length - 1]!;
    assert.deepEqual([last.done, last.lines, last.bytes, last.size], [true, bigLines, last.size, last.size]);
    // Lines across chunk boundaries parse whole.
    const mid = Math.floor(bigLines / 2);
    const around = await store.entries(mid - 100, mid + 100);
    assert.equal(around.length, 200);
    for (const e of around) assert.ok(e.fields.span_name !== undefined || e.fields['log.file'] !== undefined || e.message, `line ${e.fileLine}`);
    assert.deepEqual(around.map((e) => e.line), Array.from({ length: 200 }, (_, k) => lines[(mid - 100 + k) % lines.length]));
    await store.close();
  });

  it('a file opened while another is still being indexed is read whole and alone', async () => {
    const store = new LogFileStore();
    await store.open(big, 10);
    // The big file's background reads are in flight; the next file must not see their bytes.
    const opened = await store.open(join(dir, 'dynamo.jsonl'), 10);
    assert.equal(opened.first[0]!.line, lines[0]);
    await untilDone(store);
    assert.equal(store.lineCount, lines.length);
    assert.deepEqual((await store.entries(0, lines.length)).map((e) => e.line), lines);
    await store.close();
  });

  it('entries, entries at indices, the lines of a trace and of a span', async () => {
    const store = new LogFileStore();
    await store.open(join(dir, 'dynamo.jsonl'));
    await untilDone(store);
    assert.equal(store.lineCount, lines.length);
    const all = await store.entries(0, lines.length);
    assert.deepEqual(all.map((e) => e.line), lines);
    assert.deepEqual((await store.entriesAt([5, 2, 9])).map((e) => e.fileLine), [5, 2, 9]);
    const traced = store.entriesOf({ traceId: model.traceId.toUpperCase() });
    assert.deepEqual([...traced.lines], all.flatMap((e, i) => (e.traceId === model.traceId ? [i] : [])));
    assert.ok(traced.complete);
    const span = model.spans[3]!.spanId;
    assert.deepEqual([...store.entriesOf({ spanId: span }).lines], all.flatMap((e, i) => (e.spanId === span ? [i] : [])));
    assert.deepEqual([...store.entriesOf({ traceId: model.traceId, spanId: span }).lines], [...store.entriesOf({ spanId: span }).lines]);
    assert.equal(store.entriesOf({ traceId: 'f'.repeat(32) }).lines.length, 0);
    await store.close();
  });

  it('search: case-insensitive, ASCII in the bytes and Unicode per line, a limit, and a newer search cancels an older', async () => {
    const store = new LogFileStore();
    await store.open(join(dir, 'mixed.log'));
    await untilDone(store);
    assert.deepEqual([...(await store.search('FRONTEND-1')).lines], [1]);
    assert.deepEqual([...(await store.search('ünï')).lines], [2]);
    assert.deepEqual([...(await store.search('N')).lines], [0, 1, 2, 3]);
    const limited = await store.search('n', 0, 2);
    assert.deepEqual([[...limited.lines], limited.complete], [[0, 1], false]);
    assert.deepEqual([...(await store.search('n', 2)).lines], [2, 3]);
    await store.close();

    const s2 = new LogFileStore();
    await s2.open(big);
    await untilDone(s2);
    const first = s2.search('request completed');
    const second = s2.search('SPAN_CLOSED', 0, 5);
    await assert.rejects(first, /a newer search replaced this one/);
    assert.equal((await second).lines.length, 5);
    await s2.close();
  });

  it('prefixes, CRLF, a missing last newline, plain lines that take the time before them', async () => {
    const store = new LogFileStore();
    await store.open(join(dir, 'mixed.log'));
    await untilDone(store);
    const e = await store.entries(0, 10);
    assert.deepEqual(e.map((x) => x.line), ['starting', lines[0], 'WARN Ünïcode plain line', 'no newline at the end']);
    assert.deepEqual({ ...e[1]!.labels }, { container: 'frontend-1' });
    assert.equal(e[1]!.traceId, model.traceId);
    assert.equal(e[2]!.level, 'warn');
    assert.equal(e[2]!.timestampNs, 1_776_794_531_514_203_000n);
    assert.equal(e[3]!.timestampNs, e[2]!.timestampNs, 'a line without a time takes the one before');
    assert.equal(e[3]!.timeInferred, true);
    assert.equal(e[0]!.timestampNs, 0n);
    await store.close();
  });

  it('the handler answers every failure as an error reply', async () => {
    const h = new LogWorkerHandler();
    const ask = async (m: Record<string, unknown>) => (await h.handle({ id: 1, ...m }))!.reply;
    assert.deepEqual(await ask({ type: 'entries', from: 0, to: 1 }), { id: 1, ok: false, kind: 'request', error: 'no log file is open' });
    assert.deepEqual(await ask({ type: 'open', path: join(dir, 'nope.log') }), { id: 1, ok: false, kind: 'io', error: 'no such file' });
    assert.deepEqual(await ask({ type: 'open', path: dir }), { id: 1, ok: false, kind: 'io', error: 'it is not a file' });
    const empty = await ask({ type: 'open', path: join(dir, 'empty.log') });
    assert.ok(empty.ok && (empty.result as { lines: number; done: boolean }).lines === 0 && (empty.result as { done: boolean }).done);
    assert.equal((await ask({ type: 'entriesAt', lines: [3] })).ok, false);
    assert.equal((await ask({ type: 'entriesOf', traceId: 'zz' })).ok, false);
    assert.equal((await ask({ type: 'search', text: 'x'.repeat(1001) })).ok, false);
    assert.equal((await ask({ type: 'nope' })).ok, false);
    assert.equal(await h.handle({ type: 'open' }), null, 'no id, no answer');
    await h.store.close();
  });
});

describe('log worker thread', () => {
  const clients: LogWorkerClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.terminate()));
  });

  it('opens a file off the host thread, with progress events, and settles requests when stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanlens-logworker-'));
    try {
      const model = parseTraceValue(generateTrace({ spans: 200, seed: 43 })).traces[0]!;
      const text = `${generateLogs([model], { shape: 'jsonl', seed: 43, extraPerSpan: 5 }).map((l) => l.line).join('\n')}\n`;
      const file = join(dir, 'w.jsonl');
      writeFileSync(file, text.repeat(40));
      // --require (not --import): a worker's ESM hooks register too late for its own entry file.
      const c = new LogWorkerClient(new Worker(ENTRY, { execArgv: ['--require', 'tsx/cjs'] }));
      clients.push(c);
      const done = new Promise<LogProgressEvent>((r) => c.onProgress((e) => e.done && r(e)));
      const opened = await c.open(file, 10);
      assert.equal(opened.first.length, 10);
      assert.equal(typeof opened.first[0]!.timestampNs, 'bigint', 'exact times cross the thread');
      const end = await done;
      assert.equal(end.lines, text.split('\n').length * 40 - 40);
      const hits = await c.entriesOf({ traceId: model.traceId });
      assert.ok(hits.lines instanceof Uint32Array && hits.lines.length > 0);
      const got = await c.entriesAt([...hits.lines.slice(0, 3)]);
      assert.ok(got.every((e) => e.traceId === model.traceId));
      await assert.rejects(c.entries(-1 as number, 2), (e: unknown) => e instanceof LogWorkerError && e.kind === 'request');
      const pending = c.search('request');
      const settled = assert.rejects(pending, (e: unknown) => {
        assert.ok(e instanceof LogWorkerError);
        assert.deepEqual([e.kind, e.reason], ['terminated', 'closed']);
        return true;
      });
      await c.terminate('closed');
      await settled;
      assert.equal(c.alive, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
