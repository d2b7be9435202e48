/**
 * Where a span or a log entry says its code is, as written (not yet resolved to a workspace
 * file): the one shape span → source and log → source share, so both go through the same path
 * mapping and workspace-only rule (source/resolve.ts).
 */
export interface CodeLocation {
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly function?: string;
  /**
   * The span's own code.* attributes, one of its events', a frame of a stack trace, or a log
   * record's own location (Dynamo JSONL `file`/`line`, Python-origin `log.file`/`log.line`,
   * OTLP `code.*` in structured metadata).
   */
  readonly from: 'span' | 'event' | 'stack' | 'log';
  /** What it belongs to: the span or event name, the frame's function, or the log's target. */
  readonly name: string;
}
