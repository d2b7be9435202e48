/**
 * Just enough TraceQL for the Tempo fake: one spanset filter `{ … }` with conditions joined by
 * `&&` / `||` and parentheses; fields `resource.x`, `span.x`, `.x`, and the intrinsics name,
 * status, kind, duration, statusMessage, rootName, rootServiceName, traceDuration (also in their
 * `span:`/`trace:` spellings, and `span:id` / `trace:id`); quoted attribute names (`span."a b"`);
 * strings with Go escapes; operators = != > >= < <= =~ !~; values strings, numbers,
 * durations, booleans and status/kind keywords. Errors read like Tempo's
 * (`parse error at line 1, col C: syntax error: unexpected TOKEN`);
 * pipelines and structural operators are outside the subset and report a syntax error.
 */
import type { AttrValue, Span } from '../../src/core/model/trace';

export class TraceqlError extends Error {}

type Value = { kind: 'string'; v: string } | { kind: 'number'; v: number } | { kind: 'duration'; v: bigint } | { kind: 'bool'; v: boolean } | { kind: 'keyword'; v: string };
type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~';

export interface Field {
  readonly scope: 'resource' | 'span' | 'any' | 'intrinsic';
  readonly name: string;
}

export type Expr =
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'cond'; readonly field: Field; readonly op: Op; readonly value: Value }
  | { readonly kind: 'true' };

interface Tok {
  readonly type: string;
  readonly text: string;
  readonly col: number;
}

const INTRINSICS: Readonly<Record<string, string>> = {
  name: 'name',
  status: 'status',
  kind: 'kind',
  duration: 'duration',
  statusMessage: 'statusMessage',
  rootName: 'rootName',
  rootServiceName: 'rootServiceName',
  traceDuration: 'traceDuration',
  'span:name': 'name',
  'span:status': 'status',
  'span:kind': 'kind',
  'span:duration': 'duration',
  'span:statusMessage': 'statusMessage',
  'trace:rootName': 'rootName',
  'trace:rootService': 'rootServiceName',
  'trace:duration': 'traceDuration',
  'span:id': 'spanId',
  'trace:id': 'traceId',
};
const KEYWORDS = new Set(['error', 'ok', 'unset', 'server', 'client', 'internal', 'producer', 'consumer', 'unspecified']);
const OPS = ['&&', '||', '>=', '<=', '!=', '=~', '!~', '=', '>', '<', '{', '}', '(', ')', '|'];
const DUR_NS: Readonly<Record<string, bigint>> = { ns: 1n, us: 1000n, µs: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** A Go string literal's body (Tempo unquotes with strconv.Unquote): \\ \" \n \t \r \uXXXX. */
function unquote(body: string, col: number): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\u0007', b: '\b', f: '\f', v: '\v' };
    if (simple[e] === undefined) throw new TraceqlError(`parse error at line 1, col ${col}: invalid syntax`);
    return simple[e]!;
  });
}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    if (/\s/.test(src[i]!)) {
      i++;
      continue;
    }
    const col = i + 1;
    const rest = src.slice(i);
    let m: RegExpExecArray | null;
    if (src[i] === '"') {
      const lit = /^"((?:[^"\\\n]|\\.)*)"/.exec(rest);
      if (!lit) throw new TraceqlError(`parse error at line 1, col ${col}: literal not terminated`);
      toks.push({ type: 'STRING', text: unquote(lit[1]!, col), col });
      i += lit[0].length;
    } else if ((m = /^(resource|span)?\."((?:[^"\\\n]|\\.)*)"/.exec(rest))) {
      // A quoted attribute name (`span."a b"`), for names with characters that end an attribute.
      toks.push({ type: 'ATTRIBUTE', text: `${m[1] ?? ''}.${unquote(m[2]!, col)}`, col });
      i += m[0].length;
    } else if ((m = /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)/.exec(rest))) {
      toks.push({ type: 'DURATION', text: m[0], col });
      i += m[0].length;
    } else if ((m = /^-?\d+(\.\d+)?/.exec(rest))) {
      toks.push({ type: m[1] ? 'FLOAT' : 'INTEGER', text: m[0], col });
      i += m[0].length;
    } else if ((m = /^(resource|span)?\.[A-Za-z0-9_.\-/]+/.exec(rest))) {
      toks.push({ type: 'ATTRIBUTE', text: m[0], col });
      i += m[0].length;
    } else if ((m = /^(span|trace):[A-Za-z]+/.exec(rest)) || (m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      toks.push({ type: 'IDENTIFIER', text: m[0], col });
      i += m[0].length;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) throw new TraceqlError(`parse error at line 1, col ${col}: syntax error: unexpected ${src[i]}`);
      toks.push({ type: op, text: op, col });
      i += op.length;
    }
  }
  return toks;
}

