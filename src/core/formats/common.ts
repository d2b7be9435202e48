/**
 * Pieces every trace importer shares: grouping spans into traces, exact nanosecond times, the
 * shapes reused between spans, and error wording. Kept free of per-span closures because the
 * importers call these 100k times per file.
 */
import { TraceFormatError } from '../model/errors';
import type { Attribute, ParsedTraces, Scope, Span, SpanEvent, SpanLink, SpanSink, Trace, TraceFormat } from '../model/trace';

/** Shared empty lists: most spans have no events or links, and the model's lists are readonly. */
export const NO_ATTRIBUTES: readonly Attribute[] = Object.freeze([]);
export const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
export const NO_LINKS: readonly SpanLink[] = Object.freeze([]);

/** The scope of spans whose source names none; one shape everywhere so models compare equal. */
export const NO_SCOPE: Scope = Object.freeze({ name: '', version: undefined, attributes: NO_ATTRIBUTES });

export const STATUS_UNSET: Span['status'] = Object.freeze({ code: 'unset' });
export const STATUS_OK: Span['status'] = Object.freeze({ code: 'ok' });
export const STATUS_ERROR: Span['status'] = Object.freeze({ code: 'error' });

/** OTel's fallback name when a producer sets no `service.name`. */
export const UNKNOWN_SERVICE = 'unknown_service';

/** A short, safe description of a value for an error message (never the whole value). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return v.length > 40 ? `a string "${v.slice(0, 40)}…"` : `the string ${JSON.stringify(v)}`;
    case 'number':
      return `the number ${v}`;
    case 'boolean':
      return `${v}`;
    case 'undefined':
      return 'nothing';
    default:
      return `an ${typeof v}`;
  }
}

/** Type only: attribute values may hold secrets, so messages never quote them. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * A value from the input as message text: strings as written, numbers and booleans spelled out,
 * anything else by its kind. Never String() on a parsed object: one with a "toString" key that
 * is not a function makes String() throw.
 */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return kindOf(v);
}

/**
 * A fault inside one span, located relative to it. Importers throw it deep inside and catch it
 * once in their span loop, which knows the span's place and builds the full location only then.
 */
export class FieldError {
  constructor(readonly problem: string) {}
}

export function bad(field: string, what: string, found: string): never {
  throw new FieldError(`${field} is not ${what} (found ${found})`);
}

