import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkInside, resolveSourcePath, sanitizePath, type SourceFs } from '../../../src/core/source/resolve';
import { nodeSourceFs } from '../../../src/core/source/nodeFs';

let ws: string;
let outside: string;
let fs: SourceFs;

before(() => {
  ws = realpathSync(mkdtempSync(join(tmpdir(), 'spanlens-ws-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'spanlens-out-')));
  for (const f of ['lib/runtime/src/pipeline.rs', 'lib/llm/src/engine.rs', 'components/frontend/src/dynamo/frontend/main.py', 'other/src/engine.rs', 'a/x.py', 'b/x.py']) {
    mkdirSync(join(ws, f, '..'), { recursive: true });
    writeFileSync(join(ws, f), '// code\n');
  }
  writeFileSync(join(outside, 'secret.py'), 'SECRET = 1\n');
  symlinkSync(join(outside, 'secret.py'), join(ws, 'a', 'link.py'));
  symlinkSync(outside, join(ws, 'escape'));
  fs = nodeSourceFs(ws);
});

after(() => {
  rmSync(ws, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const resolve = (path: string, mappings = [{ from: '/opt/dynamo', to: '' }].slice(0, 0)) => resolveSourcePath({ path, roots: [ws], mappings, fs });

test('refusals before the disk is touched: .., other schemes, UNC and \\\\?\\, encoded variants', () => {
  const refused: Array<[string, string]> = [
    ['../etc/passwd', 'parent'],
    ['lib/../../etc/passwd', 'parent'],
    ['..\\..\\windows\\win.ini', 'parent'],
    ['%2e%2e/%2e%2e/etc/passwd', 'parent'],
    ['%252e%252e%252fetc%252fpasswd', 'parent'],
    ['file:///work/../etc/passwd', 'parent'],
    ['file:///work/%2e%2e/etc/passwd', 'parent'],
    ['http://example.com/x.py', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['vscode-remote://ssh/etc/passwd', 'scheme'],
    ['command:workbench.action.terminal.new', 'scheme'],
    ['\\\\server\\share\\x.py', 'unc'],
    ['//server/share/x.py', 'unc'],
    ['\\\\?\\C:\\x.py', 'unc'],
    ['%5c%5cserver%5cshare%5cx.py', 'unc'],
    ['file://evil.example.com/x.py', 'unc'],
    ['', 'empty'],
    ['a\u0000b', 'empty'],
  ];
  for (const [p, why] of refused) {
    const s = sanitizePath(p);
    assert.equal(s.ok, false, p);
    assert.equal((s as { refused: string }).refused, why, p);
  }
  for (const p of ['/opt/dynamo/lib/x.rs', 'lib/x.rs', './lib//x.rs', 'C:\\src\\x.py', 'file:///opt/x.py', 'file:/opt/x.py', 'file://localhost/opt/x.py', 'x%2Fy.py', '100%.py']) {
    assert.equal(sanitizePath(p).ok, true, p);
  }
});

test('a path inside the workspace opens as it is; relative paths are tried under each folder', async () => {
  const abs = await resolve(join(ws, 'lib/llm/src/engine.rs'));
  assert.deepEqual(abs, { ok: true, files: [{ path: join(ws, 'lib/llm/src/engine.rs'), how: 'workspace' }] });
  const rel = await resolve('lib/runtime/src/pipeline.rs');
  assert.deepEqual(rel, { ok: true, files: [{ path: join(ws, 'lib/runtime/src/pipeline.rs'), how: 'relative' }] });
  const uri = await resolve(`file://${join(ws, 'a/x.py')}`);
  assert.equal(uri.ok && uri.files[0]!.path, join(ws, 'a/x.py'));
});

test('a container path is mapped by pathMappings first, else by the longest suffix in the workspace', async () => {
  const mapped = await resolveSourcePath({ path: '/opt/dynamo/lib/runtime/src/pipeline.rs', roots: [ws], mappings: [{ from: '/opt/dynamo', to: ws }], fs });
  assert.deepEqual(mapped, { ok: true, files: [{ path: join(ws, 'lib/runtime/src/pipeline.rs'), how: 'mapping' }] });
  const bySuffix = await resolve('/opt/dynamo/lib/llm/src/engine.rs');
  assert.deepEqual(bySuffix, { ok: true, files: [{ path: join(ws, 'lib/llm/src/engine.rs'), how: 'suffix' }] }, 'lib/llm/src/engine.rs beats other/src/engine.rs');
  const cargo = await resolve('/root/.cargo/registry/src/index.crates.io-1/dynamo/components/frontend/src/dynamo/frontend/main.py');
  assert.equal(cargo.ok && cargo.files[0]!.path, join(ws, 'components/frontend/src/dynamo/frontend/main.py'));
  // Two files share the best suffix: both are offered, the user picks.
  const two = await resolve('/build/x.py');
  assert.equal(two.ok && two.files.length, 2);
});

test('a mapping that points outside the workspace, an absolute path outside, and symlinks out are refused', async () => {
  const out = await resolveSourcePath({ path: '/opt/dynamo/secret.py', roots: [ws], mappings: [{ from: '/opt/dynamo', to: outside }], fs });
  assert.deepEqual(out, { ok: false, refused: 'outside', path: '/opt/dynamo/secret.py' });
  assert.deepEqual(await resolve(join(outside, 'secret.py')), { ok: false, refused: 'outside', path: join(outside, 'secret.py') });
  assert.deepEqual(await resolve(join(ws, 'a/link.py')), { ok: false, refused: 'symlink', path: join(ws, 'a/link.py') });
  assert.deepEqual(await resolve('escape/secret.py'), { ok: false, refused: 'symlink', path: 'escape/secret.py' });
  // A file name that matches nothing.
  assert.deepEqual(await resolve('nowhere/missing.go'), { ok: false, notFound: true, path: 'nowhere/missing.go' });
});

test('one gate for every way a file is found (symbols too): segment-wise inside, symbolic links followed', async () => {
  const check = (p: string) => checkInside(p, [ws], fs);
  assert.equal(await check(join(ws, 'a/x.py')), 'inside');
  // A sibling folder whose name starts with the workspace's is not inside it.
  assert.equal(await check(`${ws}-other/x.py`), 'outside');
  assert.equal(await check(join(outside, 'secret.py')), 'outside');
  assert.equal(await check(join(ws, 'a/link.py')), 'symlink');
  assert.equal(await check(join(ws, 'escape/secret.py')), 'symlink');
  assert.equal(await check(join(ws, 'a/none.py')), 'missing');
  assert.equal(await check(join(ws, 'a')), 'missing', 'a folder is not a file to open');
});