export function parseTraceql(src: string): Expr {
  const toks = lex(src);
  let p = 0;
  const unexpected = (): never => {
    const t = toks[p];
    if (!t) throw new TraceqlError(`parse error at line 1, col ${src.length + 1}: syntax error: unexpected $end`);
    throw new TraceqlError(`parse error at line 1, col ${t.col}: syntax error: unexpected ${t.type === t.text ? t.text : t.type}`);
  };
  const take = (type: string): Tok => {
    const t = toks[p];
    if (!t || t.type !== type) unexpected();
    p++;
    return t!;
  };
  const field = (): Field => {
    const t = toks[p];
    if (t?.type === 'ATTRIBUTE') {
      p++;
      if (t.text.startsWith('resource.')) return { scope: 'resource', name: t.text.slice(9) };
      if (t.text.startsWith('span.')) return { scope: 'span', name: t.text.slice(5) };
      return { scope: 'any', name: t.text.slice(1) };
    }
    if (t?.type === 'IDENTIFIER' && INTRINSICS[t.text]) {
      p++;
      return { scope: 'intrinsic', name: INTRINSICS[t.text]! };
    }
    return unexpected();
  };
  const value = (): Value => {
    const t = toks[p];
    if (!t) return unexpected();
    p++;
    switch (t.type) {
      case 'STRING':
        return { kind: 'string', v: t.text };
      case 'INTEGER':
      case 'FLOAT':
        return { kind: 'number', v: Number(t.text) };
      case 'DURATION': {
        const m = /^(\d+(?:\.\d+)?)(.+)$/.exec(t.text)!;
        return { kind: 'duration', v: BigInt(Math.round(Number(m[1]) * 1000)) * DUR_NS[m[2]!]! / 1000n };
      }
      case 'IDENTIFIER':
        if (t.text === 'true' || t.text === 'false') return { kind: 'bool', v: t.text === 'true' };
        if (KEYWORDS.has(t.text)) return { kind: 'keyword', v: t.text };
    }
    p--;
    return unexpected();
  };
  const term = (): Expr => {
    if (toks[p]?.type === '(') {
      p++;
      const e = or();
      take(')');
      return e;
    }
    const f = field();
    const t = toks[p];
    if (!t || !['=', '!=', '>', '>=', '<', '<=', '=~', '!~'].includes(t.type)) return unexpected();
    p++;
    return { kind: 'cond', field: f, op: t.type as Op, value: value() };
  };
  const and = (): Expr => {
    let e = term();
    while (toks[p]?.type === '&&') {
      p++;
      e = { kind: 'and', left: e, right: term() };
    }
    return e;
  };
  const or = (): Expr => {
    let e = and();
    while (toks[p]?.type === '||') {
      p++;
      e = { kind: 'or', left: e, right: and() };
    }
    return e;
  };
  take('{');
  const e: Expr = toks[p]?.type === '}' ? { kind: 'true' } : or();
  take('}');
  if (p < toks.length) unexpected();
  return e;
}

export interface TraceContext {
  readonly rootName?: string;
  readonly rootServiceName?: string;
  readonly durationNs: bigint;
}

export function evaluate(e: Expr, span: Span, ctx: TraceContext): boolean {
  switch (e.kind) {
    case 'true':
      return true;
    case 'and':
      return evaluate(e.left, span, ctx) && evaluate(e.right, span, ctx);
    case 'or':
      return evaluate(e.left, span, ctx) || evaluate(e.right, span, ctx);
    case 'cond':
      return compare(fieldValue(e.field, span, ctx), e.op, e.value);
  }
}

/** The attributes a search result shows for a matched span: those the query names. */
export function referenced(e: Expr): Field[] {
  if (e.kind === 'cond') return [e.field];
  if (e.kind === 'true') return [];
  return [...referenced(e.left), ...referenced(e.right)];
}

export function fieldValue(f: Field, span: Span, ctx: TraceContext): AttrValue | bigint | undefined {
  const find = (list: Span['attributes']): AttrValue | undefined => list.find((a) => a.key === f.name)?.value;
  switch (f.scope) {
    case 'resource':
      return find(span.resource.attributes);
    case 'span':
      return find(span.attributes);
    case 'any':
      return find(span.attributes) ?? find(span.resource.attributes);
    case 'intrinsic':
      switch (f.name) {
        case 'name':
          return span.name;
        case 'status':
          return span.status.code;
        case 'kind':
          return span.kind;
        case 'duration':
          return span.end - span.start;
        case 'statusMessage':
          return span.status.message ?? '';
        case 'rootName':
          return ctx.rootName;
        case 'rootServiceName':
          return ctx.rootServiceName;
        case 'spanId':
          return span.spanId;
        case 'traceId':
          return span.traceId;
        default:
          return ctx.durationNs;
      }
  }
}

function compare(actual: AttrValue | bigint | undefined, op: Op, want: Value): boolean {
  if (actual === undefined || actual === null) return false;
  if (want.kind === 'duration') {
    if (typeof actual !== 'bigint') return false;
    return cmp(actual < want.v ? -1 : actual > want.v ? 1 : 0, op);
  }
  if (want.kind === 'number') {
    const n = typeof actual === 'number' ? actual : typeof actual === 'string' && /^-?\d+(\.\d+)?$/.test(actual) ? Number(actual) : NaN;
    if (Number.isNaN(n)) return false;
    return cmp(n < want.v ? -1 : n > want.v ? 1 : 0, op);
  }
  const s = typeof actual === 'string' ? actual : String(actual);
  const w = String(want.v);
  if (op === '=~' || op === '!~') {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${w})$`);
    } catch {
      return false;
    }
    return re.test(s) === (op === '=~');
  }
  return cmp(s < w ? -1 : s > w ? 1 : 0, op);
}

function cmp(c: number, op: Op): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    default:
      return false;
  }
}
