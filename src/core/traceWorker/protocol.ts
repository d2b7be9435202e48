/**
 * Messages between the extension host and the trace worker thread (see store.ts and
 * src/extension/panels/traceWorker.ts). The host sends requests with ids; the worker answers
 * each with one reply of the same id. The file's bytes go one way only, transferred, never copied;
 * the parsed traces stay in the worker, and only what a view draws comes back.
 */
import type { TraceFormat } from '../model/trace';
import type { FlameData, SpanDetails, TraceChoice } from '../protocol';

/** Parse these bytes (UTF-8 JSON) and keep the traces, replacing whatever was held. */
export interface LoadRequest {
  readonly type: 'load';
  readonly id: number;
  readonly bytes: ArrayBuffer;
}

/** Lay out one held trace (kept for later requests) and return its drawing columns. */
export interface FlameRequest {
  readonly type: 'flame';
  readonly id: number;
  readonly trace: number;
}

/** Details of one box of one held trace. */
export interface DetailsRequest {
  readonly type: 'details';
  readonly id: number;
  readonly trace: number;
  readonly box: number;
}

export type TraceWorkerRequest = LoadRequest | FlameRequest | DetailsRequest;

/** At most this many warnings cross back; `warningCount` says how many there were. */
export const MAX_WARNINGS = 100;

/** What the host keeps about a parsed file: enough to list, validate and describe it. */
export interface LoadedFile {
  readonly format: TraceFormat;
  readonly bytes: number;
  readonly choices: readonly TraceChoice[];
  /** Spans (= flame boxes) per trace, so the host can bound box indices without asking. */
  readonly spanCounts: readonly number[];
  readonly warnings: readonly string[];
  readonly warningCount: number;
  /** Decode + parse time in the worker. */
  readonly parseMs: number;
}

export interface TraceWorkerResults {
  load: LoadedFile;
  flame: FlameData;
  details: SpanDetails;
}

/**
 * Why a request failed: `format` = the bytes are not a trace this reads (a user's file problem),
 * `request` = a bad index or a request before any load, `internal` = anything else thrown.
 */
export type TraceWorkerErrorKind = 'format' | 'request' | 'internal';

export type TraceWorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: TraceWorkerResults[TraceWorkerRequest['type']] }
  | { readonly id: number; readonly ok: false; readonly kind: TraceWorkerErrorKind; readonly error: string };
