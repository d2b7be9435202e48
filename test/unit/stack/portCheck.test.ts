/** Ports already in use on this machine, found by listening, as Docker or kubectl would have to. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { portClashes, portInUse } from '../../../src/core/stack/portCheck';

function listen(port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, host, () => resolve(s));
  });
}

/** A run of `n` consecutive ports nothing listens on. */
async function freeRun(n: number): Promise<number> {
  for (let base = 20000 + Math.floor(Math.random() * 20000); ; base += n) {
    const busy = await Promise.all(Array.from({ length: n }, (_, i) => portInUse(base + i)));
    if (!busy.some(Boolean)) return base;
  }
}

describe('ports in use', () => {
  let base: number;
  const servers: Server[] = [];
  before(async () => {
    base = await freeRun(6);
    // base: taken on loopback; base+1: taken on every address; base+2: free; base+3: the stack's own.
    servers.push(await listen(base, '127.0.0.1'), await listen(base + 1, '0.0.0.0'));
  });
  after(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  it('a port another process listens on is in use, whether it bound loopback or every address', async () => {
    assert.equal(await portInUse(base), true);
    assert.equal(await portInUse(base + 1), true);
    assert.equal(await portInUse(base + 2), false);
    assert.equal(await portInUse(base, '0.0.0.0'), true, 'publishing on every address clashes with a loopback listener too');
  });

  it('each clash comes with the next free port, skipping busy ones and the stack\'s other ports', async () => {
    const clashes = await portClashes({ grafana: base, prometheus: base + 1, tempo: base + 3 });
    assert.deepEqual(clashes, [
      { name: 'grafana', port: base, free: base + 2 },
      { name: 'prometheus', port: base + 1, free: base + 4 },
    ]);
    assert.deepEqual(await portClashes({ tempo: base + 3 }), []);
  });
});
