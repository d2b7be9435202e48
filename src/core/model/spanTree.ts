/**
 * THE span tree of a trace: the one place that says what a root is, what a missing parent is and
 * in which order children come. The CLI, the flame and timeline layouts, the critical path and
 * the details pane all read it, so they can never disagree.
 *
 * Input is untrusted, so:
 * - a parent id that names no span of the trace, or the span itself, makes the span a root with a
 *   *missing parent* (kept, never dropped);
 * - with duplicate span ids, children attach to the first span carrying the id;
 * - spans on a parent cycle with no root above them cannot loop: the cycle is cut at its earliest
 *   span, which becomes a root with a missing parent (its parent link cannot be honoured).
 *
 * Children and roots are ordered by start, then longest first, then source order, which is the
 * order every view draws and walks them in. Everything is typed arrays so 1M spans index in a
 * few hundred milliseconds.
 */
import type { Trace } from './trace';

export interface SpanTree {
  readonly count: number;
  /** Position of the first span with each id. */
  readonly byId: ReadonlyMap<string, number>;
  /** Parent position per span, -1 for a root. */
  readonly parent: Int32Array;
  /** Children of span i are childList[childStart[i] .. childStart[i + 1]), by start. */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
  /** Spans with no usable parent, by start. */
  readonly roots: Int32Array;
  /** 1 where the span names a parent that is not in the trace (or itself, or closes a cycle). */
  readonly missingParent: Uint8Array;
  /** Roots 0. */
  readonly depth: Int32Array;
  readonly maxDepth: number;
  /** Spans in depth-first order (roots by start, each followed by its subtree). */
  readonly preorder: Int32Array;
  /** Spans in the subtree of span i, itself included. */
  readonly subtreeSize: Int32Array;
  /** Parent cycles that were cut. */
  readonly cyclesCut: number;
  /** Earliest span start, Unix ns. 0n for an empty trace. */
  readonly traceStart: bigint;
  /** Start and end per span, ns after traceStart (exact below 2^53 ns, i.e. 104 days). */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Latest end minus earliest start, ns. */
  readonly durationNs: number;
  /**
   * THE root of the trace, the span that names it: the earliest span that has no parent id at all;
   * when every root is an orphan (the real root was lost), the earliest orphan. -1 when empty.
   */
  readonly root: number;
}

export function buildSpanTree(trace: Trace): SpanTree {
  const spans = trace.spans;
  const n = spans.length;
  let min = n ? spans[0]!.start : 0n;
  let max = n ? spans[0]!.end : 0n;
  for (let i = 1; i < n; i++) {
    const s = spans[i]!;
    if (s.start < min) min = s.start;
    if (s.end > max) max = s.end;
  }
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  offsetsFrom(spans, min, max, start, end);

  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = spans[i]!.spanId;
    if (!byId.has(id)) byId.set(id, i);
  }
  const parent = new Int32Array(n);
  const missingParent = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const pid = spans[i]!.parentSpanId;
    const p = pid === undefined ? undefined : byId.get(pid);
    if (p === undefined || p === i) {
      parent[i] = -1;
      if (pid !== undefined) missingParent[i] = 1;
    } else parent[i] = p;
  }

  const byStart = (a: number, b: number): number => start[a]! - start[b]! || end[b]! - end[a]! || a - b;
  const cyclesCut = cutCycles(parent, missingParent, byStart);

  const childCount = new Int32Array(n);
  const rootList: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) rootList.push(i);
    else childCount[p]!++;
  }
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i]! + childCount[i]!;
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(childStart[n]!);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0) childList[fill[p]!++] = i;
  }
  for (let i = 0; i < n; i++) {
    if (childCount[i]! > 1) childList.subarray(childStart[i]!, childStart[i + 1]!).sort(byStart);
  }
  const roots = Int32Array.from(rootList.sort(byStart));

  // Iterative depth-first walk: real traces nest thousands deep.
  const depth = new Int32Array(n);
  const preorder = new Int32Array(n);
  const subtreeSize = new Int32Array(n);
  const stack = new Int32Array(n);
  let maxDepth = 0;
  let next = 0;
  for (let r = 0; r < roots.length; r++) {
    let top = 0;
    stack[top++] = roots[r]!;
    while (top) {
      const i = stack[--top]!;
      const d = parent[i]! >= 0 ? depth[parent[i]!]! + 1 : 0;
      depth[i] = d;
      if (d > maxDepth) maxDepth = d;
      preorder[next++] = i;
      for (let c = childStart[i + 1]! - 1; c >= childStart[i]!; c--) stack[top++] = childList[c]!;
    }
  }
  // Sizes bottom-up: in reverse preorder every child comes before its parent.
  for (let k = n - 1; k >= 0; k--) {
    const i = preorder[k]!;
    subtreeSize[i]! += 1;
    const p = parent[i]!;
    if (p >= 0) subtreeSize[p]! += subtreeSize[i]!;
  }

  let root = -1;
  for (let r = 0; r < roots.length && root < 0; r++) if (spans[roots[r]!]!.parentSpanId === undefined) root = roots[r]!;
  if (root < 0 && roots.length) root = roots[0]!;

  return {
    count: n, byId, parent, childStart, childList, roots, missingParent, depth, maxDepth, preorder, subtreeSize,
    cyclesCut, traceStart: min, start, end, durationNs: Number(max - min), root,
  };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * start[i] and end[i] = the span's times minus `min`, as doubles. `Number(s.start - min)` makes a
 * BigInt per span and time, 200k short-lived objects at 100k spans that the collector then
 * sweeps during the layout. Stored into a BigInt64Array instead, each time is read back as two
 * 32-bit halves and subtracted as doubles, exact for any offset below 2^53 ns. Times outside
 * the 64-bit range (hostile input) take the BigInt way.
 */
