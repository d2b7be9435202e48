/**
 * JSON.parse rounds integers past 2^53, and Node 20 (VS Code's extension host) has no reviver
 * access to the source text. Servers that write u64 ids as bare numbers (Dynamo's
 * `instance_id`) need them exact, so this parser keeps every integer literal outside the safe
 * range as a bigint; everything else comes out as JSON.parse would give it. Keys are defined as
 * own properties, so `__proto__` in the input is plain data.
 */
import { TraceFormatError } from '../model/errors';

export type ExactJson = null | boolean | number | bigint | string | ExactJson[] | { [key: string]: ExactJson };

/** Throws TraceFormatError with the offset of the first fault. */
export function parseExactJson(text: string): ExactJson {
  const p = new Parser(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  p.space();
  const v = p.value(0);
  p.space();
  if (p.i < p.s.length) p.fail('end of input');
  return v;
}

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(expected: string): never {
    throw new TraceFormatError(`JSON at offset ${this.i}`, expected);
  }

  space(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.i++;
    }
  }

  value(depth: number): ExactJson {
    if (depth > MAX_DEPTH) this.fail(`nesting of at most ${MAX_DEPTH} levels`);
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === 't' || c === 'f' || c === 'n') return this.literal();
    return this.number();
  }

  object(depth: number): { [key: string]: ExactJson } {
    const out: { [key: string]: ExactJson } = {};
    this.i++;
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.s[this.i] !== '"') this.fail('a string key');
      const key = this.string();
      this.space();
      if (this.s[this.i] !== ':') this.fail("':'");
      this.i++;
      this.space();
      Object.defineProperty(out, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.space();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') {
        this.i--;
        this.fail("',' or '}'");
      }
      this.space();
    }
  }

  array(depth: number): ExactJson[] {
    const out: ExactJson[] = [];
    this.i++;
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.space();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') {
        this.i--;
        this.fail("',' or ']'");
      }
      this.space();
    }
  }

  string(): string {
    const start = this.i;
    const s = this.s;
    let j = start + 1;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) j++;
      else if (c < 0x20) {
        this.i = j;
        this.fail('no raw control character inside a string');
      }
    }
    if (j >= s.length) this.fail('the end of the string');
    this.i = j + 1;
    // The literal is well delimited; JSON.parse decodes its escapes (and rejects bad ones).
    try {
      return JSON.parse(s.slice(start, j + 1)) as string;
    } catch {
      this.i = start;
      return this.fail('a valid string escape');
    }
  }

  literal(): boolean | null {
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail('a value');
  }

  number(): number | bigint {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (!m) return this.fail('a value');
    this.i += m[0].length;
    const n = Number(m[0]);
    if (!m[1] && !m[2] && !Number.isSafeInteger(n)) return BigInt(m[0]);
    return n;
  }
}
