import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchEditor, waitFor, withScreenshotOnFailure, type Editor } from './support/codeServer';
import { pickQuickItem } from './support/workbench';

describe('local stack rendering in a real VS Code (code-server)', () => {
  let ws: string;
  let ed: Editor;

  before(async () => {
    ws = mkdtempSync(join(tmpdir(), 'spanlens-stack-ws-'));
    // Another environment is active: pointing Spanlens at the new stack must switch back to local.
    mkdirSync(join(ws, '.vscode'));
    writeFileSync(
      join(ws, '.vscode', 'settings.json'),
      JSON.stringify({ 'spanlens.environments': { staging: { tempoUrl: 'http://127.0.0.1:9/' } }, 'spanlens.activeEnvironment': 'staging' }, null, 2),
    );
    // A hand-edited file the render would replace: the review must show its diff and the
    // confirmation must name it.
    mkdirSync(join(ws, 'loki'));
    writeFileSync(join(ws, 'loki', 'loki.yaml'), 'auth_enabled: true\n');
    ed = await launchEditor({ workspace: ws, name: 'stack' });
  });

  after(async () => {
    await ed?.close();
    rmSync(ws, { recursive: true, force: true });
  });

  test('Render Local Stack… asks, shows what it will write, writes after confirmation', () =>
    withScreenshotOnFailure(ed, 'render-stack', async () => {
      const page = ed.page;
      const input = page.locator('.quick-input-widget input[type="text"]').first();
      await ed.runCommand('Spanlens: Render Local Stack');
      await pickQuickItem(ed, 'Docker Compose');
      // Components: keep the defaults.
      await waitFor('the components step', async () => /components/i.test((await page.locator('.quick-input-widget .quick-input-title').textContent()) ?? ''));
      await input.press('Enter');
      await pickQuickItem(ed, 'Use these ports');
      // Retention: accept each proposed value.
      for (let i = 0; i < 3; i++) {
        await waitFor('a retention prompt', async () => /retention/i.test((await page.locator('.quick-input-widget .quick-input-title').textContent()) ?? ''));
        const before = await page.locator('.quick-input-widget .quick-input-message').textContent();
        await input.press('Enter');
        await waitFor('the next step', async () => (await page.locator('.quick-input-widget .quick-input-message').textContent()) !== before || !(await input.isVisible()) || !/retention/i.test((await page.locator('.quick-input-widget .quick-input-title').textContent()) ?? ''));
        if (!/retention/i.test((await page.locator('.quick-input-widget .quick-input-title').textContent()) ?? '')) break;
      }
      // The folder step: the workspace folder.
      await waitFor('the folder step', async () => /folder to write into/.test((await page.locator('.quick-input-widget .quick-input-title').textContent()) ?? ''));
      await pickQuickItem(ed, ws.split('/').pop()!);
      // The review is a view beside the editors, in a side bar of its own, not a list over them.
      const review = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Stack Review' }) }).first();
      await review.locator('.monaco-list-row', { hasText: 'loki/loki.yaml' }).waitFor({ timeout: 30_000 });
      assert.match((await review.locator('.pane-header').innerText()).replace(/\s+/g, ' '), /\d+ new, 1 changed, 0 unchanged/);
      await review.locator('.monaco-list-row', { hasText: 'loki/loki.yaml' }).click();
      const diff = page.locator('.tabs-container .tab', { hasText: 'loki/loki.yaml (on disk ↔ rendered)' });
      await diff.waitFor({ timeout: 30_000 });
      await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'nothing covers the diff');
      await ed.screenshot('render-stack-review');
      // A new file opens as a plain preview, not as a diff against nothing.
      await review.locator('.monaco-list-row', { hasText: 'docker-compose.yml' }).click();
      const plain = page.locator('.tabs-container .tab.active', { hasText: 'docker-compose.yml' });
      await plain.waitFor({ timeout: 30_000 });
      assert.doesNotMatch(await plain.innerText(), /↔/);
      await waitFor('the preview editor without a diff', async () => (await page.locator('.editor-instance .monaco-diff-editor').count()) === 0 && /services:/.test(await page.locator('.editor-instance .view-lines').first().innerText()));
      assert.ok(!existsSync(join(ws, 'docker-compose.yml')), 'nothing is written before confirmation');
      assert.equal(readFileSync(join(ws, 'loki', 'loki.yaml'), 'utf8'), 'auth_enabled: true\n');
      // The review has a side bar of its own (so its list has room); its actions are in that bar's title.
      await page.locator('.part.sidebar .title-actions .action-label[aria-label^="Write Rendered Stack"]').click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /will be replaced:\s*loki\/loki\.yaml/);
      await dialog.locator('.monaco-button', { hasText: /^Write$/ }).click();
      await waitFor('the files on disk', () => existsSync(join(ws, 'docker-compose.yml')) && existsSync(join(ws, 'prometheus', 'prometheus.yml')), 60_000);
      await waitFor('the review to close with its previews', async () => !(await review.isVisible()) && (await page.locator('.tabs-container .tab', { hasText: 'docker-compose.yml' }).count()) === 0);
      assert.match(readFileSync(join(ws, 'loki', 'loki.yaml'), 'utf8'), /allow_structured_metadata: true/);
      assert.match(readFileSync(join(ws, 'README.md'), 'utf8'), /DYN_LOGGING_JSONL/);
      const offer = page.locator('.notifications-toasts .notification-toast', { hasText: 'Point Spanlens at this stack' }).first();
      await offer.waitFor({ timeout: 30_000 });
      await ed.screenshot('render-stack-done');
      await offer.locator('.monaco-button', { hasText: 'Use as Spanlens endpoints' }).click();
      const settings = await waitFor('the endpoints in the workspace settings', () => {
        const s = JSON.parse(readFileSync(join(ws, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
        return s['spanlens.activeEnvironment'] === 'local' && s['spanlens.prometheus.url'] ? s : undefined;
      });
      assert.equal(settings['spanlens.tempo.url'], 'http://localhost:3200');
      assert.equal(settings['spanlens.loki.url'], 'http://localhost:3100');
      assert.equal(settings['spanlens.prometheus.url'], 'http://localhost:9090');
    }));

  test('Validate Stack Configs reports a broken rules file in the Problems panel', () =>
    withScreenshotOnFailure(ed, 'validate-stack', async () => {
      const rules = join(ws, 'prometheus', 'rules', 'dynamo-alerts.yml');
      assert.ok(existsSync(rules), 'the previous test rendered the stack');
      appendFileSync(rules, '\n  - alert: Broken\n    expr: sum(rate(\n');
      await ed.runCommand('Spanlens: Validate Stack Configs');
      // The folder just rendered comes first.
      const first = ed.page.locator('.quick-input-widget .monaco-list-row').first();
      await waitFor('the folder list', async () => /Rendered last by Render Local Stack/.test((await first.innerText().catch(() => '')) ?? ''));
      assert.match(await first.innerText(), new RegExp(ws.split('/').pop()!));
      await first.click();
      const toast = ed.page.locator('.notifications-toasts .notification-toast', { hasText: /errors? and \d+ warnings?/ }).first();
      await toast.waitFor({ timeout: 90_000 });
      await toast.locator('.monaco-button', { hasText: 'Show Problems' }).click();
      const row = ed.page.locator('.markers-panel .monaco-list-row', { hasText: 'dynamo-alerts.yml' }).first();
      await row.waitFor({ timeout: 30_000 });
      assert.match(await ed.page.locator('.markers-panel').innerText(), /spanlens/i);
      await ed.screenshot('validate-stack-problems');
    }));
});
