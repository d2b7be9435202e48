/**
 * TraceQL completion at the cursor, in three steps so the data can come from Tempo in between:
 * `completionContext` reads the text before the cursor and says what fits there (a tag name, an
 * operator, a value of a named tag, `&&`/`||`/`}`, a new spanset or a pipeline stage) and which
 * range a choice replaces; the caller fetches tag names or values (`/api/v2/search/tags`,
 * `/api/v2/search/tag/<tag>/values` with `q` set to the spanset's other conditions, so values
 * are scoped to what the query already selects); `suggestions` turns them into choices filtered
 * by what is typed; `applySuggestion` edits the text.
 */
import type { TagScope, TagValue } from '../model/traceSearch';

export type CompletionKind = 'start' | 'tagName' | 'operator' | 'value' | 'afterValue' | 'afterSpanset' | 'pipeline' | 'none';

export interface CompletionContext {
  readonly kind: CompletionKind;
  /** The range of the text a suggestion replaces. */
  readonly from: number;
  readonly to: number;
  /** What is typed of the item being completed (a string value without its opening quote). */
  readonly partial: string;
  /** operator and value: the field as written (`resource.service.name`, `.model`, `status`). */
  readonly tag?: string;
  /** value: the spanset's other conditions as a TraceQL query (`{}` when none), for Tempo's `q`. */
  readonly filter?: string;
}

export interface Suggestion {
  readonly label: string;
  readonly insert: string;
  readonly kind: 'tag' | 'operator' | 'value' | 'keyword' | 'snippet';
  /** The tag's scope or the value's type. */
  readonly detail?: string;
}

type TokType = 'lbrace' | 'rbrace' | 'lparen' | 'rparen' | 'logic' | 'struct' | 'pipe' | 'op' | 'string' | 'word' | 'comma' | 'other';

interface Tok {
  readonly type: TokType;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** strings: the closing quote is there. */
  readonly closed?: boolean;
}

const OPERATORS = ['=', '!=', '=~', '!~', '>', '>=', '<', '<='];
const EQUALITY_ONLY = new Set(['status', 'kind', 'span:status', 'span:kind']);
const DURATION_TAGS = new Set(['duration', 'traceDuration', 'span:duration', 'trace:duration']);
const DURATION_EXAMPLES = ['100ms', '500ms', '1s', '2s', '5s', '10s'];
const SCOPE_ORDER = ['intrinsic', 'resource', 'span', 'event', 'link', 'instrumentation', 'unscoped'];
const MAX_SUGGESTIONS = 200;

