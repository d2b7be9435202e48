import { FLAG_ERROR, type LogRow, type TraceData } from '../../src/core/protocol/trace';

/** Bits of TraceModel.mark. */
export const MARK_MATCH = 1;
export const MARK_CRITICAL = 2;
/** Passes the service / duration / errors-only filters. */
export const MARK_PASS = 4;

export interface Filters {
  /** Service indices to show; empty = all. */
  readonly services: ReadonlySet<number>;
  readonly minDurationNs: number;
  readonly errorsOnly: boolean;
}

export const NO_FILTERS: Filters = { services: new Set(), minDurationNs: 0, errorsOnly: false };

/**
 * One trace as every view of the page reads it: the host's columns plus what is derived from them
 * once (per-row prefix counts, the error list) and the marks of search, critical path and
 * filters. Prefix counts over each flame row let a merged mark of thousands of boxes ask "is any
 * of them an error / a match?" in constant time, so the level of detail never hides them.
 */
export class TraceModel {
  /** The host's tree columns (see TraceData), not derived again here. */
  readonly depth: Uint32Array;
  readonly subtreeEnd: Uint32Array;
  /** errorsBefore[k] = errors among rowBoxes[0..k). */
  readonly errorsBefore: Uint32Array;
  /** Per box: MARK_* bits. */
  readonly mark: Uint8Array;
  /** marksBefore[k] = boxes with any highlight bit among rowBoxes[0..k), for the current highlight. */
  private highlightBefore: Uint32Array;
  /** Which marks count as "highlighted" (search and/or critical path); 0 = no highlight active. */
  highlightBits = 0;
  filters: Filters = NO_FILTERS;
  /** Boxes of the search, in box order. */
  matches: Uint32Array = new Uint32Array(0);
  /** Critical path segments (box, start, end), in time order. */
  critical: { boxes: Uint32Array; start: Float64Array; end: Float64Array } | null = null;
  /** Boxes with errors, in box order (for next/previous error). */
  readonly errors: Uint32Array;
  /** Log lines tied to box b: logRow[logStart[b] .. logStart[b + 1]) (indices into the rows), by time. */
  logStart: Uint32Array = new Uint32Array(0);
  logRow: Uint32Array = new Uint32Array(0);
  /** ns offsets of those lines, parallel to logRow. */
  logTime: Float64Array = new Float64Array(0);

  constructor(readonly data: TraceData) {
    const n = data.count;
    this.depth = data.depth;
    this.subtreeEnd = data.subtreeEnd;
    this.errorsBefore = new Uint32Array(n + 1);
    for (let k = 0; k < n; k++) this.errorsBefore[k + 1] = this.errorsBefore[k]! + (data.flags[data.rowBoxes[k]!]! & FLAG_ERROR ? 1 : 0);
    const errors: number[] = [];
    for (let b = 0; b < n; b++) if (data.flags[b]! & FLAG_ERROR) errors.push(b);
    this.errors = Uint32Array.from(errors);
    this.mark = new Uint8Array(n).fill(MARK_PASS);
    this.highlightBefore = new Uint32Array(n + 1);
  }

  get count(): number {
    return this.data.count;
  }

  isError(b: number): boolean {
    return (this.data.flags[b]! & FLAG_ERROR) !== 0;
  }

  /** Errors among row positions [first, last]. */
  errorsIn(first: number, last: number): number {
    return this.errorsBefore[last + 1]! - this.errorsBefore[first]!;
  }

  /** Highlighted boxes among row positions [first, last]. */
  highlightedIn(first: number, last: number): number {
    return this.highlightBefore[last + 1]! - this.highlightBefore[first]!;
  }

  /** True when some highlight or filter is active, so boxes without it are drawn dimmed. */
  get dimming(): boolean {
    return this.highlightBits !== 0 || this.filtering;
  }

  get filtering(): boolean {
    const f = this.filters;
    return f.services.size > 0 || f.minDurationNs > 0 || f.errorsOnly;
  }

  /** Drawn at full strength: passes the filters and, when a highlight is on, has it. */
  isLit(b: number): boolean {
    const m = this.mark[b]!;
    return (m & MARK_PASS) !== 0 && (this.highlightBits === 0 || (m & this.highlightBits) !== 0);
  }

  /** Indexes the log lines by the box they are tied to, for markers and "the span's lines". */
  setLogs(rows: readonly LogRow[]): void {
    const n = this.data.count;
    const count = new Uint32Array(n + 1);
    for (const r of rows) if (r.box >= 0 && r.box < n) count[r.box + 1]!++;
    for (let b = 0; b < n; b++) count[b + 1]! += count[b]!;
    const fill = count.slice(0, n);
    const logRow = new Uint32Array(count[n]!);
    const logTime = new Float64Array(count[n]!);
    rows.forEach((r, i) => {
      if (r.box < 0 || r.box >= n) return;
      const k = fill[r.box]!++;
      logRow[k] = i;
      logTime[k] = r.offsetNs;
    });
    this.logStart = count;
    this.logRow = logRow;
    this.logTime = logTime;
  }

  logsOf(b: number): { from: number; to: number } {
    if (!this.logStart.length) return { from: 0, to: 0 };
    return { from: this.logStart[b]!, to: this.logStart[b + 1]! };
  }

  setMatches(boxes: Uint32Array): void {
    this.matches = boxes;
    this.clearBit(MARK_MATCH);
    for (const b of boxes) this.mark[b]! |= MARK_MATCH;
    this.refreshHighlight();
  }

  setCritical(c: TraceModel['critical']): void {
    this.critical = c;
    this.clearBit(MARK_CRITICAL);
    if (c) for (const b of c.boxes) this.mark[b]! |= MARK_CRITICAL;
    this.refreshHighlight();
  }

  setFilters(f: Filters): void {
    this.filters = f;
    const d = this.data;
    for (let b = 0; b < d.count; b++) {
      const pass =
        (f.services.size === 0 || f.services.has(d.service[b]!)) &&
        d.end[b]! - d.start[b]! >= f.minDurationNs &&
        (!f.errorsOnly || (d.flags[b]! & FLAG_ERROR) !== 0);
      this.mark[b] = pass ? this.mark[b]! | MARK_PASS : this.mark[b]! & ~MARK_PASS;
    }
    this.refreshHighlight();
  }

  private clearBit(bit: number): void {
    const m = this.mark;
    for (let b = 0; b < m.length; b++) m[b]! &= ~bit;
  }

  /** Recomputes which bits highlight and the per-row prefix of lit boxes. */
  private refreshHighlight(): void {
    this.highlightBits = (this.matches.length ? MARK_MATCH : 0) | (this.critical ? MARK_CRITICAL : 0);
    const d = this.data;
    const hb = this.highlightBefore;
    for (let k = 0; k < d.count; k++) hb[k + 1] = hb[k]! + (this.isLit(d.rowBoxes[k]!) ? 1 : 0);
  }

  /** Position of box b within its flame row's list, by binary search on start. */
  rowPosition(b: number): number {
    const d = this.data;
    const r = d.row[b]!;
    let lo = d.rowStart[r]!;
    let hi = d.rowStart[r + 1]!;
    const s = d.start[b]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (d.start[d.rowBoxes[mid]!]! < s) lo = mid + 1;
      else hi = mid;
    }
    // Equal starts (zero-length neighbours) are rare; walk to the box itself.
    while (lo < d.rowStart[r + 1]! && d.rowBoxes[lo] !== b) lo++;
    return lo;
  }
}
