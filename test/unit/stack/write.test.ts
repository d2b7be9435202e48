import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, planWrite, safeJoin, StackWriteError } from '../../../src/core/stack/write';
import { renderStack } from '../../../src/core/stack/render';
import { readStackDir } from '../../../src/core/stack/folder';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'spanlens-write-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function fresh(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  return dir;
}

describe('planWrite / applyPlan', () => {
  it('writes a new stack, then finds it unchanged', async () => {
    const dir = await fresh('new');
    const files = renderStack({ profile: 'compose' });
    const plan = await planWrite(dir, files);
    assert.ok(plan.entries.every((e) => e.status === 'new'));
    assert.match(plan.entries[0]!.diff, /^={10,}|--- \/dev\/null/m);
    const res = await applyPlan(plan);
    assert.equal(res.written.length, files.length);
    assert.deepEqual(await readStackDir(dir), files.filter((f) => /\.(ya?ml|json|alloy|conf|md)$/.test(f.path)));
    const again = await planWrite(dir, files);
    assert.ok(again.entries.every((e) => e.status === 'unchanged' && e.diff === ''));
    assert.deepEqual((await applyPlan(again)).written, []);
  });

  it('never overwrites a changed file without force, and writes nothing then', async () => {
    const dir = await fresh('changed');
    const files = renderStack({ profile: 'compose' });
    await applyPlan(await planWrite(dir, files));
    await writeFile(join(dir, 'loki/loki.yaml'), 'auth_enabled: true\n');
    const other = renderStack({ profile: 'compose', retention: { loki: '14d' } });
    const plan = await planWrite(dir, other);
    const changed = plan.entries.filter((e) => e.status === 'changed').map((e) => e.path);
    assert.ok(changed.includes('loki/loki.yaml'));
    assert.match(plan.entries.find((e) => e.path === 'loki/loki.yaml')!.diff, /^-auth_enabled: true$/m);
    await assert.rejects(applyPlan(plan), (err: unknown) => err instanceof StackWriteError && err.paths.includes('loki/loki.yaml'));
    assert.equal(await readFile(join(dir, 'loki/loki.yaml'), 'utf8'), 'auth_enabled: true\n');
    const res = await applyPlan(plan, { force: true });
    assert.ok(res.written.includes('loki/loki.yaml'));
    assert.equal(await readFile(join(dir, 'loki/loki.yaml'), 'utf8'), other.find((f) => f.path === 'loki/loki.yaml')!.content);
  });

  it('leaves no temporary files behind', async () => {
    const dir = await fresh('tmp');
    await applyPlan(await planWrite(dir, renderStack({ profile: 'k8s' })));
    const all = (await readdir(dir, { recursive: true })).map(String);
    assert.deepEqual(all.filter((f) => f.includes('.spanlens-')), []);
  });

  it('refuses when a file changed on disk after the plan', async () => {
    const dir = await fresh('race');
    const plan = await planWrite(dir, [{ path: 'a.yml', content: 'a: 1\n' }]);
    await writeFile(join(dir, 'a.yml'), 'a: 0\n');
    await assert.rejects(applyPlan(plan, { force: true }), /changed on disk after the plan/);
  });

  it('does not write through a symbolic link', async () => {
    const dir = await fresh('link');
    const outside = await fresh('outside');
    await symlink(outside, join(dir, 'grafana'));
    const plan = await planWrite(dir, [{ path: 'grafana/x.yaml', content: 'x: 1\n' }]);
    await assert.rejects(applyPlan(plan), /symbolic link/);
    assert.deepEqual(await readdir(outside), []);
  });

  it('rejects paths that leave the folder', () => {
    for (const bad of ['../x', '/etc/passwd', 'a/../../b', '', 'a//b']) {
      assert.throws(() => safeJoin('/tmp/stack', bad), StackWriteError, bad);
    }
    assert.equal(safeJoin('/tmp/stack', 'a/b.yml'), '/tmp/stack/a/b.yml');
  });
});
