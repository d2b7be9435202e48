/**
 * Level of detail for one row of boxes: what to draw so that the work per frame is bounded by the
 * screen, never by the number of spans. Boxes of at least a pixel are drawn as they are; boxes
 * narrower than a pixel are merged per pixel column (and with the next column when they touch)
 * into one mark that says how many spans it stands for. Each step either draws a box a pixel wide
 * or more, or consumes a pixel column, so a row costs O(width · log n) however many boxes it has.
 */
import { grown } from '../arrays/grown';

/** Reused between rows and frames so drawing allocates nothing. */
export class DrawList {
  length = 0;
  /** Pixel extent of each item; x1 > x0. */
  x0: Float64Array;
  x1: Float64Array;
  /** The box of a single-box item, or the first box of a merged mark. */
  box: Int32Array;
  /** Boxes the item stands for: 1 for a box, N for a merged mark. */
  count: Int32Array;
  /** Positions (in the row's box list) of the first and last box the item covers. */
  first: Int32Array;
  last: Int32Array;

  constructor(capacity = 1024) {
    this.x0 = new Float64Array(capacity);
    this.x1 = new Float64Array(capacity);
    this.box = new Int32Array(capacity);
    this.count = new Int32Array(capacity);
    this.first = new Int32Array(capacity);
    this.last = new Int32Array(capacity);
  }

  push(x0: number, x1: number, box: number, count: number, first: number, last: number): void {
    if (this.length === this.x0.length) this.grow();
    const i = this.length++;
    this.x0[i] = x0;
    this.x1[i] = x1;
    this.box[i] = box;
    this.count[i] = count;
    this.first[i] = first;
    this.last[i] = last;
  }

  private grow(): void {
    this.x0 = grown(this.x0);
    this.x1 = grown(this.x1);
    this.box = grown(this.box);
    this.count = grown(this.count);
    this.first = grown(this.first);
    this.last = grown(this.last);
  }
}

export interface RowBoxes {
  /** Boxes of all rows, row by row, each row by start (see FlameLayout.rowBoxes). */
  readonly boxes: ArrayLike<number>;
  readonly start: ArrayLike<number>;
  readonly end: ArrayLike<number>;
}

/** The visible window: `t0` ns at x = 0, `nsPerPx` ns per CSS pixel, `width` pixels. */
export interface Window {
  readonly t0: number;
  readonly nsPerPx: number;
  readonly width: number;
}

/**
 * Fills `out` with the items of positions [from, to) of `rows.boxes` (one row) that are visible in
 * `win`, in time order. Boxes in a row never overlap, so both starts and ends are sorted, and
 * binary searches find where each pixel column's boxes begin and end.
 */
export function rowDrawList(rows: RowBoxes, from: number, to: number, win: Window, out: DrawList): void {
  out.length = 0;
  const { boxes, start, end } = rows;
  const { t0, nsPerPx, width } = win;
  const t1 = t0 + nsPerPx * width;
  // First box that ends at or after the window's start.
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (end[boxes[mid]!]! < t0) lo = mid + 1;
    else hi = mid;
  }
  let i = lo;
  while (i < to) {
    const b = boxes[i]!;
    const s = start[b]!;
    if (s > t1) break;
    const x0 = (s - t0) / nsPerPx;
    const x1 = (end[b]! - t0) / nsPerPx;
    if (x1 - x0 >= 1) {
      out.push(x0, x1, b, 1, i, i);
      i++;
      continue;
    }
    // Sub-pixel: take every box that ends inside this pixel column (at least this one).
    const col = Math.floor(x0);
    const colEnd = t0 + (col + 1) * nsPerPx;
    // Gallop before bisecting: a column holds a few boxes at most zooms, so probing 1, 2, 4 …
    // ahead costs O(log k) for its k boxes where bisecting the rest of the row costs O(log n).
    lo = i + 1;
    hi = lo;
    let stride = 1;
    while (hi < to && end[boxes[hi]!]! <= colEnd) {
      lo = hi + 1;
      hi += stride;
      stride *= 2;
    }
    if (hi > to) hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (end[boxes[mid]!]! <= colEnd) lo = mid + 1;
      else hi = mid;
    }
    const j = lo;
    const n = out.length;
    if (n > 0 && out.count[n - 1]! > 1 && out.x1[n - 1]! >= col) {
      // Touches the previous merged mark: one wider mark, not one per column.
      out.x1[n - 1] = col + 1;
      out.count[n - 1]! += j - i;
      out.last[n - 1] = j - 1;
    } else if (j - i === 1) {
      // A lone sub-pixel box is still itself (hover, select): drawn a pixel wide.
      out.push(col, col + 1, b, 1, i, i);
    } else out.push(col, col + 1, b, j - i, i, j - 1);
    i = j;
  }
}

/** First position in [from, to) of one row whose box ends at or after `t`. */
export function lowerBoundEnd(rows: RowBoxes, from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows.end[rows.boxes[mid]!]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
