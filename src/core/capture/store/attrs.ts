/**
 * Attributes as 32-bit words in a per-segment arena, the capture store's densest part. Each
 * attribute is one word when its (key, value) pair repeats — a code path, a thread name, a
 * request id shared by the spans of a trace, a small int — interned with a reference count, or a
 * tagged key word followed by its value (a string id, an int32, or a float64 in two words). The
 * OTLP type survives (int vs double vs bytes), so the store gives back what it received.
 */
import type { Attribute, AttrValue } from '../../model/trace';
import type { StringPool } from './strings';
import { grown } from '../../arrays/grown';

const T_PAIR = 0;
const T_STR = 1;
const T_I32 = 2;
const T_INT = 3;
const T_DBL = 4;
const T_BOOL = 5;
const T_NULL = 6;
const T_BIGINT = 7;
const T_BYTES = 8;
const T_JSON = 9;

const PAYLOAD = 0x0fffffff;
/** Pairs are keyed by a double; key ids past this are stored inline (never in real telemetry). */
const MAX_PAIR_KEY = 1 << 17;
const SMALL_INT = 4096;

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** A growable word buffer, trimmed to size when its segment is full. */
export class Words {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(w: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = w >>> 0;
  }
  grow(min: number): void {
    const next = new Uint32Array(Math.max(min, Math.ceil(this.data.length * 1.5)));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  trim(): void {
    if (this.data.length > this.length) this.data = this.data.slice(0, this.length);
  }
}

/** A value as a comparable scalar, for queries: what one attribute holds. */
export type Scalar = { t: 'str'; id: number } | { t: 'num'; v: number; int: boolean } | { t: 'bool'; v: boolean } | { t: 'other' };

export class AttrCodec {
  /** Pair id → key id, tag (T_STR, T_I32, T_BOOL) and value (string id or int bits). */
  private pKey = new Uint32Array(1024);
  private pTag = new Uint8Array(1024);
  private pVal = new Uint32Array(1024);
  private pRefs = new Uint32Array(1024);
  private pairCount = 1; // id 0 unused: a zero word must never read as a pair
  private readonly pairIds = new Map<number, number>();
  private readonly freePairs: number[] = [];
  /** Per pair, the trace sequence numbers holding it (ascending, possibly stale at the front). */
  readonly postings: (number[] | undefined)[] = [];

  constructor(readonly pool: StringPool) {}

  get pairs(): number {
    return this.pairIds.size;
  }

  /**
   * Appends `list` to `out`; the pairs it uses gain a reference and, when `traceSeq` ≥ 0, that
   * trace in their postings. Returns the number of attributes written.
   */
  encode(list: readonly Attribute[], out: Words, traceSeq: number): number {
    const pool = this.pool;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      const key = pool.intern(a.key);
      const v = a.value;
      const type = a.type;
      if (typeof v === 'string' && type === undefined) {
        const sid = pool.intern(v);
        if (!this.pairWord(key, T_STR, sid, out, traceSeq)) {
          out.push((T_STR << 28) | key);
          out.push(sid);
        }
      } else if (typeof v === 'number' && type !== 'double' && Number.isInteger(v)) {
        if (v > -SMALL_INT && v < SMALL_INT && this.pairWord(key, T_I32, v >>> 0, out, traceSeq)) continue;
        if (v >= -0x80000000 && v <= 0x7fffffff) {
          out.push((T_I32 << 28) | key);
          out.push(v >>> 0);
        } else {
          F64[0] = v;
          out.push((T_INT << 28) | key);
          out.push(U32[0]!);
          out.push(U32[1]!);
        }
      } else if (typeof v === 'number') {
        F64[0] = v;
        out.push((T_DBL << 28) | key);
        out.push(U32[0]!);
        out.push(U32[1]!);
      } else if (typeof v === 'boolean') {
        if (this.pairWord(key, T_BOOL, v ? 1 : 0, out, traceSeq)) continue;
        out.push((T_BOOL << 28) | key);
        out.push(v ? 1 : 0);
      } else if (v === null) {
        out.push((T_NULL << 28) | key);
      } else if (typeof v === 'string') {
        out.push(((type === 'int' ? T_BIGINT : T_BYTES) << 28) | key);
        out.push(pool.intern(v));
      } else {
        out.push((T_JSON << 28) | key);
        out.push(pool.intern(JSON.stringify(v)));
      }
    }
    return list.length;
  }