const LEX = /\s+|"(?:[^"\\]|\\.)*("?)|&&|\|\||!>>|!<<|>>|<<|!=|=~|!~|>=|<=|[=<>!]|[{}()|~,]|[\w.:/-]+(?:"(?:[^"\\]|\\.)*"?)?|./gsy;

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  LEX.lastIndex = 0;
  for (let m = LEX.exec(src); m; m = LEX.exec(src)) {
    const text = m[0];
    const start = m.index;
    const end = start + text.length;
    if (/^\s/.test(text)) continue;
    const c = text[0]!;
    let type: TokType;
    if (c === '"') type = 'string';
    else if (c === '{') type = 'lbrace';
    else if (c === '}') type = 'rbrace';
    else if (c === '(') type = 'lparen';
    else if (c === ')') type = 'rparen';
    else if (c === ',') type = 'comma';
    else if (text === '&&' || text === '||') type = 'logic';
    else if (text === '|') type = 'pipe';
    else if (text === '>>' || text === '<<' || text === '!>>' || text === '!<<' || text === '~') type = 'struct';
    else if (OPERATORS.includes(text) || text === '!') type = 'op';
    else if (/^[\w.:/-]/.test(text)) type = 'word';
    else type = 'other';
    out.push({ type, text, start, end, closed: type === 'string' ? m[1] === '"' && text.length > 1 : undefined });
  }
  return out;
}

export function completionContext(text: string, cursor = text.length): CompletionContext {
  const before = text.slice(0, cursor);
  const toks = lex(before);
  const last = toks[toks.length - 1];
  const touching = last !== undefined && last.end === before.length;
  const here = { from: cursor, to: cursor, partial: '' };

  const open: number[] = [];
  toks.forEach((t, i) => {
    if (t.type === 'lbrace') open.push(i);
    else if (t.type === 'rbrace') open.pop();
  });
  if (!open.length) {
    if (!last) return { kind: 'start', ...here };
    if (last.type === 'rbrace' || last.type === 'rparen') return { kind: 'afterSpanset', ...here };
    if (last.type === 'pipe') return { kind: 'pipeline', ...here };
    if (last.type === 'logic' || last.type === 'struct') return { kind: 'start', ...here };
    return { kind: 'none', ...here };
  }

  const brace = open[open.length - 1]!;
  let clauseStart = brace + 1;
  let closedGroup = false;
  for (let i = brace + 1; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.type === 'logic' || t.type === 'lparen') {
      clauseStart = i + 1;
      closedGroup = false;
    } else if (t.type === 'rparen') {
      clauseStart = i + 1;
      closedGroup = true;
    }
  }
  const c = toks.slice(clauseStart);
  if (c.length === 0) return closedGroup ? { kind: 'afterValue', ...here } : { kind: 'tagName', ...here };
  const [field, op, value] = c;
  if (field!.type !== 'word') return { kind: 'none', ...here };
  if (c.length === 1) {
    return touching ? { kind: 'tagName', from: field!.start, to: cursor, partial: field!.text } : { kind: 'operator', ...here, tag: field!.text };
  }
  if (op!.type !== 'op') return { kind: 'none', ...here };
  if (c.length === 2) {
    if (op!.text === '!' && touching) return { kind: 'operator', from: op!.start, to: cursor, partial: '!', tag: field!.text };
    return { kind: 'value', ...here, tag: field!.text, filter: filterFor(before, toks, brace, clauseStart) };
  }
  if (c.length === 3 && touching && (value!.type === 'word' || (value!.type === 'string' && !value!.closed))) {
    const partial = value!.type === 'string' ? unescape(value!.text.slice(1)) : value!.text;
    return { kind: 'value', from: value!.start, to: cursor, partial, tag: field!.text, filter: filterFor(before, toks, brace, clauseStart) };
  }
  if (c.length === 3 && (value!.type === 'word' || value!.type === 'string')) return { kind: 'afterValue', ...here };
  return { kind: 'none', ...here };
}

/** The conditions before the current one in this spanset, as `{ … }`; `{}` when they don't stand alone. */
function filterFor(before: string, toks: readonly Tok[], brace: number, clauseStart: number): string {
  // Drop the `&&`/`||` that joins the current condition; an open `(` means the rest is partial.
  let end = clauseStart - 1;
  if (end > brace && toks[end]!.type === 'logic') end--;
  if (end <= brace) return '{}';
  let depth = 0;
  for (let i = brace + 1; i <= end; i++) {
    if (toks[i]!.type === 'lparen') depth++;
    else if (toks[i]!.type === 'rparen') depth--;
    if (depth < 0) return '{}';
  }
  if (depth !== 0) return '{}';
  return `{ ${before.slice(toks[brace + 1]!.start, toks[end]!.end)} }`;
}

