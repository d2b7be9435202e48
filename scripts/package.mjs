#!/usr/bin/env node
// Builds for production and packs the .vsix with @vscode/vsce. Everything at run time is
// bundled, so the package carries no node_modules (--no-dependencies); .vscodeignore keeps
// sources, tests and tools out.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { paths, root } from './paths.mjs';

const r1 = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production'], { stdio: 'inherit' });
if (r1.status !== 0) process.exit(r1.status ?? 1);
mkdirSync(dirname(paths.vsix), { recursive: true });
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const r2 = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', paths.vsix], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r2.status ?? 1);
