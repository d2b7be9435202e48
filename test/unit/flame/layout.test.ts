import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutTrace } from '../../../src/core/flame/layout';
import { selfTimeNs } from '../../../src/core/flame/selfTime';
import { trace } from '../../support/spans';

/** name → [row, depth, parentName|null] for readable assertions. */
function picture(t: ReturnType<typeof trace>) {
  const l = layoutTrace(t);
  const out: Record<string, [number, number, string | null]> = {};
  for (let b = 0; b < l.count; b++) {
    const s = t.spans[l.spanIndex[b]!]!;
    const p = l.parent[b]!;
    out[s.name] = [l.row[b]!, l.depth[b]!, p >= 0 ? t.spans[l.spanIndex[p]!]!.name : null];
  }
  return { l, out };
}

test('a serial trace has row == depth and boxes in depth-first order by start', () => {
  const t = trace([
    { id: '3', parent: '1', start: 60, end: 90, name: 'c' },
    { id: '1', start: 0, end: 100, name: 'root' },
    { id: '2', parent: '1', start: 10, end: 50, name: 'b' },
    { id: '4', parent: '2', start: 20, end: 30, name: 'b1' },
  ]);
  const { l, out } = picture(t);
  assert.deepEqual(out, { root: [0, 0, null], b: [1, 1, 'root'], b1: [2, 2, 'b'], c: [1, 1, 'root'] });
  assert.deepEqual([...l.spanIndex].map((i) => t.spans[i]!.name), ['root', 'b', 'b1', 'c']);
  assert.equal(l.durationNs, 100e6);
  assert.equal(l.rowCount, 3);
  assert.equal(l.maxDepth, 2);
  assert.deepEqual([...l.start], [0, 10e6, 20e6, 60e6]);
});

test('concurrent siblings never overlap in a row: the later one moves below the earlier subtree', () => {
  const t = trace([
    { id: '1', start: 0, end: 100, name: 'root' },
    { id: '2', parent: '1', start: 10, end: 60, name: 'a' },
    { id: '3', parent: '2', start: 15, end: 20, name: 'a1' },
    { id: '4', parent: '1', start: 30, end: 80, name: 'b' },
    { id: '5', parent: '1', start: 70, end: 90, name: 'c' },
  ]);
  const { l, out } = picture(t);
  assert.deepEqual(out.a, [1, 1, 'root']);
  assert.deepEqual(out.a1, [2, 2, 'a']);
  assert.deepEqual(out.b, [2, 1, 'root'], 'b overlaps a in row 1 and a1 is not in its way at row 2');
  assert.deepEqual(out.c, [1, 1, 'root'], 'c starts after a ends, so row 1 is free again');
  // No overlap within any row.
  for (let i = 0; i < l.count; i++)
    for (let j = i + 1; j < l.count; j++)
      if (l.row[i] === l.row[j]) assert.ok(l.end[i]! <= l.start[j]! || l.end[j]! <= l.start[i]!, `boxes ${i} ${j} overlap`);
});

test('spans whose parent is missing are kept as extra roots, ordered by start', () => {
  const t = trace([
    { id: '9', parent: 'ff', start: 50, end: 60, name: 'orphan' },
    { id: '1', start: 0, end: 40, name: 'root' },
    { id: '2', parent: '1', start: 5, end: 10, name: 'kid' },
  ]);
  const { l, out } = picture(t);
  assert.equal(l.count, 3);
  assert.deepEqual(l.roots.map((b) => t.spans[l.spanIndex[b]!]!.name), ['root', 'orphan']);
  assert.deepEqual(out.orphan, [0, 0, null]);
});

test('a child that starts before its parent (clock skew) is drawn under it, not lost', () => {
  const t = trace([
    { id: '1', start: 10, end: 50, name: 'root' },
    { id: '2', parent: '1', start: 5, end: 20, name: 'early' },
  ]);
  const { l, out } = picture(t);
  assert.deepEqual(out.early, [1, 1, 'root']);
  assert.equal(l.start[l.parent.indexOf(0)]!, 0, 'the trace starts at the skewed child');
  assert.equal(l.start[0], 5e6);
});

