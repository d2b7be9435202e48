/**
 * The property every parser must hold for any input: it returns a model that keeps the model's
 * promises, or throws one of its typed errors — never another exception, never slower than a
 * per-input bound. `fuzzTarget` drives one target with fast-check in this thread; pool.ts runs
 * it in a worker with a memory cap and a watchdog for hangs. Failures become regression cases
 * (regressions.ts) that the unit tests replay.
 */
import fc from 'fast-check';
import { inputArbitrary } from './inputs';

export type FuzzInput = string | Uint8Array;

export interface FuzzTarget {
  /** Kebab-case; also the folder of its regression cases. */
  readonly name: string;
  readonly input: 'text' | 'bytes';
  /** Real bodies (fixtures, the generator served by the fakes) to mutate and learn shapes from. */
  seeds(): Promise<readonly FuzzInput[]>;
  /** Runs the parser(s) on one input; returns what they returned. */
  parse(input: FuzzInput): unknown;
  /** True for an error the parser promises (e.g. TraceFormatError). */
  typed(err: unknown): boolean;
  /** The parser answers every input (a checker): it promises no error at all. */
  readonly neverThrows?: boolean;
  /** Throws when a returned model breaks a promise of the model (ids, times, shapes). */
  check(model: unknown): void;
  /** Bytes targets: encodes a JSON value of the message's shape, for structured generation. */
  encode?(value: unknown): Uint8Array;
  /** Bytes targets: the seeds decoded to JSON values, to learn keys and values from. */
  shapes?(seeds: readonly FuzzInput[]): readonly unknown[];
}

/** Wall time one input may take. Inputs are capped at MAX_INPUT_BYTES, so linear parsers need a few ms. */
export const TIME_BOUND_MS = 1000;
/** Generated and mutated inputs stay below this size. */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

export type Outcome = 'model' | 'typed';

/** Why an input failed the property; its message is what a regression case records. */
export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
  constructor(
    readonly kind: 'untyped' | 'invariant' | 'slow',
    message: string,
    readonly original?: unknown,
  ) {
    super(message);
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.slice(0, 300)}${e.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return `a thrown ${typeof e}`;
}

