/**
 * The TraceQL the local capture answers, parsed with Grafana's grammar (@grafana/lezer-traceql,
 * the one Tempo's editor uses): one spanset filter `{ … }` whose conditions compare a span
 * attribute (`span.x`), a resource attribute (`resource.x`), an unscoped attribute (`.x`, either)
 * or an intrinsic — name, status, kind, duration, statusMessage, and the trace's rootName,
 * rootServiceName and traceDuration (also as span:… / trace:…), and span:id / trace:id (= and
 * != only) — with = != =~ !~ > < >= <=,
 * joined by && and || with parentheses. Anything else is refused with a message naming the
 * construct, never half-answered.
 */
import { parser } from '@grafana/lezer-traceql';
import type { SyntaxNode } from '@lezer/common';
import { childNodes } from '../../text/lezer';
import { position, syntaxError } from './syntaxError';
import type { SpanKind, StatusCode } from '../../model/trace';

export class TraceqlError extends Error {
  override readonly name = 'TraceqlError';
}

export type CompareOp = '=' | '!=' | '=~' | '!~' | '>' | '<' | '>=' | '<=';

export type Intrinsic = 'name' | 'status' | 'kind' | 'duration' | 'statusMessage' | 'rootName' | 'rootServiceName' | 'traceDuration' | 'spanId' | 'traceId';

export type Field = { readonly scope: 'span' | 'resource' | 'any'; readonly name: string } | { readonly scope: 'intrinsic'; readonly name: Intrinsic };

export type Literal =
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'number'; readonly v: number; readonly int: boolean }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'duration'; readonly ns: number }
  | { readonly t: 'status'; readonly v: StatusCode }
  | { readonly t: 'kind'; readonly v: SpanKind };

export type Expr =
  | { readonly k: 'true' }
  | { readonly k: 'and' | 'or'; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'cond'; readonly field: Field; readonly op: CompareOp; readonly lit: Literal };

const INTRINSICS: Readonly<Record<string, Intrinsic>> = {
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
  // What a request-id lookup asks when the id it was given is a span's or a trace's.
  'span:id': 'spanId',
  'trace:id': 'traceId',
};
const STATUS_WORDS = new Set(['ok', 'error', 'unset']);
const KIND_WORDS = new Set(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);
const OPS = new Set<string>(['=', '!=', '=~', '!~', '>', '<', '>=', '<=']);
const DURATION_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };

const SUPPORTED =
  'the local capture answers one spanset filter { … } comparing span., resource. or unscoped attributes, or name, status, kind, duration, statusMessage, rootName, rootServiceName, traceDuration, span:id, trace:id, with = != =~ !~ > < >= <=, joined by && and ||';

function unsupported(src: string, at: number, what: string): never {
  throw new TraceqlError(`parse error at ${position(src, at)}: ${what} is not supported (${SUPPORTED})`);
}

