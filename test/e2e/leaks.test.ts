/**
 * Nothing leaks from the extension, in a real VS Code (code-server, logging at trace level):
 * a bearer token (Tempo) and a basic-auth password (Loki) set through Set Credentials…, a proxy
 * password in `http.proxy`; every command path of the table below runs once per failure class
 * of the proxy in front of the backends (each answer echoing the request's headers back). Then
 * no secret, in any spelling, may be found in the workbench's text (notifications, the tree,
 * tooltips, webviews), the Spanlens output channel, or any file code-server wrote (its logs,
 * settings, storage — SecretStorage keeps nothing readable there) or the workspace holds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { parseTraceValue } from '../../src/core/formats';
import { startLokiFake, type LokiFake } from '../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../fakes/prometheus';
import { startTempoFake, type TempoFake } from '../fakes/tempo';
import { generatedLogs } from '../fuzz/seeds';
import { FAILURES, leaks, SECRETS, startGate, type Failure, type Gate } from '../support/leakGate';
import { generateTrace } from '../support/synth';
import { requestIdFor } from '../support/synth/prng';
import { launchEditor, waitFor, withScreenshotOnFailure, type Editor } from './support/codeServer';
import { answerInputBox, pickQuickItem, treeRowDescription } from './support/workbench';

/** What Tempo's row says for each failure class (the health probe's state). */
const TEMPO_STATE: Readonly<Record<Failure, RegExp>> = {
  ok: /^v3\.0\.3 · \d+ ms$/,
  unreachable: /^Unreachable · /,
  proxyRefuses: /^Unreachable · /,
  auth401: /^Unauthorised · /,
  auth403: /^Unauthorised · /,
  server5xx: /^Error · /,
  timeout: /^(Unreachable|Error) · /,
  badBody: /^Error · /,
  badJson: /^Error · /,
};

