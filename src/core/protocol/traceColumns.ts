/**
 * The typed-array columns of a TraceData, and how a large trace crosses to the webview: each
 * column in a message of its own, ahead of the message that carries the rest. VS Code copies a
 * webview message's buffers into one IPC buffer inside postMessage, on the extension host's
 * thread, so one message of every column (49 MB at 1M spans) is one long stall. Posted a column
 * at a time, with the thread let go between posts (posting them in one loop would be the same
 * stall again), each stall is one column's copy. Messages keep their order, so the view has every
 * column when the rest arrives.
 */
import type { TraceData } from './trace';

export const TRACE_COLUMNS = ['start', 'end', 'row', 'parent', 'depth', 'subtreeEnd', 'service', 'name', 'flags', 'statusMessage', 'rowStart', 'rowBoxes'] as const;
export type TraceColumn = (typeof TRACE_COLUMNS)[number];
export type TraceColumns = Pick<TraceData, TraceColumn>;

/** Below this many bytes of columns a trace goes in one message: a copy that short is no stall. */
export const DETACH_ABOVE_BYTES = 4 << 20;

/** Columns of the trace message with the same token, which follows. */
export interface TraceColumnsMessage {
  readonly type: 'traceColumns';
  readonly token: number;
  readonly columns: Partial<TraceColumns>;
}

/** The buffers of `d`, for a postMessage transfer list. */
export function traceDataBuffers(d: TraceData): ArrayBuffer[] {
  return TRACE_COLUMNS.map((c) => d[c].buffer as ArrayBuffer);
}

export function columnBytes(d: TraceData): number {
  let n = 0;
  for (const c of TRACE_COLUMNS) n += d[c].byteLength;
  return n;
}

/**
 * The messages to post before the one carrying `trace`, and the trace to put in it: unchanged when
 * small, else without its columns and marked with `token` (unique among this view's messages).
 */
export function detachColumns(trace: TraceData, token: number, aboveBytes = DETACH_ABOVE_BYTES): { readonly before: TraceColumnsMessage[]; readonly trace: TraceData } {
  if (columnBytes(trace) <= aboveBytes) return { before: [], trace };
  const rest: Record<string, unknown> = { ...trace, detached: token };
  const before = TRACE_COLUMNS.map((c): TraceColumnsMessage => {
    delete rest[c];
    return { type: 'traceColumns', token, columns: { [c]: trace[c] } };
  });
  return { before, trace: rest as unknown as TraceData };
}

/**
 * Posts a message that carries a trace as the host must (see above): a large trace's columns
 * first, one message each, letting the thread go after each, then the rest. Resolves once all
 * are posted; callers post one trace at a time, so two traces' columns never interleave.
 */
export async function postInColumns<M extends { readonly trace: TraceData | null }>(
  message: M,
  token: number,
  post: (m: TraceColumnsMessage | M) => void,
  aboveBytes = DETACH_ABOVE_BYTES,
): Promise<void> {
  if (!message.trace) return post(message);
  const { before, trace } = detachColumns(message.trace, token, aboveBytes);
  for (const m of before) {
    post(m);
    await new Promise<void>((r) => setTimeout(r, 0));
  }
  post({ ...message, trace });
}

/** The view's side: keeps columns as they arrive and puts them back into their trace. */
export class ColumnStash {
  private readonly parts = new Map<number, Partial<Record<TraceColumn, unknown>>>();

  add(m: TraceColumnsMessage): void {
    this.parts.set(m.token, { ...this.parts.get(m.token), ...m.columns });
  }

  /** `trace` whole again; throws when a column it was sent without never came. */
  attach(trace: TraceData): TraceData {
    const token = trace.detached;
    if (token === undefined) return trace;
    const cols = this.parts.get(token) ?? {};
    this.parts.delete(token);
    // Any older token is a trace superseded before its message came: nothing will claim it.
    for (const t of this.parts.keys()) if (t < token) this.parts.delete(t);
    for (const c of TRACE_COLUMNS) if (!cols[c]) throw new Error(`column ${c} of trace message ${token} never arrived`);
    const whole: Record<string, unknown> = { ...trace, ...cols };
    delete whole.detached;
    return whole as unknown as TraceData;
  }
}
