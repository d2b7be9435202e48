/**
 * TraceQL a lookup sends, built from data by one function each, and the look-back windows it is
 * sent over. Values are always quoted strings with `\` and `"` escaped (Tempo reads them as Go
 * string literals); attribute names are scoped as configured (`span.x`, `resource.x`) or
 * unscoped (`.x`: span or resource), and quoted when they hold a character TraceQL's lexer ends
 * an attribute at.
 */
import type { TimeRange } from '../backends/types';

/** A TraceQL (and LogQL, PromQL: all three read Go-style literals) double-quoted string. */
export function quoteString(v: string): string {
  let out = '"';
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Characters that end an attribute name in Tempo's lexer. */
const NOT_ATTRIBUTE = /[\s{}()=~!<>&|^,"]/;

/** `x_request_id` → `.x_request_id`; `span.a b` → `span."a b"`; scoped names keep their scope. */
export function traceqlAttribute(name: string): string {
  const m = /^(span|resource)\.(.+)$/.exec(name) ?? /^()\.(.+)$/.exec(name);
  const scope = m ? m[1]! : '';
  const bare = m ? m[2]! : name;
  return `${scope}.${NOT_ATTRIBUTE.test(bare) ? quoteString(bare) : bare}`;
}

/** `{ .a = "v" || .b = "v" || … }`: spans where any of the attributes holds any of the values. */
export function requestIdTraceql(values: readonly string[], attributes: readonly string[]): string {
  if (!values.length || !attributes.length) throw new Error('a request-id search needs at least one value and one attribute');
  const terms: string[] = [];
  for (const a of attributes) for (const v of values) terms.push(`${traceqlAttribute(a)} = ${quoteString(v)}`);
  return `{ ${terms.join(' || ')} }`;
}

/** `{ span:id = "…" }`: the trace holding a span. */
export function spanIdTraceql(spanId: string): string {
  if (!/^[0-9a-f]{16}$/.test(spanId)) throw new Error(`not a span id: ${spanId}`);
  return `{ span:id = ${quoteString(spanId)} }`;
}

/**
 * The windows a search widens through: the last `steps[i]` up to `nowMs`, each wider than the
 * one before (unsorted or repeated steps are put in order). Tempo takes whole seconds and
 * refuses a range over its limit (168h by default), so windows start and end on a second and
 * are exactly as long as their step (at least one second).
 */
export function lookBackWindows(steps: readonly number[], nowMs: number): TimeRange[] {
  const sorted = [...new Set(steps.filter((s) => s > 0).map((s) => Math.max(1000, Math.round(s / 1000) * 1000)))].sort((a, b) => a - b);
  const endMs = Math.ceil(nowMs / 1000) * 1000;
  return sorted.map((ms) => ({ startMs: endMs - ms, endMs }));
}
