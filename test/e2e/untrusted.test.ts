/**
 * An untrusted workspace in a real VS Code (code-server in Restricted Mode) whose
 * .vscode/settings.json sets every restricted Spanlens setting to a hostile value: endpoints,
 * tenant, headers, CA file, skip-verify, environments and the active environment. Spanlens keeps
 * to the user's settings — the workspace's server gets no request, no request carries its header
 * or tenant, TLS is still verified — until the folder is trusted, when the same file takes
 * effect (which shows the test can tell the two apart).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLokiFake, type LokiFake } from '../fakes/loki';
import { refusedUrl, startServer, type FakeServer } from '../fakes/server';
import { startTempoFake, type TempoFake } from '../fakes/tempo';
import { startTlsFront, type TlsFront } from '../support/tlsFront';
import { launchEditor, waitFor, withScreenshotOnFailure, type Editor } from './support/codeServer';
import { treeRowDescription } from './support/workbench';

describe('Untrusted workspace in a real VS Code (code-server, Restricted Mode)', { timeout: 600_000 }, () => {
  let ws: string;
  let ed: Editor;
  let tempo: TempoFake;
  let front: TlsFront;
  let loki: LokiFake;
  let hostile: FakeServer;
  let refused: string;

  before(async () => {
    tempo = await startTempoFake({ traces: [] });
    front = await startTlsFront(tempo.url);
    loki = await startLokiFake({ entries: [], authEnabled: false });
    hostile = await startServer(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"success","data":[]}' }));
    refused = await refusedUrl();
    ws = mkdtempSync(join(tmpdir(), 'spanlens-untrusted-'));
    mkdirSync(join(ws, '.vscode'));
    // A CA that WOULD make the TLS front verify: if the workspace's caFile were used, Tempo would connect.
    copyFileSync(front.caFile, join(ws, 'front-ca.pem'));
    writeFileSync(
      join(ws, '.vscode', 'settings.json'),
      JSON.stringify({
        'spanlens.tempo.url': hostile.url,
        'spanlens.loki.url': hostile.url,
        'spanlens.prometheus.url': hostile.url,
        'spanlens.tenant': 'workspace-tenant',
        'spanlens.headers': { 'X-From-Workspace': 'yes' },
        'spanlens.tls.caFile': join(ws, 'front-ca.pem'),
        'spanlens.tls.insecureSkipVerify': true,
        'spanlens.environments': { theirs: { tempoUrl: hostile.url, lokiUrl: hostile.url, prometheusUrl: hostile.url, headers: { 'X-From-Workspace': 'yes' } } },
        'spanlens.activeEnvironment': 'theirs',
        'spanlens.source.pathMappings': [{ from: '/', to: '/etc' }],
      }),
    );
    ed = await launchEditor({
      workspace: ws,
      name: 'untrusted',
      trusted: false,
      settings: {
        // The user's own: Tempo behind TLS with no CA configured (so its certificate is not trusted), Loki, Prometheus refused.
        'spanlens.tempo.url': front.url,
        'spanlens.loki.url': loki.url,
        'spanlens.prometheus.url': refused,
        'spanlens.health.pollIntervalSeconds': 300,
      },
    });
  });

  after(async () => {
    await ed?.close();
    await front?.close();
    await tempo?.close();
    await loki?.close();
    await hostile?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  const description = (name: string): Promise<string> => treeRowDescription(ed, name);
  const fromWorkspace = (r: { headers: Readonly<Record<string, unknown>> }): boolean => r.headers['x-from-workspace'] !== undefined || r.headers['x-scope-orgid'] === 'workspace-tenant';

  test("the workspace's endpoints, tenant, headers, TLS options and environments are ignored until it is trusted", () =>
    withScreenshotOnFailure(ed, 'untrusted', async () => {
      await ed.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 60_000 });
      await ed.runCommand('View: Show Spanlens');
      // TLS: still verified (neither the workspace's CA file nor its skip-verify applies).
      await waitFor('Tempo unreachable at the user URL (untrusted certificate)', async () => (await description('Tempo')) === `Unreachable · ${front.url}`, 60_000);
      await waitFor('Loki connected at the user URL', async () => (await description('Loki')).startsWith('3.7.6'), 60_000);
      await waitFor('Prometheus unreachable at the user URL', async () => (await description('Prometheus')) === `Unreachable · ${refused}`, 60_000);
      const envItem = ed.page.locator('.statusbar-item', { hasText: /^local$|local/ }).first();
      assert.match((await envItem.getAttribute('aria-label')) ?? '', /local/);
      assert.equal(hostile.requests.length, 0, "nothing went to the workspace's server");
      assert.ok(loki.requests.length > 0);
      assert.deepEqual(loki.requests.filter(fromWorkspace), [], "no request carried the workspace's header or tenant");
      assert.equal(tempo.requests.length, 0, 'the unverified TLS front forwarded nothing');
      const toasts = await ed.page.locator('.notifications-toasts').innerText().catch(() => '');
      assert.doesNotMatch(toasts, /verification is OFF/);
      await ed.screenshot('untrusted-restricted');

      // Control: once trusted, the same file applies — the workspace's environment, server and header.
      await ed.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().click();
      const trust = ed.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
      await trust.waitFor({ state: 'visible', timeout: 30_000 });
      await trust.click();
      await ed.runCommand('Spanlens: Refresh Connections');
      await waitFor("requests reach the workspace's server once trusted", () => hostile.requests.some(fromWorkspace), 60_000);
      await ed.screenshot('untrusted-then-trusted');
    }));
});
