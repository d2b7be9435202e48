import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrawList, rowDrawList } from '../../../src/core/flame/lod';

/** One row of boxes from [start, end] pairs (ns), already sorted and non-overlapping. */
function row(pairs: Array<[number, number]>) {
  return { boxes: Uint32Array.from(pairs.keys()), start: Float64Array.from(pairs, (p) => p[0]), end: Float64Array.from(pairs, (p) => p[1]) };
}

function items(pairs: Array<[number, number]>, t0: number, nsPerPx: number, width: number) {
  const r = row(pairs);
  const out = new DrawList(2);
  rowDrawList(r, 0, pairs.length, { t0, nsPerPx, width }, out);
  return Array.from({ length: out.length }, (_, i) => ({ x0: out.x0[i], x1: out.x1[i], box: out.box[i], count: out.count[i], first: out.first[i], last: out.last[i] }));
}

test('boxes a pixel wide or more are drawn as they are; invisible ones are skipped', () => {
  assert.deepEqual(items([[0, 10], [20, 30], [200, 300]], 0, 1, 100), [
    { x0: 0, x1: 10, box: 0, count: 1, first: 0, last: 0 },
    { x0: 20, x1: 30, box: 1, count: 1, first: 1, last: 1 },
  ]);
  // Window [15, 115): the first box is gone, the third starts at 185 px: off screen.
  assert.deepEqual(items([[0, 10], [20, 30], [200, 300]], 15, 1, 100).map((i) => i.box), [1]);
});

test('sub-pixel boxes in one column become one mark that counts them, touching columns merge', () => {
  // 10 ns per pixel; boxes of 1 ns every 2 ns over 0..40 ns: 4 columns of 5 boxes each.
  const pairs: Array<[number, number]> = Array.from({ length: 20 }, (_, i) => [i * 2, i * 2 + 1]);
  const got = items(pairs, 0, 10, 100);
  assert.deepEqual(got, [{ x0: 0, x1: 4, box: 0, count: 20, first: 0, last: 19 }]);
});

test('a lone sub-pixel box (a zero-length span) stays itself, a pixel wide', () => {
  const got = items([[0, 100], [500, 500], [900, 1000]], 0, 10, 100);
  assert.deepEqual(got.map((i) => [i.box, i.count, i.x1 - i.x0]), [[0, 1, 10], [1, 1, 1], [2, 1, 10]]);
});

test('a million boxes in a row cost O(width), not O(n)', () => {
  const n = 1_000_000;
  const r = { boxes: new Uint32Array(n).map((_, i) => i), start: new Float64Array(n).map((_, i) => i * 10), end: new Float64Array(n).map((_, i) => i * 10 + 5) };
  const out = new DrawList();
  rowDrawList(r, 0, n, { t0: 0, nsPerPx: (n * 10) / 800, width: 800 }, out);
  assert.equal(out.length, 1, 'one merged mark');
  assert.equal(out.count[0], n, 'it stands for every box');
  // Zoomed so each box is ~5 px: only the visible ones, each drawn.
  rowDrawList(r, 0, n, { t0: 5_000_000, nsPerPx: 2, width: 800 }, out);
  assert.equal(out.length, 161, 'the boxes starting in [t0, t1]');
  assert.ok(out.count.slice(0, out.length).every((c) => c === 1));
});

test('at most one item per pixel column', () => {
  const pairs: Array<[number, number]> = [];
  let t = 0;
  for (let i = 0; i < 5000; i++) {
    const w = (i * 7919) % 97;
    pairs.push([t, t + w]);
    t += w + ((i * 31) % 13);
  }
  const got = items(pairs, 0, t / 500, 500);
  assert.ok(got.length <= 500 * 2, `${got.length} items`);
  let covered = 0;
  for (const it of got) covered += it.count;
  assert.equal(covered, pairs.length, 'every box is drawn or counted once');
  for (let i = 1; i < got.length; i++) assert.ok(got[i]!.first === got[i - 1]!.last + 1, 'items follow each other without gaps');
});

test('the same items as a box-by-box scan, for any row and window (property)', async () => {
  const fc = (await import('fast-check')).default;
  /** The rule with a linear scan where rowDrawList searches: each column takes the boxes that end in it. */
  function scan(pairs: Array<[number, number]>, t0: number, nsPerPx: number, width: number) {
    const got: Array<{ x0: number; x1: number; box: number; count: number; first: number; last: number }> = [];
    const t1 = t0 + nsPerPx * width;
    let i = pairs.findIndex((p) => p[1] >= t0);
    if (i < 0) return got;
    while (i < pairs.length && pairs[i]![0] <= t1) {
      const [s, e] = pairs[i]!;
      const x0 = (s - t0) / nsPerPx;
      const x1 = (e - t0) / nsPerPx;
      if (x1 - x0 >= 1) {
        got.push({ x0, x1, box: i, count: 1, first: i, last: i });
        i++;
        continue;
      }
      const col = Math.floor(x0);
      const colEnd = t0 + (col + 1) * nsPerPx;
      let j = i + 1;
      while (j < pairs.length && pairs[j]![1] <= colEnd) j++;
      const prev = got[got.length - 1];
      if (prev && prev.count > 1 && prev.x1 >= col) Object.assign(prev, { x1: col + 1, count: prev.count + j - i, last: j - 1 });
      else got.push({ x0: col, x1: col + 1, box: i, count: j - i, first: i, last: j - 1 });
      i = j;
    }
    return got;
  }
  // Rows as gaps and lengths (ns), many of them zero: the ties a real trace has.
  const rowArb = fc.array(fc.tuple(fc.nat({ max: 40 }), fc.nat({ max: 60 })), { maxLength: 300 }).map((gl) => {
    const pairs: Array<[number, number]> = [];
    let t = 0;
    for (const [gap, len] of gl) {
      t += gap;
      pairs.push([t, t + len]);
      t += len;
    }
    return pairs;
  });
  fc.assert(
    fc.property(rowArb, fc.nat({ max: 4000 }), fc.double({ min: 0.01, max: 200, noNaN: true }), fc.integer({ min: 1, max: 300 }), (pairs, t0, nsPerPx, width) => {
      assert.deepEqual(items(pairs, t0, nsPerPx, width), scan(pairs, t0, nsPerPx, width));
    }),
    { numRuns: 400 },
  );
});
