import type { Trace } from '../model/trace';

/**
 * Boxes of a time-ordered icicle, one per span, in columns (typed arrays) so that 100k spans
 * lay out in a few tens of milliseconds and cross to the webview compactly.
 *
 * Rows: a span sits below its parent (row > parent's row); concurrent siblings that would
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
  /** Box i shows trace.spans[spanIndex[i]]. Boxes are in depth-first order, children by start. */
  readonly spanIndex: Uint32Array;
  /** ns offsets from traceStart (exact below 2^53 ns, i.e. 104 days). */
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly row: Uint32Array;
  readonly depth: Uint32Array;
  /** Box index of the parent, -1 for roots (spans whose parent is not in the trace). */
  readonly parent: Int32Array;
  /** Box indices of the roots, by start. */
  readonly roots: readonly number[];
}

/** Per-row occupancy: intervals sorted by start and non-overlapping, so ends are sorted too. */
class RowOccupancy {
  private readonly starts: number[][] = [];
  private readonly ends: number[][] = [];

  /** First row >= minRow where [s, e) fits, then marks it taken. */
  place(minRow: number, s: number, e: number): number {
    for (let r = minRow; ; r++) {
      if (r === this.starts.length) {
        this.starts.push([s]);
        this.ends.push([e]);
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
      return r;
    }
  }

  get count(): number {
    return this.starts.length;
  }
}

export function layoutTrace(trace: Trace): FlameLayout {
  const spans = trace.spans;
  const n = spans.length;
  if (n === 0) {
    const empty = new Uint32Array(0);
    return {
      traceStart: 0n, durationNs: 0, count: 0, rowCount: 0, maxDepth: 0,
      spanIndex: empty, start: new Float64Array(0), end: new Float64Array(0),
      row: empty, depth: empty, parent: new Int32Array(0), roots: [],
    };
  }

  let min = spans[0]!.start;
  let max = spans[0]!.end;
  for (let i = 1; i < n; i++) {
    const s = spans[i]!;
    if (s.start < min) min = s.start;
    if (s.end > max) max = s.end;
  }
  const relStart = new Float64Array(n);
  const relEnd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    relStart[i] = Number(s.start - min);
    relEnd[i] = Number(s.end - min);
  }

  // First span with a given id wins; a duplicate id is still drawn, under its own parent.
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = spans[i]!.spanId;
    if (!byId.has(id)) byId.set(id, i);
  }
  const childHead = new Int32Array(n).fill(-1);
  const childCount = new Uint32Array(n);
  const parentOf = new Int32Array(n).fill(-1);
  const rootList: number[] = [];
  for (let i = 0; i < n; i++) {
    const pid = spans[i]!.parentSpanId;
    const p = pid === undefined ? undefined : byId.get(pid);
    if (p === undefined || p === i) rootList.push(i);
    else {
      parentOf[i] = p;
      childCount[p]!++;
    }
  }
  // Children in one flat array, grouped by parent (counting sort), then each group by start.
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + childCount[i]!;
  const fill = offsets.slice(0, n);
  const children = new Uint32Array(offsets[n]!);
  for (let i = 0; i < n; i++) {
    const p = parentOf[i]!;
    if (p >= 0) children[fill[p]!++] = i;
  }
  const byStart = (a: number, b: number) => relStart[a]! - relStart[b]! || relEnd[b]! - relEnd[a]! || a - b;
  for (let i = 0; i < n; i++) {
    const c = childCount[i]!;
    if (c > 1) children.subarray(offsets[i]!, offsets[i + 1]!).sort(byStart);
    childHead[i] = c > 0 ? offsets[i]! : -1;
  }
  rootList.sort(byStart);

  const spanIndex = new Uint32Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const row = new Uint32Array(n);
  const depth = new Uint32Array(n);
  const parent = new Int32Array(n);
  const boxOf = new Int32Array(n).fill(-1);
  const rows = new RowOccupancy();
  const roots: number[] = [];
  let next = 0;
  let maxDepth = 0;

  // Iterative depth-first walk: real traces can nest thousands deep.
  const stack: number[] = [];
  const visit = (rootSpan: number) => {
    stack.push(rootSpan);
    while (stack.length) {
      const si = stack.pop()!;
      if (boxOf[si] !== -1) continue; // a cycle in hostile input
      const b = next++;
      boxOf[si] = b;
      const pb = parentOf[si]! >= 0 ? boxOf[parentOf[si]!]! : -1;
      const d = pb >= 0 ? depth[pb]! + 1 : 0;
      spanIndex[b] = si;
      start[b] = relStart[si]!;
      end[b] = relEnd[si]!;
      depth[b] = d;
      parent[b] = pb;
      row[b] = rows.place(pb >= 0 ? row[pb]! + 1 : 0, relStart[si]!, Math.max(relEnd[si]!, relStart[si]! + 1));
      if (d > maxDepth) maxDepth = d;
      if (pb < 0) roots.push(b);
      const h = childHead[si]!;
      if (h >= 0) for (let k = offsets[si + 1]! - 1; k >= h; k--) stack.push(children[k]!);
    }
  };
  for (const r of rootList) visit(r);
  // Spans caught in a parent cycle are reachable from no root: draw them as roots.
  for (let i = 0; i < n; i++) {
    if (boxOf[i] === -1) {
      parentOf[i] = -1;
      visit(i);
    }
  }

  return {
    traceStart: min,
    durationNs: Number(max - min),
    count: n,
    rowCount: rows.count,
    maxDepth,
    spanIndex, start, end, row, depth, parent, roots,
  };
}
