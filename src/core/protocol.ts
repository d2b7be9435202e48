/**
 * Every message between the extension host and the trace webview: one union per direction,
 * discriminated on `type`. Both sides import this file; nothing else crosses.
 *
 * Requests (webview → host) carry an `id`; the host always answers with a `response` for that
 * id (result or error), and the webview times out requests the host never answers.
 */

/** Localized UI text, produced by the host with vscode.l10n (the webview cannot localize). */
export interface WebviewStrings {
  readonly resetZoom: string;
  /** `{0}` spans, `{1}` services, `{2}` errors, `{3}` duration, `{4}` start time. */
  readonly statsLine: string;
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
  readonly keyboardHelp: string;
  readonly notATrace: string;
  readonly retry: string;
  readonly warnings: string;
  /** `{0}`: seconds. */
  readonly noAnswer: string;
  readonly viewClosed: string;
}

/** Bits of FlameData.flags. */
export const FLAG_ERROR = 1;
/** The span names a parent that is not in the trace. */
export const FLAG_MISSING_PARENT = 2;

/** One trace laid out for drawing, as parallel columns indexed by box (see core/flame/layout). */
export interface FlameData {
  readonly traceId: string;
  /** Unix ms of the earliest span start, for the axis title. */
  readonly startUnixMs: number;
  readonly durationNs: number;
  readonly count: number;
  readonly rowCount: number;
  readonly maxDepth: number;
  readonly errorCount: number;
  /** String tables; boxes refer to them by index. */
  readonly services: readonly string[];
  readonly names: readonly string[];
  /** ns offsets from the trace start. */
  readonly start: readonly number[];
  readonly end: readonly number[];
  readonly row: readonly number[];
  readonly parent: readonly number[];
  readonly service: readonly number[];
  readonly name: readonly number[];
  readonly flags: readonly number[];
}

/** One line in the list of traces a file holds. */
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
}

// ---- host → webview ----------------------------------------------------------------------

/** Answer to `ready`: strings plus what to show (a trace, or an error). */
export interface LoadMessage {
  readonly type: 'load';
  readonly strings: WebviewStrings;
  /** The file's URI, kept in webview state so the panel can be revived after a reload. */
  readonly source: string;
  readonly title: string;
  readonly choices: readonly TraceChoice[];
  readonly selected: number;
  readonly trace: FlameData | null;
  /** The first warnings only; `warningCount` says how many there were. */
  readonly warnings: readonly string[];
  readonly warningCount: number;
  /** Set when the file could not be shown; the view shows it instead of a graph. */
  readonly error: string | null;
  /** The heading above `error` (not a trace, unreadable, cancelled). */
  readonly errorTitle: string | null;
}

/** A different trace of the same file, after `selectTrace`. */
export interface TraceMessage {
  readonly type: 'trace';
  readonly selected: number;
  readonly trace: FlameData;
}

/** The answer to one request. */
export type ResponseMessage =
  | { readonly type: 'response'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'response'; readonly id: number; readonly ok: false; readonly error: string };

export type ToWebview = LoadMessage | TraceMessage | ResponseMessage;

// ---- webview → host ----------------------------------------------------------------------

/** The webview is up and listening; the host answers with `load`. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Show another trace of the same file. */
export interface SelectTraceMessage {
  readonly type: 'selectTrace';
  readonly index: number;
}

/** Read the file again (after an error, or when it changed). */
export interface ReloadMessage {
  readonly type: 'reload';
}

/**
 * Request: details of one box of a trace; answered with SpanDetails. `trace` names the trace the
 * box belongs to, so an answer can never describe a box of a trace selected since.
 */
export interface SpanDetailsRequest {
  readonly type: 'spanDetails';
  readonly id: number;
  readonly trace: number;
  readonly box: number;
}

export type FromWebview = ReadyMessage | SelectTraceMessage | ReloadMessage | SpanDetailsRequest;

const isInt = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

/**
 * The host's gate for untrusted webview messages: right type, right shape, indices within
 * bounds (`limit` = the number of boxes or traces the host holds). Returns null for anything else.
 */
export function parseFromWebview(raw: unknown, limits: { boxes: number; traces: number }): FromWebview | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reload':
      return { type: 'reload' };
    case 'selectTrace':
      return isInt(m.index, limits.traces - 1) ? { type: 'selectTrace', index: m.index } : null;
    case 'spanDetails':
      return isInt(m.id, Number.MAX_SAFE_INTEGER) && isInt(m.trace, limits.traces - 1) && isInt(m.box, limits.boxes - 1)
        ? { type: 'spanDetails', id: m.id, trace: m.trace, box: m.box }
        : null;
    default:
      return null;
  }
}
