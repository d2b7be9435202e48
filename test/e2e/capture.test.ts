/**
 * Local capture in a real VS Code (code-server), one server for the file: Start Local Capture
 * (and its offer to switch to the `capture` environment), the status bar item with its rate, the
 * Dynamo load generator (real OTel SDK, OTLP/gRPC) sending to it, the Captures view listing the
 * traces as they arrive, a row opening its trace in the trace view, a request-id lookup showing
 * the captured trace and its logs, Stop, and a taken port named with the process holding it. Screenshots go to test-results/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { DynamoLoad, type SentRequest } from '../support/loadgen/dynamoLoad';
import { freePort } from '../fakes/server';
import { launchEditor, waitFor, withScreenshotOnFailure, type Editor } from './support/codeServer';

describe('Local capture in a real VS Code (code-server)', { timeout: 600_000 }, () => {
  let ws: string;
  let ed: Editor;
  const ports = { grpc: 0, http: 0, query: 0 };
  const sent: SentRequest[] = [];

  before(async () => {
    ports.grpc = await freePort();
    ports.http = await freePort();
    ports.query = await freePort();
    ws = mkdtempSync(join(tmpdir(), 'spanlens-ws-capture-'));
    writeFileSync(join(ws, 'README.md'), '# capture\n');
    ed = await launchEditor({
      workspace: ws,
      name: 'capture',
      settings: {
        'spanlens.capture.ports.grpc': ports.grpc,
        'spanlens.capture.ports.http': ports.http,
        'spanlens.capture.ports.query': ports.query,
        'spanlens.health.pollIntervalSeconds': 300,
      },
    });
  });

  after(async () => {
    await ed?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  const statusItem = (): Locator => ed.page.locator('.statusbar-item', { hasText: /Capture/ }).first();
  const pane = (title: string): Locator => ed.page.locator('.pane', { has: ed.page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) }).first();
  const toast = (text: RegExp): Locator => ed.page.locator('.notification-toast', { hasText: text }).first();

  async function openCaptures(): Promise<void> {
    const container = ed.page.locator('.activitybar .action-item a[aria-label^="Spanlens"]').first();
    if (!(await pane('Captures').isVisible().catch(() => false))) await container.click();
    const header = pane('Captures').locator('.pane-header').first();
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  }

  test('start capture (switching to its environment), run the generator: the Captures view lists the traces; a row opens its trace', () =>
    withScreenshotOnFailure(ed, 'capture-start', async () => {
      await waitFor('the capture status bar item (off)', async () => /Capture off/.test((await statusItem().textContent()) ?? ''), 60_000);
      await ed.runCommand('Spanlens: Start Local Capture');
      const offer = toast(/Local capture is receiving OTLP on 127\.0\.0\.1:\d+ \(gRPC\)/);
      await offer.waitFor({ timeout: 60_000 });
      assert.match(await offer.innerText(), new RegExp(`127\\.0\\.0\\.1:${ports.grpc} \\(gRPC\\) and http://127\\.0\\.0\\.1:${ports.http}`));
      await offer.locator('.monaco-button', { hasText: 'Switch to "capture"' }).click();
      await waitFor('the environment status bar item to say capture', async () => (await ed.page.locator('.statusbar-item', { hasText: /^\s*capture\s*$/ }).count()) > 0, 30_000);
      await openCaptures();
      await ed.screenshot('capture-started');

      const load = new DynamoLoad({ grpc: `http://127.0.0.1:${ports.grpc}` });
      const now = BigInt(Date.now()) * 1_000_000n;
      for (const [i, spans] of [60, 25, 140, 40, 90].entries()) sent.push(load.send(9100 + i, spans, now - BigInt(5 - i) * 2_000_000_000n));
      await load.flush();
      await load.shutdown();

      const rows = pane('Captures').locator('.monaco-list-row .label-name', { hasText: /^dynamo-frontend: http-request$/ });
      await waitFor('the Captures view to list the five traces', async () => (await rows.count()) === 5, 60_000);
      const summary = pane('Captures').locator('.monaco-list-row', { hasText: /5 traces · 355 spans/ }).first();
      await summary.waitFor({ timeout: 30_000 });
      await waitFor('a rate in the status bar', async () => /Capture \d+(\.\d+)?k? spans\/s · \d+(\.\d+)?k? logs\/s/.test((await statusItem().textContent()) ?? ''), 30_000);
      await ed.screenshot('capture-traces');

      // The newest first; it opens in the trace view from the capture environment.
      const newest = sent[sent.length - 1]!;
      await rows.first().click();
      const frame = await ed.webviewFrame(`[data-testid="stats"][data-trace-id="${newest.traceId}"]`, 60_000);
      assert.equal(await frame.locator('[data-testid="stats"]').getAttribute('data-span-count'), String(newest.spans));
      await ed.screenshot('capture-trace-view');
    }));

  test('a lookup by request id shows the captured trace and its logs', () =>
    withScreenshotOnFailure(ed, 'capture-lookup', async () => {
      const r = sent[2]!;
      await ed.runCommand('View: Close All Editors');
      await ed.runCommand('Spanlens: Look Up Request ID');
      const input = ed.page.locator('.quick-input-widget input[type="text"]').first();
      await waitFor('the id input', async () => (await input.isVisible()) && !(await input.inputValue()).startsWith('>'));
      await input.fill(r.requestId);
      await ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Look up this' }).first().waitFor();
      await input.press('Enter');
      const frame = await ed.webviewFrame('[data-testid="lookup-header"]', 60_000);
      await frame.locator(`[data-testid="stats"][data-trace-id="${r.traceId}"]`).waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('[data-testid="stats"]').getAttribute('data-span-count'), String(r.spans));
      await waitFor('the logs part found', async () => (await frame.locator('[data-testid="part-logs"]').getAttribute('data-state')) === 'found', 60_000);
      await waitFor(`the trace's ${r.tracedLogs} log records`, async () => (await frame.locator('[data-testid="logs-count"]').getAttribute('data-count')) === String(r.tracedLogs), 30_000);
      await ed.screenshot('capture-lookup');
    }));

  test('stop; a taken port is named with the process holding it', () =>
    withScreenshotOnFailure(ed, 'capture-port-taken', async () => {
      await ed.runCommand('Spanlens: Stop Local Capture');
      await waitFor('the capture to be off', async () => /Capture off/.test((await statusItem().textContent()) ?? ''), 30_000);
      const blocker: Server = createServer();
      await new Promise<void>((r) => blocker.listen(ports.http, '127.0.0.1', () => r()));
      try {
        await ed.runCommand('Spanlens: Start Local Capture');
        const err = toast(/Local capture could not start: port \d+ \(OTLP\/HTTP\) is already in use/);
        await err.waitFor({ timeout: 60_000 });
        const text = await err.innerText();
        assert.match(text, new RegExp(`port ${ports.http} \\(OTLP/HTTP\\) is already in use by .*node.* \\(pid ${process.pid}\\)`));
        assert.ok(await err.locator('.monaco-button', { hasText: 'Change Ports' }).isVisible());
        await ed.screenshot('capture-port-taken');
      } finally {
        blocker.close();
      }
    }));
});
