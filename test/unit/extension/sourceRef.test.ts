import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadExtensionModule } from './load';

type Ref = { kind: 'file'; uri: string } | { kind: 'tempo'; environment: string; traceId: string };
interface Signer {
  sign(ref: Ref): Promise<string>;
  verify(signed: unknown): Promise<Ref | undefined>;
}
const { SourceSigner } = loadExtensionModule<{ SourceSigner: new (secrets: unknown) => Signer }>('panels/sources/sourceRef');

/** SecretStorage as VS Code provides it: get/store by key. */
function secrets() {
  const m = new Map<string, string>();
  return { get: async (k: string) => m.get(k), store: async (k: string, v: string) => void m.set(k, v), delete: async (k: string) => void m.delete(k), onDidChange: () => ({ dispose() {} }), keys: async () => [...m.keys()] };
}

test('a revived panel opens only references this extension signed', async () => {
  const store = secrets();
  const signer = new SourceSigner(store as never);
  const ref = { kind: 'file' as const, uri: 'file:///work/traces/t.json' };
  const signed = await signer.sign(ref);
  assert.deepEqual(await signer.verify(signed), ref);
  // The key lives in SecretStorage: a new signer (after a reload) still accepts it.
  assert.deepEqual(await new SourceSigner(store as never).verify(signed), ref);
  const tempo = { kind: 'tempo' as const, environment: 'prod', traceId: 'ab'.repeat(16) };
  assert.deepEqual(await signer.verify(await signer.sign(tempo)), tempo);

  // What a page could make up: plain references, edited bodies, other keys, junk.
  const forged = Buffer.from(JSON.stringify({ kind: 'file', uri: 'file:///etc/passwd' })).toString('base64url');
  const [body, mac] = signed.split('.');
  const other = await new SourceSigner(secrets() as never).sign({ kind: 'file', uri: 'file:///etc/passwd' });
  for (const bad of ['file:///etc/passwd', `${forged}.${mac}`, `${body}.${mac!.slice(0, -2)}AA`, other, `${body}`, '', 42, null, { source: signed }, 'x'.repeat(10_000)]) {
    assert.equal(await signer.verify(bad), undefined, String(bad).slice(0, 40));
  }
  // A signed reference of an unknown shape is refused too.
  assert.equal(await signer.verify(await signer.sign({ kind: 'tempo', environment: 'prod', traceId: '../x' } as never)), undefined);
});
