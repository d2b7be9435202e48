#!/usr/bin/env node
// Builds the bundles: the extension host (Node, CommonJS, `vscode` external), its trace worker
// thread, the trace webview (browser IIFE + its CSS) and the `spanlens` CLI. esbuild does not type-check:
// `npm run typecheck` (tsc -b) does.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './paths.mjs';

const production = process.argv.includes('--production');
const dist = join(root, 'dist');

export async function buildAll() {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, 'webview'), { recursive: true });
  const common = { bundle: true, sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning', legalComments: 'none' };
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'src/extension/extension.ts')],
      outfile: join(dist, 'extension.js'),
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
    }),
    // The trace worker thread: parses and lays out trace files off the extension host's thread.
    build({
      ...common,
      entryPoints: [join(root, 'src/extension/panels/traceWorker.ts')],
      outfile: join(dist, 'traceWorker.js'),
      platform: 'node',
      format: 'cjs',
      target: 'node20',
    }),
    build({
      ...common,
      entryPoints: [join(root, 'src/cli/main.ts')],
      outfile: join(dist, 'cli.js'),
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // esbuild keeps the entry's own #! line.
    }),
    build({
      ...common,
      entryPoints: [join(root, 'webview/trace/main.ts')],
      outfile: join(dist, 'webview', 'trace.js'),
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
    }),
  ]);
  copyFileSync(join(root, 'webview/trace/trace.css'), join(dist, 'webview', 'trace.css'));
}

/** Compared as real file URLs: a raw `file://` + argv[1] misses paths with spaces, % or symlinks. */
function isEntryPoint() {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false; // no argv[1] (node -e) or not a file path
  }
}

if (isEntryPoint()) {
  buildAll().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
