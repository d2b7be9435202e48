/**
 * Deterministic randomness and ids for synthetic traces: the same seed gives the same bytes on
 * every machine, so benches, contract fakes and the demo can name a trace or span id ahead of
 * time (`traceIdFor(seed)`) and tests can assert on it.
 */

/** murmur3's 32-bit finaliser: a bijection on uint32, so distinct inputs give distinct outputs. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** mulberry32: small, fast, good enough for shaping test data (not for anything secret). */
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = fmix32((seed >>> 0) ^ 0x9e3779b9) || 1;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** The 32-hex trace id of the trace generated with `seed`. */
export function traceIdFor(seed: number): string {
  const s = seed >>> 0;
  const id = [1, 2, 3, 4].map((k) => hex8(fmix32(s ^ Math.imul(k, 0x27d4eb2f)))).join('');
  return /^0+$/.test(id) ? '00000000000000000000000000000001' : id;
}

/**
 * The 16-hex id of span number `index` (0 = the root) in the trace generated with `seed`.
 * The low half is a bijection of the index, so ids never repeat within a trace.
 */
export function spanIdFor(seed: number, index: number): string {
  const hi = fmix32((seed >>> 0) ^ 0x5bd1e995) | 0x01000000; // never all zeros
  return hex8(hi) + hex8(fmix32((index >>> 0) ^ 0x2545f491));
}

/** The `x_request_id` the root span of the trace generated with `seed` carries. */
export function requestIdFor(seed: number): string {
  return `spanlens-synth-${(seed >>> 0).toString(36)}`;
}

/** A UUID v4-shaped Dynamo `request_id` for the trace generated with `seed`. */
export function dynamoRequestIdFor(seed: number): string {
  const h = [5, 6, 7, 8].map((k) => hex8(fmix32((seed >>> 0) ^ Math.imul(k, 0x165667b1)))).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
