/**
 * Worker side of pool.ts: builds one target's arbitrary from its seeds, warms up, measures the
 * heap after a GC, fuzzes, measures again. Before each input it writes the run index into the
 * shared progress array, so the parent can tell a hang (the index stops moving) and rebuild the
 * input that caused it from the seed.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { arbitraryFor, fuzzWith, minimize, warmUpSeed, type FuzzInput } from './harness';
import { registry } from './registry';

export interface WorkerJob {
  readonly target: string;
  readonly runs: number;
  readonly seed: number;
  /** [current run index + 1, first failing index + 1, phase (0 seeds, 1 warm-up, 2 fuzzing, 3 minimising), 1 while inside the parser, a heartbeat]. */
  readonly progress: SharedArrayBuffer;
  /** A module exporting TARGETS other than ./targets (the pool's own tests use one). */
  readonly module?: string;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const job = workerData as WorkerJob;
  const progress = new Int32Array(job.progress);
  const target = registry(job.module).named(job.target);
  const arb = await arbitraryFor(target);
  const onInput = (i: number): void => {
    if (i >= 0) Atomics.store(progress, 0, i + 1);
    else {
      // Shrinking: each try is progress too.
      if (Atomics.load(progress, 1) === 0) Atomics.store(progress, 1, Atomics.load(progress, 0));
      Atomics.add(progress, 4, 1);
    }
  };
  const onParse = (inside: boolean): void => void Atomics.store(progress, 3, inside ? 1 : 0);
  const beat = (): void => void Atomics.add(progress, 4, 1);
  const shrink = (input: FuzzInput): FuzzInput => {
    Atomics.store(progress, 2, 3);
    return minimize(target, input, undefined, beat);
  };
  // Warm-up fills lazy caches (protobufjs codecs, regexes) so they do not count as growth. It
  // is watched like the real run: a hang can come from its inputs too.
  Atomics.store(progress, 2, 1);
  const warm = fuzzWith(target, arb, Math.min(50, job.runs), warmUpSeed(job.seed), { onInput, onParse });
  if (warm.failure) {
    const failure = { ...warm.failure, input: shrink(warm.failure.input) };
    parentPort!.postMessage({ report: { ...warm, failure }, ms: 0, heapGrowthBytes: 0 });
    return;
  }
  const heapBefore = heapAfterGc();
  Atomics.store(progress, 0, 0);
  Atomics.store(progress, 2, 2);
  const started = performance.now();
  const report = fuzzWith(target, arb, job.runs, job.seed, { onInput, onParse });
  const ms = performance.now() - started;
  const heapAfter = heapAfterGc();
  const failure = report.failure && { ...report.failure, input: shrink(report.failure.input) };
  parentPort!.postMessage({ report: { ...report, failure }, ms, heapGrowthBytes: heapAfter - heapBefore });
}

void main().catch((err: unknown) => {
  parentPort!.postMessage({ error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
});
