import { buildSpanTree, type SpanTree } from '../model/spanTree';
import type { Trace } from '../model/trace';

/**
 * Boxes of a time-ordered icicle and of the timeline, one per span, in columns (typed arrays) so
 * that 1M spans lay out in well under a second and cross to the webview as transferred buffers.
 *
 * Box order is the span tree's depth-first order, so the timeline's rows are the boxes in order
 * and a box's subtree is the range [b, subtreeEnd[b]).
 *
 * Flame rows: a span sits below its parent (row > parent's row); concurrent siblings that would
 * overlap in time are pushed to the first free row below, so no two boxes of a row overlap.
 * A trace without concurrency therefore has row == depth.
 */
export interface FlameLayout {
  /** Earliest span start, unix ns. */
  readonly traceStart: bigint;
  /** Latest end minus earliest start, ns. */
  readonly durationNs: number;
  readonly count: number;
  readonly rowCount: number;
  /** Deepest tree depth (roots are 0). */
  readonly maxDepth: number;
  /** Box i shows trace.spans[spanIndex[i]]. */
  readonly spanIndex: Uint32Array;
  /** ns offsets from traceStart. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly row: Uint32Array;
  readonly depth: Uint32Array;
  /** Box index of the parent, -1 for roots. */
  readonly parent: Int32Array;
  /** One past the last box of b's subtree. */
  readonly subtreeEnd: Uint32Array;
  /** Box indices of the roots, by start. */
  readonly roots: readonly number[];
  /** The box of the trace's root span (SpanTree.root); -1 when empty. */
  readonly rootBox: number;
  /** Boxes of row r are rowBoxes[rowStart[r] .. rowStart[r + 1]), by start. */
  readonly rowStart: Uint32Array;
  readonly rowBoxes: Uint32Array;
  /** The tree the layout was made from. */
  readonly tree: SpanTree;
}

/** Per-row occupancy: intervals sorted by start and non-overlapping, so ends are sorted too. */
class RowOccupancy {
  private readonly starts: number[][] = [];
  private readonly ends: number[][] = [];
  /** The box of each interval, so each row's boxes come out sorted by start. */
  readonly boxes: number[][] = [];

  /** First row >= minRow where [s, e) fits, then marks it taken by `box`. */
  place(minRow: number, s: number, e: number, box: number): number {
    for (let r = minRow; ; r++) {
      if (r === this.starts.length) {
        this.starts.push([s]);
        this.ends.push([e]);
        this.boxes.push([box]);
        return r;
      }
      const starts = this.starts[r]!;
      const ends = this.ends[r]!;
      const n = starts.length;
      // Fast path: boxes mostly arrive in time order within a row.
      if (starts[n - 1]! <= s) {
        if (ends[n - 1]! <= s) {
          starts.push(s);
          ends.push(e);
          this.boxes[r]!.push(box);
          return r;
        }
        continue;
      }
      // Last interval starting before e; it is the only one that can overlap [s, e).
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! < e) lo = mid + 1;
        else hi = mid;
      }
      const idx = lo - 1;
      if (idx >= 0 && ends[idx]! > s) continue;
      // A zero-length box at s must not sit inside the next interval either.
      if (lo < n && starts[lo]! <= s) continue;
      starts.splice(lo, 0, s);
      ends.splice(lo, 0, e);
      this.boxes[r]!.splice(lo, 0, box);
      return r;
    }
  }

  get count(): number {
    return this.starts.length;
  }
}

export function layoutTrace(trace: Trace, tree: SpanTree = buildSpanTree(trace)): FlameLayout {
  const n = tree.count;
  const spanIndex = new Uint32Array(tree.preorder);
  const boxOf = new Int32Array(n);
  for (let b = 0; b < n; b++) boxOf[spanIndex[b]!] = b;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const row = new Uint32Array(n);
  const depth = new Uint32Array(n);
  const parent = new Int32Array(n);
  const subtreeEnd = new Uint32Array(n);
  const roots: number[] = [];
  const rows = new RowOccupancy();
  for (let b = 0; b < n; b++) {
    const si = spanIndex[b]!;
    const ps = tree.parent[si]!;
    const pb = ps >= 0 ? boxOf[ps]! : -1;
    const s = tree.start[si]!;
    const e = tree.end[si]!;
    start[b] = s;
    end[b] = e;
    depth[b] = tree.depth[si]!;
    parent[b] = pb;
    subtreeEnd[b] = b + tree.subtreeSize[si]!;
    // Zero-length boxes still take room, so they can be seen and pointed at.
    row[b] = rows.place(pb >= 0 ? row[pb]! + 1 : 0, s, Math.max(e, s + 1), b);
    if (pb < 0) roots.push(b);
  }
  const rowStart = new Uint32Array(rows.count + 1);
  const rowBoxes = new Uint32Array(n);
  let k = 0;
  rows.boxes.forEach((list, r) => {
    rowStart[r] = k;
    for (const b of list) rowBoxes[k++] = b;
  });
  rowStart[rows.count] = k;
  return {
    traceStart: tree.traceStart,
    durationNs: tree.durationNs,
    count: n,
    rowCount: rows.count,
    maxDepth: tree.maxDepth,
    spanIndex, start, end, row, depth, parent, subtreeEnd, roots,
    rootBox: tree.root >= 0 ? boxOf[tree.root]! : -1,
    rowStart, rowBoxes, tree,
  };
}
