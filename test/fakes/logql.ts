/**
 * Just enough LogQL for the Loki fake: stream selectors, line filters, `| json`, `| logfmt`,
 * label filters (string matchers joined by `and`, `,`, juxtaposition or `or`, with `and`
 * binding tighter, and parentheses, as Loki's grammar has them), `count_over_time` / `rate` /
 * `bytes_over_time` / `bytes_rate`, and
 * `sum|count|min|max|avg [by|without (…)]`. Errors use Loki's wording:
 * `parse error at line 1, col C: syntax error: unexpected TOKEN`. Anything outside this subset
 * is reported as a syntax error, which a real Loki would not do — tests keep to the subset.
 */

export type Op = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  readonly name: string;
  readonly op: Op;
  readonly value: string;
}

export type Stage =
  | { readonly kind: 'line'; readonly op: '|=' | '!=' | '|~' | '!~'; readonly value: string }
  | { readonly kind: 'parser'; readonly parser: 'json' | 'logfmt' }
  | { readonly kind: 'label'; readonly filter: LabelFilter };

export type LabelFilter =
  | { readonly kind: 'matcher'; readonly matcher: Matcher }
  | { readonly kind: 'and' | 'or'; readonly left: LabelFilter; readonly right: LabelFilter };

export interface LogQuery {
  readonly kind: 'log';
  readonly selector: readonly Matcher[];
  readonly stages: readonly Stage[];
}

export interface RangeAgg {
  readonly kind: 'range';
  readonly fn: 'count_over_time' | 'rate' | 'bytes_over_time' | 'bytes_rate';
  readonly log: LogQuery;
  readonly rangeMs: number;
}

export interface VectorAgg {
  readonly kind: 'vector';
  readonly fn: 'sum' | 'count' | 'min' | 'max' | 'avg';
  readonly grouping?: { readonly without: boolean; readonly labels: readonly string[] };
  readonly inner: MetricQuery;
}

export type MetricQuery = RangeAgg | VectorAgg;
export type Query = LogQuery | MetricQuery;

export class LogqlError extends Error {}

interface Tok {
  readonly type: string;
  readonly text: string;
  readonly col: number;
}

const OPS = ['|=', '!=', '|~', '!~', '=~', '=', '|', '{', '}', '(', ')', '[', ']', ','];

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const col = i + 1;
    if (c === '"' || c === '`') {
      let j = i + 1;
      let val = '';
      while (j < src.length && src[j] !== c) {
        if (c === '"' && src[j] === '\\' && j + 1 < src.length) {
          const n = src[j + 1]!;
          val += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else val += src[j++];
      }
      if (j >= src.length) throw new LogqlError(`parse error at line 1, col ${col}: literal not terminated`);
      toks.push({ type: 'STRING', text: val, col });
      i = j + 1;
      continue;
    }
    const dur = /^\d+(ms|s|m|h|d|w|y)/.exec(src.slice(i));
    if (dur) {
      toks.push({ type: 'DURATION', text: dur[0], col });
      i += dur[0].length;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      toks.push({ type: 'NUMBER', text: num[0], col });
      i += num[0].length;
      continue;
    }
    const id = /^[a-zA-Z_][a-zA-Z0-9_.]*/.exec(src.slice(i));
    if (id) {
      toks.push({ type: 'IDENTIFIER', text: id[0], col });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new LogqlError(`parse error at line 1, col ${col}: syntax error: unexpected ${c}`);
    toks.push({ type: op, text: op, col });
    i += op.length;
  }
  return toks;
}

const RANGE_FNS = new Set(['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate']);
const VECTOR_FNS = new Set(['sum', 'count', 'min', 'max', 'avg']);

