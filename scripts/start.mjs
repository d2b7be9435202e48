#!/usr/bin/env node
// `npm start`: builds Spanlens, installs it into a code-server of its own and serves that real
// VS Code on http://127.0.0.1:$SPANLENS_PORT (default 8080) with a sample workspace of traces,
// next to the local demo stack (Spanlens's own OTLP receiver and store as `spanlens serve`, a
// real Prometheus, and a Dynamo-shaped load generator on the OpenTelemetry SDK feeding both). The tools' own output goes to a log file (.cache/demo/start.log, or under
// SPANLENS_DEMO_DIR); the terminal gets one block at the end. Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { createInterface } from 'node:readline';
import { join, relative, resolve } from 'node:path';
import { paths, root } from './paths.mjs';
import { startBanner } from './startBanner.mjs';

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

// Everything the tools print (vsce's file listing, code-server's own log) goes to this file;
// the terminal gets a line per stage and, once all is up, one block with what to do next.
const demo = process.env.SPANLENS_DEMO_DIR ? resolve(process.env.SPANLENS_DEMO_DIR) : join(paths.cache, 'demo');
mkdirSync(demo, { recursive: true });
const logFile = join(demo, 'start.log');
writeFileSync(logFile, `npm start, ${new Date().toISOString()}\n`);
const logFd = openSync(logFile, 'a');
const children = [];
let stopping = false;
let serving = false;

function stage(what) {
  process.stdout.write(`spanlens: ${what}…\n`);
  writeSync(logFd, `\n== ${what}\n`);
}

/** Stops with the end of the log, which says why. */
function fail(what) {
  if (stopping) return;
  stopping = true;
  const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
  process.stderr.write(`\nspanlens: ${what}. The last lines of ${logFile}:\n\n${tail}\n`);
  for (const c of children) c.kill('SIGTERM');
  process.exit(1);
}

function must(what, cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', logFd, logFd], ...opts });
  if (r.status !== 0) fail(`${what} failed${r.error ? ` (${r.error.message})` : ` with exit code ${r.status}`}`);
}

/**
 * The set-up (idempotent; minutes on a fresh machine): its own progress lines reach the terminal,
 * the output of apt-get and npm only the log.
 */
async function runSetup() {
  const child = spawn(process.execPath, [join(root, 'scripts/setup.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      writeSync(logFd, `${line}\n`);
      const own = /^\[setup\] (.*)$/.exec(line);
      if (own && own[1] !== 'ready') process.stdout.write(`spanlens: ${own[1]}\n`);
    });
  }
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) fail(`the set-up failed with exit code ${code}`);
}

writeSync(logFd, '\n== set-up\n');
await runSetup();
stage('building and packaging Spanlens');
must('packaging', process.execPath, [join(root, 'scripts/package.mjs')]);

// A sample workspace: the real fixture traces plus generated Dynamo-shaped ones.
const ws = join(demo, 'workspace');
mkdirSync(join(ws, 'traces'), { recursive: true });
for (const sub of ['otlp', 'jaeger', 'zipkin', 'tempo']) {
  const dir = join(root, 'test', 'fixtures', sub);
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir)) if (f.endsWith('.json')) copyFileSync(join(dir, f), join(ws, 'traces', f));
}
const SAMPLE_TRACE = 'dynamo-request-200-spans.tempo.json';
must('writing the sample data', process.execPath, ['--import', 'tsx', join(root, 'scripts/sample-traces.ts'), ws]);
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
  // The demo's `spanlens serve` answers Loki's API on the same port as Tempo's.
  'spanlens.loki.url': 'http://127.0.0.1:3200',
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
stage('installing it into code-server');
must('installing the extension', paths.codeServerBin, [...common, '--force', '--install-extension', paths.vsix], { env });

const stop = () => {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

/** The demo stack's DEMO-READY line (what started, what could not); its output goes to the log. */
function startDemoStack() {
  const stack = join(root, 'scripts/demo-stack.ts');
  if (!existsSync(stack)) return Promise.resolve({ started: [], skipped: [], traceIds: [], requestIds: [] });
  const child = spawn(process.execPath, ['--import', 'tsx', stack], { cwd: root, stdio: ['ignore', 'pipe', logFd] });
  children.push(child);
  return new Promise((done) => {
    let buffered = '';
    child.stdout.on('data', (b) => {
      writeSync(logFd, b);
      buffered += b.toString();
      const line = buffered.split('\n').find((l) => l.startsWith('DEMO-READY '));
      if (line) done(JSON.parse(line.slice('DEMO-READY '.length)));
    });
    child.once('exit', (code) => fail(`the demo stack stopped (exit code ${code})`));
  });
}

stage('starting the demo backends');
const ready = await startDemoStack();
stage('starting VS Code (code-server)');
const server = spawn(
  paths.codeServerBin,
  [...common, '--bind-addr', `${host}:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', ws],
  { env, stdio: ['ignore', logFd, logFd] },
);
children.push(server);
server.on('exit', (code) => {
  if (!serving) fail(`code-server stopped before it served (exit code ${code})`);
  stop();
  process.exit(code ?? 0);
});
const probeHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
for (const deadline = Date.now() + 120_000; !serving; ) {
  if (Date.now() > deadline) fail(`code-server did not answer on ${host}:${port} within 2 minutes`);
  serving = await fetch(`http://${probeHost}:${port}/healthz`).then((r) => r.ok, () => false);
  if (!serving) await new Promise((r) => setTimeout(r, 250));
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));
const commands = new Map((pkg.contributes?.commands ?? []).map((c) => [c.command, String(c.title).replace(/^%(.*)%$/, (_, k) => nls[k] ?? k)]));
process.stdout.write(
  startBanner({
    url: `http://${probeHost}:${port}/?folder=${encodeURIComponent(ws)}`,
    started: ready.started,
    skipped: ready.skipped,
    traceFile: SAMPLE_TRACE,
    traceId: ready.traceIds[0],
    requestId: ready.requestIds[0],
    commands,
    logFile,
    cli: relative(process.cwd(), join(root, 'dist', 'cli.js')) || join(root, 'dist', 'cli.js'),
  }),
);
