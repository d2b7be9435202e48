/**
 * One cold activation, in a fresh process with no TypeScript loader: bench/extension.ts bundles
 * this file with esbuild and runs it as plain JavaScript, so nothing but Node itself stands
 * between the measurement and dist/extension.js.   activateChild.js ROOT EXTENSION_JS
 *   codeLoad     require() of the bundle: parse and run its top level, as VS Code's loader does
 *   activateCall the activate() call, until it returns (or its promise settles)
 *   activate     both: what VS Code reports as the extension's activation time
 *   activateCpu  the CPU time (user + system) of the same stretch: on a machine shared with other
 *                work, wall time includes waiting for a core, CPU time much less so
 *   afterStall   the longest the thread is then blocked in the next 500 ms, i.e. by the work
 *                activate deferred (the first health check loads the HTTP stack)
 * Exits non-zero when activate did not register every command of package.json, create the
 * Connections view or show the status bar item: a fast activation that skipped work is no figure.
 * Prints `RESULT {json}`.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { longestStall } from './stall';
import * as standIn from './vscodeStandIn';

const [root, extensionJs] = process.argv.slice(2);
if (!root || !extensionJs) throw new Error('usage: activateChild.js ROOT EXTENSION_JS');

type Resolver = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolver; _cache: Record<string, unknown> };
const resolveFilename = loader._resolveFilename;
loader._resolveFilename = function (request: string, ...rest: unknown[]): string {
  return request === 'vscode' ? 'vscode' : resolveFilename.call(this, request, ...rest);
};
const vscodeModule = new Module('vscode');
vscodeModule.exports = standIn;
vscodeModule.loaded = true;
loader._cache['vscode'] = vscodeModule;

async function main(): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(root!, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[]; configuration?: { properties?: Record<string, { default?: unknown }> } } } & Record<string, unknown>;
  standIn.useConfigurationDefaults(pkg);
  const context = standIn.extensionContext(root!, pkg);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(extensionJs!) as { activate(ctx: unknown): unknown };
  const t1 = performance.now();
  await extension.activate(context);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);

  const [afterStall] = await longestStall(() => new Promise((done) => setTimeout(done, 500)));

  const r = standIn.recorded;
  const missing = pkg.contributes.commands.map((c) => c.command).filter((id) => !r.commands.includes(id));
  const problems = [
    ...missing.map((id) => `command ${id} was not registered`),
    ...(r.treeViews.includes('spanlens.connections') ? [] : ['the Connections view was not created']),
    ...(r.statusBarItems.some((s) => s.id === 'spanlens.environment' && s.shown && s.text) ? [] : ['the environment status bar item is not showing']),
    ...r.messages.map((m) => `activate showed a message: ${m}`),
  ];
  if (problems.length) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`RESULT ${JSON.stringify({ codeLoad: t1 - t0, activateCall: t2 - t1, activate: t2 - t0, activateCpu: (cpu.user + cpu.system) / 1000, afterStall, commands: r.commands.length })}\n`);
  // The health check activate started would go on to the network; the figure is taken.
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
