/**
 * Runs one fuzz target in a worker thread with a heap cap, watching it from here: an input that
 * runs past HANG_MS is a hang and one that exhausts the cap is unbounded memory — both end the
 * worker, and the input is rebuilt from the seed and its run index so it can be kept as a
 * regression case. Sync parser code cannot be interrupted from inside its own thread; this is
 * the deadline it cannot escape.
 */
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { arbitraryFor, inputAt, inputSize, TIME_BOUND_MS, warmUpSeed, type FuzzInput, type FuzzReport } from './harness';
import { saveRegression } from './regressions';
import { registry } from './registry';
import type { WorkerJob } from './worker';

/** Past this an input is not slow but stuck (slow is TIME_BOUND_MS, reported by the harness). */
export const HANG_MS = Math.max(20 * TIME_BOUND_MS, 20_000);
/** Old-space cap of the worker: inputs are at most a few MB, so a parser needing more is unbounded. */
export const HEAP_CAP_MB = 768;
/** Heap kept after all inputs and a GC, compared with before them: more is a leak. */
export const HEAP_GROWTH_LIMIT_BYTES = 16 * 1024 * 1024;

export interface PoolResult {
  readonly target: string;
  readonly seed: number;
  readonly runs: number;
  readonly report?: FuzzReport;
  readonly ms?: number;
  readonly heapGrowthBytes?: number;
  /** Set when the property failed, the worker hung or ran out of memory, or the heap grew. */
  readonly failure?: { readonly message: string; readonly regression?: string };
}

const ENTRY = resolve(__dirname, 'worker.ts');

export interface PoolOptions {
  /** Keep a failing input as a regression case (default true). */
  readonly save?: boolean;
  readonly hangMs?: number;
  readonly heapCapMb?: number;
  /** A module exporting TARGETS in place of ./targets. */
  readonly module?: string;
}

export async function fuzzInWorker(target: string, runs: number, seed: number, opts: PoolOptions = {}): Promise<PoolResult> {
  const save = opts.save ?? true;
  const hangMs = opts.hangMs ?? HANG_MS;
  const heapCapMb = opts.heapCapMb ?? HEAP_CAP_MB;
  const progress = new SharedArrayBuffer(20);
  const view = new Int32Array(progress);
  const job: WorkerJob = { target, runs, seed, progress, module: opts.module };
  // --require (not --import): a worker's ESM hooks register too late for its own entry file.
  const worker = new Worker(ENTRY, { workerData: job, execArgv: ['--require', 'tsx/cjs'], resourceLimits: { maxOldGenerationSizeMb: heapCapMb } });
  type Msg = { report: FuzzReport; ms: number; heapGrowthBytes: number } | { error: string };
  const outcome = await new Promise<{ msg?: Msg; stuck?: 'hang' | 'oom' | 'exit'; detail?: string }>((done) => {
    let last = '';
    let since = Date.now();
    const timer = setInterval(() => {
      const now = `${Atomics.load(view, 0)}/${Atomics.load(view, 2)}/${Atomics.load(view, 4)}`;
      if (now !== last) {
        last = now;
        since = Date.now();
        return;
      }
      // Seeds come from files and the fakes over loopback: slow on a busy machine, never minutes.
      if (Date.now() - since > (Atomics.load(view, 2) === 0 ? Math.max(hangMs, 120_000) : hangMs)) {
        clearInterval(timer);
        void worker.terminate();
        done({ stuck: 'hang' });
      }
    }, 250);
    worker.once('message', (msg: Msg) => {
      clearInterval(timer);
      void worker.terminate();
      done({ msg });
    });
    worker.once('error', (err: Error & { code?: string }) => {
      clearInterval(timer);
      done({ stuck: err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'oom' : 'exit', detail: err.message });
    });
    worker.once('exit', (code) => {
      clearInterval(timer);
      done({ stuck: 'exit', detail: `worker exited with code ${code}` });
    });
  });

  if (outcome.msg && 'error' in outcome.msg) return { target, seed, runs, failure: { message: `${target}: the harness failed: ${outcome.msg.error}` } };
  if (outcome.msg) {
    const { report, ms, heapGrowthBytes } = outcome.msg;
    const base = { target, seed, runs, report, ms, heapGrowthBytes };
    if (report.failure) {
      const regression = save ? saveRegression(target, report.failure.input, firstLine(report.failure.message), { seed, path: report.failure.path }) : undefined;
      return { ...base, failure: { message: `${report.failure.message}\n  seed ${seed}, path ${report.failure.path}`, regression } };
    }
    if (heapGrowthBytes > HEAP_GROWTH_LIMIT_BYTES) {
      return { ...base, failure: { message: `${target}: the heap kept ${(heapGrowthBytes / 1048576).toFixed(1)} MB after ${runs} inputs and a GC (limit ${HEAP_GROWTH_LIMIT_BYTES / 1048576} MB)` } };
    }
    return base;
  }
  // A stall outside the parser (generating an input, minimising) is the harness's own fault.
  if (outcome.stuck === 'hang' && Atomics.load(view, 3) === 0) {
    return { target, seed, runs, failure: { message: `${target}: the harness stalled outside the parser (phase ${Atomics.load(view, 2)}, after run ${Atomics.load(view, 0) - 1}, seed ${seed})` } };
  }
  // Hang, out of memory or a crash: rebuild the input from the seed and the run it was on.
  const failing = Atomics.load(view, 1) || Atomics.load(view, 0);
  const runSeed = Atomics.load(view, 2) === 1 ? warmUpSeed(seed) : seed;
  const what = outcome.stuck === 'hang' ? `no progress for ${hangMs / 1000} s (a hang)` : outcome.stuck === 'oom' ? `out of memory past ${heapCapMb} MB` : `the worker died: ${outcome.detail ?? ''}`;
  if (failing === 0) return { target, seed, runs, failure: { message: `${target}: ${what} before the first input` } };
  const index = failing - 1;
  let input: FuzzInput | undefined;
  try {
    input = inputAt(await arbitraryFor(registry(opts.module).named(target)), runSeed, index);
  } catch {
    // The message below still names the seed and run.
  }
  const message = `${target}: ${what} on run ${index} (seed ${runSeed})${input ? `, an input of ${inputSize(input)} bytes` : ''}`;
  const regression = save && input !== undefined ? saveRegression(target, input, message, { seed: runSeed, path: String(index) }) : undefined;
  return { target, seed, runs, failure: { message, regression } };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300);
}
