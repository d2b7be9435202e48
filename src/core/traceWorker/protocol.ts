/**
 * Messages between the extension host and the trace worker thread (see store.ts and
 * src/extension/panels/traceWorker.ts). The host sends requests with ids; the worker answers
 * each with one reply of the same id. Bytes go one way only, transferred, never copied (or the
 * worker reads a local file itself); the parsed traces stay in the worker, and only what a view
 * draws comes back, as transferred typed arrays.
 */
import type { TraceFormat } from '../model/trace';
import type { CodeLocation, LogRow, SpanDetails, TraceChoice, TraceData } from '../protocol/trace';
import type { LookupInput, LookupStarted } from './lookupSession';

/** What to parse: bytes already read (a response, a non-local file), or a local file by path. */
export type LoadInput =
  | { readonly kind: 'bytes'; readonly bytes: ArrayBuffer; readonly contentType?: string; readonly api?: 'v1' | 'v2' }
  | { readonly kind: 'file'; readonly path: string };

/** Parse this and keep the traces, replacing whatever was held. */
export interface LoadRequest {
  readonly type: 'load';
  readonly id: number;
  readonly input: LoadInput;
}

interface TraceRequestBase {
  readonly id: number;
  readonly trace: number;
}

/** Lay out one held trace (kept for later requests) and return its drawing columns. */
export interface TraceDataRequest extends TraceRequestBase {
  readonly type: 'traceData';
}
/** Details of one box of one held trace. */
export interface DetailsRequest extends TraceRequestBase {
  readonly type: 'details';
  readonly box: number;
}
export interface SearchRequest extends TraceRequestBase {
  readonly type: 'search';
  readonly text: string;
}
export interface CriticalPathRequest extends TraceRequestBase {
  readonly type: 'criticalPath';
}
/** Where one box's span says its code is. */
export interface LocationsRequest extends TraceRequestBase {
  readonly type: 'locations';
  readonly box: number;
}

/** Run a request-id lookup here; its traces replace whatever was held (see lookupSession.ts). */
export interface LookupRequest extends LookupInput {
  readonly type: 'lookup';
  readonly id: number;
}
export interface CancelLookupRequest {
  readonly type: 'cancelLookup';
  readonly id: number;
}
/** The lookup's log lines, tied to the boxes of one trace. */
export interface LogRowsRequest extends TraceRequestBase {
  readonly type: 'logRows';
}
/** Where the code that logged one line is. */
export interface LogSourceRequest {
  readonly type: 'logSource';
  readonly id: number;
  readonly index: number;
}

export type TraceWorkerRequest =
  | LoadRequest
  | TraceDataRequest
  | DetailsRequest
  | SearchRequest
  | CriticalPathRequest
  | LocationsRequest
  | LookupRequest
  | CancelLookupRequest
  | LogRowsRequest
  | LogSourceRequest;

/** At most this many warnings cross back; `warningCount` says how many there were. */
export const MAX_WARNINGS = 100;

/** What the host keeps about a parsed source: enough to list, validate and describe it. */
export interface LoadedFile {
  readonly format: TraceFormat;
  readonly encoding: 'json' | 'protobuf';
  readonly bytes: number;
  readonly choices: readonly TraceChoice[];
  /** Spans (= boxes) per trace, so the host can bound box indices without asking. */
  readonly spanCounts: readonly number[];
  readonly warnings: readonly string[];
  readonly warningCount: number;
  /** Set when the source says it holds only part of the trace. */
  readonly partial?: { readonly message?: string };
  /** Read + decode + parse time in the worker. */
  readonly parseMs: number;
}

export interface CriticalPathResult {
  readonly boxes: Uint32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
}

export interface TraceWorkerResults {
  load: LoadedFile;
  lookup: LookupStarted;
  cancelLookup: null;
  logRows: LogRow[];
  logSource: CodeLocation | null;
  traceData: TraceData;
  details: SpanDetails;
  search: { readonly boxes: Uint32Array };
  criticalPath: CriticalPathResult;
  locations: readonly CodeLocation[];
}

/**
 * Why a request failed: `format` = the bytes are not a trace this reads (a user's file problem),
 * `io` = the file could not be read, `request` = a bad index or a request before any load,
 * `internal` = anything else thrown.
 */
export type TraceWorkerErrorKind = 'format' | 'io' | 'request' | 'internal';

export type TraceWorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: TraceWorkerResults[TraceWorkerRequest['type']] }
  | { readonly id: number; readonly ok: false; readonly kind: TraceWorkerErrorKind; readonly error: string };
