import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_TOTAL_BYTES, readStackDir, StackFolderTooLargeError } from '../../../src/core/stack/folder';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'spanlens-folder-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const MB = 1024 * 1024;

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

describe('readStackDir bounds', () => {
  it('caps the total at 32 MB', () => {
    assert.equal(MAX_TOTAL_BYTES, 32 * MB);
  });

  it('reads a folder under the cap', async () => {
    const dir = await folder('small', { 'a.yml': 'a: 1\n', 'sub/b.json': '{}' });
    assert.deepEqual((await readStackDir(dir, { maxTotalBytes: 16 })).map((f) => f.path), ['a.yml', 'sub/b.json']);
  });

  it('stops with a clear error once the files add up to more than the cap', async () => {
    const big = 'x'.repeat(0.6 * MB);
    const dir = await folder('large', { 'a.yml': big, 'b.yml': big, 'c.yml': big });
    await assert.rejects(readStackDir(dir, { maxTotalBytes: MB }), (err: Error) => {
      assert.ok(err instanceof StackFolderTooLargeError);
      assert.equal(err.limitBytes, MB);
      assert.match(err.message, /add up to more than 1 MB; choose the stack folder itself/);
      return true;
    });
  });

  it('checks the signal between files, not only before the walk', async () => {
    const dir = await folder('many', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${String(i).padStart(2, '0')}.yml`, 'a: 1\n'])));
    const controller = new AbortController();
    const signal = controller.signal;
    const check = signal.throwIfAborted.bind(signal);
    let checks = 0;
    // Abort once a few files are in: the walk must notice before it reads the rest.
    signal.throwIfAborted = () => {
      if (++checks === 5) controller.abort();
      check();
    };
    await assert.rejects(readStackDir(dir, { signal }), (err: Error) => err.name === 'AbortError');
    assert.equal(checks, 5);
  });

  it('rejects at once when already aborted', async () => {
    const dir = await folder('aborted', { 'a.yml': 'a: 1\n' });
    await assert.rejects(readStackDir(dir, { signal: AbortSignal.abort() }), (err: Error) => err.name === 'AbortError');
  });
});
