/**
 * `npm run fuzz [-- --runs N] [--seed S] [TARGET...]`: every parser (or the ones named) with N
 * inputs each (default 10,000), one worker at a time. A random seed unless given; it is printed,
 * and a failure is saved as a regression case under test/fuzz/regressions/ for the unit tests.
 * Exit 1 when any target failed.
 */
import { parseArgs } from 'node:util';
import { fuzzInWorker } from './pool';
import { TARGETS, targetNamed } from './targets';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' } }, allowPositionals: true });
  const runs = values.runs === undefined ? 10_000 : Number(values.runs);
  const seed = values.seed === undefined ? (Math.random() * 2 ** 31) | 0 : Number(values.seed);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
    process.stderr.write('usage: npm run fuzz -- [--runs N] [--seed S] [TARGET...]\n');
    return 2;
  }
  const targets = positionals.length ? positionals.map((n) => targetNamed(n).name) : TARGETS.map((t) => t.name);
  process.stderr.write(`fuzz: ${targets.length} targets × ${runs} inputs, seed ${seed}\n`);
  let failed = 0;
  for (const name of targets) {
    const r = await fuzzInWorker(name, runs, seed);
    if (r.failure) {
      failed++;
      process.stdout.write(`FAIL ${name}: ${r.failure.message}\n${r.failure.regression ? `  kept as ${r.failure.regression}\n` : ''}`);
      continue;
    }
    const o = r.report!.outcomes;
    process.stdout.write(
      `ok   ${name}: ${r.report!.runs} inputs (${o.model} models, ${o.typed} typed errors) in ${((r.ms ?? 0) / 1000).toFixed(1)} s, heap ${((r.heapGrowthBytes ?? 0) / 1048576).toFixed(1)} MB after GC\n`,
    );
  }
  process.stdout.write(`${targets.length - failed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fuzz: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
