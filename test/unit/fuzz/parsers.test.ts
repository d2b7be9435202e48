/**
 * Every parser in the fuzz registry (test/fuzz/targets) with a few hundred generated and mutated
 * inputs each, in a worker with a heap cap and a hang watchdog; then every kept regression case
 * replayed here. `npm run fuzz` runs the same with 10,000 inputs per parser and a random seed.
 * The seed here is fixed so CI is repeatable; SPANLENS_FUZZ_SEED / SPANLENS_FUZZ_RUNS change it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runOne } from '../../fuzz/harness';
import { fuzzInWorker } from '../../fuzz/pool';
import { loadRegressions } from '../../fuzz/regressions';
import { TARGETS, targetNamed } from '../../fuzz/targets';

const RUNS = Number(process.env.SPANLENS_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.SPANLENS_FUZZ_SEED ?? 20_260_811);

describe('fuzzed parsers: a model or a typed error, within the time and memory bounds', () => {
  for (const t of TARGETS) {
    test(`${t.name}: ${RUNS} inputs`, async () => {
      const r = await fuzzInWorker(t.name, RUNS, SEED);
      assert.equal(r.failure, undefined, r.failure && `${r.failure.message}${r.failure.regression ? `\nkept as ${r.failure.regression}` : ''}`);
      assert.equal(r.report!.runs, RUNS);
      // A harness whose inputs all fail the same way tests nothing: both outcomes must occur
      // (a checker that promises no error only answers).
      assert.ok(r.report!.outcomes.model > 0 && (t.neverThrows || r.report!.outcomes.typed > 0), `outcomes ${JSON.stringify(r.report!.outcomes)}`);
    });
  }
});

describe('fuzz regression cases', () => {
  const cases = loadRegressions();
  test('there are kept cases, each for a registered target', () => {
    assert.ok(cases.length > 0);
    for (const c of cases) targetNamed(c.target);
  });
  for (const c of cases) {
    test(`${c.target}: ${c.file.split('/').pop()} (${c.found.slice(c.target.length + 2, 110)})`, () => {
      runOne(targetNamed(c.target), c.input);
    });
  }
});
