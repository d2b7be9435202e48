/**
 * Every message between the extension host and the trace webview: one union per direction,
 * discriminated on `type`, plus the requests the webview makes (see rpc.ts). Both sides import
 * this file; nothing else crosses.
 */
import type { ExemplarData, PanelInfo, SeriesData } from './metrics';
import type { CodeLocation } from '../model/codeLocation';
import { isInt, isText, parseRpcRequest, type RpcChecks, type RpcRequest, type RpcResponse } from './rpc';
import type { TraceColumnsMessage } from './traceColumns';

export type { CodeLocation } from '../model/codeLocation';

/** Localized UI text, produced by the host with vscode.l10n (the webview cannot localize). */
export interface WebviewStrings {
  readonly resetZoom: string;
  /** Trace facts above the views; each a template for one number (`{0}`), singular and plural. */
  readonly spansOne: string;
  readonly spansOther: string;
  readonly servicesOne: string;
  readonly servicesOther: string;
  readonly errorsOne: string;
  readonly errorsOther: string;
  /** `{0}`: the start time. */
  readonly startedAt: string;
  readonly duration: string;
  readonly start: string;
  readonly selfTime: string;
  readonly service: string;
  readonly kind: string;
  readonly status: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly traceId: string;
  readonly attributes: string;
  readonly resourceAttributes: string;
  readonly scope: string;
  readonly events: string;
  readonly links: string;
  readonly none: string;
  readonly selectSpanHint: string;
  readonly missingParent: string;
  readonly traceOf: string;
  readonly flameLabel: string;
  readonly timelineLabel: string;
  readonly minimapLabel: string;
  readonly keyboardHelp: string;
  readonly notATrace: string;
  readonly retry: string;
  readonly warnings: string;
  /** `{0}`: seconds. */
  readonly noAnswer: string;
  readonly viewClosed: string;
  readonly timeline: string;
  readonly flame: string;
  readonly searchPlaceholder: string;
  /** `{0}` current match, `{1}` matches. */
  readonly matchOf: string;
  readonly noMatches: string;
  readonly nextMatch: string;
  readonly previousMatch: string;
  readonly allServices: string;
  readonly minDuration: string;
  readonly errorsOnly: string;
  readonly colorBy: string;
  readonly colorService: string;
  readonly colorDuration: string;
  readonly colorErrors: string;
  readonly criticalPath: string;
  readonly nextError: string;
  readonly previousError: string;
  readonly expandAll: string;
  readonly collapseAll: string;
  readonly spanName: string;
  readonly error: string;
  /** `{0}` count of spans a merged mark stands for. */
  readonly spansHere: string;
  readonly zoomToSee: string;
  readonly openSource: string;
  readonly openLinkedTrace: string;
  readonly copy: string;
  readonly copied: string;
  readonly partialTrace: string;
  readonly onCriticalPath: string;
  readonly sourceFromSpan: string;
  readonly sourceFromEvent: string;
  readonly sourceFromStack: string;
  readonly logs: string;
  readonly logsSearch: string;
  readonly logsOnlySpan: string;
  readonly logsWrap: string;
  readonly logsPretty: string;
  /** `{0}` lines (exactly one: logsCountOne). */
  readonly logsCount: string;
  readonly logsCountOne: string;
  /** `{0}` shown of `{1}`. */
  readonly logsShown: string;
  /** The first `{0}` matches (the host stopped counting) of `{1}` lines. */
  readonly logsShownFirst: string;
  readonly lookUp: string;
  readonly openAsLogs: string;
  /** `{0}` lines so far, `{1}` percent of the file read. */
  readonly logsReading: string;
  readonly metrics: string;
  readonly metricsShort: string;
  readonly noData: string;
  /** `{0}` value, `{1}` time, `{2}` trace id. */
  readonly exemplarAt: string;
}

/** Bits of TraceData.flags. */
export const FLAG_ERROR = 1;
/** The span names a parent that is not in the trace (see SpanTree.missingParent). */
export const FLAG_MISSING_PARENT = 2;
/** The span or one of its events names source code (code.* attributes or a stack trace). */
export const FLAG_SOURCE = 4;

/**
 * One trace laid out for drawing, as parallel typed-array columns indexed by box (see
 * core/flame/layout). Boxes are in depth-first order, so a box's parent comes before it and its
 * subtree follows it; views derive depth and subtree ends from `parent` in one pass. The arrays
 * cross from the worker and to the webview as buffers, never as one JSON number per span.
 */
