/**
 * Parent/child links of one trace, by span position (index into `trace.spans`), in typed arrays
 * so 100k-span traces index in a few milliseconds. Input is untrusted, so:
 * - a parent that is not in the trace makes the span a root (kept, never dropped);
 * - a span naming itself as parent is a root too (it cannot be its own parent);
 * - with duplicate span ids, children attach to the first span carrying the id;
 * - cycles cannot loop: depths come from one breadth-first pass from the roots, and spans on
 *   a cycle with no root above them are left unreached (depth -1) for the caller to place.
 */
import type { Trace } from './trace';

export interface SpanTree {
  /** Position of the first span with each id. */
  readonly byId: ReadonlyMap<string, number>;
  /** Parent position per span, -1 for a root. */
  readonly parent: Int32Array;
  /** Children of span i are childList[childStart[i] .. childStart[i + 1]), in source order. */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
  /** Positions of spans whose parent is not in the trace, in source order. */
  readonly roots: readonly number[];
  /** Depth per span (roots 0); -1 for spans not reachable from a root (cycles). */
  readonly depth: Int32Array;
  readonly maxDepth: number;
  /** How many spans no root reaches. */
  readonly unreached: number;
}

export function buildSpanTree(trace: Trace): SpanTree {
  const spans = trace.spans;
  const n = spans.length;
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = spans[i]!.spanId;
    if (!byId.has(id)) byId.set(id, i);
  }
  const parent = new Int32Array(n);
  const childCount = new Int32Array(n + 1);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const pid = spans[i]!.parentSpanId;
    const p = pid === undefined ? undefined : byId.get(pid);
    if (p === undefined || p === i) {
      parent[i] = -1;
      roots.push(i);
    } else {
      parent[i] = p;
      childCount[p]!++;
    }
  }
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i]! + childCount[i]!;
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(childStart[n]!);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0) childList[fill[p]!++] = i;
  }

  const depth = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let tail = 0;
  for (const r of roots) {
    depth[r] = 0;
    queue[tail++] = r;
  }
  let maxDepth = n > 0 && roots.length > 0 ? 0 : -1;
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const d = depth[i]! + 1;
    for (let c = childStart[i]!; c < childStart[i + 1]!; c++) {
      const child = childList[c]!;
      if (depth[child] !== -1) continue;
      depth[child] = d;
      if (d > maxDepth) maxDepth = d;
      queue[tail++] = child;
    }
  }
  return { byId, parent, childStart, childList, roots, depth, maxDepth: Math.max(maxDepth, 0), unreached: n - tail };
}

/** Positions of span i's children, in source order. */
export function childrenOf(tree: SpanTree, i: number): Int32Array {
  return tree.childList.subarray(tree.childStart[i]!, tree.childStart[i + 1]!);
}
