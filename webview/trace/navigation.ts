/**
 * Keyboard moves over the span tree, the same in both views: parent, first child, previous and
 * next sibling (boxes are in depth-first order, so a subtree is a contiguous range). Pure.
 */
import type { TraceModel } from './model';

export function parentOf(m: TraceModel, b: number): number {
  return m.data.parent[b]!;
}

export function firstChild(m: TraceModel, b: number): number {
  return m.subtreeEnd[b]! > b + 1 ? b + 1 : -1;
}

export function nextSibling(m: TraceModel, b: number): number {
  const n = m.subtreeEnd[b]!;
  return n < m.count && m.data.parent[n] === m.data.parent[b] ? n : -1;
}

export function previousSibling(m: TraceModel, b: number): number {
  const p = m.data.parent[b]!;
  // Siblings are the subtrees between the parent (or the previous root) and b.
  let c = p >= 0 ? p + 1 : 0;
  if (c === b) return -1;
  let prev = -1;
  while (c < b) {
    prev = c;
    c = m.subtreeEnd[c]!;
  }
  return c === b ? prev : -1;
}

/** The next (dir 1) or previous (dir −1) box of a sorted list after/before `from`, wrapping. */
export function step(list: ArrayLike<number>, from: number, dir: 1 | -1): number {
  const n = list.length;
  if (!n) return -1;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  // lo = first index with list[lo] >= from
  if (dir === 1) {
    const i = lo < n && list[lo] === from ? lo + 1 : lo;
    return list[i % n]!;
  }
  return list[(lo - 1 + n) % n]!;
}