export function parseTraceql(src: string): Expr {
  const tree = parser.parse(src);
  const syntax = syntaxError(tree, src, /^("[^"]*"?|[A-Za-z_.:][\w.:]*|\S)/);
  if (syntax !== undefined) throw new TraceqlError(syntax);
  const top = tree.topNode.firstChild;
  for (let c = top; c; c = c.nextSibling) if (c.name === 'WithHint') unsupported(src, c.from, 'a query hint (with …)');
  if (!top) throw new TraceqlError(`parse error at ${position(src, src.length)}: syntax error: unexpected $end`);
  return pipelineExpression(src, top);
}

function text(src: string, n: SyntaxNode): string {
  return src.slice(n.from, n.to);
}

function pipelineExpression(src: string, n: SyntaxNode): Expr {
  if (n.name === 'WithHint') unsupported(src, n.from, 'a query hint (with …)');
  const kids = childNodes(n);
  const hint = kids.find((k) => k.name === 'WithHint');
  if (hint) unsupported(src, hint.from, 'a query hint (with …)');
  if (n.name === 'SpansetPipelineExpression') {
    if (kids.length === 1) return pipelineExpression(src, kids[0]!);
    const inner = kids.filter((k) => k.name === 'SpansetPipelineExpression' || k.name === 'SpansetPipeline');
    if (kids.some((k) => k.name === 'Pipe')) unsupported(src, kids.find((k) => k.name === 'Pipe')!.from, 'a pipeline (| …)');
    if (inner.length >= 2) {
      const between = src.slice(inner[0]!.to, inner[1]!.from).trim();
      unsupported(src, inner[0]!.to + src.slice(inner[0]!.to).indexOf(between), `the spanset operator ${between}`);
    }
    return inner[0] ? pipelineExpression(src, inner[0]) : unsupported(src, n.from, 'this expression');
  }
  if (n.name === 'SpansetPipeline') {
    const first = kids[0];
    if (!first) unsupported(src, n.from, 'an empty pipeline');
    if (kids.length > 1) unsupported(src, kids[1]!.from, `${kids[1]!.name === 'Pipe' ? 'a pipeline (| …)' : 'this construct'}`);
    if (first.name !== 'SpansetFilter') unsupported(src, first.from, describeNode(first.name));
    return spansetFilter(src, first);
  }
  if (n.name === 'SpansetFilter') return spansetFilter(src, n);
  return unsupported(src, n.from, describeNode(n.name));
}

function describeNode(name: string): string {
  switch (name) {
    case 'ScalarFilter':
    case 'Aggregate':
      return 'an aggregate (count(), avg() …)';
    case 'SelectOperation':
      return 'select()';
    case 'GroupOperation':
      return 'by()';
    case 'CoalesceOperation':
      return 'coalesce()';
    default:
      return `${name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
  }
}

function spansetFilter(src: string, n: SyntaxNode): Expr {
  const inner = n.firstChild;
  if (!inner) return { k: 'true' }; // `{}`
  return fieldExpression(src, inner);
}

function fieldExpression(src: string, n: SyntaxNode): Expr {
  if (n.name !== 'FieldExpression') unsupported(src, n.from, describeNode(n.name));
  const kids = childNodes(n);
  if (kids.length === 1) {
    const only = kids[0]!;
    const before = src.slice(n.from, only.from).trim();
    if (before.startsWith('!')) unsupported(src, n.from, 'negation with !');
    if (before.startsWith('-')) unsupported(src, n.from, 'a negative expression here');
    if (only.name === 'FieldExpression') return fieldExpression(src, only); // ( … )
    if (only.name === 'AttributeField' || only.name === 'IntrinsicField') unsupported(src, only.from, `the bare field ${text(src, only)} (an existence test)`);
    return unsupported(src, only.from, `the bare value ${text(src, only)}`);
  }
  if (kids.length !== 3) unsupported(src, n.from, 'this expression');
  const [left, op, right] = kids as [SyntaxNode, SyntaxNode, SyntaxNode];
  if (op.name === 'And' || op.name === 'Or') {
    return { k: op.name === 'And' ? 'and' : 'or', l: fieldExpression(src, left), r: fieldExpression(src, right) };
  }
  const opText = text(src, op);
  if (op.name !== 'FieldOp' || !OPS.has(opText)) unsupported(src, op.from, `the operator ${opText}`);
  const field = fieldOf(src, left);
  const lit = literalOf(src, right);
  checkTypes(src, right.from, field, opText as CompareOp, lit);
  return { k: 'cond', field, op: opText as CompareOp, lit };
}

/** The left side: an attribute or an intrinsic, never a value or an arithmetic expression. */
function fieldOf(src: string, n: SyntaxNode): Field {
  const kids = childNodes(n);
  const f = n.name === 'FieldExpression' && kids.length === 1 ? kids[0]! : n;
  if (f.name === 'FieldExpression') unsupported(src, f.from, kids.length === 3 ? `arithmetic (${text(src, kids[1]!)})` : 'this expression');
  if (f.name === 'IntrinsicField') {
    const name = text(src, f);
    const intrinsic = INTRINSICS[name];
    if (!intrinsic) unsupported(src, f.from, `the intrinsic ${name}`);
    return { scope: 'intrinsic', name: intrinsic };
  }
  if (f.name !== 'AttributeField') unsupported(src, f.from, `${text(src, f)} on the left of a comparison`);
  const parts = childNodes(f);
  const scopeNode = parts.length > 1 ? parts[0]! : undefined;
  const ident = parts[parts.length - 1]!;
  let name = text(src, ident);
  if (name.startsWith('"')) name = unquote(src, ident.from, name);
  if (!scopeNode) return { scope: 'any', name };
  const scope = text(src, scopeNode);
  if (scope === 'span' || scope === 'resource') return { scope, name };
  return unsupported(src, scopeNode.from, `the ${scope}. scope`);
}

function literalOf(src: string, n: SyntaxNode): Literal {
  let node = n;
  let negative = false;
  for (;;) {
    const kids = childNodes(node);
    if (node.name === 'FieldExpression' && kids.length === 1) {
      if (src.slice(node.from, kids[0]!.from).trim() === '-') negative = !negative;
      node = kids[0]!;
      continue;
    }
    break;
  }
  if (node.name !== 'Static') unsupported(src, node.from, `${text(src, node)} on the right of a comparison (a value is needed)`);
  const value = node.firstChild;
  const raw = text(src, node);
  const sign = negative ? -1 : 1;
  if (!value) {
    if (raw === 'true' || raw === 'false') return { t: 'bool', v: raw === 'true' };
    if (STATUS_WORDS.has(raw)) return { t: 'status', v: raw as StatusCode };
    if (KIND_WORDS.has(raw)) return { t: 'kind', v: raw as SpanKind };
    return unsupported(src, node.from, `the value ${raw}`);
  }
  switch (value.name) {
    case 'String':
      return { t: 'string', v: unquote(src, value.from, raw) };
    case 'Integer':
      return { t: 'number', v: sign * Number(raw), int: true };
    case 'Float':
      return { t: 'number', v: sign * Number(raw), int: false };
    case 'Duration': {
      let ns = 0;
      for (const m of raw.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ns += Number(m[1]) * DURATION_NS[m[2]!]!;
      return { t: 'duration', ns: sign * ns };
    }
    default:
      return unsupported(src, value.from, `the value ${raw}`);
  }
}

/** Go's quoted strings: "…" with backslash escapes, or `…` raw. */
function unquote(src: string, at: number, raw: string): string {
  if (raw.startsWith('`')) return raw.slice(1, -1);
  try {
    return JSON.parse(raw.replace(/\\([^"\\/bfnrtu])/g, (_m, c: string) => (c === "'" ? "'" : `\\\\${c}`))) as string;
  } catch {
    return unsupported(src, at, `the string ${raw}`);
  }
}

function checkTypes(src: string, at: number, f: Field, op: CompareOp, lit: Literal): void {
  const regex = op === '=~' || op === '!~';
  const ordered = op === '>' || op === '<' || op === '>=' || op === '<=';
  if (regex && lit.t !== 'string') unsupported(src, at, `${op} with a ${lit.t} (a regular expression string is needed)`);
  if (regex) {
    try {
      new RegExp(lit.t === 'string' ? lit.v : '');
    } catch {
      throw new TraceqlError(`parse error at ${position(src, at)}: invalid regular expression ${JSON.stringify(lit.t === 'string' ? lit.v : '')}`);
    }
  }
  if (f.scope !== 'intrinsic') {
    if (lit.t === 'status' || lit.t === 'kind') unsupported(src, at, `comparing an attribute with the keyword ${lit.v}`);
    if (ordered && lit.t === 'bool') unsupported(src, at, `${op} with a boolean`);
    return;
  }
  const want: Readonly<Record<Intrinsic, Literal['t'][]>> = {
    name: ['string'],
    statusMessage: ['string'],
    rootName: ['string'],
    rootServiceName: ['string'],
    status: ['status'],
    kind: ['kind'],
    spanId: ['string'],
    traceId: ['string'],
    duration: ['duration'],
    traceDuration: ['duration'],
  };
  if (!want[f.name].includes(lit.t)) unsupported(src, at, `comparing ${f.name} with a ${lit.t}`);
  if ((lit.t === 'status' || lit.t === 'kind' || f.name === 'spanId' || f.name === 'traceId') && op !== '=' && op !== '!=') unsupported(src, at, `${op} on ${f.name}`);
}

/** The fields a query names (search results show their values on each matched span). */
export function referencedFields(e: Expr): Field[] {
  if (e.k === 'cond') return [e.field];
  if (e.k === 'true') return [];
  const seen = new Map<string, Field>();
  for (const f of [...referencedFields(e.l), ...referencedFields(e.r)]) seen.set(`${f.scope}/${f.name}`, f);
  return [...seen.values()];
}
