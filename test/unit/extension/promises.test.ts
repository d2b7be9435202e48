import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadExtensionModule } from './load';

interface SingleFlight<T> {
  readonly running: boolean;
  run(start: () => Promise<T>): Promise<T>;
  forget(): void;
}
interface RetryingLazy<T> {
  get(): Promise<T>;
  take(): Promise<T> | undefined;
}
const { SingleFlight, RetryingLazy } = loadExtensionModule<{
  SingleFlight: new <T>() => SingleFlight<T>;
  RetryingLazy: new <T>(make: () => Promise<T>) => RetryingLazy<T>;
}>('backends/promises');

describe('SingleFlight', () => {
  it('a call while one runs joins it instead of starting another', async () => {
    const flight = new SingleFlight<number>();
    let starts = 0;
    let finish!: (n: number) => void;
    const start = () => {
      starts++;
      return new Promise<number>((resolve) => (finish = resolve));
    };
    const a = flight.run(start);
    const b = flight.run(start);
    assert.equal(starts, 1);
    assert.equal(flight.running, true);
    finish(7);
    assert.deepEqual(await Promise.all([a, b]), [7, 7]);
    assert.equal(flight.running, false);
    void flight.run(start);
    assert.equal(starts, 2, 'a call after the run ended starts a new one');
    finish(1);
  });

  it('after forget() the next call starts afresh and the old run does not clear it', async () => {
    const flight = new SingleFlight<string>();
    let finishOld!: (s: string) => void;
    const old = flight.run(() => new Promise((r) => (finishOld = r)));
    flight.forget();
    let finishNew!: (s: string) => void;
    const fresh = flight.run(() => new Promise((r) => (finishNew = r)));
    finishOld('old');
    await old;
    assert.equal(flight.running, true, 'the old run ending leaves the new one in place');
    finishNew('new');
    assert.equal(await fresh, 'new');
  });

  it('a rejected run is not kept', async () => {
    const flight = new SingleFlight<number>();
    await assert.rejects(flight.run(() => Promise.reject(new Error('x'))));
    assert.equal(await flight.run(async () => 2), 2);
  });
});

describe('RetryingLazy', () => {
  it('makes the value once and hands out the same promise', async () => {
    let made = 0;
    const lazy = new RetryingLazy(async () => ++made);
    assert.equal(made, 0, 'nothing is made before the first call');
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    assert.deepEqual([a, b, made], [1, 1, 1]);
  });

  it('a rejection is not kept: the next call tries again', async () => {
    let calls = 0;
    const lazy = new RetryingLazy(async () => {
      calls++;
      if (calls === 1) throw new Error('keychain locked');
      return 'clients';
    });
    await assert.rejects(lazy.get(), /keychain locked/);
    assert.equal(await lazy.get(), 'clients');
    assert.equal(await lazy.get(), 'clients');
    assert.equal(calls, 2);
  });

  it('take() hands over the current promise; a late rejection of it does not clear a newer one', async () => {
    let fail!: (e: Error) => void;
    let n = 0;
    const lazy = new RetryingLazy<number>(() => (++n === 1 ? new Promise((_, reject) => (fail = reject)) : Promise.resolve(n)));
    const old = lazy.get();
    assert.equal(lazy.take(), old);
    assert.equal(lazy.take(), undefined);
    const fresh = lazy.get();
    fail(new Error('late'));
    await assert.rejects(old);
    assert.equal(lazy.get(), fresh);
    assert.equal(await fresh, 2);
  });
});
