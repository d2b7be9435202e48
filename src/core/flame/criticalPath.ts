import type { SpanTree } from '../model/spanTree';

/** One stretch of the critical path: span `span` (a position in the trace) was what the request waited on. ns offsets. */
export interface CriticalSegment {
  readonly span: number;
  readonly start: number;
  readonly end: number;
}

interface Frame {
  readonly span: number;
  /** The span's window, clipped to its parent's. */
  readonly ws: number;
  /** Frontier: the part after it is accounted for. It moves back from the window's end. */
  t: number;
  /** Children that lie in the window, latest (clipped) end first, and the next one to consider. */
  readonly kids: Int32Array;
  readonly kidEnd: Float64Array;
  readonly kidStart: Float64Array;
  k: number;
}

/**
 * The critical path: the chain of spans that determines end-to-end latency. Walking back from the
 * end of the root, the path is in the span until the latest-ending child that finished by then;
 * it then follows that child (recursively), and resumes in the parent at the child's start.
 * Children that ran concurrently with the followed one are not waited on. A child that starts
 * before or outlives its parent (clock skew, fire-and-forget work) is clipped to the parent, and
 * one entirely outside it is ignored. Segments come back in time order; zero-length ones are left
 * out. Iterative, so a chain 100k spans deep does not overflow the stack.
 */
export function criticalPath(tree: SpanTree, from: number = tree.root): CriticalSegment[] {
  if (from < 0 || from >= tree.count) return [];
  const out: CriticalSegment[] = [];
  const stack: Frame[] = [frame(tree, from, tree.start[from]!, tree.end[from]!)];
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    // The latest-ending child that finished by the frontier (and is not a zero-length point at it).
    while (f.k < f.kids.length && f.kidEnd[f.k]! > f.t) f.k++;
    if (f.k >= f.kids.length || f.t <= f.ws) {
      push(out, f.span, f.ws, f.t);
      stack.pop();
      continue;
    }
    const k = f.k++;
    const ce = f.kidEnd[k]!;
    const cs = f.kidStart[k]!;
    push(out, f.span, ce, f.t);
    f.t = cs;
    stack.push(frame(tree, f.kids[k]!, cs, ce));
  }
  return out.reverse();
}

function push(out: CriticalSegment[], span: number, start: number, end: number): void {
  if (end > start) out.push({ span, start, end });
}

function frame(tree: SpanTree, span: number, ws: number, we: number): Frame {
  const c0 = tree.childStart[span]!;
  const c1 = tree.childStart[span + 1]!;
  const inside: number[] = [];
  for (let c = c0; c < c1; c++) {
    const child = tree.childList[c]!;
    if (tree.end[child]! < ws || tree.start[child]! > we) continue;
    inside.push(child);
  }
  const clippedEnd = (c: number) => Math.min(tree.end[c]!, we);
  inside.sort((a, b) => clippedEnd(b) - clippedEnd(a) || tree.start[a]! - tree.start[b]!);
  const kids = Int32Array.from(inside);
  const kidEnd = new Float64Array(kids.length);
  const kidStart = new Float64Array(kids.length);
  for (let i = 0; i < kids.length; i++) {
    kidEnd[i] = clippedEnd(kids[i]!);
    kidStart[i] = Math.max(tree.start[kids[i]!]!, ws);
  }
  return { span, ws, t: we, kids, kidEnd, kidStart, k: 0 };
}
