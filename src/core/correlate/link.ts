/**
 * Log lines ↔ spans, and one list out of several queries' answers.
 *
 * A line is tied to a span by its `span_id` (structured metadata, or the JSON record's field)
 * within its own trace; else, when it names a trace that is here, by time: the deepest span of
 * that trace whose [start, end] holds the line's timestamp (bounds inclusive; among equally deep
 * spans the one that started last, then the first in the trace). A line that names no trace
 * here stays unlinked: a span id alone is trusted only when the line names no trace at all.
 *
 * Time linking is one sweep per trace over its spans by start and its lines by time, keeping
 * the spans open at each line in a heap ordered by depth, so 100k lines and 10k spans cost
 * O((lines + spans) log spans), not lines × spans.
 */
import type { Labels, LogEntry, LogLine } from '../model/logs';
import type { SpanTree } from '../model/spanTree';
import type { Trace } from '../model/trace';

/** What linking needs of one trace: its span ids and their times, in the trace's span order. */
export interface LinkSpans {
  readonly traceId: string;
  readonly spanIds: readonly string[];
  /** ns after `baseNs`. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly depth: Int32Array;
  readonly baseNs: bigint;
}

export function linkSpansOf(trace: Trace, tree: SpanTree): LinkSpans {
  return { traceId: trace.traceId, spanIds: trace.spans.map((s) => s.spanId), start: tree.start, end: tree.end, depth: tree.depth, baseNs: tree.traceStart };
}

export const LINK_NONE = 0;
export const LINK_SPAN_ID = 1;
export const LINK_TIME = 2;

export interface LogLinks {
  /** Per entry: index of its trace in the list given, -1 when unlinked. */
  readonly trace: Int32Array;
  /** Per entry: index of its span in that trace's spans, -1 when unlinked. */
  readonly span: Int32Array;
  /** Per entry: LINK_NONE, LINK_SPAN_ID or LINK_TIME. */
  readonly how: Uint8Array;
}

type Linkable = Pick<LogEntry, 'traceId' | 'spanId' | 'timestampNs'>;

export function linkLogs(traces: readonly LinkSpans[], entries: readonly Linkable[]): LogLinks {
  const n = entries.length;
  const trace = new Int32Array(n).fill(-1);
  const span = new Int32Array(n).fill(-1);
  const how = new Uint8Array(n);
  const traceIndex = new Map<string, number>();
  traces.forEach((t, i) => {
    if (!traceIndex.has(t.traceId)) traceIndex.set(t.traceId, i);
  });
  // Per trace: span id → first span with it. Across traces, for lines without a trace id.
  const perTrace: Map<string, number>[] = traces.map((t) => {
    const m = new Map<string, number>();
    for (let s = 0; s < t.spanIds.length; s++) if (!m.has(t.spanIds[s]!)) m.set(t.spanIds[s]!, s);
    return m;
  });
  let anyTrace: Map<string, [number, number]> | undefined;
  const byTime: number[][] = traces.map(() => []);

  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    const t = e.traceId === undefined ? undefined : traceIndex.get(e.traceId);
    if (e.traceId !== undefined && t === undefined) continue;
    if (e.spanId !== undefined) {
      if (t !== undefined) {
        const s = perTrace[t]!.get(e.spanId);
        if (s !== undefined) {
          trace[i] = t;
          span[i] = s;
          how[i] = LINK_SPAN_ID;
          continue;
        }
      } else {
        if (!anyTrace) {
          anyTrace = new Map();
          perTrace.forEach((m, ti) => m.forEach((s, id) => !anyTrace!.has(id) && anyTrace!.set(id, [ti, s])));
        }
        const hit = anyTrace.get(e.spanId);
        if (hit) {
          trace[i] = hit[0];
          span[i] = hit[1];
          how[i] = LINK_SPAN_ID;
        }
        continue;
      }
    }
    if (t !== undefined) byTime[t]!.push(i);
  }

  for (let t = 0; t < traces.length; t++) {
    const lines = byTime[t]!;
    if (lines.length) linkByTime(traces[t]!, t, lines, entries, trace, span, how);
  }
  return { trace, span, how };
}

