/**
 * Messages between the extension host and the log-file worker (see store.ts and
 * src/extension/logs/logWorker.ts). The worker reads a log file of any size in the background:
 * `open` answers as soon as the first lines are read, indexing goes on and reports `progress`
 * events; the host then asks for entries by index, for the lines matching a search, or for the
 * lines of a trace or a span. Only what a view shows crosses back.
 */
import type { LogEntry } from '../model/logs';

export interface OpenRequest {
  readonly type: 'open';
  readonly id: number;
  readonly path: string;
  /** Entries parsed into the answer (default 200). */
  readonly first?: number;
}

/** Entries [from, to), clamped to the lines indexed so far (at most MAX_ENTRIES). */
export interface EntriesRequest {
  readonly type: 'entries';
  readonly id: number;
  readonly from: number;
  readonly to: number;
}

/** Entries at these line indices (search hits, a span's lines), at most MAX_ENTRIES. */
export interface EntriesAtRequest {
  readonly type: 'entriesAt';
  readonly id: number;
  readonly lines: readonly number[];
}

/** Lines containing `text`, case-insensitively, from line `from` on; a newer search cancels an older one. */
export interface SearchRequest {
  readonly type: 'search';
  readonly id: number;
  readonly text: string;
  readonly from?: number;
  readonly limit?: number;
}

/** Lines that name this trace and/or span. */
export interface EntriesOfRequest {
  readonly type: 'entriesOf';
  readonly id: number;
  readonly traceId?: string;
  readonly spanId?: string;
}

export type LogWorkerRequest = OpenRequest | EntriesRequest | EntriesAtRequest | SearchRequest | EntriesOfRequest;

export const MAX_ENTRIES = 10_000;

export interface OpenedLogFile {
  readonly path: string;
  readonly size: number;
  /** Lines indexed when this answer left (more follow in `progress`). */
  readonly lines: number;
  readonly done: boolean;
  readonly first: readonly LogEntry[];
}

export interface LineHits {
  /** Line indices, ascending. */
  readonly lines: Uint32Array;
  /** False when the limit stopped it or the file is still being indexed (more may match later). */
  readonly complete: boolean;
  /** Lines looked at. */
  readonly scanned: number;
}

export interface LogWorkerResults {
  open: OpenedLogFile;
  entries: readonly LogEntry[];
  entriesAt: readonly LogEntry[];
  search: LineHits;
  entriesOf: LineHits;
}

/** The worker's own message while it indexes (no id: it answers no request). */
export interface LogProgressEvent {
  readonly type: 'progress';
  readonly path: string;
  readonly lines: number;
  readonly bytes: number;
  readonly size: number;
  readonly done: boolean;
  /** Why indexing stopped early (the file went away, could not be read). */
  readonly error?: string;
}

/**
 * `io` = the file could not be read, `request` = a bad argument or a request before any open,
 * `cancelled` = a newer search or open replaced it, `internal` = anything else thrown.
 */
export type LogWorkerErrorKind = 'io' | 'request' | 'cancelled' | 'internal';

export type LogWorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: LogWorkerResults[LogWorkerRequest['type']] }
  | { readonly id: number; readonly ok: false; readonly kind: LogWorkerErrorKind; readonly error: string };