export interface TraceData {
  readonly traceId: string;
  /** Unix ms of the earliest span start, for the axis title. */
  readonly startUnixMs: number;
  /** Unix ns of the earliest span start, exact, as a decimal string. */
  readonly traceStartNs: string;
  readonly durationNs: number;
  readonly count: number;
  readonly rowCount: number;
  readonly maxDepth: number;
  readonly errorCount: number;
  /** The box of the trace's root span; -1 when empty. */
  readonly rootBox: number;
  /** String tables; boxes refer to them by index. */
  readonly services: readonly string[];
  /**
   * The colour slot of each service (see core/model/serviceSlots), set by the extension so a
   * service has one colour in every panel; without it the view picks slots from the names.
   */
  readonly serviceSlots?: readonly number[];
  readonly names: readonly string[];
  /** ns offsets from the trace start. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Flame row. */
  readonly row: Uint32Array;
  /** Parent box, -1 for roots. */
  readonly parent: Int32Array;
  /** Tree depth (roots are 0) and one past the last box of b's subtree (boxes are depth-first). */
  readonly depth: Uint32Array;
  readonly subtreeEnd: Uint32Array;
  readonly service: Uint32Array;
  readonly name: Uint32Array;
  readonly flags: Uint8Array;
  /** Status messages of failed spans, by index + 1 into `statusMessages` (0: none), for hovers. */
  readonly statusMessage: Uint32Array;
  readonly statusMessages: readonly string[];
  /** Boxes of flame row r are rowBoxes[rowStart[r] .. rowStart[r + 1]), by start. */
  readonly rowStart: Uint32Array;
  readonly rowBoxes: Uint32Array;
  /** Set while the columns travel in messages of their own (see protocol/traceColumns). */
  readonly detached?: number;
}

/** One line in the list of traces a source holds. */
export interface TraceChoice {
  readonly traceId: string;
  readonly label: string;
}

export interface KeyValueText {
  readonly key: string;
  /** The value already rendered to text (JSON for structured values). */
  readonly value: string;
}