function linkByTime(spans: LinkSpans, t: number, lines: number[], entries: readonly Linkable[], trace: Int32Array, span: Int32Array, how: Uint8Array): void {
  const count = spans.spanIds.length;
  if (!count) return;
  const { start, end, depth } = spans;
  const order = new Uint32Array(count);
  for (let s = 0; s < count; s++) order[s] = s;
  order.sort((a, b) => start[a]! - start[b]! || a - b);
  const at = new Float64Array(lines.length);
  let sorted = true;
  for (let k = 0; k < lines.length; k++) {
    at[k] = Number(entries[lines[k]!]!.timestampNs - spans.baseNs);
    if (k > 0 && at[k]! < at[k - 1]!) sorted = false;
  }
  const byAt = new Uint32Array(lines.length);
  for (let k = 0; k < lines.length; k++) byAt[k] = k;
  // Lines usually come oldest first (a merged Loki answer, a log file): then there is nothing to sort.
  if (!sorted) byAt.sort((a, b) => at[a]! - at[b]! || a - b);

  // Max-heap of open spans: deeper first, then later start, then earlier in the trace.
  const heap = new Int32Array(count);
  let size = 0;
  const above = (a: number, b: number): boolean => depth[a]! > depth[b]! || (depth[a] === depth[b] && (start[a]! > start[b]! || (start[a] === start[b] && a < b)));
  const push = (s: number): void => {
    let i = size++;
    heap[i] = s;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!above(heap[i]!, heap[p]!)) break;
      const x = heap[p]!;
      heap[p] = heap[i]!;
      heap[i] = x;
      i = p;
    }
  };
  const pop = (): void => {
    heap[0] = heap[--size]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < size && above(heap[l]!, heap[best]!)) best = l;
      if (r < size && above(heap[r]!, heap[best]!)) best = r;
      if (best === i) return;
      const x = heap[best]!;
      heap[best] = heap[i]!;
      heap[i] = x;
      i = best;
    }
  };

  let next = 0;
  for (let k = 0; k < byAt.length; k++) {
    const line = byAt[k]!;
    const ts = at[line]!;
    while (next < count && start[order[next]!]! <= ts) push(order[next++]!);
    // Spans that ended before this line never hold a later one: drop them when they surface.
    while (size > 0 && end[heap[0]!]! < ts) pop();
    if (size > 0) {
      const i = lines[line]!;
      trace[i] = t;
      span[i] = heap[0]!;
      how[i] = LINK_TIME;
    }
  }
}

const labelKeys = new WeakMap<Labels, string>();

function labelsKey(l: Labels): string {
  let k = labelKeys.get(l);
  if (k === undefined) {
    k = Object.keys(l)
      .sort()
      .map((name) => `${name}\u0001${l[name]}`)
      .join('\u0002');
    labelKeys.set(l, k);
  }
  return k;
}

/** Stream + nanosecond + line: the same line, whichever query returned it. */
export function logIdentity(l: Pick<LogLine, 'timestampNs' | 'labels' | 'line'>): string {
  return `${l.timestampNs}\u0000${labelsKey(l.labels)}\u0000${l.line}`;
}

/**
 * The answers of several queries as one list, oldest first (ties keep arrival order), each line
 * once: a line returned again (by the trace-id and the request-id query, by both shapes'
 * selectors) is dropped, its structured metadata and parsed fields merged into the first copy.
 */
export function mergeLogs<T extends LogEntry>(...lists: ReadonlyArray<readonly T[]>): T[] {
  const seen = new Map<string, number>();
  const out: T[] = [];
  for (const list of lists) {
    for (const e of list) {
      const id = logIdentity(e);
      const at = seen.get(id);
      if (at === undefined) {
        seen.set(id, out.length);
        out.push(e);
        continue;
      }
      const kept = out[at]!;
      if (e.metadata !== kept.metadata || e.parsed !== kept.parsed) {
        out[at] = { ...kept, metadata: { ...e.metadata, ...kept.metadata }, parsed: { ...e.parsed, ...kept.parsed } };
      }
    }
  }
  const idx = out.map((_, i) => i);
  idx.sort((a, b) => (out[a]!.timestampNs < out[b]!.timestampNs ? -1 : out[a]!.timestampNs > out[b]!.timestampNs ? 1 : a - b));
  return idx.map((i) => out[i]!);
}
