/**
 * The fuzz pool against parsers broken on purpose: a hang is stopped by the watchdog, unbounded
 * memory by the worker's heap cap, an untyped exception by the property — each reported with
 * the input that caused it, rebuilt from the seed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { fuzzInWorker } from '../../fuzz/pool';

const MODULE = resolve(__dirname, 'brokenTargets.ts');

describe('fuzz pool', () => {
  test('a parser that never returns is stopped and its input named', async () => {
    const r = await fuzzInWorker('hangs', 200, 1, { module: MODULE, hangMs: 1500, save: false });
    assert.match(r.failure?.message ?? '', /no progress for 1\.5 s \(a hang\) on run \d+ \(seed \d+\), an input of (\d+) bytes/);
    const bytes = Number(/an input of (\d+) bytes/.exec(r.failure!.message)![1]);
    assert.ok(bytes > 40, `the rebuilt input is one that hangs (${bytes} bytes)`);
  });

  test('a parser that eats memory is stopped at the heap cap', async () => {
    const r = await fuzzInWorker('eats-memory', 200, 1, { module: MODULE, heapCapMb: 64, save: false });
    assert.match(r.failure?.message ?? '', /out of memory past 64 MB on run \d+/);
  });

  test('an untyped exception fails the property with a shrunk input', async () => {
    const r = await fuzzInWorker('untyped', 200, 1, { module: MODULE, save: false });
    assert.match(r.failure?.message ?? '', /untyped exception TypeError: boom/);
  });
});
