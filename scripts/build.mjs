#!/usr/bin/env node
// Builds the bundles: the extension host (Node, CommonJS, `vscode` external), its trace and
// log-file worker threads, each webview entry (browser IIFE + its CSS) and the `spanlens` CLI. esbuild does not
// type-check: `npm run typecheck` (tsc -b) does.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './paths.mjs';

const production = process.argv.includes('--production');

/**
 * The webview application's entries: webview/<entry>/main.ts → dist/webview/<entry>.js, and
 * webview/shared/base.css + webview/<entry>/<entry>.css → dist/webview/<entry>.css. A new view
 * adds its name here and a folder; the host loads it by name (src/extension/webview/html.ts).
 */
export const WEBVIEW_ENTRIES = ['trace', 'metrics'];
const dist = join(root, 'dist');

/** The host bundle's `undici` imports load dist/undici.js, beside it, when first run. */
const undiciApart = {
  name: 'undici-apart',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
  },
};

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
      plugins: [undiciApart],
    }),
    // undici is a third of the host bundle and first needed by the first request, after
    // activation: in a file of its own, VS Code does not read and compile it to activate Spanlens.
    build({
      ...common,
      stdin: { contents: "module.exports = require('undici');", resolveDir: root, loader: 'js' },
      outfile: join(dist, 'undici.js'),
      platform: 'node',
      format: 'cjs',
      target: 'node20',
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
    // The log-file worker thread: reads and indexes log files of any size off the host's thread.
    build({
      ...common,
      entryPoints: [join(root, 'src/extension/logs/logWorker.ts')],
      outfile: join(dist, 'logWorker.js'),
      platform: 'node',
      format: 'cjs',
      target: 'node20',
    }),
    // The local capture's worker thread: OTLP receivers, store and query endpoint off the host's thread.
    build({
      ...common,
      entryPoints: [join(root, 'src/extension/capture/captureWorker.ts')],
      outfile: join(dist, 'captureWorker.js'),
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
    ...WEBVIEW_ENTRIES.map((entry) =>
      build({
        ...common,
        entryPoints: [join(root, 'webview', entry, 'main.ts')],
        outfile: join(dist, 'webview', `${entry}.js`),
        platform: 'browser',
        format: 'iife',
        target: 'chrome120',
      }),
    ),
  ]);
  const base = readFileSync(join(root, 'webview/shared/base.css'), 'utf8');
  for (const entry of WEBVIEW_ENTRIES) {
    writeFileSync(join(dist, 'webview', `${entry}.css`), `${base}\n${readFileSync(join(root, 'webview', entry, `${entry}.css`), 'utf8')}`);
  }
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
