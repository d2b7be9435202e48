/**
 * JSON held in bytes, parsed without ever making one string of it. Below `maxTextBytes` this is
 * one TextDecoder pass and one JSON.parse, the fastest way there is. Above it — a 1M-span trace in
 * Tempo's encoding is ~800 MB, beyond the longest string V8 can make (2^29 − 24 characters) — one
 * structural scan finds the containers too large to parse at once; their small members are parsed
 * in batches of about `chunkBytes`, and a large array becomes a lazy array that parses the batch
 * holding the index asked for and lets the previous one go. A decoder that walks the spans in
 * order (all of ours do) therefore holds one batch of parsed JSON at a time, not the whole tree.
 */
import { TraceFormatError } from '../model/errors';
import { grown } from '../arrays/grown';

export interface JsonBytesOptions {
  /** Inputs up to this size are decoded as one string. */
  readonly maxTextBytes?: number;
  /** Containers up to this size are parsed by one JSON.parse; batches are about this size. */
  readonly chunkBytes?: number;
}

/** Large containers nested deeper than this are hostile, not telemetry (a trace has about six levels). */
const MAX_SPLIT_DEPTH = 1000;

const LAZY_ARRAYS = new WeakSet<object>();

/**
 * True for an array parseJsonBytes made lazy. Its elements are parsed again whenever their
 * batch is reloaded, so a decoder must not keep the array itself or write into its elements
 * expecting them to last (otlpJson's in-place attribute reuse).
 */
export function isLazyArray(v: unknown): boolean {
  return typeof v === 'object' && v !== null && LAZY_ARRAYS.has(v);
}

export const DEFAULT_MAX_TEXT_BYTES = 256 * 1024 * 1024;
const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const KIND_PRIMITIVE = 0;
const KIND_OBJECT = 1;
const KIND_ARRAY = 2;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Growable columns of the values the scan keeps: those inside containers too large to parse whole. */
class Records {
  length = 0;
  start = new Float64Array(1024);
  end = new Float64Array(1024);
  keyStart = new Float64Array(1024);
  keyEnd = new Float64Array(1024);
  parent = new Int32Array(1024);
  kind = new Uint8Array(1024);

  add(start: number, parent: number, kind: number, keyStart: number, keyEnd: number): number {
    if (this.length === this.start.length) this.grow();
    const r = this.length++;
    this.start[r] = start;
    this.end[r] = -1;
    this.keyStart[r] = keyStart;
    this.keyEnd[r] = keyEnd;
    this.parent[r] = parent;
    this.kind[r] = kind;
    return r;
  }

  private grow(): void {
    this.start = grown(this.start);
    this.end = grown(this.end);
    this.keyStart = grown(this.keyStart);
    this.keyEnd = grown(this.keyEnd);
    this.parent = grown(this.parent);
    this.kind = grown(this.kind);
  }
}

export function parseJsonBytes(bytes: Uint8Array, opts: JsonBytesOptions = {}): unknown {
  const maxText = opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const decoder = new TextDecoder('utf-8');
  if (bytes.byteLength <= maxText) {
    try {
      return JSON.parse(decoder.decode(bytes));
    } catch {
      // The same typed error as the split path's, not JSON.parse's SyntaxError (whose message
      // quotes a slice of the text, which may hold a secret).
      throw new TraceFormatError('', 'not JSON');
    }
  }
  return new LargeJson(bytes, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES, decoder).root();
}

class LargeJson {
  private readonly records = new Records();
  private children: Int32Array = new Int32Array(0);
  private childStart: Int32Array = new Int32Array(0);

  constructor(
    private readonly bytes: Uint8Array,
    private readonly chunk: number,
    private readonly decoder: { decode(b: Uint8Array): string },
  ) {
    this.scan();
    this.index();
  }

  root(): unknown {
    return this.build(0);
  }

  private fail(pos: number, what: string): never {
    throw new TraceFormatError('', `not JSON at byte ${pos}: ${what}`);
  }

  private text(a: number, b: number): string {
    return this.decoder.decode(this.bytes.subarray(a, b));
  }

