/**
 * Where a span says its code is: OpenTelemetry's code.* attributes (current names and the older
 * ones), on the span and on each of its events (tracing-opentelemetry puts each log event with
 * its own code.* on the span), then the frames of code.stacktrace and exception.stacktrace.
 * Paths are as the program saw them (a container's /opt/dynamo/…); resolve.ts maps them.
 */
import type { Attribute, AttrValue, Span } from '../model/trace';
import type { CodeLocation } from '../protocol/trace';
import { parseStackFrames } from './stackFrames';

const FILE_KEYS = ['code.file.path', 'code.filepath'];
const LINE_KEYS = ['code.line.number', 'code.lineno'];
const COLUMN_KEYS = ['code.column.number', 'code.column'];
const FUNCTION_KEYS = ['code.function.name', 'code.function'];
const MODULE_KEYS = ['code.module.name', 'code.namespace'];
const STACK_KEYS = ['code.stacktrace', 'exception.stacktrace'];

/** The most any span contributes: a hostile span with 100k events must not make 100k candidates. */
const MAX_LOCATIONS = 50;

function find(attrs: readonly Attribute[], keys: readonly string[]): AttrValue | undefined {
  for (const k of keys) {
    for (const a of attrs) if (a.key === k) return a.value;
  }
  return undefined;
}

function text(v: AttrValue | undefined): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function lineNumber(v: AttrValue | undefined): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** A location from code.* attributes; a function without a file is kept (a symbol search can find it). */
function fromAttributes(attrs: readonly Attribute[], from: 'span' | 'event', name: string): CodeLocation | undefined {
  const path = text(find(attrs, FILE_KEYS));
  const fn = text(find(attrs, FUNCTION_KEYS));
  const mod = text(find(attrs, MODULE_KEYS));
  if (!path && !fn) return undefined;
  const line = lineNumber(find(attrs, LINE_KEYS));
  const column = lineNumber(find(attrs, COLUMN_KEYS));
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
    if (!trace) continue;
    for (const f of parseStackFrames(trace)) {
      if (out.length >= MAX_LOCATIONS) return;
      out.push({ path: f.path, ...(f.line !== undefined ? { line: f.line } : {}), ...(f.column !== undefined ? { column: f.column } : {}), ...(f.function ? { function: f.function } : {}), from: 'stack', name: f.function ?? f.path });
    }
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
const LOCATION_KEYS = new Set([...FILE_KEYS, ...FUNCTION_KEYS, ...STACK_KEYS]);

export function hasCodeLocation(span: Span): boolean {
  const has = (attrs: readonly Attribute[]) => attrs.some((a) => LOCATION_KEYS.has(a.key));
  return has(span.attributes) || span.events.some((e) => has(e.attributes));
}