test('a parent cycle in hostile input terminates and draws every span', () => {
  const t = trace([
    { id: '1', parent: '2', start: 0, end: 10, name: 'x' },
    { id: '2', parent: '1', start: 1, end: 9, name: 'y' },
    { id: '3', parent: '3', start: 2, end: 3, name: 'self' },
  ]);
  const { l } = picture(t);
  assert.equal(l.count, 3);
  assert.equal(new Set(l.spanIndex).size, 3);
});

test('zero-length spans get a row of their own when they sit on another box', () => {
  const t = trace([
    { id: '1', start: 0, end: 10, name: 'root' },
    { id: '2', parent: '1', start: 2, end: 8, name: 'a' },
    { id: '3', parent: '1', start: 4, end: 4, name: 'instant' },
  ]);
  const { out } = picture(t);
  assert.deepEqual(out.instant, [2, 1, 'root']);
});

test('self time subtracts the union of children, clipped to the parent', () => {
  const t = trace([
    { id: '1', start: 0, end: 100, name: 'root' },
    { id: '2', parent: '1', start: 10, end: 40, name: 'a' },
    { id: '3', parent: '1', start: 30, end: 50, name: 'b' },
    { id: '4', parent: '1', start: 90, end: 120, name: 'late' },
    { id: '5', parent: '2', start: 10, end: 40, name: 'grandchild' },
  ]);
  const l = layoutTrace(t);
  assert.equal(selfTimeNs(l.tree, l.spanIndex[0]!), (100 - 40 - 10) * 1e6);
  const a = t.spans.findIndex((s) => s.name === 'a');
  assert.equal(selfTimeNs(l.tree, a), 0);
  // A zero-length span and a leaf have no children to subtract.
  assert.equal(selfTimeNs(l.tree, t.spans.findIndex((s) => s.name === 'late')), 30e6);
});

test('self time, a table of cases: the root\'s own time once its direct children are taken out (ms)', () => {
  type Child = [start: number, end: number];
  const cases: Array<[string, Child[], number]> = [
    ['a leaf', [], 100],
    ['one child inside', [[10, 40]], 70],
    ['concurrent children overlap: their union counts once', [[10, 40], [30, 50]], 60],
    ['two identical children', [[10, 40], [10, 40]], 70],
    ['children back to back', [[0, 50], [50, 100]], 0],
    ['a child that outlives its parent is clipped at the parent\'s end', [[90, 120]], 90],
    ['a child that starts before its parent is clipped at its start', [[-10, 20]], 80],
    ['a child wholly outside the parent takes nothing', [[120, 150]], 100],
    ['a zero-length child takes nothing', [[50, 50]], 100],
    ['a child longer than the parent on both sides leaves nothing', [[-10, 110]], 0],
    ['many small children', Array.from({ length: 10 }, (_, i): Child => [i * 10, i * 10 + 5]), 50],
  ];
  for (const [what, children, self] of cases) {
    const t = trace([{ id: '1', start: 0, end: 100, name: 'root' }, ...children.map(([start, end], i) => ({ id: String(i + 2), parent: '1', start, end, name: `c${i}` }))]);
    const l = layoutTrace(t);
    assert.equal(selfTimeNs(l.tree, 0), self * 1e6, what);
  }
  // Only direct children count: a grandchild that outlives its parent does not take the root's time.
  const g = trace([
    { id: '1', start: 0, end: 100, name: 'root' },
    { id: '2', parent: '1', start: 10, end: 20, name: 'child' },
    { id: '3', parent: '2', start: 10, end: 90, name: 'grandchild' },
  ]);
  assert.equal(selfTimeNs(layoutTrace(g).tree, 0), 90e6);
  // A zero-length span has no time of its own, whatever its children.
  const z = trace([{ id: '1', start: 50, end: 50, name: 'root' }, { id: '2', parent: '1', start: 40, end: 60, name: 'child' }]);
  assert.equal(selfTimeNs(layoutTrace(z).tree, 0), 0);
});

test('an empty trace lays out to nothing', () => {
  const l = layoutTrace({ traceId: 'a'.repeat(32), spans: [] });
  assert.equal(l.count, 0);
  assert.equal(l.rowCount, 0);
});
