/**
 * Request-id lookup in a real VS Code (code-server): against the Tempo and Loki fakes and a real
 * Prometheus, one editor for the file (the tests run in order; the last one stops Loki).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { answerFileDialog, launchEditor, waitFor, withScreenshotOnFailure, type Editor } from './support/codeServer';
import { parseTraceValue } from '../../src/core/formats';
import { startLokiFake, type LokiFake } from '../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../fakes/prometheus';
import { startTempoFake, type TempoFake } from '../fakes/tempo';
import { generateTrace } from '../support/synth';
import { generateLogs } from '../support/synth/logs';
import { dynamoRequestIdFor, requestIdFor } from '../support/synth/prng';

const NOW = Date.now();
const SEED = 7301;
// Two minutes ago: inside the first look-back window, and recent enough for the exemplars.
const otlp = generateTrace({ spans: 120, seed: SEED, startUnixNano: BigInt(NOW - 2 * 60_000) * 1_000_000n });
const model = parseTraceValue(otlp).traces[0]!;
const logs = generateLogs([model], { shape: 'jsonl', seed: SEED });
/** Lines a lookup finds: every line that names the request or its trace (all but span-less Python records). */
const TRACED = logs.filter((l) => l.metadata?.trace_id !== undefined || l.line.includes('"trace_id"')).length;

function makeWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'spanlens-lookup-ws-'));
  // The Dynamo sources the spans and lines name (by a container path; found by suffix here).
  const files = new Set<string>();
  for (const s of model.spans) {
    const f = s.attributes.find((a) => a.key === 'code.file.path')?.value;
    if (typeof f === 'string') files.add(f);
  }
  for (const f of files) {
    mkdirSync(join(ws, 'dynamo', f, '..'), { recursive: true });
    writeFileSync(join(ws, 'dynamo', f), Array.from({ length: 2000 }, (_, i) => `# ${f} line ${i + 1}`).join('\n'));
  }
  mkdirSync(join(ws, 'logs'));
  writeFileSync(join(ws, 'logs', 'frontend.jsonl'), `${logs.map((l) => l.line).join('\n')}\n`);
  // A plain-text log (an incident note, a proxy's log): the id is a bare UUID in free text.
  writeFileSync(join(ws, 'logs', 'incident.log'), `2026-12-01 10:02:11 WARN gateway: slow answer for request ${dynamoRequestIdFor(SEED)} (timed out upstream)\n`);
  return ws;
}

async function closeAllEditors(ed: Editor): Promise<void> {
  await ed.runCommand('View: Close All Editors');
  await waitFor('no open editors', async () => (await ed.page.locator('.tabs-container .tab').count()) === 0);
}

/** Runs Look Up Request ID… and accepts `id` in its quick input. */
async function lookUp(ed: Editor, id: string): Promise<Frame> {
  await ed.runCommand('Spanlens: Look Up Request ID');
  const input = ed.page.locator('.quick-input-widget input[type="text"]').first();
  await waitFor('the id input', async () => (await input.isVisible()) && !(await input.inputValue()).startsWith('>'));
  await input.fill(id);
  await ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Look up this' }).first().waitFor();
  await input.press('Enter');
  return ed.webviewFrame(`[data-testid="lookup-header"]`, 60_000);
}

