/**
 * The LogQL the local capture answers, parsed with Grafana's grammar (@grafana/lezer-logql): a
 * log query — a stream selector (= != =~ !~), line filters (|= != |~ !~, with `or`), the `json`
 * and `logfmt` parsers, and label filters (= != =~ !~ and numeric > >= < <= == !=, joined by
 * `and`, `,` and `or`) on stream labels, structured metadata and parsed fields. That covers what
 * Spanlens sends for both shapes Dynamo's logs take (JSONL lines and OTLP records). Metric
 * queries and the other stages are refused with a message naming them.
 */
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import { childNodes } from '../../text/lezer';
import { position, syntaxError } from './syntaxError';

export class LogqlError extends Error {
  override readonly name = 'LogqlError';
}

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
  /** Compiled, anchored, for =~ and !~. */
  readonly re?: RegExp;
}

export type LabelExpr =
  | { readonly k: 'and' | 'or'; readonly l: LabelExpr; readonly r: LabelExpr }
  | { readonly k: 'match'; readonly m: Matcher }
  | { readonly k: 'num'; readonly name: string; readonly op: '>' | '>=' | '<' | '<=' | '==' | '!='; readonly value: number };

export type Stage =
  | { readonly k: 'line'; readonly op: '|=' | '!=' | '|~' | '!~'; readonly values: readonly string[]; readonly res?: readonly RegExp[] }
  | { readonly k: 'json' }
  | { readonly k: 'logfmt' }
  | { readonly k: 'label'; readonly f: LabelExpr };

export interface LogQuery {
  readonly selector: readonly Matcher[];
  readonly stages: readonly Stage[];
}

function unsupported(src: string, at: number, what: string): never {
  throw new LogqlError(
    `parse error at ${position(src, at)}: ${what} is not supported by the local capture (it answers log queries: a stream selector, line filters, | json, | logfmt and label filters)`,
  );
}

/** Loki's regular expressions are anchored. */
export function anchoredRe(src: string, at: number, re: string): RegExp {
  try {
    return new RegExp(`^(?:${re})$`, 's');
  } catch {
    throw new LogqlError(`parse error at ${position(src, at)}: error parsing regexp: invalid regular expression ${JSON.stringify(re)}`);
  }
}

function str(src: string, n: SyntaxNode): string {
  const raw = src.slice(n.from, n.to);
  if (raw.startsWith('`')) return raw.slice(1, -1);
  try {
    return JSON.parse(raw) as string;
  } catch {
    throw new LogqlError(`parse error at ${position(src, n.from)}: invalid string ${raw}`);
  }
}

const OP_NAMES: Readonly<Record<string, MatchOp>> = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' };