function offsetsFrom(spans: Trace['spans'], min: bigint, max: bigint, start: Float64Array, end: Float64Array): void {
  const n = spans.length;
  if (min < INT64_MIN || max > INT64_MAX) {
    for (let i = 0; i < n; i++) {
      start[i] = Number(spans[i]!.start - min);
      end[i] = Number(spans[i]!.end - min);
    }
    return;
  }
  const cell = new BigInt64Array(1);
  const half = new Int32Array(cell.buffer);
  const [LO, HI] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
  cell[0] = min;
  const minLo = half[LO]! >>> 0;
  const minHi = half[HI]!;
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    cell[0] = s.start;
    start[i] = (half[HI]! - minHi) * 4294967296 + ((half[LO]! >>> 0) - minLo);
    cell[0] = s.end;
    end[i] = (half[HI]! - minHi) * 4294967296 + ((half[LO]! >>> 0) - minLo);
  }
}

/**
 * Cuts every parent cycle at its earliest span (by `order`), in place; returns how many were cut.
 * A span is on a cycle when following parents from it comes back to a span of the same walk.
 */
function cutCycles(parent: Int32Array, missingParent: Uint8Array, order: (a: number, b: number) => number): number {
  const n = parent.length;
  // 0 unvisited, 1 on the current walk, 2 known to reach a root.
  const state = new Uint8Array(n);
  // One walk at a time, so one buffer holds them all; each span is walked once.
  const walk = new Int32Array(n);
  let cut = 0;
  for (let i = 0; i < n; i++) {
    if (state[i]) continue;
    let len = 0;
    let j = i;
    while (j >= 0 && state[j] === 0) {
      state[j] = 1;
      walk[len++] = j;
      j = parent[j]!;
    }
    if (j >= 0 && state[j] === 1) {
      // The walk closed on itself at j: the cycle is walk[indexOf(j)..len).
      let k = len - 1;
      while (walk[k] !== j) k--;
      let earliest = j;
      for (; k < len; k++) if (order(walk[k]!, earliest) < 0) earliest = walk[k]!;
      parent[earliest] = -1;
      missingParent[earliest] = 1;
      cut++;
    }
    for (let k = 0; k < len; k++) state[walk[k]!] = 2;
  }
  return cut;
}

/** Positions of span i's children, by start. */
export function childrenOf(tree: SpanTree, i: number): Int32Array {
  return tree.childList.subarray(tree.childStart[i]!, tree.childStart[i + 1]!);
}
