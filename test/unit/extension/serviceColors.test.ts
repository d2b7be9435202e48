import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadExtensionModule } from './load';

type Trace = { services: readonly string[]; serviceSlots?: readonly number[] };
const { withServiceSlots } = loadExtensionModule<{ withServiceSlots: (ctx: unknown, t: Trace) => Trace }>('panels/serviceColors');

/** VS Code's global Memento, one instance shared as two windows share global state. */
class Memento {
  readonly data = new Map<string, unknown>();
  get<T>(k: string): T | undefined {
    return this.data.get(k) as T | undefined;
  }
  update(k: string, v: unknown): Promise<void> {
    this.data.set(k, JSON.parse(JSON.stringify(v)));
    return Promise.resolve();
  }
}
const ctxOf = (globalState: Memento) => ({ extension: { globalState } });

test('every panel gives a service the same slot, whatever services come with it, and the slots are saved', () => {
  const state = new Memento();
  const ctx = ctxOf(state);
  assert.deepEqual(withServiceSlots(ctx, { services: ['frontend', 'route', 'mysql'] }).serviceSlots, [0, 1, 2]);
  assert.deepEqual(withServiceSlots(ctx, { services: ['route', 'decode'] }).serviceSlots, [1, 3]);
  assert.deepEqual(state.data.get('spanlens.serviceColorSlots'), ['frontend', 'route', 'mysql', 'decode']);
  // Another window (the same global state) sees those slots and adds after them.
  assert.deepEqual(withServiceSlots(ctxOf(state), { services: ['decode', 'vllm'] }).serviceSlots, [3, 4]);
});
