#!/usr/bin/env node
// `npm test`: everything from a fresh clone — set-up (Debian packages, npm packages, Node 24,
// code-server), type-check, build and package the .vsix, then every test (unit, integration,
// end-to-end in code-server) in one run of Node's test runner.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './paths.mjs';
import { setup } from './setup.mjs';

function step(name, cmd, args) {
  const started = Date.now();
  process.stderr.write(`\n[test] ${name}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`[test] ${name} failed (exit ${r.status})\n`);
    process.exit(r.status || 1);
  }
  process.stderr.write(`[test] ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

setup();
step('type-check (tsc -b)', process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b']);
step('package the .vsix', process.execPath, [join(root, 'scripts/package.mjs')]);
step('tests', process.execPath, [join(root, 'scripts/run-tests.mjs'), 'all', ...process.argv.slice(2)]);
