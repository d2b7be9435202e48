import { test } from 'node:test';
import assert from 'node:assert/strict';
import { criticalPath } from '../../../src/core/flame/criticalPath';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import { trace, type SpanSpec } from '../../support/spans';

/** The path as [span name, start ms, end ms] in time order. */
function path(specs: SpanSpec[]): Array<[string, number, number]> {
  const t = trace(specs);
  const tree = buildSpanTree(t);
  return criticalPath(tree).map((s) => [t.spans[s.span]!.name, s.start / 1e6, s.end / 1e6]);
}

const cases: Array<{ name: string; specs: SpanSpec[]; want: Array<[string, number, number]> }> = [
  { name: 'a single span is the whole path', specs: [{ id: '1', start: 0, end: 10, name: 'root' }], want: [['root', 0, 10]] },
  {
    name: 'serial children: the path runs through each, and the parent fills the gaps',
    specs: [
      { id: '1', start: 0, end: 100, name: 'root' },
      { id: '2', parent: '1', start: 10, end: 40, name: 'a' },
      { id: '3', parent: '1', start: 50, end: 90, name: 'b' },
    ],
    want: [['root', 0, 10], ['a', 10, 40], ['root', 40, 50], ['b', 50, 90], ['root', 90, 100]],
  },
  {
    name: 'concurrent children: the one that finishes last is waited on; the other is not',
    specs: [
      { id: '1', start: 0, end: 100, name: 'root' },
      { id: '2', parent: '1', start: 10, end: 60, name: 'fast' },
      { id: '3', parent: '1', start: 20, end: 80, name: 'slow' },
    ],
    want: [['root', 0, 20], ['slow', 20, 80], ['root', 80, 100]],
  },
  {
    name: 'concurrent children where an earlier one finished before the last-finishing started',
    specs: [
      { id: '1', start: 0, end: 100, name: 'root' },
      { id: '2', parent: '1', start: 5, end: 30, name: 'first' },
      { id: '3', parent: '1', start: 10, end: 25, name: 'overlap' },
      { id: '4', parent: '1', start: 40, end: 95, name: 'last' },
    ],
    want: [['root', 0, 5], ['first', 5, 30], ['root', 30, 40], ['last', 40, 95], ['root', 95, 100]],
  },
  {
    name: 'a child that outlives its parent is clipped to the parent\'s end',
    specs: [
      { id: '1', start: 0, end: 50, name: 'root' },
      { id: '2', parent: '1', start: 20, end: 200, name: 'async' },
    ],
    want: [['root', 0, 20], ['async', 20, 50]],
  },
  {
    name: 'a child that starts before its parent (clock skew) is clipped to the parent\'s start',
    specs: [
      { id: '1', start: 10, end: 50, name: 'root' },
      { id: '2', parent: '1', start: 0, end: 30, name: 'early' },
    ],
    want: [['early', 10, 30], ['root', 30, 50]],
  },
  {
    name: 'a child entirely after its parent ended is ignored',
    specs: [
      { id: '1', start: 0, end: 10, name: 'root' },
      { id: '2', parent: '1', start: 20, end: 30, name: 'late' },
    ],
    want: [['root', 0, 10]],
  },
  {
    name: 'nesting: the path goes down into grandchildren',
    specs: [
      { id: '1', start: 0, end: 100, name: 'root' },
      { id: '2', parent: '1', start: 10, end: 90, name: 'mid' },
      { id: '3', parent: '2', start: 20, end: 80, name: 'leaf' },
    ],
    want: [['root', 0, 10], ['mid', 10, 20], ['leaf', 20, 80], ['mid', 80, 90], ['root', 90, 100]],
  },
  {
    name: 'zero-length children leave no segment of their own',
    specs: [
      { id: '1', start: 0, end: 10, name: 'root' },
      { id: '2', parent: '1', start: 5, end: 5, name: 'instant' },
    ],
    want: [['root', 0, 5], ['root', 5, 10]],
  },
  {
    name: 'children that end together: the one that started later is on the path',
    specs: [
      { id: '1', start: 0, end: 100, name: 'root' },
      { id: '2', parent: '1', start: 10, end: 90, name: 'long' },
      { id: '3', parent: '1', start: 50, end: 90, name: 'short' },
    ],
    want: [['root', 0, 10], ['long', 10, 90], ['root', 90, 100]],
  },
];

for (const c of cases) test(`critical path: ${c.name}`, () => assert.deepEqual(path(c.specs), c.want));

test('critical path: segments tile the root without gaps or overlaps', () => {
  const specs: SpanSpec[] = [{ id: '1', start: 0, end: 1000, name: 'root' }];
  for (let i = 2; i < 200; i++) specs.push({ id: i.toString(16), parent: (Math.floor(i / 3) || 1).toString(16), start: (i * 37) % 900, end: ((i * 37) % 900) + ((i * 13) % 120) });
  const p = path(specs);
  assert.equal(p[0]![1], 0);
  assert.equal(p[p.length - 1]![2], 1000);
  for (let i = 1; i < p.length; i++) assert.equal(p[i]![1], p[i - 1]![2], `segment ${i} starts where ${i - 1} ends`);
});

test('critical path: a chain 100k deep does not overflow the stack', () => {
  const specs: SpanSpec[] = Array.from({ length: 100_000 }, (_, i) => ({ id: (i + 1).toString(16), ...(i ? { parent: i.toString(16) } : {}), start: i / 1000, end: 200 - i / 1000 }));
  const t = trace(specs);
  const segs = criticalPath(buildSpanTree(t));
  assert.equal(segs.length, 2 * 100_000 - 1);
});

test('critical path: an empty trace has none', () => {
  assert.deepEqual(criticalPath(buildSpanTree({ traceId: 'a'.repeat(32), spans: [] })), []);
});