  /**
   * Writes the pair word for (key, tag, val) and returns true, or false when the pair is not
   * interned (the caller writes it inline). The pair takes over the key's and value's references.
   */
  private pairWord(key: number, tag: number, val: number, out: Words, traceSeq: number): boolean {
    if (key >= MAX_PAIR_KEY) return false;
    const k = (key * 16 + tag) * 4294967296 + val;
    let id = this.pairIds.get(k);
    if (id === undefined) {
      id = this.freePairs.pop() ?? this.pairCount++;
      if (id >= this.pKey.length) this.growPairs();
      this.pKey[id] = key;
      this.pTag[id] = tag;
      this.pVal[id] = val;
      this.pRefs[id] = 1;
      this.pairIds.set(k, id);
      this.postings[id] = traceSeq >= 0 ? [traceSeq] : [];
    } else {
      this.pRefs[id]!++;
      // The pair holds one reference to its key and value: give back the ones just taken.
      this.pool.release(key);
      if (tag === T_STR) this.pool.release(val);
      if (traceSeq >= 0) {
        const p = this.postings[id]!;
        if (p[p.length - 1] !== traceSeq) p.push(traceSeq);
      }
    }
    out.push(id); // T_PAIR = 0 in the top bits
    return true;
  }

  private growPairs(): void {
    this.pKey = grown(this.pKey);
    this.pVal = grown(this.pVal);
    this.pRefs = grown(this.pRefs);
    this.pTag = grown(this.pTag);
  }

  /** Drops the references `count` attributes from `off` hold. */
  release(words: Uint32Array, off: number, count: number): void {
    let p = off;
    const pool = this.pool;
    for (let i = 0; i < count; i++) {
      const w = words[p]!;
      const tag = w >>> 28;
      if (tag === T_PAIR) {
        if (--this.pRefs[w]! === 0) this.freePair(w);
        p++;
        continue;
      }
      pool.release(w & PAYLOAD);
      if (tag === T_STR || tag === T_BIGINT || tag === T_BYTES || tag === T_JSON) pool.release(words[p + 1]!);
      p += width(tag);
    }
  }

  private freePair(id: number): void {
    const key = this.pKey[id]!;
    const tag = this.pTag[id]!;
    const val = this.pVal[id]!;
    this.pairIds.delete((key * 16 + tag) * 4294967296 + val);
    this.pool.release(key);
    if (tag === T_STR) this.pool.release(val);
    this.postings[id] = undefined;
    this.freePairs.push(id);
  }

  /** The model attributes of `count` entries from `off`. */
  decode(words: Uint32Array, off: number, count: number): Attribute[] {
    const out = new Array<Attribute>(count);
    let p = off;
    for (let i = 0; i < count; i++) {
      const r = this.read(words, p);
      out[i] = r.attr;
      p = r.next;
    }
    return out;
  }

  private read(words: Uint32Array, p: number): { attr: Attribute; next: number } {
    const pool = this.pool;
    const w = words[p]!;
    const tag = w >>> 28;
    if (tag === T_PAIR) {
      const key = pool.get(this.pKey[w]!);
      const t = this.pTag[w]!;
      const val = this.pVal[w]!;
      const value: AttrValue = t === T_STR ? pool.get(val) : t === T_I32 ? val | 0 : val === 1;
      return { attr: { key, value }, next: p + 1 };
    }
    const key = pool.get(w & PAYLOAD);
    switch (tag) {
      case T_STR:
        return { attr: { key, value: pool.get(words[p + 1]!) }, next: p + 2 };
      case T_I32:
        return { attr: { key, value: words[p + 1]! | 0 }, next: p + 2 };
      case T_INT:
      case T_DBL: {
        U32[0] = words[p + 1]!;
        U32[1] = words[p + 2]!;
        const v = F64[0]!;
        return { attr: tag === T_DBL && Number.isInteger(v) ? { key, value: v, type: 'double' } : { key, value: v }, next: p + 3 };
      }
      case T_BOOL:
        return { attr: { key, value: words[p + 1] === 1 }, next: p + 2 };
      case T_NULL:
        return { attr: { key, value: null }, next: p + 1 };
      case T_BIGINT:
        return { attr: { key, value: pool.get(words[p + 1]!), type: 'int' }, next: p + 2 };
      case T_BYTES:
        return { attr: { key, value: pool.get(words[p + 1]!), type: 'bytes' }, next: p + 2 };
      default:
        return { attr: { key, value: JSON.parse(pool.get(words[p + 1]!)) as AttrValue }, next: p + 2 };
    }
  }