export function parseLogql(src: string): LogQuery {
  const tree = parser.parse(src);
  const syntax = syntaxError(tree, src, /^("[^"]*"?|[A-Za-z_][\w]*|\S)/);
  if (syntax !== undefined) throw new LogqlError(syntax);
  const expr = tree.topNode.firstChild;
  const inner = expr?.firstChild;
  if (!expr || !inner) throw new LogqlError('parse error : syntax error: unexpected $end');
  if (inner.name === 'MetricExpr') unsupported(src, inner.from, 'a metric query');
  if (inner.name !== 'LogExpr') unsupported(src, inner.from, inner.name);
  let selector: Matcher[] = [];
  const stages: Stage[] = [];
  for (const c of childNodes(inner)) {
    if (c.name === 'Selector') selector = matchers(src, c);
    else if (c.name === 'PipelineExpr') pipeline(src, c, stages);
    else unsupported(src, c.from, c.name);
  }
  if (!selector.some((m) => (m.op === '=' && m.value !== '') || (m.op === '=~' && !m.re!.test('')))) {
    throw new LogqlError(
      'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will',
    );
  }
  return { selector, stages };
}

function matchers(src: string, n: SyntaxNode): Matcher[] {
  const out: Matcher[] = [];
  n.cursor().iterate((c) => {
    if (c.name !== 'Matcher') return undefined;
    out.push(matcher(src, c.node));
    return false;
  });
  return out;
}

function matcher(src: string, n: SyntaxNode): Matcher {
  const [id, op, val] = childNodes(n) as [SyntaxNode, SyntaxNode, SyntaxNode];
  const mop = OP_NAMES[op.name];
  if (!mop || !val) unsupported(src, n.from, `the matcher ${src.slice(n.from, n.to)}`);
  const value = str(src, val);
  const name = src.slice(id.from, id.to);
  return mop === '=~' || mop === '!~' ? { name, op: mop, value, re: anchoredRe(src, val.from, value) } : { name, op: mop, value };
}

function pipeline(src: string, n: SyntaxNode, out: Stage[]): void {
  for (const c of childNodes(n)) {
    if (c.name === 'PipelineExpr') pipeline(src, c, out);
    else if (c.name === 'PipelineStage') stage(src, c, out);
    else unsupported(src, c.from, c.name);
  }
}

function stage(src: string, n: SyntaxNode, out: Stage[]): void {
  for (const c of childNodes(n)) {
    switch (c.name) {
      case 'Pipe':
        break;
      case 'LineFilters':
        lineFilters(src, c, out);
        break;
      case 'LabelParser': {
        const p = c.firstChild;
        if (p?.name === 'Json') out.push({ k: 'json' });
        else if (p?.name === 'Logfmt') out.push({ k: 'logfmt' });
        else unsupported(src, c.from, `the parser ${src.slice(c.from, c.to)}`);
        break;
      }
      case 'LogfmtParser':
        if (childNodes(c).length > 1) unsupported(src, c.from, `logfmt with flags or extractions`);
        out.push({ k: 'logfmt' });
        break;
      case 'LabelFilter':
        out.push({ k: 'label', f: labelFilter(src, c) });
        break;
      case 'JsonExpressionParser':
        return unsupported(src, c.from, 'json with extraction expressions');
      case 'LineFormatExpr':
        return unsupported(src, c.from, 'line_format');
      case 'LabelFormatExpr':
        return unsupported(src, c.from, 'label_format');
      default:
        return unsupported(src, c.from, `the stage ${src.slice(c.from, c.to).trim().split(/\s/)[0]}`);
    }
  }
}

const LINE_OPS: Readonly<Record<string, '|=' | '!=' | '|~' | '!~'>> = { PipeExact: '|=', Neq: '!=', PipeMatch: '|~', Nre: '!~' };

function lineFilters(src: string, n: SyntaxNode, out: Stage[]): void {
  for (const c of childNodes(n)) {
    if (c.name === 'LineFilters') {
      lineFilters(src, c, out);
      continue;
    }
    if (c.name !== 'LineFilter') unsupported(src, c.from, c.name);
    const parts = childNodes(c);
    const filter = parts.find((p) => p.name === 'Filter');
    const op = filter ? LINE_OPS[filter.firstChild?.name ?? ''] : undefined;
    if (!op) unsupported(src, c.from, `the line filter ${src.slice(c.from, c.to)}`);
    const values: string[] = [];
    const ats: number[] = [];
    c.node.cursor().iterate((x) => {
      if (x.name === 'String') {
        values.push(str(src, x.node));
        ats.push(x.from);
      } else if (x.name === 'FilterOp' || x.name === 'IpFilter') unsupported(src, x.from, 'ip() line filters');
      return undefined;
    });
    if (values.length === 0) unsupported(src, c.from, `the line filter ${src.slice(c.from, c.to)}`);
    out.push(op === '|~' || op === '!~' ? { k: 'line', op, values, res: values.map((v, i) => new RegExp(unanchoredCheck(src, ats[i]!, v), 's')) } : { k: 'line', op, values });
  }
}

/** Line regexes are unanchored in Loki (a substring match), unlike label matchers. */
function unanchoredCheck(src: string, at: number, re: string): string {
  try {
    new RegExp(re);
    return re;
  } catch {
    throw new LogqlError(`parse error at ${position(src, at)}: error parsing regexp: invalid regular expression ${JSON.stringify(re)}`);
  }
}

const NUM_OPS: Readonly<Record<string, '>' | '>=' | '<' | '<=' | '==' | '!='>> = { Gtr: '>', Gte: '>=', Lss: '<', Lte: '<=', Eql: '==', Neq: '!=' };

function labelFilter(src: string, n: SyntaxNode): LabelExpr {
  const cs = childNodes(n);
  if (cs.length === 1) {
    const c = cs[0]!;
    if (c.name === 'Matcher') return { k: 'match', m: matcher(src, c) };
    if (c.name === 'LabelFilter') return labelFilter(src, c);
    if (c.name === 'NumberFilter') {
      const [id, op, lit] = childNodes(c) as [SyntaxNode, SyntaxNode, SyntaxNode];
      const nop = NUM_OPS[op.name] ?? (op.name === 'Eq' ? '==' : undefined);
      const num = lit ? Number(src.slice(lit.from, lit.to)) : NaN;
      if (!nop || Number.isNaN(num)) unsupported(src, c.from, `the filter ${src.slice(c.from, c.to)}`);
      return { k: 'num', name: src.slice(id.from, id.to), op: nop, value: num };
    }
    return unsupported(src, c.from, `the label filter ${src.slice(c.from, c.to)} (durations, bytes and ip() are not)`);
  }
  const subs = cs.filter((c) => c.name === 'LabelFilter');
  if (subs.length !== 2) unsupported(src, n.from, `the label filter ${src.slice(n.from, n.to)}`);
  const or = cs.some((c) => c.name === 'Or');
  return { k: or ? 'or' : 'and', l: labelFilter(src, subs[0]!), r: labelFilter(src, subs[1]!) };
}
