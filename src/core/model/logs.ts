/**
 * Log lines as Spanlens holds them, whatever the source (Loki streams, Dynamo JSONL files).
 * Timestamps stay exact nanoseconds: a double cannot hold them, and log ↔ span linking compares
 * them with span bounds that are bigint nanoseconds too.
 */
import type { CodeLocation } from './codeLocation';
import type { Attribute, AttrValue, Resource, Scope } from './trace';

export type Labels = Readonly<Record<string, string>>;

export const NO_LABELS: Labels = Object.freeze({});

export interface LogLine {
  /** Unix time in nanoseconds, exact. */
  readonly timestampNs: bigint;
  readonly line: string;
  /** Indexed stream labels (shared by reference between the lines of one stream). */
  readonly labels: Labels;
  /** Structured metadata, e.g. `trace_id`/`span_id` on OTLP-ingested logs. */
  readonly metadata: Labels;
  /** Fields extracted by a parser stage of the query (`| json`, `| logfmt`). */
  readonly parsed: Labels;
}

export type LogDirection = 'backward' | 'forward';

export interface LogQueryResult {
  /** Newest first for `backward`, oldest first for `forward`. */
  readonly lines: readonly LogLine[];
  /** True when the limit stopped the query before the range was exhausted. */
  readonly truncated: boolean;
  /** Server warnings, verbatim. */
  readonly warnings: readonly string[];
  /** Requests it took (paging by time). */
  readonly pages: number;
}

/** Severity in one spelling, whatever the source wrote (`INFO`, `warning`, `severity_text`, …). */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** A JSON value of a log record's field, as the record held it. */
export type LogFieldValue = string | number | boolean | null | readonly LogFieldValue[] | { readonly [key: string]: LogFieldValue };

/**
 * A `SPAN_FIRST_ENTRY` / `SPAN_CLOSED` record (Dynamo's DYN_LOGGING_SPAN_EVENTS): the span it
 * names opened or closed; a close carries the span's busy, idle and total time in µs.
 */
export interface SpanLifecycle {
  readonly kind: 'enter' | 'close';
  readonly spanName?: string;
  readonly busyUs?: number;
  readonly idleUs?: number;
  readonly durationUs?: number;
}

/**
 * THE log entry: a line from Loki or from a log file, with what Spanlens reads out of it. Every
 * producer (the Loki client's lines through `toLogEntry`, the Dynamo JSONL reader, the log-file
 * worker) makes this shape, and the CLI, linking and the log list consume it.
 */
export interface LogEntry extends LogLine {
  /** 32 lowercase hex, from structured metadata, a parsed field or the JSON record. */
  readonly traceId?: string;
  /** 16 lowercase hex, likewise. */
  readonly spanId?: string;
  readonly level?: LogLevel;
  /** The message: a JSON record's `message`, else the line itself. */
  readonly message: string;
  /** A JSON record's fields other than time, level, file, line, target and message, as written. */
  readonly fields: Readonly<Record<string, LogFieldValue>>;
  /** Dynamo's `target` (Rust module path, `log` for Python-origin records). */
  readonly target?: string;
  /** Where the code that logged it is, as logged (not yet resolved to a workspace file). */
  readonly source: CodeLocation | null;
  readonly lifecycle?: SpanLifecycle;
  /** True when the line carried no time of its own and took its neighbour's (plain lines in a file). */
  readonly timeInferred?: boolean;
  /** Files: the 0-based line number in the file. */
  readonly fileLine?: number;
}

/**
 * One OTLP log record as received (the local capture's input; Loki's view of it is a LogLine).
 * Times are exact nanoseconds; 0 means the sender did not set one.
 */
export interface LogRecord {
  readonly time: bigint;
  readonly observedTime: bigint;
  /** OTLP SeverityNumber, 0 (unspecified) to 24. */
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: AttrValue;
  /** The body's OTLP type where its value alone does not tell it (see Attribute.type). */
  readonly bodyType?: Attribute['type'];
  readonly attributes: readonly Attribute[];
  /** 32 lowercase hex; absent when the record was not made inside a span. */
  readonly traceId?: string;
  /** 16 lowercase hex. */
  readonly spanId?: string;
  readonly flags: number;
  readonly droppedAttributesCount: number;
  readonly eventName?: string;
  readonly resource: Resource;
  readonly scope: Scope;
}

/** Where a log decoder puts what it reads; `reject` as in SpanSink. */
export interface LogSink {
  add(record: LogRecord): void;
  reject?(where: string, problem: string): void;
}
