/**
 * The Connections view in a real VS Code (code-server): with the Tempo and Loki fakes and a real
 * Prometheus running, all three show connected with their versions; after Loki is stopped and
 * the view refreshed, Loki shows unreachable with its URL. A workspace setting that repoints
 * `prod` at another Tempo gets no credentials until the user agrees in a modal naming both
 * origins. Screenshots go to test-results/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { startLokiFake, type LokiFake } from '../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../fakes/prometheus';
import { startTempoFake, type TempoFake } from '../fakes/tempo';
import { demoDataset } from '../support/synth/demo';
import { launchEditor, waitFor, withScreenshotOnFailure, type Editor } from './support/codeServer';
import { answerInputBox, pickQuickItem, treeRow, treeRowDescription } from './support/workbench';

describe('Connections view in a real VS Code (code-server)', { timeout: 600_000 }, () => {
  let ws: string;
  let ed: Editor;
  let tempo: TempoFake;
  /** Where a workspace setting repoints `prod`: same gateway password, another origin and version. */
  let tempoElsewhere: TempoFake;
  let loki: LokiFake;
  let prom: PrometheusHarness;

  before(async () => {
    const data = demoDataset();
    // Behind an auth gateway: the first state is "unauthorised" until credentials are set.
    tempo = await startTempoFake({ traces: data.traces.map((t) => ({ otlp: t.otlp })), gateway: { basic: { user: 'grafana', password: 'e2e-pass' } } });
    tempoElsewhere = await startTempoFake({ traces: [], version: 'v3.0.9-elsewhere', gateway: { basic: { user: 'grafana', password: 'e2e-pass' } } });
    loki = await startLokiFake({ entries: data.logs, authEnabled: false });
    prom = await startPrometheus({ backfillHours: 1 });
    ws = mkdtempSync(join(tmpdir(), 'spanlens-ws-'));
    writeFileSync(join(ws, 'README.md'), '# connections\n');
    ed = await launchEditor({
      workspace: ws,
      name: 'connections',
      settings: {
        'spanlens.tempo.url': tempo.url,
        'spanlens.loki.url': loki.url,
        'spanlens.prometheus.url': prom.url,
        'spanlens.environments': { prod: { tempoUrl: tempo.url, lokiUrl: loki.url, prometheusUrl: prom.url } },
        'spanlens.health.pollIntervalSeconds': 300,
      },
    });
  });

  after(async () => {
    await ed?.close();
    await tempo?.close();
    await tempoElsewhere?.close();
    await loki?.close();
    await prom?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  const row = (name: string): Locator => treeRow(ed, name);
  const description = (name: string): Promise<string> => treeRowDescription(ed, name);

  const pick = (label: string): Promise<void> => pickQuickItem(ed, label, 15_000);

  const typeInto = (title: string, value: string): Promise<void> => answerInputBox(ed, title, value, 15_000);

  test('credentials from Set Credentials…; all three connected with versions; a stopped one turns unreachable with its URL', () =>
    withScreenshotOnFailure(ed, 'connections', async () => {
      await ed.runCommand('View: Show Spanlens');
      await waitFor('Tempo unauthorised', async () => (await description('Tempo')) === `Unauthorised · ${tempo.url}`, 60_000);
      await ed.screenshot('connections-tempo-unauthorised');
      await ed.runCommand('Spanlens: Set Credentials');
      await pick('Tempo');
      await pick('basic auth');
      await typeInto('User name for Tempo', 'grafana');
      await typeInto('Password for Tempo', 'e2e-pass');
      for (const [name, version] of [
        ['Tempo', 'v3.0.3'],
        ['Loki', '3.7.6'],
        ['Prometheus', prom.version],
      ] as const) {
        await waitFor(`${name} connected with version ${version}`, async () => (await description(name)).startsWith(version), 60_000);
      }
      assert.match(await description('Tempo'), /^v3\.0\.3 · \d+ ms$/);
      const status = ed.page.locator('.statusbar-item', { hasText: 'local' }).first();
      await waitFor('the status bar to say all connected', async () => /all connected/.test((await status.getAttribute('aria-label')) ?? ''));
      await ed.screenshot('connections-all-connected');

      await loki.close();
      await ed.runCommand('Spanlens: Refresh Connections');
      await waitFor('Loki unreachable with its URL', async () => (await description('Loki')) === `Unreachable · ${loki.url}`, 60_000);
      assert.ok((await description('Tempo')).startsWith('v3.0.3'));
      assert.ok((await description('Prometheus')).startsWith(prom.version));
      await waitFor('the status bar to warn', async () => /some backends down/.test((await status.getAttribute('aria-label')) ?? ''));

      // The workbench shows a tree item's tooltip after the pointer rests on its label.
      const label = row('Loki').locator('.label-name');
      const hover = ed.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'connection refused' }).first();
      await waitFor('the tooltip with the error', async () => {
        const box = await label.boundingBox();
        if (!box) return false;
        await ed.page.mouse.move(box.x + box.width + 400, box.y + 300);
        await ed.page.mouse.move(box.x + 4, box.y + box.height / 2, { steps: 4 });
        return hover.waitFor({ state: 'visible', timeout: 5000 }).then(
          () => true,
          () => false,
        );
      }, 45_000);
      assert.match(await hover.innerText(), new RegExp(loki.url.replace(/[.]/g, '\\.')));
      await ed.screenshot('connections-loki-unreachable');
    }));

  test('a workspace setting that repoints prod gets its credentials only after a modal naming both origins', () =>
    withScreenshotOnFailure(ed, 'connections-repoint', async () => {
      const settingsFile = join(ws, '.vscode', 'settings.json');
      try {
        await ed.runCommand('Spanlens: Switch Environment');
        await pick('prod');
        await waitFor('prod: Tempo unauthorised', async () => (await description('Tempo')) === `Unauthorised · ${tempo.url}`, 60_000);
        await ed.runCommand('Spanlens: Set Credentials');
        await pick('Tempo');
        await pick('basic auth');
        await typeInto(`User name for Tempo (${tempo.url})`, 'grafana');
        await typeInto(`Password for Tempo (${tempo.url})`, 'e2e-pass');
        await waitFor('prod: Tempo connected', async () => (await description('Tempo')).startsWith('v3.0.3'), 60_000);

        // The trusted workspace's own settings now point prod's Tempo somewhere else.
        mkdirSync(join(ws, '.vscode'), { recursive: true });
        writeFileSync(settingsFile, JSON.stringify({ 'spanlens.environments': { prod: { tempoUrl: tempoElsewhere.url, lokiUrl: loki.url, prometheusUrl: prom.url } } }));
        const dialog = ed.page.locator('.monaco-dialog-box').first();
        await dialog.waitFor({ state: 'visible', timeout: 60_000 });
        const text = await dialog.innerText();
        assert.match(text, new RegExp(`Send the Tempo credentials of environment "prod" to ${escape(tempoElsewhere.url)}\\?`));
        assert.match(text, new RegExp(`They were saved for ${escape(tempo.url)}`));
        await ed.screenshot('connections-repoint-modal');
        // Asked, not sent: the other Tempo is probed without them and says so.
        await waitFor('Tempo unauthorised at the new origin', async () => (await description('Tempo')) === `Unauthorised · ${tempoElsewhere.url}`, 60_000);
        assert.ok(tempoElsewhere.requests.length > 0, 'the new origin was probed');
        assert.deepEqual(tempoElsewhere.requests.filter((r) => r.headers.authorization !== undefined), [], 'no credentials went to the new origin before the user agreed');

        await dialog.locator('.monaco-button', { hasText: `Send to ${tempoElsewhere.url}` }).first().click();
        await waitFor('Tempo connected at the approved origin', async () => (await description('Tempo')).startsWith('v3.0.9-elsewhere'), 60_000);
        assert.ok(tempoElsewhere.requests.some((r) => r.headers.authorization !== undefined), 'sent once approved');
        // The approval is remembered: a refresh neither asks again nor loses the connection.
        await ed.runCommand('Spanlens: Refresh Connections');
        await waitFor('still connected after a refresh', async () => (await description('Tempo')).startsWith('v3.0.9-elsewhere'), 60_000);
        assert.equal(await ed.page.locator('.monaco-dialog-box').count(), 0);
      } finally {
        rmSync(join(ws, '.vscode'), { recursive: true, force: true });
      }
    }));
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
