/**
 * The built Metrics webview (dist/webview/metrics.js) in plain headless Chromium with a stand-in
 * for the VS Code API and the host's own message gate (see test/support/webview): sparklines,
 * current value and min/max in each unit, the window picker, the larger chart with exemplar dots
 * that open traces, the unreachable banner and the unconfigured welcome.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PanelData } from '../../../src/core/protocol/metrics';
import { closeBrowser } from '../../support/webview/harness';
import { defaultPanels, openMetricsPage, syntheticSeries } from '../../support/webview/metricsHost';

const BUNDLE = resolve(__dirname, '../../../dist/webview/metrics.js');
const STEP = 15_000;
const END = Date.parse('2026-08-01T12:00:00Z');

/** Polls a condition; never a fixed sleep. */
async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function data(): PanelData[] {
  const p = defaultPanels();
  const s = (label: string, f: (i: number) => number) => syntheticSeries(label, END, STEP, 240, f);
  return [
    { id: p[0]!.id, series: [s('status="error"', () => 0.5), s('status="success"', (i) => 10 + (i % 10))], warnings: [] },
    { id: p[1]!.id, series: [s('', (i) => 0.2 + i / 1000)], warnings: [] },
    { id: p[2]!.id, series: [], warnings: [] },
    { id: p[3]!.id, series: [s('', (i) => (i === 239 ? NaN : i % 5))], warnings: [] },
    { id: p[4]!.id, series: [], error: 'Prometheus rejected the query: 1:5: parse error: unexpected', warnings: [] },
    { id: p[5]!.id, series: [s('', () => 42.5)], warnings: [] },
    { id: p[6]!.id, series: [s('', (i) => 60 + (i % 20))], warnings: [] },
  ];
}

describe('metrics webview in Chromium', { timeout: 120_000 }, () => {
  before(() => assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: npm run build`));
  after(closeBrowser);

  test('sparklines with the current value, unit and min/max; no data and a failed query said per panel', async () => {
    const p = await openMetricsPage();
    try {
      await p.loaded();
      await p.sendData(data());
      const cards = p.page.locator('.panel');
      assert.equal(await cards.count(), 7);
      const text = async (i: number) => (await cards.nth(i).innerText()).replace(/\s+/g, ' ').trim();
      // Two series summed for "current": 0.5 + (10 + 239 % 10).
      assert.equal(await text(0), 'Request rate by status 19.5/s min 0.5/s · max 19/s');
      assert.match(await text(1), /^Time to first token p95 439 ms min 200 ms · max 439 ms$/);
      assert.equal(await text(2), 'Inter-token latency p95 – no data in this window');
      // The last sample is a gap: "current" is the latest real one.
      assert.equal(await text(3), 'Requests in flight 3 min 0 · max 4');
      assert.match(await text(4), /^Requests queued – Prometheus rejected the query: 1:5: parse error/);
      assert.equal(await text(5), 'GPU utilisation 42.5 % min 42.5 % · max 42.5 %');
      assert.equal(await text(6), 'GPU temperature 79 °C min 60 °C · max 79 °C');
      // One path per series; the error series gets the chart red.
      assert.equal(await p.page.locator('svg.spark').count(), 5);
      assert.equal(await cards.nth(0).locator('svg.spark path').count(), 2);
      const d = await cards.nth(1).locator('svg.spark path').getAttribute('d');
      assert.ok(d && d.split(/[ML]/).length > 200, 'a point per sample');
      assert.deepEqual(p.fromPage.filter((m) => (m as { type?: string }).type === '__pageerror'), []);
    } finally {
      await p.close();
    }
  });

  test('the window picker asks the host for another window and marks it', async () => {
    const p = await openMetricsPage();
    try {
      await p.loaded();
      await p.sendData(data());
      assert.equal(await p.page.locator('button[data-window="1h"]').getAttribute('aria-pressed'), 'true');
      await p.page.locator('button[data-window="6h"]').click();
      await until('setWindow', () => p.posted.some((m) => m.type === 'setWindow' && m.window === '6h'));
      assert.equal(await p.page.locator('button[data-window="6h"]').getAttribute('aria-pressed'), 'true');
      assert.equal(await p.page.locator('button[data-window="1h"]').getAttribute('aria-pressed'), 'false');
    } finally {
      await p.close();
    }
  });

  test('a panel opens the larger chart with exemplar dots; a dot opens its trace; Back returns', async () => {
    const ids = ['0af7651916cd43dd8448eb211c80319c', '4bf92f3577b34da6a3ce929d0e0e4736'];
    const p = await openMetricsPage({
      // The host answers for the last hour up to now.
      detail: () => {
        const now = Date.now();
        return {
          series: [syntheticSeries('', now, 6000, 600, (i) => 0.2 + (i % 50) / 100)],
          exemplars: { t: Float64Array.from([now - 600_000, now - 60_000]), v: Float64Array.from([0.31, 0.62]), traceIds: ids },
        };
      },
    });
    try {
      await p.loaded();
      await p.sendData(data());
      await p.page.locator('.panel').nth(1).click();
      await until('the detail request', () => p.requests.some((r) => r.method === 'detail'));
      assert.deepEqual(p.requests[0]!.params, { panel: 'default:ttftP95', window: '1h' });
      const dots = p.page.locator('circle.exemplar');
      await until('two exemplar dots', async () => (await dots.count()) === 2);
      assert.match((await p.page.locator('[data-testid="detail"]').innerText()).replace(/\s+/g, ' '), /2 exemplars · Click a dot to open the trace/);
      // Axes in the panel's unit.
      assert.ok((await p.page.locator('svg.chart .axis text').allTextContents()).some((t) => / ms$/.test(t)));
      await dots.nth(1).click();
      await until('openTrace', () => p.requests.some((r) => r.method === 'openTrace'));
      assert.deepEqual(p.requests.find((r) => r.method === 'openTrace')!.params, { traceId: ids[1] });
      // Keyboard: the first dot with Enter.
      await dots.nth(0).focus();
      await p.page.keyboard.press('Enter');
      await until('the second openTrace', () => p.requests.filter((r) => r.method === 'openTrace').length === 2);
      await p.page.locator('[data-testid="back"]').click();
      await until('the list again', async () => (await p.page.locator('.panel').count()) === 7);
    } finally {
      await p.close();
    }
  });

  test('an unreachable Prometheus is one banner with Try again; an unconfigured one offers the setup actions', async () => {
    const p = await openMetricsPage();
    try {
      await p.loaded();
      await p.sendData(defaultPanels().map((x) => ({ id: x.id, series: [], error: 'Cannot reach Prometheus', warnings: [] })), { problem: 'Prometheus is unreachable. Cannot reach Prometheus at http://127.0.0.1:9/api/v1/query_range: connection refused (ECONNREFUSED).' });
      const banner = p.page.locator('[data-testid="problem"]');
      assert.match(await banner.innerText(), /Prometheus is unreachable\. .*connection refused/);
      await banner.locator('button').click();
      await until('refresh', () => p.posted.some((m) => m.type === 'command' && m.command === 'refresh'));
    } finally {
      await p.close();
    }
    const u = await openMetricsPage({ configured: false });
    try {
      await u.loaded();
      const welcome = u.page.locator('[data-testid="unconfigured"]');
      await welcome.waitFor();
      assert.match(await welcome.innerText(), /Prometheus is not configured for environment "local"/);
      await welcome.locator('button[data-command="useDemo"]').click();
      await until('the command', () => u.posted.some((m) => m.type === 'command' && m.command === 'useDemo'));
    } finally {
      await u.close();
    }
  });
});