/** One input through one target; throws FuzzFailure when the property does not hold. */
export function runOne(target: FuzzTarget, input: FuzzInput, boundMs = TIME_BOUND_MS): Outcome {
  const t0 = performance.now();
  let outcome: Outcome;
  let model: unknown;
  try {
    model = target.parse(input);
    outcome = 'model';
  } catch (e) {
    if (!target.typed(e)) throw new FuzzFailure('untyped', `${target.name}: untyped exception ${describeError(e)}`, e);
    outcome = 'typed';
  }
  const ms = performance.now() - t0;
  if (outcome === 'model') {
    try {
      target.check(model);
    } catch (e) {
      throw new FuzzFailure('invariant', `${target.name}: the model breaks a promise: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }
  if (ms > boundMs) throw new FuzzFailure('slow', `${target.name}: took ${Math.round(ms)} ms (bound ${boundMs} ms) for ${inputSize(input)} bytes`);
  return outcome;
}

export function inputSize(input: FuzzInput): number {
  return typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
}

export interface FuzzReport {
  readonly target: string;
  readonly runs: number;
  readonly seed: number;
  readonly outcomes: Record<Outcome, number>;
  readonly failure?: { readonly message: string; readonly input: FuzzInput; readonly path: string };
}

/** Hooks for the worker's watchdog. */
export interface FuzzHooks {
  /** Before each input, with its run index (-1 while shrinking). */
  readonly onInput?: (index: number) => void;
  /** Around the parser call: true on entry, false on return, so a stall can be told apart from one in generation. */
  readonly onParse?: (inside: boolean) => void;
}

/** The arbitrary a target is fuzzed with, built once from its seeds. */
export async function arbitraryFor(target: FuzzTarget): Promise<fc.Arbitrary<FuzzInput>> {
  const seeds = await target.seeds();
  if (seeds.length === 0) throw new Error(`${target.name} has no seeds`);
  return inputArbitrary(target, seeds);
}

/**
 * `runs` inputs through `target`, fast-check shrinking a failure to a small counterexample.
 * Run indices count generated inputs only (shrinking attempts report -1).
 */
export function fuzzWith(target: FuzzTarget, arb: fc.Arbitrary<FuzzInput>, runs: number, seed: number, hooks: FuzzHooks = {}): FuzzReport {
  const outcomes: Record<Outcome, number> = { model: 0, typed: 0 };
  let index = 0;
  let shrinking = false;
  let slow = false;
  const details = fc.check(
    fc.property(arb, (input) => {
      hooks.onInput?.(shrinking ? -1 : index++);
      // Shrinking a slow input costs a slow run per try and says little: keep the one found.
      if (slow) return;
      hooks.onParse?.(true);
      try {
        outcomes[runOne(target, input)]++;
      } catch (e) {
        if (e instanceof FuzzFailure && e.kind === 'slow' && !stillSlow(target, input)) {
          outcomes.typed++; // a pause of the machine, not of the parser (the outcome itself was fine)
          return;
        }
        shrinking = true;
        slow = e instanceof FuzzFailure && e.kind === 'slow';
        throw e;
      } finally {
        hooks.onParse?.(false);
      }
    }),
    { numRuns: runs, seed, endOnFailure: false },
  );
  const report: FuzzReport = { target: target.name, runs: details.numRuns, seed, outcomes };
  if (!details.failed || details.counterexample === null) return report;
  const err = details.errorInstance;
  return {
    ...report,
    failure: {
      message: err instanceof Error ? err.message : String(err),
      input: details.counterexample[0],
      path: details.counterexamplePath ?? '',
    },
  };
}

/** The worker's warm-up runs on its own seed, so its inputs differ from the measured run's. */
export function warmUpSeed(seed: number): number {
  return seed ^ 0x5eed;
}

/**
 * A slow input is timed twice more and counts as slow only if even the faster repeat is over the
 * bound: on a machine shared with other work, one run can stall for reasons outside the parser.
 */
function stillSlow(target: FuzzTarget, input: FuzzInput): boolean {
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    try {
      target.parse(input);
    } catch {
      // The outcome was judged already; only the time matters here.
    }
    best = Math.min(best, performance.now() - t0);
  }
  return best > TIME_BOUND_MS;
}

/** The input fast-check generates at run `index` for `seed`, without running the parser (to name a hang). */
export function inputAt(arb: fc.Arbitrary<FuzzInput>, seed: number, index: number): FuzzInput {
  let got: FuzzInput | undefined;
  fc.check(
    fc.property(arb, (input) => {
      got = input;
      return false;
    }),
    { numRuns: 1, seed, path: String(index), endOnFailure: true },
  );
  if (got === undefined) throw new Error(`no input at run ${index}`);
  return got;
}

/** What makes two failures the same bug: kind and message, with numbers (indices, sizes) ignored. */
function signature(e: unknown): string {
  if (!(e instanceof FuzzFailure)) return `other:${String(e)}`;
  return `${e.kind}:${e.message.split('\n')[0]!.replace(/\d+/g, 'N').slice(0, 120)}`;
}

function failureOf(target: FuzzTarget, input: FuzzInput): string | undefined {
  try {
    runOne(target, input, Infinity);
    return undefined;
  } catch (e) {
    return signature(e);
  }
}

/**
 * Shrinks a failing input further than fast-check can (its mutations keep the whole seed): for
 * JSON text, greedily deletes array elements and object keys, then replaces subtrees by null,
 * while the same failure persists; for other text and bytes, drops chunks (delta debugging).
 * Bounded by `budgetMs`. Slowness is not minimised (each try would be slow).
 */
export function minimize(target: FuzzTarget, input: FuzzInput, budgetMs = 10_000, onTry?: () => void): FuzzInput {
  const want = failureOf(target, input);
  if (want === undefined || want.startsWith('slow:')) return input;
  const deadline = performance.now() + budgetMs;
  const still = (x: FuzzInput): boolean => {
    onTry?.();
    return performance.now() < deadline && failureOf(target, x) === want;
  };
  let best = input;
  if (typeof input === 'string') {
    let value: unknown;
    try {
      value = JSON.parse(input);
    } catch {
      value = undefined;
    }
    try {
      if (value !== undefined) best = minimizeJson(value, (v) => still(JSON.stringify(v) ?? 'null'), deadline) ?? best;
    } catch {
      // Nesting too deep to clone or stringify here: the flat pass below still shrinks it.
    }
  }
  return minimizeFlat(best, still, deadline);
}

type Node = { parent: Record<string, unknown> | unknown[]; key: string | number };

function nodes(root: unknown): Node[] {
  const out: Node[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 400 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v, key: i }), walk(x, depth + 1)));
    else for (const k of Object.keys(v)) out.push({ parent: v as Record<string, unknown>, key: k }), walk((v as Record<string, unknown>)[k], depth + 1);
  };
  walk(root, 0);
  return out;
}

function minimizeJson(value: unknown, still: (v: unknown) => boolean, deadline: number): string | undefined {
  let root = structuredClone(value);
  let changed = true;
  while (changed && performance.now() < deadline) {
    changed = false;
    // Nodes in document order: outer (larger) subtrees come before the ones inside them.
    for (const n of nodes(root)) {
      if (performance.now() > deadline) break;
      const { parent, key } = n;
      const trial = structuredClone(root);
      const p = pathTo(root, parent, trial);
      if (!p) continue;
      if (Array.isArray(p)) p.splice(key as number, 1);
      else delete (p as Record<string, unknown>)[key as string];
      if (still(trial)) {
        root = trial;
        changed = true;
        break;
      }
    }
  }
  return JSON.stringify(root);
}

/** The object in `copy` at the same place as `target` in `root`. */
function pathTo(root: unknown, target: unknown, copy: unknown): unknown {
  if (root === target) return copy;
  if (root === null || typeof root !== 'object') return undefined;
  for (const k of Object.keys(root)) {
    const r = (root as Record<string, unknown>)[k];
    if (r !== null && typeof r === 'object') {
      const found = pathTo(r, target, (copy as Record<string, unknown>)[k]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function minimizeFlat(input: FuzzInput, still: (x: FuzzInput) => boolean, deadline: number): FuzzInput {
  const asBytes = typeof input === 'string' ? Buffer.from(input) : Buffer.from(input);
  const back = (b: Buffer): FuzzInput => (typeof input === 'string' ? b.toString('utf8') : new Uint8Array(b));
  let cur = asBytes;
  for (let chunk = Math.max(1, cur.length >> 1); chunk >= 1 && performance.now() < deadline; chunk >>= 1) {
    for (let at = 0; at < cur.length && performance.now() < deadline; ) {
      const trial = Buffer.concat([cur.subarray(0, at), cur.subarray(at + chunk)]);
      if (still(back(trial))) cur = trial;
      else at += chunk;
    }
  }
  return back(cur);
}
