/**
 * Extension area: how long activating Spanlens takes, the cost every VS Code window pays at
 * start-up since it activates on `onStartupFinished`.
 *   activate      loading dist/extension.js plus the activate() call (median of cold runs, ms;
 *                 target ≤ 50), as VS Code's "Running Extensions" counts code loading and
 *                 activation together
 *   activateCpu   the CPU time of that same stretch (user + system): on a machine shared with
 *                 other work the wall time includes waiting for a core, the CPU time barely does
 *   codeLoad      the require() of the bundle alone
 *   activateCall  the activate() call alone
 *   afterActivateStall  the longest the thread is blocked in the 500 ms after activate, by the
 *                 work activate deferred (the first health check loading the HTTP stack), so
 *                 that moving work out of activate cannot hide it
 * Method: `scripts/build.mjs --production` builds dist/ exactly as `npm run package` ships it
 * (this replaces a development build in dist/). Each run is a fresh Node process, so nothing is
 * warm: it loads the bundle against a stand-in for the `vscode` module (bench/vscodeStandIn.ts)
 * shaped like the real API, with package.json's setting defaults, which records registrations;
 * the run counts only if every command, the Connections view and the status bar item were
 * registered. The real extension host also loads other extensions and VS Code's API objects
 * around this, which the figure leaves out; it is Spanlens's own share.
 */
import { buildSync } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ROOT, type BenchArea, type Figures } from './lib';

const RUNS = 15;

function node(args: readonly string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (err, out, errOut) =>
      err ? fail(new Error(`node ${args.join(' ')} failed: ${errOut || err.message}`)) : done(out),
    );
  });
}

async function run(log: (line: string) => void): Promise<Figures> {
  log('building dist/ for production');
  await node([join(ROOT, 'scripts/build.mjs'), '--production']);
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-bench-activate-'));
  try {
    const child = join(dir, 'activateChild.js');
    buildSync({ entryPoints: [join(ROOT, 'bench/activateChild.ts')], outfile: child, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
    const runs: Record<string, number>[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const out = await node([child, ROOT, join(ROOT, 'dist/extension.js')]);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) throw new Error(`activateChild printed no RESULT line:\n${out}`);
      // The first run also warms the OS file cache; it is not counted.
      if (i > 0) runs.push(JSON.parse(line.slice(7)) as Record<string, number>);
    }
    log(`${RUNS} cold activations, ${runs[0]!.commands} commands registered each`);
    const m = (k: string): number => median(runs.map((r) => r[k]!));
    return { 'activate.ms': m('activate'), 'activateCpu.ms': m('activateCpu'), 'codeLoad.ms': m('codeLoad'), 'activateCall.ms': m('activateCall'), 'afterActivateStall.ms': m('afterStall') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const extensionArea: BenchArea = {
  name: 'extension',
  description: 'cold activation of the production bundle (code load + activate) against a recording vscode stand-in',
  run,
};