  /** Words `count` attributes from `off` take (to find what follows them). */
  span(words: Uint32Array, off: number, count: number): number {
    let p = off;
    for (let i = 0; i < count; i++) p += width(words[p]! >>> 28);
    return p - off;
  }

  /**
   * The value of attribute `key` (a string id) among `count` entries from `off`, as a scalar, or
   * undefined when absent. The first occurrence wins, as in Tempo.
   */
  find(words: Uint32Array, off: number, count: number, key: number): Scalar | undefined {
    let p = off;
    for (let i = 0; i < count; i++) {
      const w = words[p]!;
      const tag = w >>> 28;
      if (tag === T_PAIR) {
        if (this.pKey[w] === key) {
          const t = this.pTag[w]!;
          const val = this.pVal[w]!;
          return t === T_STR ? { t: 'str', id: val } : t === T_I32 ? { t: 'num', v: val | 0, int: true } : { t: 'bool', v: val === 1 };
        }
        p++;
        continue;
      }
      if ((w & PAYLOAD) === key) return this.scalar(words, p, tag);
      p += width(tag);
    }
    return undefined;
  }

  private scalar(words: Uint32Array, p: number, tag: number): Scalar {
    switch (tag) {
      case T_STR:
        return { t: 'str', id: words[p + 1]! };
      case T_I32:
        return { t: 'num', v: words[p + 1]! | 0, int: true };
      case T_INT:
      case T_DBL:
        U32[0] = words[p + 1]!;
        U32[1] = words[p + 2]!;
        return { t: 'num', v: F64[0]!, int: tag === T_INT };
      case T_BOOL:
        return { t: 'bool', v: words[p + 1] === 1 };
      case T_BIGINT:
        return { t: 'num', v: Number(this.pool.get(words[p + 1]!)), int: true };
      default:
        return { t: 'other' };
    }
  }

  /** Whether every string and boolean value of `key` is interned as a pair (so its postings are complete). */
  pairsComplete(key: number): boolean {
    return key < MAX_PAIR_KEY;
  }

  /** The pair id of (key, string) if one is held: what an equality search looks up. */
  stringPair(key: number, value: number): number | undefined {
    return this.pairIds.get((key * 16 + T_STR) * 4294967296 + value);
  }

  /** The pair id of (key, small int) if one is held. */
  intPair(key: number, value: number): number | undefined {
    return this.pairIds.get((key * 16 + T_I32) * 4294967296 + (value >>> 0));
  }

  boolPair(key: number, value: boolean): number | undefined {
    return this.pairIds.get((key * 16 + T_BOOL) * 4294967296 + (value ? 1 : 0));
  }

  /** Key ids of `count` entries from `off`, for the tag-name endpoints. */
  keys(words: Uint32Array, off: number, count: number, into: Set<number>): void {
    let p = off;
    for (let i = 0; i < count; i++) {
      const w = words[p]!;
      const tag = w >>> 28;
      if (tag === T_PAIR) {
        into.add(this.pKey[w]!);
        p++;
      } else {
        into.add(w & PAYLOAD);
        p += width(tag);
      }
    }
  }

  bytes(): number {
    return this.pKey.byteLength * 3 + this.pTag.byteLength + this.pairIds.size * 40 + this.postingBytes();
  }

  private postingEntries = 0;
  private postingBytes(): number {
    return this.postingEntries * 8;
  }

  /** Recounts posting entries (for the byte estimate) and drops the stale prefix below `minSeq`. */
  trimPostings(minSeq: number): void {
    let n = 0;
    for (let id = 1; id < this.pairCount; id++) {
      const p = this.postings[id];
      if (!p) continue;
      if (p.length && p[0]! < minSeq) {
        let k = 0;
        while (k < p.length && p[k]! < minSeq) k++;
        p.splice(0, k);
      }
      n += p.length;
    }
    this.postingEntries = n;
  }
}

function width(tag: number): number {
  switch (tag) {
    case T_PAIR:
    case T_NULL:
      return 1;
    case T_INT:
    case T_DBL:
      return 3;
    default:
      return 2;
  }
}
