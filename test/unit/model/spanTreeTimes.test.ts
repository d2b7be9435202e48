import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import type { Trace } from '../../../src/core/model/trace';
import { trace } from '../../support/spans';

/** A trace whose spans have exactly these [start, end] times (Unix ns). */
function timed(times: Array<[bigint, bigint]>): Trace {
  const t = trace(times.map((_, i) => ({ id: (i + 1).toString(16), start: 0, end: 0 })));
  return { ...t, spans: t.spans.map((s, i) => ({ ...s, start: times[i]![0], end: times[i]![1] })) };
}

test('span times become offsets from the earliest start exactly as Number(t - min) does, for any 64-bit times (property)', () => {
  const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
  // Realistic times (near now, ns apart) and arbitrary ones (negative, either side of 2^32, offsets past 2^53).
  const near = fc.bigInt({ min: 0n, max: 10n ** 12n }).map((d) => 1_767_225_600_000_000_000n + d);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.oneof(near, int64), fc.oneof(near, int64)), { minLength: 1, maxLength: 40 }), (pairs) => {
      const tree = buildSpanTree(timed(pairs));
      const min = pairs.reduce((m, [s]) => (s < m ? s : m), pairs[0]![0]);
      pairs.forEach(([s, e], i) => {
        assert.equal(tree.start[i], Number(s - min));
        assert.equal(tree.end[i], Number(e - min));
      });
      assert.equal(tree.traceStart, min);
    }),
    { numRuns: 300 },
  );
});

test('times beyond 64 bits (hostile input) still give their offsets', () => {
  const tree = buildSpanTree(timed([[0n, 2n ** 70n], [5n, 7n]]));
  assert.deepEqual([...tree.start], [0, 5]);
  assert.deepEqual([...tree.end], [Number(2n ** 70n), 7]);
});
