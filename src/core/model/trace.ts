/**
 * The one trace model every importer produces and every view consumes. Importers never leak
 * their raw JSON past this point (speedscope's import → model split).
 */

/** An attribute value after decoding: OTLP AnyValue, Jaeger tags and Zipkin tags all land here. */
export type AttrValue =
  | string
  | number
  | boolean
  | null
  | AttrValue[]
  | { readonly [key: string]: AttrValue };

/** Ordered key/value pairs: order and duplicates are kept as the source wrote them. */
export interface Attribute {
  readonly key: string;
  readonly value: AttrValue;
  /**
   * The OTLP type where the value alone does not tell it: `int` for an int64 kept as a decimal
   * string (beyond 2^53), `double` for a double holding a whole number, `bytes` for the base64
   * of a bytesValue. Only decoders asked to keep the wire's types set it (the local capture
   * store, which must give back what it received); values nested in arrays and kvlists carry no
   * type.
   */
  readonly type?: 'int' | 'double' | 'bytes';
}

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusCode = 'unset' | 'ok' | 'error';

/** What emitted the spans: shared by reference between the spans of one resource. */
export interface Resource {
  readonly serviceName: string;
  readonly attributes: readonly Attribute[];
}

/** The instrumentation library (OTLP scope); empty name when the source has none. */
export interface Scope {
  readonly name: string;
  readonly version?: string;
  readonly attributes: readonly Attribute[];
}

export interface SpanEvent {
  /** Unix time in nanoseconds, exact. */
  readonly time: bigint;
  readonly name: string;
  readonly attributes: readonly Attribute[];
  /** Wire detail kept only when decoding keeps the wire's fields (see Attribute.type). */
  readonly droppedAttributesCount?: number;
}

export interface SpanLink {
  /** 32 lowercase hex. */
  readonly traceId: string;
  /** 16 lowercase hex. */
  readonly spanId: string;
  readonly traceState?: string;
  readonly attributes: readonly Attribute[];
  /** Wire details kept only when decoding keeps the wire's fields (see Attribute.type). */
  readonly flags?: number;
  readonly droppedAttributesCount?: number;
}

export interface Span {
  /** 32 lowercase hex. */
  readonly traceId: string;
  /** 16 lowercase hex. */
  readonly spanId: string;
  /** 16 lowercase hex; absent for a root. May name a span that is not in the trace. */
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: SpanKind;
  /** Unix time in nanoseconds, exact (OTLP carries 64-bit integers, beyond a double's 2^53). */
  readonly start: bigint;
  /** Unix time in nanoseconds; never before `start` (importers clamp and warn). */
  readonly end: bigint;
  readonly status: { readonly code: StatusCode; readonly message?: string };
  readonly attributes: readonly Attribute[];
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly resource: Resource;
  readonly scope: Scope;
  readonly traceState?: string;
  /**
   * Wire details kept only when decoding keeps the wire's fields (see Attribute.type): W3C
   * trace flags and the has/is-remote bits, and what the sender dropped over its limits.
   */
  readonly flags?: number;
  readonly droppedAttributesCount?: number;
  readonly droppedEventsCount?: number;
  readonly droppedLinksCount?: number;
}

/**
 * Where a decoder puts what it reads: a TraceCollector (files, Tempo answers) or the local
 * capture store. With `reject`, a span that cannot be read is reported and skipped (the OTLP
 * receiver answers with a partial success); without it, it fails the whole input.
 */
export interface SpanSink {
  add(span: Span): void;
  noteClamped(where: string): void;
  /** A span with no end time; the decoder has set its end to its start. */
  noteNoEnd(where: string): void;
  noteNumber(v: bigint): void;
  warn(message: string): void;
  reject?(where: string, problem: string): void;
}

export interface Trace {
  /** 32 lowercase hex. */
  readonly traceId: string;
  /** In source order. */
  readonly spans: readonly Span[];
}

export type TraceFormat = 'otlp-json' | 'otlp-proto' | 'tempo-v1' | 'tempo-v2' | 'jaeger' | 'zipkin';

/** What an importer returns for one file or response body. */
export interface ParsedTraces {
  readonly format: TraceFormat;
  /** One per distinct trace id, ordered by earliest span start. */
  readonly traces: readonly Trace[];
  /** Things a user should know but that did not stop the import (e.g. a clamped end time). */
  readonly warnings: readonly string[];
  /** Set when the source says it holds only part of the trace (Tempo's `status: PARTIAL`). */
  readonly partial?: { readonly message?: string };
}
