import type { FlameLayout } from './layout';

/**
 * Time a box spent outside its children: its duration minus the union of its children's
 * intervals, clipped to the box (children may overlap each other, or stick out of a parent
 * through clock skew). ns.
 */
export function selfTimeNs(layout: FlameLayout, box: number): number {
  const s = layout.start[box]!;
  const e = layout.end[box]!;
  const kids: Array<[number, number]> = [];
  // Children directly follow their parent in depth-first order, until the subtree ends.
  for (let i = box + 1; i < layout.count && layout.depth[i]! > layout.depth[box]!; i++) {
    if (layout.parent[i] === box) kids.push([Math.max(s, layout.start[i]!), Math.min(e, layout.end[i]!)]);
  }
  kids.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let curS = -Infinity;
  let curE = -Infinity;
  for (const [ks, ke] of kids) {
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
