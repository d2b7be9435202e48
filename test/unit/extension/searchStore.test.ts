import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadExtensionModule } from './load';

type Range = { since: string } | { start: string; end: string };
interface Spec {
  query: string;
  range: Range;
}
interface Store {
  recent(): Array<Spec & { at: number }>;
  saved(): Array<Spec & { name: string }>;
  lastRange(): Range;
  setLastRange(r: Range): Promise<void>;
  addRecent(spec: Spec, at?: number): Promise<void>;
  clearRecent(): Promise<void>;
  save(name: string, spec: Spec): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(name: string): Promise<void>;
}
const { SearchStore } = loadExtensionModule<{ SearchStore: new (m: unknown) => Store }>('views/explorer/searchStore');

/** VS Code's Memento as workspaceState behaves: values are kept as given. */
class Memento {
  readonly data = new Map<string, unknown>();
  get<T>(k: string): T | undefined {
    return this.data.get(k) as T | undefined;
  }
  update(k: string, v: unknown): Promise<void> {
    this.data.set(k, JSON.parse(JSON.stringify(v)));
    return Promise.resolve();
  }
  keys(): string[] {
    return [...this.data.keys()];
  }
}

const q = (query: string, since = '1h'): Spec => ({ query, range: { since } });

describe('recent and saved searches (workspace state)', () => {
  it('keeps recent searches newest first, a repeat moving to the top, at most 20', async () => {
    const s = new SearchStore(new Memento());
    for (let i = 0; i < 25; i++) await s.addRecent(q(`{ .n = ${i} }`), 1000 + i);
    await s.addRecent(q('{ .n = 10 }'), 5000);
    const r = s.recent();
    assert.equal(r.length, 20);
    assert.deepEqual(r[0], { query: '{ .n = 10 }', range: { since: '1h' }, at: 5000 });
    assert.equal(r[1]!.query, '{ .n = 24 }');
    assert.equal(r.filter((x) => x.query === '{ .n = 10 }').length, 1);
    // Same query over another range is another search.
    await s.addRecent(q('{ .n = 10 }', '6h'), 6000);
    assert.equal(s.recent().filter((x) => x.query === '{ .n = 10 }').length, 2);
    await s.clearRecent();
    assert.deepEqual(s.recent(), []);
  });

  it('saves by name (sorted), replaces a name, renames and deletes', async () => {
    const s = new SearchStore(new Memento());
    await s.save('slow', q('{ duration > 2s }'));
    await s.save('errors', q('{ status = error }', '6h'));
    await s.save('slow', q('{ duration > 5s }'));
    assert.deepEqual(
      s.saved().map((x) => [x.name, x.query]),
      [
        ['errors', '{ status = error }'],
        ['slow', '{ duration > 5s }'],
      ],
    );
    await s.rename('errors', 'worker errors');
    assert.deepEqual(
      s.saved().map((x) => x.name),
      ['slow', 'worker errors'],
    );
    assert.deepEqual(s.saved()[1]!.range, { since: '6h' });
    await s.remove('slow');
    assert.deepEqual(
      s.saved().map((x) => x.name),
      ['worker errors'],
    );
  });

  it('reads stored values defensively: wrong shapes are skipped, the last range defaults to 1h', async () => {
    const m = new Memento();
    m.data.set('spanlens.search.recent', [{ query: '{}', range: { since: '1h' }, at: 1 }, { query: 5 }, 'x', { query: '{}', range: {}, at: 2 }]);
    m.data.set('spanlens.search.saved', { not: 'an array' });
    m.data.set('spanlens.search.range', { since: 3 });
    const s = new SearchStore(m);
    assert.equal(s.recent().length, 1);
    assert.deepEqual(s.saved(), []);
    assert.deepEqual(s.lastRange(), { since: '1h' });
    await s.setLastRange({ start: '2026-08-01T10:00:00Z', end: 'now' });
    assert.deepEqual(s.lastRange(), { start: '2026-08-01T10:00:00Z', end: 'now' });
  });
});
