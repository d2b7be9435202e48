/**
 * Where a span says its code is: OpenTelemetry's code.* attributes (current names and the older
 * ones), on the span and on each of its events (tracing-opentelemetry puts each log event with
 * its own code.* on the span), then the frames of code.stacktrace and exception.stacktrace.
 * Paths are as the program saw them (a container's /opt/dynamo/…); resolve.ts maps them.
 */
import type { Attribute, AttrValue, Span } from '../model/trace';
import type { CodeLocation } from '../protocol/trace';
import { parseStackFrames } from './stackFrames';

/** OpenTelemetry's code.* attribute names, current first, then the older ones. */
export const CODE_KEYS = {
  file: ['code.file.path', 'code.filepath'],
  line: ['code.line.number', 'code.lineno'],
  column: ['code.column.number', 'code.column'],
  function: ['code.function.name', 'code.function'],
  module: ['code.module.name', 'code.namespace'],
  stack: ['code.stacktrace', 'exception.stacktrace'],
} as const;
const FILE_KEYS = CODE_KEYS.file;
const LINE_KEYS = CODE_KEYS.line;
const COLUMN_KEYS = CODE_KEYS.column;
const FUNCTION_KEYS = CODE_KEYS.function;
const MODULE_KEYS = CODE_KEYS.module;
const STACK_KEYS = CODE_KEYS.stack;

/** The most any span contributes: a hostile span with 100k events must not make 100k candidates. */
const MAX_LOCATIONS = 50;

function find(attrs: readonly Attribute[], keys: readonly string[]): AttrValue | undefined {
  for (const k of keys) {
    for (const a of attrs) if (a.key === k) return a.value;
  }
  return undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A positive line or column number from a number or a decimal string. */
export function lineNumber(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** A location from code.* attributes; a function without a file is kept (a symbol search can find it). */
function fromAttributes(attrs: readonly Attribute[], from: 'span' | 'event', name: string): CodeLocation | undefined {
  return codeLocationOf((keys) => find(attrs, keys), from, name);
}

/**
 * A location from code.* values however they are held (span attributes, a log's structured
 * metadata): `get` returns the value of the first of `keys` that is present.
 */
export function codeLocationOf(get: (keys: readonly string[]) => unknown, from: CodeLocation['from'], name: string): CodeLocation | undefined {
  const path = text(get(FILE_KEYS));
  const fn = text(get(FUNCTION_KEYS));
  const mod = text(get(MODULE_KEYS));
  if (!path && !fn) return undefined;
  const line = lineNumber(get(LINE_KEYS));
  const column = lineNumber(get(COLUMN_KEYS));
  // Older conventions split the function from its namespace; the pair reads as one name.
  const qualified = fn && mod && !fn.includes(mod) ? `${mod}::${fn}` : fn;
  return {
    path: path ?? '',
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
    ...(qualified ? { function: qualified } : {}),
    from,
    name,
  };
}

function stackLocations(attrs: readonly Attribute[], out: CodeLocation[]): void {
  for (const key of STACK_KEYS) {
    const trace = text(find(attrs, [key]));
    if (trace) stackTextLocations(trace, out, MAX_LOCATIONS);
  }
}

/** The frames of a stack trace in `trace` (a message, an attribute) as locations, up to `max` in `out`. */
export function stackTextLocations(trace: string, out: CodeLocation[], max = MAX_LOCATIONS): void {
  for (const f of parseStackFrames(trace)) {
    if (out.length >= max) return;
    out.push({ path: f.path, ...(f.line !== undefined ? { line: f.line } : {}), ...(f.column !== undefined ? { column: f.column } : {}), ...(f.function ? { function: f.function } : {}), from: 'stack', name: f.function ?? f.path });
  }
}

export function spanCodeLocations(span: Span): CodeLocation[] {
  const out: CodeLocation[] = [];
  const own = fromAttributes(span.attributes, 'span', span.name);
  if (own) out.push(own);
  for (const e of span.events) {
    if (out.length >= MAX_LOCATIONS) break;
    const loc = fromAttributes(e.attributes, 'event', e.name);
    if (loc && !out.some((o) => o.path === loc.path && o.line === loc.line && o.function === loc.function)) out.push(loc);
  }
  stackLocations(span.attributes, out);
  for (const e of span.events) {
    if (out.length >= MAX_LOCATIONS) break;
    stackLocations(e.attributes, out);
  }
  return out.slice(0, MAX_LOCATIONS);
}

/** Cheap test for FLAG_SOURCE: the same keys, without building anything. */
const LOCATION_KEYS = new Set<string>([...FILE_KEYS, ...FUNCTION_KEYS, ...STACK_KEYS]);

export function hasCodeLocation(span: Span): boolean {
  const has = (attrs: readonly Attribute[]) => attrs.some((a) => LOCATION_KEYS.has(a.key));
  return has(span.attributes) || span.events.some((e) => has(e.attributes));
}
