import type { SpanTree } from '../model/spanTree';

/**
 * Time a span spent outside its children: its duration minus the union of its children's
 * intervals, clipped to the span (children may overlap each other, or stick out of a parent
 * through clock skew or because they outlive it). ns. `span` is a position in the trace.
 */
export function selfTimeNs(tree: SpanTree, span: number): number {
  const s = tree.start[span]!;
  const e = tree.end[span]!;
  let covered = 0;
  let curS = -Infinity;
  let curE = -Infinity;
  // Children come sorted by start, and clipping keeps that order.
  for (let c = tree.childStart[span]!; c < tree.childStart[span + 1]!; c++) {
    const child = tree.childList[c]!;
    const ks = Math.max(s, tree.start[child]!);
    const ke = Math.min(e, tree.end[child]!);
    if (ke <= ks) continue;
    if (ks > curE) {
      if (curE > curS) covered += curE - curS;
      curS = ks;
      curE = ke;
    } else if (ke > curE) curE = ke;
  }
  if (curE > curS) covered += curE - curS;
  return Math.max(0, e - s - covered);
}
