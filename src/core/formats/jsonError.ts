/**
 * Where JSON text stops being JSON, for the "not JSON" message. V8's own messages give a
 * position only for some faults, and others quote a slice of the text (which may hold secrets),
 * so on failure the text is re-scanned here. Only runs after JSON.parse has already failed.
 */

export interface JsonFault {
  /** Offset into the text (UTF-16 units). */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly problem: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Scanner {
  i = 0;
  constructor(private readonly t: string) {}

  ws(): void {
    while (this.i < this.t.length && WS.has(this.t.charCodeAt(this.i))) this.i++;
  }

  /** Returns a problem, or '' when the text is valid JSON. Iterative, so deep nesting cannot overflow. */
  scan(): string {
    const stack: number[] = []; // 0x7b '{' or 0x5b '['
    const t = this.t;
    let expectValue = true;
    for (;;) {
      this.ws();
      if (this.i >= t.length) return expectValue || stack.length ? 'unexpected end of text' : '';
      const c = t.charCodeAt(this.i);
      if (expectValue) {
        if (c === 0x7b || c === 0x5b) {
          stack.push(c);
          this.i++;
          this.ws();
          const close = c === 0x7b ? 0x7d : 0x5d;
          if (t.charCodeAt(this.i) === close) {
            stack.pop();
            this.i++;
            expectValue = false;
            continue;
          }
          if (c === 0x7b && !this.key()) return this.problem('expected a property name in double quotes');
          continue;
        }
        const p = this.scalar();
        if (p) return p;
        expectValue = false;
        continue;
      }
      if (stack.length === 0) return this.problem('unexpected text after the JSON value');
      const top = stack[stack.length - 1];
      if (c === 0x2c) {
        this.i++;
        if (top === 0x7b) {
          this.ws();
          if (!this.key()) return this.problem('expected a property name in double quotes');
        }
        expectValue = true;
        continue;
      }
      if ((top === 0x7b && c === 0x7d) || (top === 0x5b && c === 0x5d)) {
        stack.pop();
        this.i++;
        continue;
      }
      return this.problem(top === 0x7b ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }

  /** A property name and its colon; leaves i at the value. */
  private key(): boolean {
    if (this.t.charCodeAt(this.i) !== 0x22 || this.string()) return false;
    this.ws();
    if (this.t.charCodeAt(this.i) !== 0x3a) return false;
    this.i++;
    return true;
  }

  /** Returns a problem or ''. */
  private string(): string {
    const t = this.t;
    this.i++;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return '';
      }
      if (c < 0x20) return this.problem('control character inside a string');
      if (c === 0x5c) {
        const e = t[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.i + 2, this.i + 6))) return this.problem('bad \\u escape');
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return this.problem('bad escape');
        this.i += 2;
        continue;
      }
      this.i++;
    }
    return this.problem('unterminated string');
  }

  private scalar(): string {
    const t = this.t;
    const c = t.charCodeAt(this.i);
    if (c === 0x22) return this.string();
    for (const word of ['true', 'false', 'null']) {
      if (t.startsWith(word, this.i)) {
        this.i += word.length;
        return '';
      }
    }
    const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    if (m.exec(t) && m.lastIndex > this.i) {
      this.i = m.lastIndex;
      return '';
    }
    return this.problem('expected a value');
  }

  problem(what: string): string {
    const ch = this.t[this.i];
    const shown = ch === undefined ? '' : /[\x20-\x7e]/.test(ch) ? ` '${ch}'` : ` U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    return `${what}${shown ? `, found${shown}` : ''}`;
  }
}

/** The first fault in `text`, or undefined if it is valid JSON. */
export function findJsonFault(text: string): JsonFault | undefined {
  const s = new Scanner(text);
  const problem = s.scan();
  if (!problem) return undefined;
  const offset = Math.min(s.i, text.length);
  let line = 1;
  let lineStart = 0;
  for (let p = text.indexOf('\n'); p !== -1 && p < offset; p = text.indexOf('\n', p + 1)) {
    line++;
    lineStart = p + 1;
  }
  return { offset, line, column: offset - lineStart + 1, problem };
}