describe('no secret leaks from the extension (code-server)', { timeout: 900_000 }, () => {
  let ws: string;
  let ed: Editor;
  let tempo: TempoFake;
  let loki: LokiFake;
  let prom: PrometheusHarness;
  let gate: Gate;
  let traceId: string;

  before(async () => {
    const otlp = generateTrace({ spans: 12, seed: 8, startUnixNano: BigInt(Date.now() - 600_000) * 1_000_000n });
    traceId = parseTraceValue(otlp).traces[0]!.traceId;
    tempo = await startTempoFake({ traces: [{ otlp }] });
    loki = await startLokiFake({ entries: generatedLogs(), authEnabled: false });
    prom = await startPrometheus({ backfillHours: 1 });
    gate = await startGate(SECRETS.proxyUser, SECRETS.proxyPassword);
    ws = mkdtempSync(join(tmpdir(), 'spanlens-leaks-ws-'));
    writeFileSync(join(ws, 'README.md'), '# leaks\n');
    ed = await launchEditor({
      workspace: ws,
      name: 'leaks',
      args: ['--log', 'trace'],
      settings: {
        'spanlens.tempo.url': tempo.url,
        'spanlens.loki.url': loki.url,
        'spanlens.prometheus.url': prom.url,
        'spanlens.timeouts.headersMs': 1500,
        'spanlens.health.pollIntervalSeconds': 300,
        'http.proxy': gate.proxyUrl,
        'http.proxySupport': 'off', // VS Code's own fetches stay direct; Spanlens reads http.proxy itself
      },
    });
  });

  after(async () => {
    await ed?.close();
    await gate?.close();
    await tempo?.close();
    await loki?.close();
    await prom?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  const description = (name: string): Promise<string> => treeRowDescription(ed, name);

  const pick = (label: string): Promise<void> => pickQuickItem(ed, label, 15_000);

  const typeInto = (title: string, value: string): Promise<void> => answerInputBox(ed, title, value, 15_000);

  async function saved(backend: string): Promise<void> {
    await ed.page.locator('.notifications-toasts', { hasText: `Saved the credentials for ${backend}` }).first().waitFor({ state: 'visible', timeout: 30_000 });
  }

  /** The text of the trace panel showing `id`, if one is open (the webview renders into #app). */
  async function panelText(id: string): Promise<string | undefined> {
    for (const f of ed.page.frames()) {
      if (f === ed.page.mainFrame()) continue;
      const t = await f.evaluate(() => document.getElementById('app')?.innerText ?? '').catch(() => '');
      if (t.includes(id)) return t;
    }
    return undefined;
  }

  /** Text the user can see or reach: the workbench, every webview, open notifications and hovers. */
  async function visibleText(): Promise<string> {
    const parts: string[] = [];
    for (const f of ed.page.frames()) parts.push(await f.evaluate(() => document.body?.innerText ?? '').catch(() => ''));
    parts.push(await ed.page.evaluate(() => Array.from(document.querySelectorAll('[aria-label],[title]')).map((e) => `${e.getAttribute('aria-label') ?? ''} ${e.getAttribute('title') ?? ''}`).join('\n')));
    return parts.join('\n');
  }

  /**
   * The command paths, one line each: what runs once per failure class. A command added later
   * joins here.
   */
  const PATHS: readonly { readonly name: string; run(failure: Failure): Promise<void> }[] = [
    {
      name: 'Refresh Connections',
      run: async (failure) => {
        const before = gate.connects + gate.seen;
        await ed.runCommand('Spanlens: Refresh Connections');
        // This class's requests, then their outcome (two classes may end in the same state).
        await waitFor('the refresh to go through the proxy', () => gate.connects + gate.seen > before, 30_000);
        await waitFor(`Tempo to show ${failure}`, async () => TEMPO_STATE[failure].test(await description('Tempo')), 60_000);
      },
    },
    {
      name: 'Open Trace by ID',
      run: async (failure) => {
        // A trace id of its own per class, so each run opens (and fetches for) a panel of its own.
        const id = failure === 'ok' ? traceId : createHash('sha256').update(failure).digest('hex').slice(0, 32);
        // A panel that just loaded may take the focus, which closes a quick pick opened meanwhile: retry.
        await waitFor('the trace id to be entered', async () => {
          try {
            await ed.runCommand('Spanlens: Open Trace by ID');
            await ed.page.locator('.quick-input-widget input').first().fill(id, { timeout: 5000 });
            await ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Open this trace' }).first().click({ timeout: 5000 });
            return true;
          } catch {
            await ed.page.keyboard.press('Escape');
            return false;
          }
        }, 90_000);
        // The panel shows the trace or why not, under its id; either way the request has settled.
        await waitFor(`the panel of ${id} to show the trace or the error`, async () => {
          const t = await panelText(id);
          return t !== undefined && !/Loading trace/.test(t) && (failure !== 'ok' || /spans ·/.test(t));
        }, 60_000);
      },
    },
    {
      name: 'Look Up Request ID',
      run: async (failure) => {
        // The request's own x-request-id when the backends answer; an id of its own per class otherwise.
        const id = failure === 'ok' ? requestIdFor(8) : `leak-check-${failure}`;
        await waitFor('the request id to be entered', async () => {
          try {
            await ed.runCommand('Spanlens: Look Up Request ID');
            await ed.page.locator('.quick-input-widget input').first().fill(id, { timeout: 5000 });
            await ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Look up this' }).first().click({ timeout: 5000 });
            return true;
          } catch {
            await ed.page.keyboard.press('Escape');
            return false;
          }
        }, 90_000);
        // Every part (Tempo, Loki, Prometheus) has settled, found or failed, in the panel's header.
        await waitFor(`the lookup of ${id} to settle`, async () => {
          const t = await panelText(id);
          return t !== undefined && !/searching/.test(t) && (failure !== 'ok' || /spans ·/.test(t));
        }, 120_000);
      },
    },
  ];

  test(`${PATHS.length} command paths × ${FAILURES.length} failure classes: no secret in the UI, the output channel or any written file`, () =>
    withScreenshotOnFailure(ed, 'leaks', async () => {
      await ed.runCommand('View: Show Spanlens');
      await waitFor('Tempo connected through the proxy', async () => TEMPO_STATE.ok.test(await description('Tempo')), 60_000);
      await ed.runCommand('Spanlens: Set Credentials');
      await pick('Tempo');
      await pick('Bearer token');
      await typeInto('Bearer token for Tempo', SECRETS.token);
      // Saved before the next command opens the palette (F1 would dismiss an input still closing).
      await saved('Tempo');
      await ed.runCommand('Spanlens: Set Credentials');
      await pick('Loki');
      await pick('basic auth');
      await typeInto('User name for Loki', SECRETS.user);
      await typeInto('Password for Loki', SECRETS.password);
      await saved('Loki');
      await waitFor('Tempo connected with its token', async () => TEMPO_STATE.ok.test(await description('Tempo')), 60_000);

      const found: string[] = [];
      const only = process.env.SPANLENS_LEAKS_FAILURES?.split(',');
      try {
        for (const failure of FAILURES.filter((f) => !only || only.includes(f))) {
          gate.failure = failure;
          for (const p of PATHS) {
            await p.run(failure);
            for (const f of leaks(await visibleText())) found.push(`${p.name} / ${failure}: on screen: ${JSON.stringify(f)}`);
          }
        }
      } catch (err) {
        // What the extension said last, for the failure report.
        for (const f of [...walk(ed.userDataDir)].filter((x) => /Spanlens\.log$/.test(x))) {
          process.stderr.write(`--- ${relative(ed.userDataDir, f)}\n${readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}\n`);
        }
        throw err;
      }
      gate.failure = 'ok';
      assert.ok(gate.seen > 0, 'requests went through the proxy');

      // Everything code-server wrote (logs with the output channel at trace level, settings,
      // storage) and the workspace.
      const files = [...walk(ed.userDataDir), ...walk(ws)];
      const outputChannel = files.filter((f) => /Spanlens\.log$/.test(f));
      assert.ok(outputChannel.length > 0, 'the Spanlens output channel was written to disk');
      assert.match(outputChannel.map((f) => readFileSync(f, 'utf8')).join('\n'), /GET .*\/api\/status\/buildinfo/, 'its request log is in there');
      for (const f of files) {
        if (isUserSettings(f)) continue;
        for (const s of leaks(readFileSync(f).toString('latin1') + readFileSync(f, 'utf8'))) found.push(`file ${relative(ed.userDataDir, f)}: ${JSON.stringify(s)}`);
      }
      assert.deepEqual(found, []);
    }));
});

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile() && statSync(p).size < 64 * 1024 * 1024) yield p;
  }
}

/**
 * The user's own settings.json holds http.proxy as the user wrote it, password included (that is
 * VS Code's setting, not something Spanlens wrote); local history keeps copies of it.
 */
function isUserSettings(file: string): boolean {
  if (/User[/\\]settings\.json$/.test(file)) return true;
  const m = /^(.*User[/\\]History[/\\][^/\\]+)[/\\][^/\\]+$/.exec(file);
  if (!m) return false;
  try {
    return /User\/settings\.json/.test(readFileSync(join(m[1]!, 'entries.json'), 'utf8'));
  } catch {
    return false;
  }
}