export function fail(where: string, expected: string): never {
  throw new TraceFormatError(where, expected);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDigits(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The largest value of OTLP's fixed64 times, and so of every time in the model. */
export const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * An unsigned 64-bit integer written as a decimal string (exact) or a JSON number (exact only
 * below 2^53: JSON.parse has already rounded bigger ones). Undefined means "not an integer", or
 * one beyond 2^64 − 1 (20 digits can spell up to 99…9, a JSON number up to 1.8e308).
 */
export function toUint64(v: unknown): bigint | undefined {
  let n: bigint;
  if (typeof v === 'string') {
    if (!isDigits(v)) return undefined;
    n = BigInt(v);
  } else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) n = BigInt(v);
  else return undefined;
  return n <= MAX_UINT64 ? n : undefined;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A span's end as the model keeps it: a missing end (OTLP omits a zero) or one before the start
 * becomes the start, each noted for the warnings under its own wording.
 */
export function settledEnd(start: bigint, end: bigint, out: SpanSink, where: () => string): bigint {
  if (end === 0n) out.noteNoEnd(where());
  else if (end < start) out.noteClamped(where());
  return end < start ? start : end;
}

/** A group's earliest start before any timed span is seen: above every 64-bit time. */
const NO_START = MAX_UINT64 + 1n;

interface Group {
  readonly spans: Span[];
  /** The earliest start of the spans that have one (NO_START if none has). */
  minStart: bigint;
  /** Indexes in `spans` of spans with no start time, repaired in finish(). */
  untimed?: number[];
}

/**
 * Collects spans into traces by trace id, in the order the model promises: traces by earliest
 * start (ties keep first-seen order), spans in source order. Also gathers warnings, counting
 * repeated ones instead of listing 100k of them.
 *
 * A start of 0 is no start: OTLP's encoders omit zero fields, so a span whose producer never set
 * a start arrives without one, and taken as 1970 it would stretch the trace over decades and
 * round every other time in it. Such a span is drawn at its parent's start (the nearest timed
 * ancestor's), else at the trace's earliest start, else at its own end.
 */
export class TraceCollector implements SpanSink {
  private readonly groups = new Map<string, Group>();
  private lastId = '';
  private lastGroup: Group | undefined;
  private readonly warnings: string[] = [];
  private clamped = 0;
  private firstClamped = '';
  private unended = 0;
  private firstUnended = '';
  private imprecise = 0;

  add(span: Span): void {
    let g = this.lastGroup;
    if (span.traceId !== this.lastId || g === undefined) {
      g = this.groups.get(span.traceId);
      if (g === undefined) {
        g = { spans: [], minStart: NO_START };
        this.groups.set(span.traceId, g);
      }
      this.lastId = span.traceId;
      this.lastGroup = g;
    }
    if (span.start === 0n) (g.untimed ??= []).push(g.spans.length);
    else if (span.start < g.minStart) g.minStart = span.start;
    g.spans.push(span);
  }

  /** Records that a span's end came before its start and was set to the start. */
  noteClamped(where: string): void {
    if (this.clamped++ === 0) this.firstClamped = where;
  }

  /** Records that a span has no end time (unfinished, or flushed before it ended). */
  noteNoEnd(where: string): void {
    if (this.unended++ === 0) this.firstUnended = where;
  }

  /** Records a time given as a JSON number too large to be exact. */
  noteNumber(v: bigint): void {
    if (v > MAX_SAFE) this.imprecise++;
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  finish(format: TraceFormat, partial?: ParsedTraces['partial']): ParsedTraces {
    if (this.clamped > 0) {
      this.warnings.push(
        this.clamped === 1
          ? `${this.firstClamped} ends before it starts; its end was set to its start`
          : `${this.clamped} spans end before they start (first: ${this.firstClamped}); their ends were set to their starts`,
      );
    }
    if (this.unended > 0) {
      this.warnings.push(
        this.unended === 1
          ? `${this.firstUnended} has no end time (unfinished, or sent before it ended); it is drawn with zero length`
          : `${this.unended} spans have no end time (first: ${this.firstUnended}); they are drawn with zero length`,
      );
    }
    let untimed = 0;
    for (const g of this.groups.values()) {
      if (g.untimed === undefined) continue;
      untimed += g.untimed.length;
      placeUntimed(g);
    }
    if (untimed > 0) {
      this.warnings.push(
        untimed === 1
          ? "1 span has no start time; it is drawn at its parent's start, or the trace's when it has no timed parent"
          : `${untimed} spans have no start time; each is drawn at its parent's start, or the trace's when it has no timed parent`,
      );
    }
    if (this.imprecise > 0) {
      this.warnings.push(
        `${this.imprecise} nanosecond times are JSON numbers above 2^53, which JSON cannot hold exactly; they may be off by a few hundred nanoseconds (write them as strings to keep them exact)`,
      );
    }
    const entries = [...this.groups].map(([traceId, g], order) => ({ traceId, g, order }));
    entries.sort((a, b) => (a.g.minStart < b.g.minStart ? -1 : a.g.minStart > b.g.minStart ? 1 : a.order - b.order));
    const traces: Trace[] = entries.map(({ traceId, g }) => ({ traceId, spans: g.spans }));
    return partial ? { format, traces, warnings: this.warnings, partial } : { format, traces, warnings: this.warnings };
  }
}

/** Gives each untimed span of `g` a start (see TraceCollector) and an end no earlier than it. */
function placeUntimed(g: Group): void {
  const untimed = g.untimed!;
  const byId = new Map<string, Span>();
  for (const s of g.spans) if (!byId.has(s.spanId)) byId.set(s.spanId, s);
  const placed = new Map<string, bigint>();
  const startOf = (s: Span): bigint | undefined => {
    // Up the parents to the first one with a start; `seen` stops at a cycle.
    const seen = new Set<string>();
    for (let p = s.parentSpanId; p !== undefined && !seen.has(p); ) {
      seen.add(p);
      const parent = byId.get(p);
      if (parent === undefined) break;
      if (parent.start !== 0n) return parent.start;
      const known = placed.get(p);
      if (known !== undefined) return known;
      p = parent.parentSpanId;
    }
    return undefined;
  };
  for (const i of untimed) {
    const s = g.spans[i]!;
    const start = startOf(s) ?? (g.minStart !== NO_START ? g.minStart : s.end);
    placed.set(s.spanId, start);
    g.spans[i] = { ...s, start, end: s.end < start ? start : s.end };
  }
  // A group with no timed span sorts by where its spans were placed (their ends), not as 1970.
  for (const i of untimed) if (g.spans[i]!.start < g.minStart) g.minStart = g.spans[i]!.start;
}
