#!/usr/bin/env node
// Runs test files with Node's own runner. Node 20's runner does not pick up .ts files by
// itself, so this lists them and hands them over with tsx as the loader.
// Usage: node scripts/run-tests.mjs [unit|e2e|all] [file-or-dir ...]
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..');
const [suite = 'all', ...paths] = process.argv.slice(2);
const dirs = paths.length ? paths : suite === 'all' ? ['test/unit', 'test/integration', 'test/e2e'] : [`test/${suite}`];

function collect(p) {
  const abs = resolve(root, p);
  let st;
  try { st = statSync(abs); } catch { return []; }
  if (st.isFile()) return [abs];
  return readdirSync(abs, { recursive: true })
    .map(String)
    .filter((f) => /\.test\.ts$/.test(f))
    .sort()
    .map((f) => join(abs, f));
}

const files = dirs.flatMap(collect);
// Screenshots are per run: a FAILED-*.png left from an earlier run would mislead.
if (files.some((f) => f.includes('/test/e2e/'))) rmSync(resolve(root, 'test-results'), { recursive: true, force: true });
if (!files.length) {
  console.error(`no test files under ${dirs.join(', ')}`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