/** The source a Dynamo JSONL record names (Rust `file`/`line`, Python `log.file`/`log.line`), relative to the checkout. */
function sourceOf(json: string): { file: string; line: number } {
  const r = JSON.parse(json) as { file?: string; line?: number; 'log.file'?: string; 'log.line'?: number };
  const file = (r.file ?? r['log.file'] ?? '').replace(/^\/opt\/dynamo\//, '');
  const line = r.line ?? r['log.line'] ?? 0;
  assert.ok(file && line, `a record that names its source: ${json.slice(0, 200)}`);
  return { file, line };
}

/** Waits for the editor to show `file` with the cursor on `line`. */
async function expectEditorAt(ed: Editor, file: string, line: number): Promise<void> {
  await ed.page.locator('.tabs-container .tab.active', { hasText: file.split('/').pop()! }).waitFor({ timeout: 30_000 });
  await waitFor(`the cursor on line ${line}`, async () => ((await ed.page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first().textContent()) ?? '').startsWith(`Ln ${line},`));
  const uri = await ed.page.locator('.editor-group-container.active .monaco-editor[data-uri]').first().getAttribute('data-uri');
  assert.ok(decodeURIComponent(new URL(uri ?? 'x:/').pathname).endsWith(`/dynamo/${file}`), `opened ${uri}`);
}

describe('request-id lookup in a real VS Code (code-server)', () => {
  let ws: string;
  let ed: Editor;
  let tempo: TempoFake;
  let loki: LokiFake;
  let prom: PrometheusHarness;

  before(async () => {
    ws = makeWorkspace();
    tempo = await startTempoFake({ traces: [{ otlp }] });
    loki = await startLokiFake({ entries: logs, authEnabled: false });
    prom = await startPrometheus({ backfillHours: 1, exemplarSeeds: [SEED] });
    ed = await launchEditor({
      workspace: ws,
      name: 'lookup',
      settings: {
        'spanlens.tempo.url': tempo.url, 'spanlens.loki.url': loki.url, 'spanlens.prometheus.url': prom.url,
        // The terminal draws text as DOM, so the test can find the printed id.
        'terminal.integrated.gpuAcceleration': 'off',
      },
    });
  });

  after(async () => {
    await ed?.close();
    await tempo?.close();
    await loki?.close();
    await prom?.close();
    rmSync(ws, { recursive: true, force: true });
  });

  test('an x-request-id finds its trace, every line of it tied to spans, and sparklines; a line opens its source', () =>
    withScreenshotOnFailure(ed, 'lookup by request id', async () => {
      const frame = await lookUp(ed, requestIdFor(SEED));
      await frame.locator(`[data-testid="stats"][data-trace-id="${model.traceId}"]`).waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('[data-testid="stats"]').getAttribute('data-span-count'), '120');
      await waitFor('the logs part found', async () => (await frame.locator('[data-testid="part-logs"]').getAttribute('data-state')) === 'found', 60_000);
      await waitFor(`${TRACED} log lines`, async () => (await frame.locator('[data-testid="logs-count"]').getAttribute('data-count')) === String(TRACED));
      await waitFor('the metrics part settled', async () => (await frame.locator('[data-testid="part-metrics"]').getAttribute('data-state')) === 'found', 60_000);
      await waitFor('drawn sparklines', async () => (await frame.locator('[data-testid="spark-card"] svg path').count()) > 0);
      await ed.screenshot('lookup-request-id');

      // A line tied to a span selects it in the views.
      const rows = frame.locator('[data-testid="logs"] .log-row:visible');
      const withSource = rows.filter({ has: frame.locator('[data-testid="log-source"]:visible') }).first();
      await withSource.locator('.log-text').click();
      await waitFor('a selected span', async () => (await frame.evaluate(() => (window as unknown as { spanlensTrace: { views: { timeline: { selected: number } } } }).spanlensTrace.views.timeline.selected)) >= 0);
      // Its source: the line's file at its line, inside the workspace (the line read as JSON).
      await frame.locator('[data-testid="logs-pretty"]').check();
      const { file, line } = sourceOf((await withSource.locator('.log-text').textContent()) ?? '{}');
      await withSource.locator('[data-testid="log-source"]').click();
      await expectEditorAt(ed, file, line);
    }));

  test('a trace id printed in the terminal is a link that opens its trace', () =>
    withScreenshotOnFailure(ed, 'terminal link', async () => {
      await closeAllEditors(ed);
      const id = model.traceId;
      await ed.runCommand('Terminal: Create New Terminal');
      const term = ed.page.locator('.terminal-wrapper.active .xterm, .terminal .xterm').first();
      await term.waitFor({ timeout: 30_000 });
      await term.click();
      await ed.page.keyboard.type(`echo request ${id} done\n`);
      const printed = ed.page.locator('.xterm-rows > div', { hasText: `request ${id} done` });
      await waitFor('the id printed by echo', async () => (await printed.count()) >= 2);
      // The point on the id's characters in the output line (not the typed command), from a DOM range over its text.
      const { x, y } = await waitFor('the printed line in the terminal', () =>
        ed.page.evaluate((want) => {
          const rows = Array.from(document.querySelectorAll('.xterm-rows > div')).filter((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').startsWith(`request ${want}`));
          const row = rows[rows.length - 1];
          if (!row) return null;
          const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
          let skip = 'request '.length + 4;
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const len = n.textContent?.length ?? 0;
            if (skip < len) {
              const r = document.createRange();
              r.setStart(n, skip);
              r.setEnd(n, skip + 1);
              const b = r.getBoundingClientRect();
              return b.width > 0 ? { x: b.x + b.width / 2, y: b.y + b.height / 2 } : null;
            }
            skip -= len;
          }
          return null;
        }, id),
      );
      // Hovering asks the link providers; the terminal names the link in a hover once it has it.
      await waitFor('the link hover', async () => {
        await ed.page.mouse.move(x + 3, y);
        await ed.page.mouse.move(x, y);
        return ed.page.locator('.workbench-hover, .monaco-hover', { hasText: 'Look up this' }).first().isVisible();
      });
      await ed.page.keyboard.down('Control');
      await ed.page.mouse.click(x, y);
      await ed.page.keyboard.up('Control');
      const frame = await ed.webviewFrame(`[data-testid="lookup-header"]`, 60_000);
      await waitFor('the lookup names the id', async () => ((await frame.locator('.lookup-id').textContent()) ?? '').includes(id));
      await frame.locator(`[data-testid="stats"][data-trace-id="${model.traceId}"]`).waitFor({ timeout: 60_000 });
      await ed.screenshot('lookup-from-terminal');
    }));

  test('Open Log File… lists a JSONL file and a line opens its source', () =>
    withScreenshotOnFailure(ed, 'log file', async () => {
      await closeAllEditors(ed);
      await ed.runCommand('Spanlens: Open Log File');
      const path = join(ws, 'logs', 'frontend.jsonl');
      await answerFileDialog(ed, path);
      const frame = await ed.webviewFrame('[data-testid="log-file-status"]', 60_000);
      await waitFor('the whole file read', async () => (await frame.locator('[data-testid="log-file-status"]').getAttribute('data-done')) === 'true');
      assert.equal(await frame.locator('[data-testid="log-file-status"]').getAttribute('data-lines'), String(logs.length));
      await ed.screenshot('log-file');
      const row = frame.locator('[data-testid="logs"] .log-row:visible', { has: frame.locator('[data-testid="log-source"]:visible') }).first();
      const { file, line } = sourceOf(logs[Number(await row.getAttribute('data-index'))]!.line);
      await row.locator('[data-testid="log-source"]').click();
      await expectEditorAt(ed, file, line);
    }));

  test('an id in a log file opened as text has a hover and a Ctrl+click link that look it up', () =>
    withScreenshotOnFailure(ed, 'document link', async () => {
      await closeAllEditors(ed);
      const id = dynamoRequestIdFor(SEED);
      await ed.runCommand('Go to File');
      const input = ed.page.locator('.quick-input-widget input[type="text"]').first();
      await input.fill('incident.log');
      await ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'incident.log' }).first().waitFor();
      await input.press('Enter');
      // The provider's link: the editor underlines it once the document's links are in.
      const link = ed.page.locator('.monaco-editor .view-line .detected-link', { hasText: id.slice(0, 8) }).first();
      await link.waitFor({ timeout: 30_000 });
      const box = (await link.boundingBox())!;
      await waitFor('the id hover', async () => {
        await ed.page.mouse.move(box.x + 2, box.y + box.height / 2);
        await ed.page.mouse.move(box.x + 6, box.y + box.height / 2);
        return ed.page.locator('.monaco-hover', { hasText: 'Look up this' }).first().isVisible();
      });
      assert.match((await ed.page.locator('.monaco-hover', { hasText: 'Look up this' }).first().textContent()) ?? '', new RegExp(id));
      await ed.page.keyboard.down('Control');
      await ed.page.mouse.click(box.x + 6, box.y + box.height / 2);
      await ed.page.keyboard.up('Control');
      const frame = await ed.webviewFrame(`[data-testid="lookup-header"]`, 60_000);
      await waitFor('the lookup names the id', async () => ((await frame.locator('.lookup-id').textContent()) ?? '').includes(id));
      await frame.locator(`[data-testid="stats"][data-trace-id="${model.traceId}"]`).waitFor({ timeout: 60_000 });
      await ed.screenshot('lookup-from-log-link');
    }));

  test('with Loki down the trace still shows and the logs part says why', () =>
    withScreenshotOnFailure(ed, 'loki down', async () => {
      await closeAllEditors(ed);
      await loki.close();
      // By Dynamo's request id this time (the trace id's panel is the terminal test's).
      const frame = await lookUp(ed, dynamoRequestIdFor(SEED));
      await frame.locator(`[data-testid="stats"][data-trace-id="${model.traceId}"]`).waitFor({ timeout: 60_000 });
      await waitFor('the logs part failed', async () => (await frame.locator('[data-testid="part-logs"]').getAttribute('data-state')) === 'error', 90_000);
      assert.match((await frame.locator('[data-testid="part-logs"]').getAttribute('title')) ?? '', /Loki/);
      assert.equal(await frame.locator('[data-testid="part-trace"]').getAttribute('data-state'), 'found');
      // The log list says why it is empty, and the timeline keeps its rows above it.
      await waitFor('the reason in the log list', async () => /Loki/.test((await frame.locator('[data-testid="logs-empty"]').textContent()) ?? ''));
      assert.ok((await frame.locator('.tl-row:visible').count()) >= 3, 'timeline rows stay visible beside the log list');
      await ed.screenshot('lookup-loki-down');
    }));
});
