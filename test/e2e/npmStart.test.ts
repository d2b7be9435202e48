/**
 * `npm start` as a new user runs it: the terminal shows a line per stage and, once VS Code and
 * the demo answer, one block with the URL, the demo endpoints and what to try first; vsce's file
 * listing and code-server's log go to the log file instead.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../fakes/server';
import { waitFor } from './support/codeServer';

const root = resolve(__dirname, '../..');

describe('npm start', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-npm-start-'));
  let child: ChildProcess | undefined;
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends with one block: the URL, the demo endpoints, what to try; the tools\' output is in the log', async () => {
    const port = await freePort();
    let stdout = '';
    let stderr = '';
    const proc = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env: { ...process.env, SPANLENS_PORT: String(port), SPANLENS_DEMO_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    proc.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    await waitFor('the closing block', () => {
      if (proc.exitCode !== null) throw new Error(`npm start exited ${proc.exitCode}:\n${stdout}\n${stderr}`);
      return /Ctrl\+C stops everything\.\n─+\n$/.test(stdout);
    }, 240_000);

    const [before, block] = stdout.split(/\n(?=─{20,}\n)/, 2) as [string, string];
    // Before the block: one short line per stage (and per install step, when the set-up has one
    // to do), nothing from the tools themselves.
    const lines = before.trim().split('\n');
    assert.deepEqual(lines.filter((l) => !l.startsWith('spanlens: ')), [], before);
    assert.deepEqual(lines.filter((l) => /…$/.test(l)).slice(-4), [
      'spanlens: building and packaging Spanlens…',
      'spanlens: installing it into code-server…',
      'spanlens: starting the demo backends…',
      'spanlens: starting VS Code (code-server)…',
    ]);
    assert.equal(stderr, '');
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(join(dir, 'workspace'))}`;
    assert.match(block, new RegExp(`^ {4}${url.replace(/[.?%/]/g, '\\$&')}$`, 'm'));
    // The demo's backends: Spanlens's own capture answering Tempo and Loki, and a real Prometheus.
    // Another program may hold a demo port on a shared machine: then the block says so.
    for (const [name, endpoint] of [['Spanlens capture \\(spanlens serve\\)(: Tempo \\+ Loki API)?', ':3200'], ['Prometheus \\(real\\)', ':9090']]) {
      assert.match(block, new RegExp(`^ {4}${name}\\s+(http://127\\.0\\.0\\.1${endpoint}|not started: .+)$`, 'm'), block);
    }
    assert.match(block, /Try first:\n {4}1\. .+\n {4}2\. .*Open Trace File/);
    assert.ok((await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 'the URL answers');

    const log = join(dir, 'start.log');
    assert.match(block, new RegExp(`log: ${log.replace(/[.]/g, '\\.')}`));
    assert.ok(existsSync(log));
    const text = readFileSync(log, 'utf8');
    assert.match(text, /DONE {2}Packaged: .*spanlens\.vsix/, 'vsce in the log');
    assert.match(text, /[├└]─ /, "vsce's file listing in the log");
    assert.match(text, /HTTP server listening on http:\/\/127\.0\.0\.1:/, "code-server's log in the log");
    assert.doesNotMatch(stdout, /DONE {2}Packaged|[├└]─ |HTTP server listening|\] info /);
  });
});