/** Everything the details pane shows for one span. */
export interface SpanDetails {
  readonly box: number;
  readonly name: string;
  readonly service: string;
  readonly kind: string;
  readonly status: string;
  readonly statusMessage?: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly parentMissing: boolean;
  readonly traceId: string;
  readonly startOffsetNs: number;
  readonly durationNs: number;
  readonly selfNs: number;
  readonly attributes: readonly KeyValueText[];
  readonly resourceAttributes: readonly KeyValueText[];
  readonly scope: string;
  readonly events: ReadonlyArray<{ readonly offsetNs: number; readonly name: string; readonly attributes: readonly KeyValueText[] }>;
  readonly links: ReadonlyArray<{ readonly traceId: string; readonly spanId: string; readonly attributes: readonly KeyValueText[] }>;
  /** Code the span names, in the order they are offered (openSource's `location` indexes this). */
  readonly locations: readonly CodeLocation[];
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'unknown';

/** One log line as the log list shows it; the host holds the full entry and answers by index. */
export interface LogRow {
  /** The absolute time, exact (ISO with nanoseconds). */
  readonly timeText: string;
  /** ns from the shown trace's start (NaN when no trace is shown). */
  readonly offsetNs: number;
  readonly level: LogLevel;
  /** The message (a JSONL record's `message`), else the line. */
  readonly message: string;
  /** The line as it was logged. */
  readonly line: string;
  /** The box of the shown trace the line is tied to, -1 when none. */
  readonly box: number;
  readonly service: string;
  readonly hasSource: boolean;
}

/** How one part of a lookup (trace, logs, metrics) stands, as the header shows it. */
export interface PartState {
  readonly state: 'searching' | 'found' | 'empty' | 'error';
  /** Localized: "12 lines", "nothing found in the last 24 h", the server's error. */
  readonly text: string;
}

/** One key metric around a lookup's trace: the Metrics view's panel shape, with its exemplars. */
export interface LookupPanel {
  readonly info: PanelInfo;
  readonly series: readonly SeriesData[];
  readonly exemplars?: ExemplarData;
  /** Prometheus' message when this query failed. */
  readonly error?: string;
}

export type ColorMode = 'service' | 'duration' | 'errors';
export type TraceViewKind = 'timeline' | 'flame';

/** What a failed load offers the user besides reading the message. */
export type ErrorAction = 'retry' | 'openAsLogs';

// ---- host → webview ----------------------------------------------------------------------

/** Answer to `ready`: strings plus what to show (a trace, or an error). */
export interface LoadMessage {
  readonly type: 'load';
  readonly strings: WebviewStrings;
  /** The source, signed by the host, kept in webview state so the panel can be revived. */
  readonly source: string;
  readonly title: string;
  readonly choices: readonly TraceChoice[];
  readonly selected: number;
  readonly trace: TraceData | null;
  /** The first warnings only; `warningCount` says how many there were. */
  readonly warnings: readonly string[];
  readonly warningCount: number;
  /** Shown above the views when the source holds only part of the trace. */
  readonly banner: string | null;
  /** Set when the source could not be shown; the view shows it instead of a graph. */
  readonly error: string | null;
  /** The heading above `error` (not a trace, unreadable, cancelled, not found…). */
  readonly errorTitle: string | null;
  readonly errorActions: readonly ErrorAction[];
  /** Spanlens's settings for the view. */
  readonly defaults: { readonly view: TraceViewKind; readonly colorMode: ColorMode };
  /** Set for a log file (no trace): its lines are fetched a page at a time (`logRange`). */
  readonly logFile?: LogFileState;
}

/** How far a log file has been read: lines indexed so far, of a file of `size` bytes. */
export interface LogFileState {
  readonly lines: number;
  readonly bytes: number;
  readonly size: number;
  readonly done: boolean;
  /** Why reading stopped early, if it did. */
  readonly error?: string;
}

/** A log file has more lines indexed (it is read in the background). */
export interface LogFileProgressMessage {
  readonly type: 'logFileProgress';
  readonly state: LogFileState;
}

/** A different trace of the same source, after `selectTrace`. */
export interface TraceMessage {
  readonly type: 'trace';
  readonly selected: number;
  readonly trace: TraceData;
}

/** Select a span from outside the view (e.g. a log line tied to it). */
export interface RevealMessage {
  readonly type: 'reveal';
  readonly box: number;
}

/** The log lines of a lookup or a log file, and how that part stands. */
export interface LogsMessage {
  readonly type: 'logs';
  readonly rows: readonly LogRow[];
  readonly state: PartState;
}

/** The metrics around the trace: one sparkline per key query over the window, the trace's span shaded. */
export interface SeriesMessage {
  readonly type: 'series';
  readonly panels: readonly LookupPanel[];
  /** The queried range, Unix ms (the trace's span ± 5 minutes). */
  readonly window: { readonly startMs: number; readonly endMs: number };
  /** The trace's time span, Unix ms, shaded on each sparkline; null without a trace. */
  readonly traceWindow: { readonly startMs: number; readonly endMs: number } | null;
  readonly state: PartState;
}

/** A lookup's header: what was looked up, the traces found for it, and each part's state. */
export interface LookupMessage {
  readonly type: 'lookup';
  readonly id: string;
  /** Localized kind: trace id, span id, request id … */
  readonly kind: string;
  readonly parts: { readonly trace: PartState; readonly logs: PartState; readonly metrics: PartState };
}

export type ToWebview = LoadMessage | TraceMessage | TraceColumnsMessage | RevealMessage | LogsMessage | SeriesMessage | LookupMessage | LogFileProgressMessage | RpcResponse;

// ---- webview → host ----------------------------------------------------------------------

/** The webview is up and listening; the host answers with `load`. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Show another trace of the same source. */
export interface SelectTraceMessage {
  readonly type: 'selectTrace';
  readonly index: number;
}

/** Read the source again (after an error). */
export interface ReloadMessage {
  readonly type: 'reload';
}

/** The user chose an action of a failed load. */
export interface ErrorActionMessage {
  readonly type: 'errorAction';
  readonly action: ErrorAction;
}

/** Requests; `trace` always names the trace the box belongs to, so an answer can never describe a box of a trace selected since. */
export type TraceMethods = {
  spanDetails: { params: { readonly trace: number; readonly box: number }; result: SpanDetails };
  /** Boxes whose name, service or an attribute value contains the text (case-insensitive), in box order. */
  search: { params: { readonly trace: number; readonly text: string }; result: { readonly boxes: Uint32Array } };
  /** The critical path, as segments in time order: the box and the stretch of it on the path. */
  criticalPath: { params: { readonly trace: number }; result: { readonly boxes: Uint32Array; readonly start: Float64Array; readonly end: Float64Array } };
  /** Open the code a span names: `location` indexes SpanDetails.locations; absent = the best one. */
  openSource: { params: { readonly trace: number; readonly box: number; readonly location?: number }; result: { readonly opened: boolean } };
  /** Open a linked trace (a span link) by its id. */
  openTrace: { params: { readonly traceId: string }; result: null };
  copy: { params: { readonly text: string }; result: null };
  /** Open the code a log line names (`index` into the rows of the last `logs` message). */
  openLogSource: { params: { readonly index: number }; result: { readonly opened: boolean } };
  /** Look up an id found in a log line (a request id, a trace id). */
  lookUp: { params: { readonly id: string }; result: null };
  /** A log file's lines [from, to), as rows. */
  logRange: { params: { readonly from: number; readonly to: number }; result: readonly LogRow[] };
  /** A log file's lines that contain the text (case-insensitive), by index. */
  logSearch: { params: { readonly text: string }; result: { readonly lines: Int32Array; readonly complete: boolean } };
};

export type TraceRequest = RpcRequest<TraceMethods>;

export type FromWebview = ReadyMessage | SelectTraceMessage | ReloadMessage | ErrorActionMessage | TraceRequest;

/** Bounds the host knows: boxes of the shown trace, traces of the source. */
export interface TraceLimits {
  readonly boxes: number;
  readonly traces: number;
  /** Log rows the host sent (0 when none). */
  readonly logs?: number;
}

/** Most log lines one `logRange` may ask for. */
export const MAX_LOG_PAGE = 2000;

/** Longest text the view may send: a search, or a value to copy (attribute values can be long). */
export const MAX_TEXT = 1_000_000;

function traceChecks(limits: TraceLimits): RpcChecks<TraceMethods> {
  const traceBox = (p: Record<string, unknown>) =>
    isInt(p.trace, limits.traces - 1) && isInt(p.box, limits.boxes - 1) ? { trace: p.trace, box: p.box } : null;
  return {
    spanDetails: traceBox,
    search: (p) => (isInt(p.trace, limits.traces - 1) && isText(p.text, 1000) ? { trace: p.trace, text: p.text } : null),
    criticalPath: (p) => (isInt(p.trace, limits.traces - 1) ? { trace: p.trace } : null),
    openSource: (p) => {
      const tb = traceBox(p);
      if (!tb) return null;
      if (p.location === undefined) return tb;
      return isInt(p.location, 10_000) ? { ...tb, location: p.location } : null;
    },
    openTrace: (p) => (typeof p.traceId === 'string' && /^[0-9a-f]{32}$/.test(p.traceId) ? { traceId: p.traceId } : null),
    copy: (p) => (isText(p.text, MAX_TEXT) ? { text: p.text } : null),
    openLogSource: (p) => (isInt(p.index, (limits.logs ?? 0) - 1) ? { index: p.index } : null),
    lookUp: (p) => (isText(p.id, 200) && p.id.trim() !== '' ? { id: p.id.trim() } : null),
    logRange: (p) => (isInt(p.from, Number.MAX_SAFE_INTEGER) && isInt(p.to, Number.MAX_SAFE_INTEGER) && p.to >= p.from && p.to - p.from <= MAX_LOG_PAGE ? { from: p.from, to: p.to } : null),
    logSearch: (p) => (isText(p.text, 1000) ? { text: p.text } : null),
  };
}

/**
 * The host's gate for untrusted webview messages: right type, right shape, indices within
 * bounds. Returns null for anything else; for a refused request, its id so it can be answered.
 */
export function parseFromWebview(raw: unknown, limits: TraceLimits): { message: FromWebview } | { message: null; refusedId?: number } {
  if (typeof raw !== 'object' || raw === null) return { message: null };
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { message: { type: 'ready' } };
    case 'reload':
      return { message: { type: 'reload' } };
    case 'selectTrace':
      return isInt(m.index, limits.traces - 1) ? { message: { type: 'selectTrace', index: m.index } } : { message: null };
    case 'errorAction':
      return m.action === 'retry' || m.action === 'openAsLogs' ? { message: { type: 'errorAction', action: m.action } } : { message: null };
    case 'request': {
      const r = parseRpcRequest(raw, traceChecks(limits));
      return r.ok ? { message: r.request } : { message: null, ...(r.id !== undefined ? { refusedId: r.id } : {}) };
    }
    default:
      return { message: null };
  }
}
