import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grown } from '../../../src/core/arrays/grown';

test('grown keeps the type and the elements, at least doubles, and honours a larger minimum', () => {
  const a = Int32Array.of(3, -1, 7);
  const b = grown(a);
  assert.ok(b instanceof Int32Array);
  assert.equal(b.length, 6);
  assert.deepEqual([...b.subarray(0, 3)], [3, -1, 7]);
  assert.deepEqual([...b.subarray(3)], [0, 0, 0]);
  assert.equal(grown(Float64Array.of(0.5), 10).length, 10);
  assert.equal(grown(new Uint8Array(0)).length, 1, 'an empty column still gets room for one');
  assert.notEqual(grown(a).buffer, a.buffer, 'a copy, not a view');
});
