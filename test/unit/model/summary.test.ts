import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSpanTree, childrenOf } from '../../../src/core/model/spanTree';
import { summarizeTrace } from '../../../src/core/model/summary';
import { trace } from '../../support/spans';

test('span tree: roots include orphans; roots and children by start; depth by parent links', () => {
  const t = trace([
    { id: '1', start: 0, end: 10 },
    { id: '2', parent: '1', start: 1, end: 5 },
    { id: '3', parent: '1', start: 0.5, end: 9 },
    { id: '4', parent: '3', start: 2, end: 3 },
    { id: '5', parent: '99', start: -1, end: 1 }, // parent not in the trace
  ]);
  const tree = buildSpanTree(t);
  assert.deepEqual([...tree.roots], [4, 0]);
  assert.deepEqual([...tree.parent], [-1, 0, 0, 2, -1]);
  assert.deepEqual([...childrenOf(tree, 0)], [2, 1]);
  assert.deepEqual([...tree.depth], [0, 1, 1, 2, 0]);
  assert.equal(tree.maxDepth, 2);
  assert.equal(tree.cyclesCut, 0);
  assert.deepEqual([...tree.missingParent], [0, 0, 0, 0, 1]);
  assert.equal(tree.root, 0, 'the span with no parent id is the root, though the orphan starts first');
  assert.deepEqual([...tree.preorder], [4, 0, 2, 3, 1], 'roots by start, children by start');
  assert.deepEqual([...tree.subtreeSize], [4, 1, 2, 1, 1]);
  assert.deepEqual(summarizeTrace(t), {
    traceId: 'a'.repeat(32),
    spanCount: 5,
    services: ['svc'],
    root: { name: 'op-1', service: 'svc' },
    rootCount: 2,
    durationMs: 11,
    errorCount: 0,
    maxDepth: 2,
  });
});

test('hostile input: cycles, self-parents and duplicate ids terminate', () => {
  const t = trace([
    { id: '1', parent: '2', start: 0, end: 1 },
    { id: '2', parent: '1', start: 0, end: 1 }, // 1 ↔ 2: no root above them
    { id: '3', parent: '3', start: 5, end: 6, status: 'error' }, // its own parent: a root
    { id: '4', parent: '3', start: 5, end: 6 },
    { id: '4', parent: '4', start: 5, end: 6 }, // duplicate id naming the first 4 as parent
  ]);
  const tree = buildSpanTree(t);
  // The 1 ↔ 2 cycle is cut at its earliest span (same start: source order), which becomes a root.
  assert.deepEqual([...tree.roots], [0, 2]);
  assert.deepEqual([...tree.parent], [-1, 0, -1, 2, 3]);
  assert.deepEqual([...tree.depth], [0, 1, 0, 1, 2]);
  assert.deepEqual([...tree.missingParent], [1, 0, 1, 0, 0]);
  assert.equal(tree.cyclesCut, 1);
  const s = summarizeTrace(t);
  assert.deepEqual([s.rootCount, s.maxDepth, s.errorCount, s.root?.name], [2, 2, 1, 'op-1']);

  const cycle = summarizeTrace(trace([{ id: '1', parent: '2', start: 0, end: 1 }, { id: '2', parent: '1', start: 0, end: 1 }]));
  assert.deepEqual([cycle.root?.name, cycle.rootCount, cycle.maxDepth], ['op-1', 1, 1]);
});

test('an empty trace summarises to zeros', () => {
  assert.deepEqual(summarizeTrace({ traceId: 'b'.repeat(32), spans: [] }), {
    traceId: 'b'.repeat(32), spanCount: 0, services: [], root: null, rootCount: 0, durationMs: 0, errorCount: 0, maxDepth: 0,
  });
});

test('a 100k-deep chain does not overflow the stack', () => {
  const specs = Array.from({ length: 100_000 }, (_, i) => ({ id: (i + 1).toString(16), ...(i ? { parent: i.toString(16) } : {}), start: i, end: i + 1 }));
  assert.equal(summarizeTrace(trace(specs)).maxDepth, 99_999);
});
