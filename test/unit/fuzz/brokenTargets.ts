/**
 * Deliberately broken parsers for the pool's own tests: one that spins forever on some inputs,
 * one that allocates without bound, one that throws a TypeError. They prove the watchdog, the
 * heap cap and the property actually catch what they are there to catch.
 */
import type { FuzzInput, FuzzTarget } from '../../fuzz/harness';

class Typed extends Error {}

const base = {
  input: 'text' as const,
  seeds: async () => ['{"a":[1,2,3],"b":"x"}', '[]'],
  typed: (e: unknown) => e instanceof Typed,
  check: () => undefined,
};

const len = (i: FuzzInput): number => (typeof i === 'string' ? i.length : i.byteLength);

/** Spins forever when the input is longer than 40 characters. */
export const hangs: FuzzTarget = {
  ...base,
  name: 'hangs',
  parse: (i) => {
    // eslint-disable-next-line no-empty
    if (len(i) > 40) for (;;) {}
    throw new Typed();
  },
};

/** Holds ever more memory when the input is longer than 40 characters. */
export const leaks: FuzzTarget = {
  ...base,
  name: 'eats-memory',
  parse: (i) => {
    if (len(i) > 40) {
      const hold: number[][] = [];
      for (;;) hold.push(new Array<number>(1 << 20).fill(1));
    }
    throw new Typed();
  },
};

/** Throws a TypeError when the input contains "null". */
export const untyped: FuzzTarget = {
  ...base,
  name: 'untyped',
  parse: (i) => {
    if (String(i).includes('null')) throw new TypeError('boom');
    throw new Typed();
  },
};

export const TARGETS: readonly FuzzTarget[] = [hangs, leaks, untyped];
