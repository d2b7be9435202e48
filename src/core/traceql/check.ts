/**
 * Syntax check of TraceQL with Grafana's own grammar (@grafana/lezer-traceql, generated from
 * Tempo's expr.y), before a query goes to Tempo: the first error node the parser recovers from
 * is the place to point at, by line and column as Tempo counts them (1-based).
 */
import { parser } from '@grafana/lezer-traceql';
import { firstErrorNode, lineColumn } from '../text/lezer';

export interface TraceqlProblem {
  /** Offsets into the text; `from === to` when something is missing there. */
  readonly from: number;
  readonly to: number;
  readonly line: number;
  readonly column: number;
  /** English, like Tempo's own: `unexpected '}'`, `unexpected end of query`. */
  readonly message: string;
}

const TOKEN = /"(?:[^"\\]|\\.)*"?|&&|\|\||>>|<<|!=|=~|!~|>=|<=|[\w.:/-]+|\S/y;

/**
 * Bounds for text that is no real query (a paste gone wrong, a hostile file): real TraceQL is
 * well under a kilobyte and a few brackets deep, while the parser's time grows with the length
 * and building its tree recurses once per level of nesting (thousands of levels overflow the stack).
 */
const MAX_QUERY_CHARS = 16 * 1024;
const MAX_NESTING = 256;

/** The first place brackets nest deeper than MAX_NESTING (strings skipped), or -1. */
function tooDeep(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '(' || c === '[') {
      if (++depth > MAX_NESTING) return i;
    } else if ((c === '}' || c === ')' || c === ']') && depth > 0) depth--;
  }
  return -1;
}

/** undefined when the query parses; an empty query is for the caller to replace with `{}`. */
export function checkTraceql(text: string): TraceqlProblem | undefined {
  if (text.length > MAX_QUERY_CHARS) {
    return { from: MAX_QUERY_CHARS, to: text.length, ...lineColumn(text, MAX_QUERY_CHARS), message: `the query is longer than ${MAX_QUERY_CHARS / 1024} KiB` };
  }
  const deep = tooDeep(text);
  if (deep >= 0) return { from: deep, to: deep + 1, ...lineColumn(text, deep), message: `brackets nested deeper than ${MAX_NESTING} levels` };
  const tree = parser.parse(text);
  const at = firstErrorNode(tree);
  if (!at) return undefined;
  // A zero-width error sits where the parser gave up: the next token is what it did not expect.
  let from = at.from;
  while (from < text.length && /\s/.test(text[from]!)) from++;
  TOKEN.lastIndex = from;
  const m = from < text.length ? TOKEN.exec(text) : null;
  const token = m ? m[0] : '';
  const to = Math.max(at.to, from + token.length);
  const { line, column } = lineColumn(text, from);
  const shown = token.length > 40 ? `${token.slice(0, 40)}…` : token;
  const message = token ? `unexpected '${shown}'` : 'unexpected end of query';
  return { from, to, line, column, message };
}

/** One-line text for a problem: `line 1, col 5: unexpected '}'`. */
export function describeProblem(p: TraceqlProblem): string {
  return `line ${p.line}, col ${p.column}: ${p.message}`;
}
