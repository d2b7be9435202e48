/**
 * Log lines as Spanlens holds them, whatever the source (Loki streams, Dynamo JSONL files).
 * Timestamps stay exact nanoseconds: a double cannot hold them, and log ↔ span linking compares
 * them with span bounds that are bigint nanoseconds too.
 */

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
