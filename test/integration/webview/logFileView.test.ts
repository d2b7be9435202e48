/**
 * A log file in the built log view (dist/webview/trace.js) in headless Chromium, its host side the
 * real log store: the first screen comes before the file is read, the list grows as it is
 * indexed, pages arrive as it scrolls, search runs on the host, and a line opens its source.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTraceValue } from '../../../src/core/formats';
import { closeBrowser } from '../../support/webview/harness';
import { openLogFilePage } from '../../support/webview/logFileHost';
import { generateTrace } from '../../support/synth';
import { generateLogs } from '../../support/synth/logs';

/** Polls a condition on this side (what the page sent us); never a fixed sleep. */
async function until(what: string, fn: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('log file view in Chromium', { timeout: 120_000 }, () => {
  let dir: string;
  let path: string;
  let lines: string[];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanlens-logview-'));
    const model = parseTraceValue(generateTrace({ spans: 300, seed: 7 })).traces[0]!;
    const block = generateLogs([model], { shape: 'jsonl', seed: 7, extraPerSpan: 3 }).map((l) => l.line);
    // Several of the store's read chunks, so the page opens before the file is indexed.
    lines = [];
    while (lines.length * block[0]!.length < 14 * 1024 * 1024) lines.push(...block);
    lines.push(JSON.stringify({ time: '2026-04-21T18:02:11.514203Z', level: 'ERROR', message: 'the <b>last</b> line', target: 'dynamo_runtime::pipeline', 'log.file': 'lib/runtime/src/pipeline.rs', 'log.line': 42 }));
    path = join(dir, 'dynamo.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
  });
  after(async () => {
    await closeBrowser();
    rmSync(dir, { recursive: true, force: true });
  });

  test('first lines at once, grows while indexing, pages on scroll, host search, source links', async () => {
    const p = await openLogFilePage(path);
    try {
      await p.loaded();
      const rows = p.page.locator('[data-testid="logs"] .log-row:visible');
      await p.page.waitForFunction((first) => document.querySelector('[data-testid="logs"] .log-row .log-text')?.textContent?.startsWith(first) === true, JSON.parse(lines[0]!).message);
      const status = p.page.locator('[data-testid="log-file-status"]');
      await p.page.waitForFunction((n) => document.querySelector<HTMLElement>('[data-testid="log-file-status"]')?.dataset.done === 'true' && document.querySelector<HTMLElement>('[data-testid="log-file-status"]')?.dataset.lines === String(n), lines.length, { timeout: 60_000 });
      const total = lines.length.toLocaleString('en-US');
      await p.page.waitForFunction((t) => document.querySelector('[data-testid="logs-count"]')?.textContent === `${t} lines`, total);
      assert.equal(await status.textContent(), `${total} lines`);
      assert.ok(p.requests.filter((r) => r.method === 'logRange').length >= 1);
      // To the end: the last page is fetched and its markup stays text.
      await p.page.locator('[data-testid="logs"]').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await p.page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid="logs"] .log-row .log-text')).some((e) => e.textContent === 'the <b>last</b> line'));
      assert.equal(await p.page.locator('[data-testid="logs"] b').count(), 0);
      const last = rows.filter({ hasText: 'the <b>last</b> line' });
      assert.equal(await last.locator('.log-level').textContent(), 'ERROR');
      await last.locator('[data-testid="log-source"]').click();
      await until('the openLogSource request', () => p.requests.some((r) => r.method === 'openLogSource'));
      assert.deepEqual(p.requests.find((r) => r.method === 'openLogSource')?.params, { index: lines.length - 1 });
      // Search runs in the host over the whole file.
      const needle = 'SPAN_CLOSED';
      const expected = lines.filter((l) => l.toLowerCase().includes(needle.toLowerCase())).length;
      assert.ok(expected > 0 && expected < 10_000, `a needle with a countable number of lines (${expected})`);
      await p.page.locator('[data-testid="logs-search"]').fill(needle);
      await p.page.waitForFunction((t) => document.querySelector('[data-testid="logs-count"]')?.textContent === t, `${expected.toLocaleString('en-US')} of ${total} lines`);
      assert.ok(p.requests.some((r) => r.method === 'logSearch' && (r.params as { text: string }).text === needle.toLowerCase()));
      await p.page.waitForFunction(() => /^SPAN_CLOSED /.test(document.querySelector('[data-testid="logs"] .log-row .log-text')?.textContent ?? ''));
      // A search matching more lines than the host counts at once says it shows the first ones.
      const common = lines.filter((l) => l.includes('"level":')).length;
      assert.ok(common > 10_000, `a needle past the host's 10,000 (${common})`);
      await p.page.locator('[data-testid="logs-search"]').fill('"level":');
      await p.page.waitForFunction((t) => document.querySelector('[data-testid="logs-count"]')?.textContent === t, `first 10,000 matches of ${total} lines`);
      assert.deepEqual(p.fromPage.filter((m) => (m as { type?: string }).type === '__pageerror'), []);
    } finally {
      await p.close();
    }
  });
});
