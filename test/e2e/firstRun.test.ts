/**
 * A new user's first minutes in a real VS Code (code-server), one server for the whole file:
 * Spanlens is active as the workbench starts (status bar and Connections state without opening
 * the view), the Getting Started walkthrough, environments added and switched without JSON, and
 * a stack rendered into a new folder with a port in use here, then validated. Each case leaves
 * the state the others rely on (the active environment) as it found it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { startLokiFake, type LokiFake } from '../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../fakes/prometheus';
import { startTempoFake, type TempoFake } from '../fakes/tempo';
import { demoDataset } from '../support/synth/demo';
import { launchEditor, waitFor, withScreenshotOnFailure, type Editor } from './support/codeServer';
import { pickQuickItem } from './support/workbench';

describe('first run in a real VS Code (code-server)', { timeout: 900_000 }, () => {
  let ws: string;
  let ed: Editor;
  let tempo: TempoFake;
  let loki: LokiFake;
  let prom: PrometheusHarness;

  before(async () => {
    const data = demoDataset();
    tempo = await startTempoFake({ traces: data.traces.map((t) => ({ otlp: t.otlp })) });
    loki = await startLokiFake({ entries: data.logs, authEnabled: false });
    prom = await startPrometheus({ backfillHours: 1 });
    ws = mkdtempSync(join(tmpdir(), 'spanlens-first-run-'));
    writeFileSync(join(ws, 'README.md'), '# first run\n');
    ed = await launchEditor({
      workspace: ws,
      name: 'first-run',
      settings: {
        'spanlens.tempo.url': tempo.url,
        'spanlens.loki.url': loki.url,
        'spanlens.prometheus.url': prom.url,
        'spanlens.health.pollIntervalSeconds': 300,
      },
    });
  });

  after(async () => {
    await ed?.close();
    await tempo?.close();
    await loki?.close();
    await prom?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  const quickInput = (): Locator => ed.page.locator('.quick-input-widget');
  const title = async (): Promise<string> => (await quickInput().locator('.quick-input-title').textContent().catch(() => '')) ?? '';
  const input = (): Locator => quickInput().locator('input[type="text"]').first();
  const statusItem = (): Locator => ed.page.locator('.statusbar-item[aria-label^="Spanlens environment"]').first();

  const pick = (text: string | RegExp): Promise<void> => pickQuickItem(ed, text);

  /** Waits for the input step titled `titleText` at `step`, types `value`, and accepts it. */
  async function answer(titleText: RegExp, value: string): Promise<void> {
    await waitFor(`the step ${titleText}`, async () => titleText.test(await title()) && (await input().isVisible()));
    await input().fill(value);
    await input().press('Enter');
  }

  async function notification(text: string | RegExp): Promise<Locator> {
    const toast = ed.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout: 60_000 });
    return toast;
  }

  test('active as the workbench starts: the status bar knows the backends before the view was opened', () =>
    withScreenshotOnFailure(ed, 'first-run-activation', async () => {
      // No command has run and the Spanlens view was never shown: only onStartupFinished activates.
      await waitFor('the environment item to report all connected', async () => /Spanlens environment "local": all connected/.test((await statusItem().getAttribute('aria-label')) ?? ''), 60_000);
      assert.equal(await ed.page.locator('.pane-header', { hasText: 'Connections' }).count(), 0, 'the Connections view was not opened');
      await ed.screenshot('first-run-status-bar');
      // Opening the view now shows the states that start-up check found.
      await ed.runCommand('View: Show Spanlens');
      const row = ed.page.locator('.monaco-list-row', { has: ed.page.locator('.label-name', { hasText: /^Tempo$/ }) }).first();
      await waitFor('Tempo with its version', async () => /^v3\.0\.3 · \d+ ms$/.test((await row.locator('.label-description').textContent().catch(() => '')) ?? ''), 30_000);
    }));

  test('Getting Started: four steps with buttons; connect is done once a backend answers, a button completes its step', () =>
    withScreenshotOnFailure(ed, 'first-run-walkthrough', async () => {
      await ed.runCommand('Spanlens: Get Started');
      const page = ed.page;
      const step = (id: string): Locator => page.locator(`.getting-started-step[data-step-id$="#${id}"]`).first();
      const done = (id: string): Locator => page.locator(`[data-done-step-id$="#${id}"]`).first();
      await step('connect').waitFor({ timeout: 30_000 });
      for (const [id, text] of [
        ['connect', 'Connect Tempo, Loki and Prometheus'],
        ['openTrace', 'Open a trace'],
        ['lookUpRequest', 'Look up a request id'],
        ['renderStack', 'Render a local stack'],
      ] as const) {
        assert.match(await step(id).innerText(), new RegExp(text));
      }
      const isDone = async (id: string): Promise<boolean> => /\bcomplete\b/.test((await done(id).getAttribute('class')) ?? '');
      assert.equal(await isDone('renderStack'), false);
      await ed.screenshot('first-run-walkthrough');
      // The connect step (open, as the first) has a button that checks the connections and completes it.
      await step('connect').locator('.monaco-button', { hasText: 'Check Connections' }).first().click();
      await waitFor('the connect step checked', () => isDone('connect'), 30_000);
      await step('renderStack').click();
      const button = step('renderStack').locator('.monaco-button', { hasText: 'Render Local Stack…' }).first();
      await button.waitFor({ timeout: 15_000 });
      await button.click();
      await waitFor('the render form', async () => /Render Local Stack: profile/.test(await title()));
      await page.keyboard.press('Escape');
      await waitFor('the render step checked', () => isDone('renderStack'), 30_000);
      assert.equal(await isDone('lookUpRequest'), false);
      await ed.runCommand('View: Close All Editors');
    }));

  test('Add and Edit Environment… check the URLs as typed and write the setting; the switcher lists it with its URLs', () =>
    withScreenshotOnFailure(ed, 'first-run-environments', async () => {
      await ed.runCommand('Spanlens: Add Environment');
      await answer(/Add Spanlens Environment/, 'staging');
      await waitFor('the Tempo step', async () => /Tempo's HTTP API/.test((await quickInput().locator('.quick-input-message').textContent()) ?? ''));
      await input().fill('tempo.staging:3200');
      const message = quickInput().locator('.quick-input-message');
      await waitFor('the URL to be refused as typed', async () => /must start with http:\/\/ or https:\/\//.test((await message.textContent()) ?? ''));
      await input().press('Enter');
      assert.match((await message.textContent()) ?? '', /must start with/, 'Enter does not accept a bad URL');
      await input().fill(tempo.url);
      await input().press('Enter');
      await waitFor('the Loki step', async () => /Loki's HTTP API/.test((await message.textContent()) ?? ''));
      await input().press('Enter'); // no Loki in this environment
      await waitFor('the Prometheus step', async () => /Prometheus' HTTP API/.test((await message.textContent()) ?? ''));
      await input().fill(prom.url);
      await input().press('Enter');
      await waitFor('the tenant step', async () => /X-Scope-OrgID/.test((await message.textContent()) ?? ''));
      await input().fill('team-a');
      await input().press('Enter');
      await pick('Verify certificates');
      const saved = await notification('Saved environment "staging"');
      await ed.screenshot('first-run-environment-saved');
      await saved.locator('.monaco-button', { hasText: 'Switch to "staging"' }).click();
      await waitFor('the status bar on staging', async () => /Spanlens environment "staging"/.test((await statusItem().getAttribute('aria-label')) ?? ''), 30_000);

      await ed.runCommand('Spanlens: Switch Environment');
      const row = quickInput().locator('.monaco-list-row', { hasText: 'staging' }).first();
      await row.waitFor({ timeout: 30_000 });
      const text = await row.innerText();
      assert.match(text, new RegExp(`Tempo ${tempo.url.replace(/[.]/g, '\\.')}`));
      assert.match(text, new RegExp(`Prometheus ${prom.url.replace(/[.]/g, '\\.')}`));
      assert.doesNotMatch(text, /Loki/);
      assert.match(await quickInput().locator('.monaco-list-row', { hasText: /^local/ }).first().innerText(), new RegExp(`Loki ${loki.url.replace(/[.]/g, '\\.')}`));
      await ed.screenshot('first-run-switcher');
      await pick(/^local/);
      await waitFor('the status bar back on local', async () => /Spanlens environment "local"/.test((await statusItem().getAttribute('aria-label')) ?? ''), 30_000);

      // Edit Environment… walks the same steps, starting from what is set.
      await ed.runCommand('Spanlens: Edit Environment');
      await pick('staging');
      const step = async (prompt: RegExp, value?: string): Promise<void> => {
        await waitFor(`the step ${prompt}`, async () => /Edit Spanlens Environment "staging"/.test(await title()) && prompt.test((await message.textContent()) ?? ''));
        if (value !== undefined) await input().fill(value);
        await input().press('Enter');
      };
      await step(/shown in the status bar/);
      await waitFor('the Tempo step, filled with the saved URL', async () => /Tempo's HTTP API/.test((await message.textContent()) ?? '') && (await input().inputValue()) === tempo.url);
      await step(/Tempo's HTTP API/);
      await step(/Loki's HTTP API/, loki.url);
      await step(/Prometheus' HTTP API/);
      await step(/X-Scope-OrgID/);
      await pick('Verify certificates');
      await notification('Saved environment "staging"');
      await ed.runCommand('Spanlens: Switch Environment');
      const edited = quickInput().locator('.monaco-list-row', { hasText: 'staging' }).first();
      await waitFor('staging with its Loki', async () => new RegExp(`Loki ${loki.url.replace(/[.]/g, '\\.')}`).test(await edited.innerText()));
      await ed.page.keyboard.press('Escape');
    }));

  test('Render Local Stack… into a new folder: a port in use here is flagged with a free one; Validate offers that folder first', () =>
    withScreenshotOnFailure(ed, 'first-run-render', async () => {
      const page = ed.page;
      // Something on this machine holds the port chosen for Grafana, as the running demo would.
      const busy: Server = await new Promise((resolve) => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => resolve(s));
      });
      const taken = (busy.address() as { port: number }).port;
      try {
        await ed.runCommand('Spanlens: Render Local Stack');
        await pick('Docker Compose');
        await waitFor('the components step', async () => /components/i.test(await title()));
        await input().press('Enter');
        await waitFor('the ports step', async () => /ports/.test(await title()));
        await pick('Grafana');
        await answer(/Port for Grafana/, String(taken));
        const grafana = quickInput().locator('.monaco-list-row', { hasText: /Grafana/ }).first();
        await waitFor('Grafana flagged as in use', async () => new RegExp(`${taken} — in use on this machine; \\d+ is free`).test((await grafana.innerText().catch(() => '')) ?? ''));
        const free = Number(new RegExp(`${taken} — in use on this machine; (\\d+) is free`).exec(await grafana.innerText())![1]);
        await ed.screenshot('first-run-port-in-use');
        await pick('Use these ports');
        await waitFor('the choice about the ports in use', async () => /\d+ ports? (is|are) in use on this machine/.test(await title()));
        assert.match(await quickInput().locator('.monaco-list-row', { hasText: 'Use the free ports' }).innerText(), new RegExp(`Grafana ${taken} → ${free}`));
        await pick('Use the free ports');
        for (let i = 0; i < 3; i++) {
          await waitFor('a retention prompt or the folder step', async () => /retention|folder to write into/.test(await title()));
          if (!/retention/.test(await title())) break;
          const before = await quickInput().locator('.quick-input-message').textContent();
          await input().press('Enter');
          await waitFor('the next step', async () => (await quickInput().locator('.quick-input-message').textContent()) !== before || !/retention/.test(await title()));
        }
        await waitFor('the folder step', async () => /folder to write into/.test(await title()));
        await pick('New folder…');
        await answer(/new folder/, 'observability/local');
        const target = join(ws, 'observability', 'local');
        const review = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Stack Review' }) }).first();
        await review.locator('.monaco-list-row', { hasText: 'docker-compose.yml' }).waitFor({ timeout: 30_000 });
        await waitFor('the review to say the folder is new', async () => new RegExp(`${target.replace(/[.]/g, '\\.')} will be created`).test(await review.innerText()));
        assert.ok(!existsSync(target), 'the folder is created only when the files are written');
        await page.locator('.part.sidebar .title-actions .action-label[aria-label^="Write Rendered Stack"]').click();
        // Only new files: no replace confirmation.
        await waitFor('the files on disk', () => existsSync(join(target, 'docker-compose.yml')), 60_000);
        const compose = readFileSync(join(target, 'docker-compose.yml'), 'utf8');
        assert.match(compose, new RegExp(`published: ${free}\\b`));
        assert.doesNotMatch(compose, new RegExp(`published: ${taken}\\b`));
        await notification('Point Spanlens at this stack');
      } finally {
        busy.close();
      }

      await ed.runCommand('Spanlens: Validate Stack Configs');
      const first = quickInput().locator('.monaco-list-row').first();
      await waitFor('the folder just rendered, first', async () => /local[\s\S]*Rendered last by Render Local Stack/.test((await first.innerText().catch(() => '')) ?? ''));
      await first.click();
      await notification(/No problems found in .*observability\/local/);
      await ed.screenshot('first-run-validated');
    }));
});