  private parse(a: number, b: number, wrap = false): unknown {
    try {
      return JSON.parse(wrap ? `[${this.text(a, b)}]` : this.text(a, b));
    } catch {
      // Not V8's message: it quotes a slice of the text, which may hold a secret.
      return this.fail(a, 'a value here is not valid JSON');
    }
  }

  /** One past the closing quote of the string whose opening quote is at `pos`. */
  private stringEnd(pos: number): number {
    const bytes = this.bytes;
    let q = pos;
    for (;;) {
      q = bytes.indexOf(QUOTE, q + 1);
      if (q < 0) return this.fail(pos, 'a string is not closed');
      // A quote preceded by an odd run of backslashes is escaped.
      let b = q - 1;
      while (bytes[b] === BACKSLASH) b--;
      if ((q - 1 - b) % 2 === 0) return q + 1;
    }
  }

  private skipSpace(pos: number): number {
    const bytes = this.bytes;
    while (pos < bytes.length && isSpace(bytes[pos]!)) pos++;
    return pos;
  }

  /**
   * One pass over the bytes with a stack of open containers. Every value gets a record when it
   * starts; when a container closes and turns out small enough to parse whole, the records of
   * everything inside it are dropped again, so only the members of large containers remain.
   */
  private scan(): void {
    const bytes = this.bytes;
    const rec = this.records;
    const n = bytes.length;
    const stack: number[] = [];
    let pos = this.skipSpace(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
    let keyStart = -1;
    let keyEnd = -1;
    for (;;) {
      // A value starts at pos.
      if (pos >= n) return this.fail(pos, 'unexpected end of input');
      const top = stack.length ? stack[stack.length - 1]! : -1;
      const c = bytes[pos]!;
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        const r = rec.add(pos, top, c === OPEN_OBJECT ? KIND_OBJECT : KIND_ARRAY, keyStart, keyEnd);
        stack.push(r);
        pos = this.skipSpace(pos + 1);
        const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
        if (bytes[pos] !== close) {
          if (c === OPEN_OBJECT) [pos, keyStart, keyEnd] = this.key(pos);
          else keyStart = keyEnd = -1;
          continue;
        }
        // An empty container: closed below like any other.
      } else {
        const r = rec.add(pos, top, KIND_PRIMITIVE, keyStart, keyEnd);
        if (c === QUOTE) pos = this.stringEnd(pos);
        else {
          while (pos < n) {
            const d = bytes[pos]!;
            if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isSpace(d)) break;
            pos++;
          }
        }
        rec.end[r] = pos;
        if (!stack.length) {
          // A bare primitive at the top is small by definition; nothing to split, but nothing may follow it.
          if (this.skipSpace(pos) !== n) this.fail(pos, 'unexpected data after the end');
          return;
        }
        pos = this.skipSpace(pos);
      }
      // After a value: a comma (next member) or closes, possibly several.
      for (;;) {
        if (!stack.length) {
          if (this.skipSpace(pos) !== n) this.fail(pos, 'unexpected data after the end');
          return;
        }
        const open = stack[stack.length - 1]!;
        const isObject = rec.kind[open] === KIND_OBJECT;
        const d = bytes[pos];
        if (d === COMMA) {
          pos = this.skipSpace(pos + 1);
          if (isObject) [pos, keyStart, keyEnd] = this.key(pos);
          else keyStart = keyEnd = -1;
          break;
        }
        if (d === (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          stack.pop();
          rec.end[open] = pos + 1;
          if (pos + 1 - rec.start[open]! <= this.chunk) rec.length = open + 1;
          else if (stack.length >= MAX_SPLIT_DEPTH) {
            // build() recurses once per level of large containers: refuse before the stack overflows.
            this.fail(rec.start[open]!, `more than ${MAX_SPLIT_DEPTH} levels of containers over ${this.chunk} bytes each`);
          }
          pos = this.skipSpace(pos + 1);
          continue;
        }
        return this.fail(pos, d === undefined ? 'unexpected end of input' : `unexpected ${JSON.stringify(String.fromCharCode(d))}`);
      }
    }
  }