export function parseLogql(src: string): Query {
  const toks = lex(src);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const unexpected = (): never => {
    const t = toks[p];
    if (!t) throw new LogqlError(`parse error at line 1, col ${src.length + 1}: syntax error: unexpected $end`);
    throw new LogqlError(`parse error at line 1, col ${t.col}: syntax error: unexpected ${t.type === t.text ? t.text : t.type}`);
  };
  const expect = (type: string): Tok => {
    const t = toks[p];
    if (!t || t.type !== type) unexpected();
    p++;
    return t!;
  };

  function matcher(): Matcher {
    const name = expect('IDENTIFIER').text;
    const t = peek();
    if (!t || !['=', '!=', '=~', '!~'].includes(t.type)) unexpected();
    p++;
    const value = expect('STRING').text;
    return { name, op: t!.type as Op, value };
  }

  // labelFilter: `or` of `and`-groups; `and`, `,` and plain juxtaposition all mean and.
  function labelTerm(): LabelFilter {
    if (peek()?.type === '(') {
      p++;
      const f = labelOr();
      expect(')');
      return f;
    }
    return { kind: 'matcher', matcher: matcher() };
  }
  function labelAnd(): LabelFilter {
    let f = labelTerm();
    for (;;) {
      const t = peek();
      if (t?.type === ',' || (t?.type === 'IDENTIFIER' && t.text === 'and')) {
        p++;
        f = { kind: 'and', left: f, right: labelTerm() };
      } else if ((t?.type === 'IDENTIFIER' && t.text !== 'or') || t?.type === '(') {
        f = { kind: 'and', left: f, right: labelTerm() };
      } else return f;
    }
  }
  function labelOr(): LabelFilter {
    let f = labelAnd();
    while (peek()?.type === 'IDENTIFIER' && peek()!.text === 'or') {
      p++;
      f = { kind: 'or', left: f, right: labelAnd() };
    }
    return f;
  }

  function logQuery(): LogQuery {
    expect('{');
    const selector: Matcher[] = [matcher()];
    while (peek()?.type === ',') {
      p++;
      selector.push(matcher());
    }
    expect('}');
    const stages: Stage[] = [];
    for (;;) {
      const t = peek();
      if (!t) break;
      if (t.type === '|=' || t.type === '!=' || t.type === '|~' || t.type === '!~') {
        p++;
        stages.push({ kind: 'line', op: t.type, value: expect('STRING').text });
      } else if (t.type === '|') {
        p++;
        const n = peek();
        if (n?.type === 'IDENTIFIER' && (n.text === 'json' || n.text === 'logfmt')) {
          p++;
          stages.push({ kind: 'parser', parser: n.text });
        } else stages.push({ kind: 'label', filter: labelOr() });
      } else break;
    }
    const positive = selector.some((m) => (m.op === '=' && m.value !== '') || (m.op === '=~' && !safeRegex(m.value).test('')));
    if (!positive) {
      throw new LogqlError(
        'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will',
      );
    }
    return { kind: 'log', selector, stages };
  }

  function metric(): MetricQuery {
    const t = peek();
    if (t?.type !== 'IDENTIFIER') return unexpected();
    if (RANGE_FNS.has(t.text)) {
      p++;
      expect('(');
      const log = logQuery();
      expect('[');
      const rangeMs = durationMs(expect('DURATION').text);
      expect(']');
      expect(')');
      return { kind: 'range', fn: t.text as RangeAgg['fn'], log, rangeMs };
    }
    if (VECTOR_FNS.has(t.text)) {
      p++;
      let grouping = groupingClause();
      expect('(');
      const inner = metric();
      expect(')');
      grouping ??= groupingClause();
      return { kind: 'vector', fn: t.text as VectorAgg['fn'], grouping, inner };
    }
    return unexpected();
  }

  function groupingClause(): VectorAgg['grouping'] {
    const t = peek();
    if (t?.type !== 'IDENTIFIER' || (t.text !== 'by' && t.text !== 'without')) return undefined;
    p++;
    expect('(');
    const labels: string[] = [];
    while (peek()?.type === 'IDENTIFIER') {
      labels.push(expect('IDENTIFIER').text);
      if (peek()?.type === ',') p++;
    }
    expect(')');
    return { without: t.text === 'without', labels };
  }

  const q: Query = peek()?.type === '{' ? logQuery() : metric();
  if (p < toks.length) unexpected();
  return q;
}

export function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w|y)$/.exec(text);
  if (!m) throw new LogqlError(`bad duration ${text}`);
  const unit = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, y: 3.1536e10 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}

/** Go RE2 anchors label regexes fully; JS needs the anchors spelled out. */
export function safeRegex(src: string, anchored = true): RegExp {
  try {
    return new RegExp(anchored ? `^(?:${src})$` : src);
  } catch {
    throw new LogqlError(`parse error : error parsing regexp: invalid regexp: \`${src}\``);
  }
}

export function matches(m: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return safeRegex(m.value).test(v);
    case '!~':
      return !safeRegex(m.value).test(v);
  }
}

function filterMatches(f: LabelFilter, labels: Readonly<Record<string, string>>): boolean {
  if (f.kind === 'matcher') return matches(f.matcher, labels);
  return f.kind === 'and' ? filterMatches(f.left, labels) && filterMatches(f.right, labels) : filterMatches(f.left, labels) || filterMatches(f.right, labels);
}

/** Applies the pipeline; returns the parsed labels, or undefined when the line is filtered out. */
export function runPipeline(
  stages: readonly Stage[],
  line: string,
  labels: Readonly<Record<string, string>>,
  metadata: Readonly<Record<string, string>>,
): Record<string, string> | undefined {
  let parsed: Record<string, string> = {};
  for (const st of stages) {
    if (st.kind === 'line') {
      const hit = st.op === '|=' || st.op === '!=' ? line.includes(st.value) : safeRegex(st.value, false).test(line);
      if (hit !== (st.op === '|=' || st.op === '|~')) return undefined;
    } else if (st.kind === 'parser') {
      // A parsed name that is already a stream label gets `_extracted` (Loki's LabelsBuilder.BaseHas).
      for (const [k, v] of Object.entries(st.parser === 'json' ? parseJsonLine(line) : parseLogfmt(line))) parsed[k in labels ? `${k}_extracted` : k] = v;
    } else if (!filterMatches(st.filter, { ...labels, ...metadata, ...parsed })) return undefined;
  }
  return parsed;
}

/** Loki's json parser: nested keys joined with `_`, values as text, names sanitised. */
function parseJsonLine(line: string): Record<string, string> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { __error__: 'JSONParserErr' };
  }
  const out: Record<string, string> = {};
  const walk = (o: unknown, prefix: string): void => {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return;
    for (const [k, val] of Object.entries(o)) {
      const key = (prefix ? `${prefix}_` : '') + k.replace(/[^a-zA-Z0-9_]/g, '_');
      if (typeof val === 'object' && val !== null && !Array.isArray(val)) walk(val, key);
      else if (typeof val === 'string') out[key] = val;
      else if (typeof val === 'number' || typeof val === 'boolean') out[key] = String(val);
    }
  };
  walk(v, '');
  return out;
}

function parseLogfmt(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/([a-zA-Z_][\w.]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const raw = m[2]!;
    out[m[1]!.replace(/[^a-zA-Z0-9_]/g, '_')] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  return out;
}
