/**
 * The Explorer views in a real VS Code (code-server), one server for the file: the Tempo and Loki
 * fakes with the demo traces, a real Prometheus with a rule firing on a live gauge (`for: 0s`) and
 * a target down, and Dynamo health fakes (a frontend, a ready and a notready worker, a refused
 * port). Alerts shows the firing alert and the view badge; Targets the down target with its
 * error; Health each state with the instances behind the frontend; Search runs a query built
 * with Tempo's completions whose result opens in the trace view, shows Tempo's error for a query
 * it rejects, saves a search; Services lists services and their traces; an environment without
 * Tempo shows the welcome content and one whose Prometheus is refused says it is unreachable;
 * Metrics draws the default sparklines, its exemplar dots open traces and an alert opens the chart
 * of its expression. Screenshots go to test-results/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Locator } from 'playwright-core';
import { FRONTEND_INSTANCE_IDS, startFrontendHealthFake, startWorkerHealthFake, type WorkerFake } from '../fakes/dynamoHealth';
import { startLokiFake, type LokiFake } from '../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../fakes/prometheus';
import { refusedUrl, type FakeServer } from '../fakes/server';
import { startTempoFake, type TempoFake } from '../fakes/tempo';
import { demoDataset } from '../support/synth/demo';
import { launchEditor, waitFor, withScreenshotOnFailure, type Editor } from './support/codeServer';

describe('Explorer views in a real VS Code (code-server)', { timeout: 900_000 }, () => {
  let ws: string;
  let ed: Editor;
  let tempo: TempoFake;
  let loki: LokiFake;
  let prom: PrometheusHarness;
  let frontend: FakeServer;
  let ready: WorkerFake;
  let notready: WorkerFake;
  let refused: string;
  /** The down target's address (the harness picks a refused port). */
  let downTarget = '';
  const data = demoDataset();

  before(async () => {
    tempo = await startTempoFake({ traces: data.traces.map((t) => ({ otlp: t.otlp })) });
    loki = await startLokiFake({ entries: data.logs, authEnabled: false });
    prom = await startPrometheus({ backfillHours: 1 });
    frontend = await startFrontendHealthFake();
    ready = await startWorkerHealthFake({ ready: true, uptimeSecs: 64 });
    notready = await startWorkerHealthFake({ ready: false, uptimeSecs: 7 });
    refused = await refusedUrl();
    // The rule and the down target are what the views are checked against: wait until Prometheus says so.
    await waitFor('the alert to fire and the target to be down', async () => {
      const alerts = (await (await fetch(`${prom.url}/api/v1/alerts`)).json()) as { data: { alerts: { state: string }[] } };
      const targets = (await (await fetch(`${prom.url}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
      const down = targets.data.activeTargets.find((t) => t.health === 'down');
      if (down) downTarget = new URL((down as unknown as { scrapeUrl: string }).scrapeUrl).host;
      return alerts.data.alerts.some((a) => a.state === 'firing') && down !== undefined;
    }, 60_000);
    ws = mkdtempSync(join(tmpdir(), 'spanlens-ws-'));
    writeFileSync(join(ws, 'README.md'), '# explorer\n');
    ed = await launchEditor({
      workspace: ws,
      name: 'explorer',
      settings: {
        'spanlens.tempo.url': tempo.url,
        'spanlens.loki.url': loki.url,
        'spanlens.prometheus.url': prom.url,
        'spanlens.health.pollIntervalSeconds': 300,
        'spanlens.explorer.refreshIntervalSeconds': 300,
        'spanlens.health.endpoints': [`${frontend.url}/health`, { url: `${ready.url}/health`, label: 'decode worker' }, { url: `${notready.url}/health`, label: 'prefill worker' }, `${refused}/health`],
        'spanlens.environments': { bare: { prometheusUrl: refused } },
      },
    });
    await ed.runCommand('View: Show Spanlens');
    // A wider sidebar, so rows and screenshots show their descriptions.
    const box = await waitFor('the sash on the sidebar\'s edge', async () => {
      const side = await ed.page.locator('.part.sidebar').first().boundingBox();
      if (!side) return undefined;
      for (const sash of await ed.page.locator('.monaco-sash.vertical').all()) {
        const b = await sash.boundingBox();
        if (b && b.height > side.height / 2 && Math.abs(b.x + b.width / 2 - (side.x + side.width)) < 8) return b;
      }
      return undefined;
    });
    await ed.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await ed.page.mouse.down();
    await ed.page.mouse.move(760, box.y + box.height / 2, { steps: 8 });
    await ed.page.mouse.up();
  });

  after(async () => {
    await ed?.close();
    await Promise.all([tempo?.close(), loki?.close(), prom?.close(), frontend?.close(), ready?.close(), notready?.close()]);
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  /** The sidebar section of a view, by its title. */
  const pane = (title: string): Locator => ed.page.locator('.pane', { has: ed.page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) }).first();

  /**
   * Closes the open editors by their tabs' close buttons: with the focus inside a webview, the
   * command palette's key can take many seconds to reach the workbench.
   */
  async function closeEditors(): Promise<void> {
    const tabs = ed.page.locator('.tabs-container .tab');
    await waitFor('no open editors', async () => {
      if ((await tabs.count()) === 0) return true;
      await tabs.first().locator('.tab-actions .action-label').first().click({ force: true, timeout: 2000 }).catch(() => undefined);
      return false;
    });
  }

  // Every view of the side bar, as the manifest lists them: a view added later must not stay open
  // and squeeze the one a test reads (the virtualized tree then renders only its first rows).
  const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { contributes: { views: { spanlens: { name: string }[] } } };
  const nls = JSON.parse(readFileSync(resolve(__dirname, '../../package.nls.json'), 'utf8')) as Record<string, string>;
  const PANES = manifest.contributes.views.spanlens.map((v) => nls[v.name.replace(/^%|%$/g, '')] ?? v.name);

  /**
   * Opens these view sections and closes the others (a click on a header toggles it): the tree
   * renders only the rows on screen, so each test gives its views the room.
   */
  async function only(...titles: string[]): Promise<void> {
    for (const t of PANES) {
      const header = pane(t).locator('.pane-header').first();
      await header.waitFor({ timeout: 30_000 });
      const want = titles.includes(t);
      if (((await header.getAttribute('aria-expanded')) === 'true') !== want) await header.click();
      await waitFor(`the ${t} view to be ${want ? 'open' : 'closed'}`, async () => ((await header.getAttribute('aria-expanded')) === 'true') === want);
    }
  }

  /** A tree row of a view by its label (a regular expression over the whole label). */
  const row = (title: string, label: RegExp | string): Locator =>
    pane(title)
      .locator('.monaco-list-row', { has: ed.page.locator('.label-name', { hasText: typeof label === 'string' ? new RegExp(`^${escape(label)}$`) : label }) })
      .first();
  const description = async (r: Locator): Promise<string> => ((await r.locator('.label-description').first().textContent({ timeout: 2000 }).catch(() => '')) ?? '').trim();

  async function toggle(r: Locator): Promise<void> {
    await r.waitFor({ timeout: 30_000 });
    await r.click();
  }

  /** The quick pick's rows with their labels, as shown. */
  const quickRow = (text: string | RegExp): Locator => ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  /** A quick pick row whose label is exactly `label` (icons aside). */
  const quickLabel = (label: string): Locator =>
    ed.page.locator('.quick-input-widget .monaco-list-row', { has: ed.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escape(label)}\\s*$`) }) }).first();
  /**
   * No quick input open (a failed test may leave one; Search keeps its own open on purpose), and
   * the focus in the editor area: with it on a view header, F1 sometimes does not reach the
   * workbench for many seconds.
   */
  async function closeQuickInput(): Promise<void> {
    const widget = ed.page.locator('.quick-input-widget').first();
    await waitFor('no quick input', async () => {
      if (!(await widget.isVisible())) return true;
      await ed.page.keyboard.press('Escape');
      return false;
    });
    await ed.page.locator('.part.editor').first().click();
  }
  const quickInput = (): Locator => ed.page.locator('.quick-input-widget input[type="text"]').first();

  test('Alerts: the firing alert with severity, summary and since-when; the inactive rule under its group; the firing count as a badge', () =>
    withScreenshotOnFailure(ed, 'explorer-alerts', async () => {
      await closeQuickInput();
      await only('Alerts');
      const alert = row('Alerts', 'DynamoFrontendBusy');
      await waitFor('the firing alert', async () => /^warning · Requests in flight on 127\.0\.0\.1:\d+ · since \d+ (s|min) ago$/.test(await description(alert)), 60_000);
      assert.equal(await description(row('Alerts', 'Firing')), '1');
      // The badge shows on the Spanlens icon in the activity bar.
      const badge = ed.page.locator('.activitybar .action-item', { has: ed.page.locator('[aria-label^="Spanlens"]') }).locator('.badge-content');
      await waitFor('the firing count badge', async () => (await badge.textContent().catch(() => '')) === '1');
      await toggle(row('Alerts', 'Inactive'));
      await toggle(row('Alerts', 'dynamo'));
      const quiet = row('Alerts', 'DynamoFrontendQueueBacklog');
      await waitFor('the inactive rule', async () => (await description(quiet)) === 'critical · Requests are queueing on {{ $labels.instance }}');
      await ed.screenshot('explorer-alerts');
    }));

  test('Targets: grouped by job, the down target with its error, the up one with its scrape duration', () =>
    withScreenshotOnFailure(ed, 'explorer-targets', async () => {
      await closeQuickInput();
      await only('Targets');
      await waitFor('the job with the down target', async () => (await description(row('Targets', 'dynamo-worker'))) === '1 of 1 down', 60_000);
      const down = row('Targets', downTarget);
      await waitFor('the down target with its error', async () => /^down · .*connection refused/.test(await description(down)));
      await toggle(row('Targets', 'dynamo-frontend'));
      await waitFor('the up target with its duration', async () => {
        const rows = pane('Targets').locator('.monaco-list-row', { has: ed.page.locator('.label-name', { hasText: /^127\.0\.0\.1:\d+$/ }) });
        for (const r of await rows.all()) if (/^up · \d+\.\d ms$/.test(await description(r))) return true;
        return false;
      });
      await ed.screenshot('explorer-targets');
    }));

  test('Health: healthy frontend with its instances (64-bit ids exact), a ready and a notready worker (503 is a state), an unreachable port', () =>
    withScreenshotOnFailure(ed, 'explorer-health', async () => {
      await closeQuickInput();
      await only('Health');
      const fe = row('Health', `${frontend.url}/health`);
      await waitFor('the frontend healthy', async () => (await description(fe)) === 'healthy · 2 instances', 60_000);
      await waitFor('the ready worker', async () => /^ready · up \d+ min \d+ s · http:\/\/127\.0\.0\.1:\d+\/health$/.test(await description(row('Health', 'decode worker'))));
      await waitFor('the notready worker', async () => /^not ready · HTTP 503 · up (\d+ min )?\d+ s · http:\/\/127\.0\.0\.1:\d+\/health$/.test(await description(row('Health', 'prefill worker'))));
      await waitFor('the unreachable endpoint', async () => (await description(row('Health', `${refused}/health`))) === 'unreachable');
      // Worker endpoints are listed open under each worker; the notready one says which endpoint.
      const states = await pane('Health')
        .locator('.monaco-list-row', { has: ed.page.locator('.label-name', { hasText: /^generate$/ }) })
        .evaluateAll((els) => els.map((e) => e.querySelector('.label-description')?.textContent ?? ''));
      assert.deepEqual(states.sort(), ['not ready', 'ready']);
      await toggle(row('Health', 'Instances'));
      const inst = row('Health', 'dynamo.backend.generate');
      await waitFor('the instance with its exact id', async () => (await description(inst)) === FRONTEND_INSTANCE_IDS[0]);
      await ed.screenshot('explorer-health');
    }));

  test('Search: completion of tag names and values from Tempo, results newest first that open their trace, a saved search that runs again, cancel; Tempo\'s error text for a query it rejects', () =>
    withScreenshotOnFailure(ed, 'explorer-search', async () => {
      await closeQuickInput();
      await only('Search');
      await ed.runCommand('Spanlens: Search Traces');
      const input = quickInput();
      await input.waitFor({ timeout: 15_000 });
      await input.fill('{ resource.serv');
      await quickLabel('resource.service.name').click();
      await waitFor('the tag name to be completed', async () => (await input.inputValue()) === '{ resource.service.name ');
      await quickLabel('=').click();
      await waitFor('the operator', async () => (await input.inputValue()).startsWith('{ resource.service.name ='));
      const value = quickLabel('"dynamo-frontend"');
      await value.waitFor({ timeout: 30_000 });
      await ed.screenshot('explorer-search-completion');
      await value.click();
      await waitFor('the value to be completed', async () => (await input.inputValue()) === '{ resource.service.name = "dynamo-frontend" ');
      // Unclosed: Grafana's grammar says so before anything is sent.
      await quickRow(/TraceQL syntax error at line 1, col \d+: unexpected end of query/).waitFor({ timeout: 10_000 });
      await quickLabel('}').click();
      await waitFor('the query to be complete', async () => (await input.inputValue()) === '{ resource.service.name = "dynamo-frontend" }');
      await quickRow(/Search/).waitFor();
      await input.press('Enter');

      const results = row('Search', 'Results');
      await waitFor('the results', async () => (await description(results)).endsWith(`· last 1h · ${data.traces.length} traces`), 60_000);
      const traces = pane('Search').locator('.monaco-list-row', { has: ed.page.locator('.label-name', { hasText: /^dynamo-frontend: http-request$/ }) });
      await waitFor('a row per trace', async () => (await traces.count()) >= Math.min(data.traces.length, 5));
      const first = await description(traces.first());
      assert.match(first, /^\d+(\.\d+)? (ms|s) · \d+ spans · \d\d:\d\d:\d\d$/);
      // Newest first: the demo's last trace has 9 spans.
      assert.match(first, / · 9 spans · /);
      await ed.screenshot('explorer-search-results');

      // A result opens its trace in the trace view (spanlens.openTraceById with its id).
      const newest = data.traces[data.traces.length - 1]!.model;
      await traces.first().click();
      const frame = await ed.webviewFrame(`[data-testid="stats"][data-trace-id="${newest.traceId}"]`, 60_000);
      assert.equal(await frame.locator('[data-testid="stats"]').getAttribute('data-span-count'), String(newest.spans.length));
      await ed.screenshot('explorer-search-opened-trace');
      await closeEditors();

      await ed.runCommand('Spanlens: Save Search');
      const name = ed.page.locator('.quick-input-widget input').first();
      await name.waitFor();
      await name.fill('frontend traces');
      await name.press('Enter');
      await waitFor('the saved search', async () => (await description(row('Search', 'frontend traces'))) === '{ resource.service.name = "dynamo-frontend" } · last 1h');

      // Valid TraceQL that Tempo refuses: its own words are shown.
      await closeQuickInput();
      await ed.runCommand('Spanlens: Search Traces');
      await input.waitFor();
      await input.fill('{ } | count() > 1');
      await quickRow(/Search/).waitFor();
      await input.press('Enter');
      const problem = row('Search', 'Tempo rejected the query.');
      await waitFor("Tempo's error text", async () => /^invalid TraceQL query: parse error at line 1, col \d+/.test(await description(problem)), 30_000);
      await ed.screenshot('explorer-search-rejected');

      // A saved search runs again on click; a search Tempo is slow to answer can be stopped.
      tempo.faults.add({ kind: 'slowHeaders', ms: 15_000 }, { path: /^\/api\/search$/ });
      await toggle(row('Search', 'frontend traces'));
      await row('Search', 'Searching Tempo…').waitFor({ timeout: 15_000 });
      const stop = pane('Search').locator('.pane-header .action-label[aria-label^="Cancel Search"]');
      await stop.click();
      await row('Search', 'Search cancelled.').waitFor({ timeout: 10_000 });
    }));

  test('Services: service names from Tempo; under one, its recent and error traces with duration badges', () =>
    withScreenshotOnFailure(ed, 'explorer-services', async () => {
      await closeQuickInput();
      await only('Services');
      const svc = row('Services', 'dynamo-frontend');
      await svc.waitFor({ timeout: 60_000 });
      assert.ok(await row('Services', 'dynamo-worker-decode').isVisible());
      await toggle(svc);
      await toggle(row('Services', 'Recent traces'));
      await waitFor('traces with a duration first', async () => {
        const labels = await pane('Services').locator('.monaco-list-row .label-name').allTextContents();
        return labels.filter((l) => /^\d+(\.\d+)? (ms|s)\s+dynamo-frontend: http-request$/.test(l)).length >= Math.min(data.traces.length, 5);
      }, 30_000);
      const traceRows = async (): Promise<number> =>
        (await pane('Services').locator('.monaco-list-row .label-name').allTextContents()).filter((l) => /^\d+(\.\d+)? (ms|s)\s+dynamo-frontend: http-request$/.test(l)).length;
      const before = await traceRows();
      // The frontend's own spans never fail in the demo data; the decode worker's do.
      await toggle(row('Services', 'Error traces'));
      await waitFor('no frontend error traces', async () => (await row('Services', 'No error traces.').isVisible()));
      await toggle(row('Services', 'dynamo-worker-decode'));
      const decodeErrors = pane('Services').locator('.monaco-list-row', { has: ed.page.locator('.label-name', { hasText: /^Error traces$/ }) }).nth(1);
      await toggle(decodeErrors);
      await waitFor("the decode worker's error traces", async () => (await traceRows()) > before, 30_000);
      await ed.screenshot('explorer-services');
    }));

  test('Metrics: sparklines of the default Dynamo queries from the real Prometheus; a TTFT exemplar dot opens its trace; an alert opens the chart of its expression', () =>
    withScreenshotOnFailure(ed, 'explorer-metrics', async () => {
      await closeQuickInput();
      await only('Metrics');
      const frame = await ed.webviewFrame('[data-testid="panels"]', 60_000);
      // Every default panel has data in the last hour: the backfill and the live scrape.
      await waitFor('seven sparklines', async () => (await frame.locator('.panel svg.spark').count()) === 7, 60_000);
      const card = (title: string) => frame.locator('.panel', { has: frame.locator('.title', { hasText: title }) });
      assert.match((await card('Time to first token p95').innerText()).replace(/\s+/g, ' '), /^Time to first token p95 \d+(\.\d+)? ms min \d+(\.\d+)? ms · max \d+(\.\d+)? ms$/);
      assert.match((await card('GPU utilisation').innerText()).replace(/\s+/g, ' '), /%/);
      await ed.screenshot('explorer-metrics');

      await card('Time to first token p95').click();
      const dots = frame.locator('circle.exemplar');
      await waitFor('exemplar dots', async () => (await dots.count()) > 0, 30_000);
      await ed.screenshot('explorer-metrics-exemplars');
      const id = (await dots.first().getAttribute('data-trace-id'))!;
      assert.ok(data.traces.some((t) => t.model.traceId === id), 'the exemplar names a demo trace');
      await dots.first().click();
      const trace = await ed.webviewFrame(`[data-testid="stats"][data-trace-id="${id}"]`, 60_000);
      assert.ok(await trace.locator('[data-testid="stats"]').isVisible());
      await closeEditors();

      await closeQuickInput();
      await only('Alerts', 'Metrics');
      await toggle(row('Alerts', 'DynamoFrontendBusy'));
      const chart = await ed.webviewFrame('[data-testid="detail"][data-panel="focus"]', 60_000);
      await waitFor("the alert's expression", async () => (await chart.locator('[data-testid="detail"] .query').textContent()) === 'dynamo_frontend_inflight_requests > 2');
      await waitFor('its chart', async () => (await chart.locator('svg.chart path').count()) > 0, 30_000);
      await ed.screenshot('explorer-metrics-alert');
    }));

  test('An environment without Tempo shows the welcome actions; one whose Prometheus is refused says unreachable with the URL', () =>
    withScreenshotOnFailure(ed, 'explorer-welcome', async () => {
      await closeQuickInput();
      await only('Search', 'Alerts');
      await ed.runCommand('Spanlens: Switch Environment');
      await quickLabel('bare').click();
      const welcome = pane('Search').locator('.welcome-view-content');
      await waitFor('the welcome content', async () => /Tempo is not configured for the active environment/.test((await welcome.textContent().catch(() => '')) ?? ''), 30_000);
      for (const action of ['Configure Endpoints', 'Render a Local Stack', 'Use the Demo Endpoints']) {
        assert.ok(await welcome.locator('.monaco-button', { hasText: action }).first().isVisible(), action);
      }
      const problem = row('Alerts', 'Prometheus is unreachable.');
      await waitFor('Prometheus unreachable at its URL', async () => (await description(problem)).startsWith(`${refused}/api/v1/`), 60_000);
      await ed.screenshot('explorer-welcome-unreachable');
      await ed.runCommand('Spanlens: Switch Environment');
      await quickLabel('local').click();
      await waitFor('the alert again', async () => (await row('Alerts', 'DynamoFrontendBusy').isVisible()), 60_000);
    }));

});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