  /** A member's key and the colon after it; returns where its value starts. */
  private key(pos: number): [number, number, number] {
    if (this.bytes[pos] !== QUOTE) return this.fail(pos, 'expected a quoted member name');
    const end = this.stringEnd(pos);
    const colon = this.skipSpace(end);
    if (this.bytes[colon] !== COLON) return this.fail(colon, 'expected ":" after a member name');
    return [this.skipSpace(colon + 1), pos, end];
  }

  /** Children of every kept container, as contiguous lists (counting sort by parent). */
  private index(): void {
    const rec = this.records;
    const n = rec.length;
    const count = new Int32Array(n + 1);
    for (let r = 1; r < n; r++) count[rec.parent[r]! + 1]!++;
    for (let r = 0; r < n; r++) count[r + 1]! += count[r]!;
    this.childStart = count;
    const fill = count.slice(0, n);
    this.children = new Int32Array(Math.max(0, n - 1));
    for (let r = 1; r < n; r++) this.children[fill[rec.parent[r]!]!++] = r;
  }

  private build(r: number): unknown {
    const rec = this.records;
    const a = rec.start[r]!;
    const b = rec.end[r]!;
    if (rec.kind[r] === KIND_PRIMITIVE || b - a <= this.chunk) return this.parse(a, b);
    const kids = this.children.subarray(this.childStart[r]!, this.childStart[r + 1]!);
    if (rec.kind[r] === KIND_OBJECT) {
      const o: Record<string, unknown> = {};
      for (const k of kids) {
        const name = this.parse(rec.keyStart[k]!, rec.keyEnd[k]!) as string;
        const value = this.build(k);
        if (name === '__proto__') Object.defineProperty(o, name, { value, enumerable: true, writable: true, configurable: true });
        else o[name] = value;
      }
      return o;
    }
    return this.lazyArray(kids);
  }

  /**
   * An array whose elements are parsed a batch at a time as they are read. Array.isArray holds
   * for it (it is a Proxy of an array), so decoders need not know.
   */
  private lazyArray(kids: Int32Array): unknown[] {
    const rec = this.records;
    // Batches: runs of small consecutive elements up to `chunk` bytes; a large one stands alone.
    const batchFirst: number[] = [];
    for (let i = 0; i < kids.length; ) {
      batchFirst.push(i);
      const k = kids[i]!;
      if (rec.end[k]! - rec.start[k]! > this.chunk) {
        i++;
        continue;
      }
      const from = rec.start[k]!;
      let j = i + 1;
      while (j < kids.length && rec.end[kids[j]!]! - from <= this.chunk && rec.end[kids[j]!]! - rec.start[kids[j]!]! <= this.chunk) j++;
      i = j;
    }
    batchFirst.push(kids.length);
    let current = -1;
    let values: unknown[] = [];
    const load = (index: number): unknown => {
      if (current < 0 || index < batchFirst[current]! || index >= batchFirst[current + 1]!) {
        let lo = 0;
        let hi = batchFirst.length - 2;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (batchFirst[mid]! <= index) lo = mid;
          else hi = mid - 1;
        }
        current = lo;
        const first = batchFirst[lo]!;
        const last = batchFirst[lo + 1]! - 1;
        const k0 = kids[first]!;
        values =
          first === last && rec.end[k0]! - rec.start[k0]! > this.chunk
            ? [this.build(k0)]
            : (this.parse(rec.start[k0]!, rec.end[kids[last]!]!, true) as unknown[]);
      }
      return values[index - batchFirst[current]!];
    };
    const target: unknown[] = [];
    target.length = kids.length;
    const isIndex = (prop: string | symbol): number => {
      if (typeof prop !== 'string') return -1;
      const c = prop.charCodeAt(0);
      if (c < 48 || c > 57) return -1;
      const index = Number(prop);
      return Number.isInteger(index) && index < kids.length ? index : -1;
    };
    const lazy = new Proxy(target, {
      // Array methods (map, forEach, some …) ask whether an index exists before reading it.
      has(t, prop) {
        return isIndex(prop) >= 0 || Reflect.has(t, prop);
      },
      get(t, prop, receiver) {
        const index = isIndex(prop);
        return index >= 0 ? load(index) : Reflect.get(t, prop, receiver);
      },
    });
    LAZY_ARRAYS.add(lazy);
    return lazy;
  }
}
