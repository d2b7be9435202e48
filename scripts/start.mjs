#!/usr/bin/env node
// `npm start`: builds Spanlens, installs it into a code-server of its own and serves that real
// VS Code on http://127.0.0.1:$SPANLENS_PORT (default 8080) with a sample workspace of traces,
// next to the local demo stack (contract fakes of Tempo and Loki, a real Prometheus) when the
// project has one. Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { join } from 'node:path';
import { paths, root } from './paths.mjs';
import { setup } from './setup.mjs';

const port = Number(process.env.SPANLENS_PORT ?? 8080);
const host = process.env.SPANLENS_HOST ?? '127.0.0.1';

/** 127.0.0.0/8, ::1 (bare or bracketed) and localhost. */
function isLoopback(h) {
  const bare = h.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIPv4(bare) && bare.startsWith('127.');
}

// The demo serves code-server with `--auth none`, i.e. an unauthenticated VS Code with a
// terminal: a shell for whoever can reach the port. So it binds only to loopback unless
// SPANLENS_ALLOW_REMOTE=1 says the user accepts exposing it (e.g. inside a private VM).
if (!isLoopback(host) && process.env.SPANLENS_ALLOW_REMOTE !== '1') {
  console.error(
    `Refusing SPANLENS_HOST=${host}: the demo VS Code has no password and would give a shell to anyone on the network. Use a loopback address, or set SPANLENS_ALLOW_REMOTE=1 to accept that.`,
  );
  process.exit(1);
}

function must(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status || 1);
}

setup();
must(process.execPath, [join(root, 'scripts/package.mjs')]);

// A sample workspace: the real fixture traces plus generated Dynamo-shaped ones.
const demo = join(paths.cache, 'demo');
const ws = join(demo, 'workspace');
mkdirSync(join(ws, 'traces'), { recursive: true });
for (const sub of ['otlp', 'jaeger', 'zipkin', 'tempo']) {
  const dir = join(root, 'test', 'fixtures', sub);
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir)) if (f.endsWith('.json')) copyFileSync(join(dir, f), join(ws, 'traces', f));
}
must(process.execPath, ['--import', 'tsx', join(root, 'scripts/sample-traces.ts'), ws]);
writeFileSync(
  join(ws, 'README.md'),
  '# Spanlens sample workspace\n\nRight-click a file in `traces/` → **Spanlens: Open Trace File…**, or run that command from the palette (F1).\n',
);

const userData = join(demo, 'user-data');
const extensions = join(demo, 'extensions');
mkdirSync(join(userData, 'User'), { recursive: true });
const settingsFile = join(userData, 'User', 'settings.json');
// Defaults for a quiet demo; a setting the user changed in the demo is kept.
const demoDefaults = {
  'workbench.startupEditor': 'readme',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  // The demo workspace sits inside this repository's .cache/; don't offer to open the repo.
  'git.openRepositoryInParentFolders': 'never',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};
let current = {};
try {
  current = JSON.parse(readFileSync(settingsFile, 'utf8'));
} catch {
  current = {};
}
writeFileSync(settingsFile, JSON.stringify({ ...demoDefaults, ...current }, null, 2));
const config = join(demo, 'config.yaml');
writeFileSync(config, 'auth: none\ncert: false\n');
const env = { ...process.env, PATH: `${paths.node24Bin}:${process.env.PATH}` };
const common = ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', config];
must(paths.codeServerBin, [...common, '--force', '--install-extension', paths.vsix], { env });

const children = [];
const stack = join(root, 'scripts/demo-stack.ts');
if (existsSync(stack)) {
  children.push(spawn(process.execPath, ['--import', 'tsx', stack], { cwd: root, stdio: 'inherit' }));
}
const server = spawn(
  paths.codeServerBin,
  [...common, '--bind-addr', `${host}:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', ws],
  { env, stdio: 'inherit' },
);
children.push(server);
console.log(`\nSpanlens in VS Code: http://${host}:${port}/?folder=${encodeURIComponent(ws)}\n`);
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => {
  stop();
  process.exit(code ?? 0);
});
