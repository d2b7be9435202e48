import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SERVICE_SLOTS, ServiceSlots } from '../../../src/core/model/serviceSlots';

test('slots are first come, first served, and a service keeps its slot whatever comes with it', () => {
  const s = new ServiceSlots();
  assert.deepEqual(s.assign(['frontend', 'router']), { slots: [0, 1], changed: true });
  assert.deepEqual(s.assign(['decode', 'frontend']), { slots: [2, 0], changed: true });
  assert.deepEqual(s.assign(['router', 'frontend', 'router']), { slots: [1, 0, 1], changed: false });
  assert.deepEqual(s.saved, ['frontend', 'router', 'decode']);
});

test('saved slots come back as they were; what storage holds is checked, not trusted', () => {
  const back = new ServiceSlots(['frontend', 'router', 'decode']);
  assert.deepEqual(back.assign(['decode', 'new']).slots, [2, 3]);
  for (const junk of [undefined, null, 'frontend', { 0: 'a' }, 42]) assert.deepEqual(new ServiceSlots(junk).saved, []);
  assert.deepEqual(new ServiceSlots(['a', 7, null, 'a', 'x'.repeat(300), 'b']).saved, ['a', 'b']);
});

test('past the limit a new service still gets a slot from its name alone, the same each time, and nothing is saved', () => {
  const s = new ServiceSlots(Array.from({ length: MAX_SERVICE_SLOTS }, (_, i) => `svc-${i}`));
  const first = s.assign(['late']);
  assert.equal(first.changed, false);
  assert.ok(first.slots[0]! >= MAX_SERVICE_SLOTS);
  assert.deepEqual(s.assign(['late']).slots, first.slots);
  assert.deepEqual(new ServiceSlots(s.saved).assign(['late']).slots, first.slots);
  assert.equal(s.saved.length, MAX_SERVICE_SLOTS);
});
