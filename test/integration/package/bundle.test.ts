import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fixturePath } from '../../support/fixtures';

const root = resolve(__dirname, '../../..');
const vsix = join(root, '.build', 'spanlens.vsix');

// npm test packages before testing; these check what users actually get, not the sources.
test('the bundled spanlens bin runs on its own (no tsx, no sources)', () => {
  const cli = join(root, 'dist', 'cli.js');
  assert.ok(existsSync(cli), 'dist/cli.js: run npm run package first');
  const out = execFileSync(process.execPath, [cli, 'trace', 'summary', fixturePath('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json'), '--json'], { encoding: 'utf8' });
  const [summary] = JSON.parse(out) as Array<{ spanCount: number; root: { name: string } }>;
  assert.equal(summary!.spanCount, 40);
  assert.equal(summary!.root.name, 'GET /dispatch');
  const bad = spawnSync(process.execPath, [cli, 'trace', 'summary', join(root, 'package.json')], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1, 'one-line message');
});

test('the .vsix holds only what runs: bundles, webview assets, manifests, l10n — no sources or node_modules', () => {
  assert.ok(existsSync(vsix), '.build/spanlens.vsix: run npm run package first');
  const list = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
  const files = list.filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
  for (const must of ['dist/extension.js', 'dist/traceWorker.js', 'dist/logWorker.js', 'dist/cli.js', 'dist/webview/trace.js', 'dist/webview/trace.css', 'package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json']) {
    assert.ok(files.includes(must), `${must} missing from the vsix`);
  }
  const stray = files.filter((f) => /^(src|test|bench|scripts|node_modules|webview)\//.test(f) || f.endsWith('.ts') || f.endsWith('.map'));
  assert.deepEqual(stray, []);
});