/** The choices for a context, given the tag names (tagName) or values (value) Tempo returned. */
export function suggestions(ctx: CompletionContext, data: { scopes?: readonly TagScope[]; values?: readonly TagValue[] } = {}): Suggestion[] {
  let all: Suggestion[];
  switch (ctx.kind) {
    case 'start':
      all = [{ label: '{ }', insert: '{ ', kind: 'snippet' }];
      break;
    case 'tagName':
      all = tagSuggestions(data.scopes ?? []);
      break;
    case 'operator':
      all = (EQUALITY_ONLY.has(ctx.tag ?? '') ? ['=', '!='] : OPERATORS).map((o) => ({ label: o, insert: `${o} `, kind: 'operator' as const }));
      break;
    case 'value':
      all = valueSuggestions(ctx.tag ?? '', data.values ?? []);
      break;
    case 'afterValue':
      all = [
        { label: '&&', insert: '&& ', kind: 'keyword' },
        { label: '||', insert: '|| ', kind: 'keyword' },
        { label: '}', insert: '}', kind: 'keyword' },
      ];
      break;
    case 'afterSpanset':
      all = [
        { label: '&& { }', insert: '&& { ', kind: 'snippet' },
        { label: '|| { }', insert: '|| { ', kind: 'snippet' },
        { label: '>> { }', insert: '>> { ', kind: 'snippet' },
        { label: '| count() >', insert: '| count() > ', kind: 'snippet' },
        { label: '| avg(duration) >', insert: '| avg(duration) > ', kind: 'snippet' },
        { label: '| select( )', insert: '| select(', kind: 'snippet' },
      ];
      break;
    case 'pipeline':
      all = ['count() > ', 'avg(duration) > ', 'max(duration) > ', 'min(duration) > ', 'sum(duration) > ', 'select(', 'by('].map((s) => ({
        label: s.trim(),
        insert: s,
        kind: 'snippet' as const,
      }));
      break;
    default:
      all = [];
  }
  return filterByPartial(all, ctx.partial);
}

function tagSuggestions(scopes: readonly TagScope[]): Suggestion[] {
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  const ordered = [...scopes].sort((a, b) => rank(a.name) - rank(b.name));
  for (const s of ordered) {
    for (const tag of s.tags) {
      const label = identifier(s.name, tag);
      if (seen.has(label)) continue;
      seen.add(label);
      out.push({ label, insert: `${label} `, kind: 'tag', detail: s.name });
    }
  }
  return out;
}

function rank(scope: string): number {
  const i = SCOPE_ORDER.indexOf(scope);
  return i < 0 ? SCOPE_ORDER.length : i;
}

/** `resource.service.name`, `span."my attr"`, `.tag` (unscoped), or the intrinsic itself. */
export function identifier(scope: string, tag: string): string {
  if (scope === 'intrinsic') return tag;
  const name = /^[\w.:/-]+$/.test(tag) && !tag.startsWith('.') ? tag : quote(tag);
  return scope === 'unscoped' || scope === '' ? `.${name}` : `${scope}.${name}`;
}

function valueSuggestions(tag: string, values: readonly TagValue[]): Suggestion[] {
  const out: Suggestion[] = values.map((v) => {
    const literal = v.type === 'string' ? quote(v.value) : v.value;
    return { label: literal, insert: `${literal} `, kind: 'value' as const, detail: v.type };
  });
  if (!out.length && DURATION_TAGS.has(tag)) {
    for (const d of DURATION_EXAMPLES) out.push({ label: d, insert: `${d} `, kind: 'value', detail: 'duration' });
  }
  return out;
}

function filterByPartial(all: Suggestion[], partial: string): Suggestion[] {
  const p = partial.toLowerCase().replace(/^"/, '');
  if (!p) return all.slice(0, MAX_SUGGESTIONS);
  const prefix: Suggestion[] = [];
  const inside: Suggestion[] = [];
  for (const s of all) {
    const l = s.label.toLowerCase().replace(/^"/, '');
    if (l.startsWith(p)) prefix.push(s);
    else if (l.includes(p)) inside.push(s);
  }
  return [...prefix, ...inside].slice(0, MAX_SUGGESTIONS);
}

/** The text with the context's range replaced by the suggestion, spaced as TraceQL reads well. */
export function applySuggestion(text: string, ctx: CompletionContext, s: Suggestion): string {
  const before = text.slice(0, ctx.from);
  const lead = before !== '' && !/[\s(]$/.test(before) && !s.insert.startsWith(' ') ? ' ' : '';
  return `${before}${lead}${s.insert}${text.slice(ctx.to)}`;
}

/** A TraceQL string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}
