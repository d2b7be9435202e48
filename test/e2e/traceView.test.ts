import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame } from 'playwright-core';
import { answerFileDialog, launchEditor, waitFor, withScreenshotOnFailure, type Editor } from './support/codeServer';
import { parseTraceValue } from '../../src/core/formats';
import { startTempoFake, type TempoFake } from '../fakes/tempo';
import { generateTrace } from '../support/synth';
import { tempoEncode } from '../support/tempoEncode';

const fixtures = resolve(__dirname, '../fixtures');
const HOTROD = 'jaeger-hotrod-dispatch-40spans-serial.otlp.json';

/** The Dynamo-shaped trace the Tempo fake serves; its spans name files of the workspace below. */
const DYNAMO = generateTrace({ spans: 400, seed: 42 });
const DYNAMO_ID = parseTraceValue(DYNAMO).traces[0]!.traceId;

/**
 * A 100-second Zipkin trace like the real one that opened as unlabeled slivers: a root without a
 * duration, 171 sub-millisecond children spread over 100 s.
 */
function longZipkinTrace(): unknown[] {
  const t0 = 1_700_000_000_000_000;
  const root = { traceId: 'c0ffee00c0ffee01', id: '00000000000000a0', name: 'mobile-web-install', timestamp: t0, localEndpoint: { serviceName: 'gateway' } };
  const kids = Array.from({ length: 171 }, (_, i) => ({
    traceId: 'c0ffee00c0ffee01', id: (0x100 + i).toString(16).padStart(16, '0'), parentId: root.id, name: `poll-${i}`,
    timestamp: t0 + Math.round((i * 100_000_000) / 171), duration: 120 + (i % 7) * 40, localEndpoint: { serviceName: i % 3 ? 'installer' : 'cdn' },
  }));
  return [root, ...kids];
}

/** Two traces in one file: a producer whose span links to the consumer's trace. */
const PRODUCER = 'aa'.repeat(16);
const CONSUMER = 'bb'.repeat(16);
function linkedTraces(): unknown {
  const span = (traceId: string, spanId: string, name: string, startMs: number, extra: Record<string, unknown> = {}) => ({
    traceId, spanId, name, startTimeUnixNano: `${1_700_000_000_000 + startMs}000000`, endTimeUnixNano: `${1_700_000_000_000 + startMs + 20}000000`, ...extra,
  });
  const resource = (service: string) => ({ attributes: [{ key: 'service.name', value: { stringValue: service } }] });
  return {
    resourceSpans: [
      { resource: resource('shop'), scopeSpans: [{ spans: [span(PRODUCER, '01'.repeat(8), 'checkout', 0), span(PRODUCER, '02'.repeat(8), 'enqueue order', 5, { parentSpanId: '01'.repeat(8), links: [{ traceId: CONSUMER, spanId: '03'.repeat(8) }] })] }] },
      { resource: resource('fulfilment'), scopeSpans: [{ spans: [span(CONSUMER, '03'.repeat(8), 'process order', 100)] }] },
    ],
  };
}

function makeWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'spanlens-ws-'));
  mkdirSync(join(ws, 'traces'));
  copyFileSync(join(fixtures, 'otlp', HOTROD), join(ws, 'traces', HOTROD));
  writeFileSync(join(ws, 'traces', 'package.json'), JSON.stringify({ name: 'not-a-trace', version: '1.0.0' }));
  writeFileSync(join(ws, 'traces', 'long-100s.zipkin.json'), JSON.stringify(longZipkinTrace()));
  writeFileSync(join(ws, 'traces', 'linked.otlp.json'), JSON.stringify(linkedTraces()));
  // The source files the synthetic spans name (code.file.path is relative to the Dynamo checkout).
  const files = new Set<string>();
  for (const rs of DYNAMO.resourceSpans as Array<{ scopeSpans: Array<{ spans: Array<{ attributes: Array<{ key: string; value: { stringValue?: string } }> }> }> }>) {
    for (const ss of rs.scopeSpans) for (const sp of ss.spans) for (const a of sp.attributes) if (a.key === 'code.file.path' && a.value.stringValue) files.add(a.value.stringValue);
  }
  for (const f of files) {
    mkdirSync(join(ws, 'dynamo', f, '..'), { recursive: true });
    writeFileSync(join(ws, 'dynamo', f), Array.from({ length: 1000 }, (_, i) => `// ${f} line ${i + 1}`).join('\n'));
  }
  return ws;
}

/** Switches the trace view to the flame graph (it opens as the timeline). */
async function showFlame(frame: Frame): Promise<void> {
  await frame.locator('[data-testid="view-flame"]').click();
  await frame.locator('canvas.flame-canvas').waitFor({ state: 'visible' });
}

/** Opens a file through `Spanlens: Open Trace File…` and the simple file dialog of code-server. */
async function openTraceFile(ed: Editor, path: string): Promise<Frame> {
  await ed.runCommand('Spanlens: Open Trace File');
  await answerFileDialog(ed, path);
  return ed.webviewFrame('[data-testid="stats"], [data-testid="error"]', 60_000);
}

async function closeAllEditors(ed: Editor): Promise<void> {
  await ed.runCommand('View: Close All Editors');
  await waitFor('no open editors', async () => (await ed.page.locator('.tabs-container .tab').count()) === 0);
}

/** Distinct colours in the flame canvas: a blank canvas has one. */
async function canvasColours(frame: Frame): Promise<number> {
  return frame.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('canvas.flame-canvas');
    if (!c || !c.width || !c.height) return 0;
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < px.length; i += 4 * 7) seen.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
    return seen.size;
  });
}

describe('trace view in a real VS Code (code-server)', () => {
  let ws: string;
  let ed: Editor;
  let tempo: TempoFake;

  before(async () => {
    ws = makeWorkspace();
    tempo = await startTempoFake({ traces: [{ otlp: DYNAMO }] });
    ed = await launchEditor({ workspace: ws, name: 'trace', settings: { 'spanlens.tempo.url': tempo.url, 'spanlens.loki.url': '', 'spanlens.prometheus.url': '' } });
  });

  after(async () => {
    await ed?.close();
    await tempo?.close();
    rmSync(ws, { recursive: true, force: true });
  });

  test('Open Trace by ID… fetches from Tempo; search, select in the timeline, the flame keeps the selection, and the span opens its source', () =>
    withScreenshotOnFailure(ed, 'open by id search select flame source', async () => {
      await ed.runCommand('Spanlens: Open Trace by ID');
      const input = ed.page.locator('.quick-input-widget input[type="text"]').first();
      await waitFor('the trace id input', async () => (await input.isVisible()) && !(await input.inputValue()).startsWith('>'));
      await input.fill('not-hex');
      await ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Not a trace id' }).first().waitFor();
      await input.fill(DYNAMO_ID.replace(/^0+/, ''));
      await ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Open this trace' }).first().waitFor();
      await input.press('Enter');
      const frame = await ed.webviewFrame(`[data-testid="stats"][data-trace-id="${DYNAMO_ID}"]`, 60_000);
      assert.equal(await frame.locator('[data-testid="stats"]').getAttribute('data-span-count'), '400');
      // It opens as the timeline: one DOM row per visible span, the root first.
      await waitFor('timeline rows', async () => (await frame.locator('.tl-row .tl-text').first().textContent()) === 'http-request');
      await ed.screenshot('trace-by-id-timeline');

      // Search by name: the match count shows and the first match is selected.
      const search = frame.locator('[data-testid="search"]');
      await search.fill('engine.generate');
      await search.press('Enter');
      const count = frame.locator('[data-testid="match-count"]');
      await waitFor('matches', async () => /of \d+/.test((await count.textContent()) ?? ''));
      const details = frame.locator('[data-testid="details"]');
      await waitFor('the first match in the details', async () => (await details.locator('.span-name .value').textContent()) === 'engine.generate');
      await ed.screenshot('trace-search');

      // Select another span in the timeline by clicking its row.
      const row = frame.locator('.tl-row', { has: frame.locator('.tl-text', { hasText: /^handle_payload$/ }) }).first();
      await row.click();
      await waitFor('handle_payload in the details', async () => (await details.locator('.span-name .value').textContent()) === 'handle_payload');
      const selected = await frame.evaluate(() => (window as unknown as { spanlensTrace: { views: { timeline: { selected: number } } } }).spanlensTrace.views.timeline.selected);
      assert.ok(selected >= 0);

      // The flame view shares the selection and the details.
      await showFlame(frame);
      assert.equal(await frame.evaluate(() => (window as unknown as { spanlensTrace: { views: { flame: { selected: number } } } }).spanlensTrace.views.flame.selected), selected);
      assert.equal(await details.locator('.span-name .value').textContent(), 'handle_payload');
      await waitFor('a drawn canvas', async () => (await canvasColours(frame)) > 4);
      await ed.screenshot('trace-flame-selected');

      // Its source: the first code location in the details opens the workspace file at the line.
      const link = details.locator('[data-testid="source-link"]').first();
      const text = (await link.textContent()) ?? '';
      const m = /^(.+?):(\d+)/.exec(text);
      assert.ok(m, `a path:line link, got ${text}`);
      const [, path, line] = m;
      await link.click();
      const fileName = path!.split('/').pop()!;
      await ed.page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ timeout: 30_000 });
      await waitFor('the cursor on the span\'s line', async () => ((await ed.page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first().textContent()) ?? '').startsWith(`Ln ${line},`));
      const uri = await ed.page.locator('.editor-group-container.active .monaco-editor[data-uri]').first().getAttribute('data-uri');
      // code-server names local files vscode-remote://host/path; the path is what matters.
      assert.equal(decodeURIComponent(new URL(uri ?? 'x:/').pathname), join(ws, 'dynamo', path!));
      await ed.screenshot('trace-source-opened');

      // The id just opened is offered again, as recent.
      await ed.runCommand('Spanlens: Open Trace by ID');
      const recent = ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: DYNAMO_ID }).first();
      await recent.waitFor({ timeout: 15_000 });
      assert.match((await recent.textContent()) ?? '', /recent/);
      await waitFor('the quick input to close', async () => {
        if (!(await input.isVisible())) return true;
        await ed.page.keyboard.press('Escape');
        return false;
      });
      // Another trace opens in a panel of its own; the first stays open beside the source file.
      const tabs = await ed.page.locator('.tabs-container .tab').count();
      const other = await openTraceFile(ed, join(ws, 'traces', HOTROD));
      await waitFor('the second trace', async () => (await other.locator('[data-testid="stats"]').getAttribute('data-span-count')) === '40');
      assert.equal(await ed.page.locator('.tabs-container .tab').count(), tabs + 1);
    }));

  test('a 100-second trace whose root has no duration shows the root by name, and its sub-millisecond spans stay visible', () =>
    withScreenshotOnFailure(ed, 'long trace root name', async () => {
      await closeAllEditors(ed);
      const frame = await openTraceFile(ed, join(ws, 'traces', 'long-100s.zipkin.json'));
      await waitFor('the span count', async () => (await frame.locator('[data-testid="stats"]').getAttribute('data-span-count')) === '172');
      const first = frame.locator('.tl-row').first();
      assert.equal(await first.locator('.tl-text').textContent(), 'mobile-web-install');
      // Zero-length and sub-pixel bars keep a visible width.
      const widths = await frame.locator('.tl-row .tl-bar').evaluateAll((els) => els.slice(0, 20).map((e) => e.getBoundingClientRect().width));
      assert.ok(widths.every((w) => w >= 2), `bars: ${widths.join(',')}`);
      await ed.screenshot('long-trace-timeline');
      await showFlame(frame);
      // The zero-length root is a box at the left edge of row 0; hovering it names it.
      const canvas = frame.locator('canvas.flame-canvas');
      await canvas.hover({ position: { x: 1, y: 10 } });
      await waitFor('the root in the tooltip', async () => /mobile-web-install/.test((await frame.locator('[data-testid="tooltip"]').innerText()) ?? ''));
      await ed.screenshot('long-trace-flame');
    }));

  test('Open Trace File… draws the flame graph, and a clicked span fills the details pane', () =>
    withScreenshotOnFailure(ed, 'Open Trace File… draws the flame graph, and a clicked span fills the details pane', async () => {
      const frame = await openTraceFile(ed, join(ws, 'traces', HOTROD));
      const stats = frame.locator('[data-testid="stats"]');
      await waitFor('the span count', async () => (await stats.getAttribute('data-span-count')) === '40');
      const services = await frame.locator('[data-testid="legend"] .legend-item').evaluateAll((els) => els.map((e) => e.textContent).sort());
      assert.deepEqual(services, ['customer', 'driver', 'frontend', 'mysql', 'redis-manual', 'route']);
      await showFlame(frame);
      await waitFor('a drawn canvas', async () => (await canvasColours(frame)) > 6);
      await ed.screenshot('trace-view');

      // The root starts at the left edge of row 0.
      const canvas = frame.locator('canvas.flame-canvas');
      const box = await canvas.boundingBox();
      assert.ok(box);
      await canvas.click({ position: { x: 20, y: 10 } });
      const details = frame.locator('[data-testid="details"]');
      await waitFor('the details of the root span', async () => (await details.locator('.span-name .value').textContent()) === 'GET /dispatch');
      const facts = await details.locator('table.facts').innerText();
      assert.match(facts, /frontend/);
      assert.match(facts, /server/);
      assert.match(await details.innerText(), /Attributes \(\d+\)/);
      await ed.screenshot('trace-view-selected');

      // Hover shows a tooltip with name and service.
      await canvas.hover({ position: { x: 40, y: 10 } });
      const tooltip = frame.locator('[data-testid="tooltip"]');
      await waitFor('the tooltip', async () => /GET \/dispatch/.test((await tooltip.innerText()) ?? ''));
      assert.match(await tooltip.innerText(), /frontend/);

      // Zoom with the wheel, then the reset button restores the whole trace.
      const ticks = () => frame.locator('.graph svg.axis .tick text').allTextContents();
      const whole = await ticks();
      await canvas.hover({ position: { x: box.width / 2, y: 30 } });
      await ed.page.mouse.wheel(0, -600);
      await waitFor('the axis to zoom in', async () => JSON.stringify(await ticks()) !== JSON.stringify(whole));
      await frame.locator('[data-testid="reset-zoom"]').click();
      await waitFor('the axis to show the whole trace again', async () => JSON.stringify(await ticks()) === JSON.stringify(whole));
      // Keyboard: the canvas has focus after the click; + zooms in, 0 resets.
      await canvas.focus();
      await canvas.press('+');
      await waitFor('the axis to zoom in by key', async () => JSON.stringify(await ticks()) !== JSON.stringify(whole));
      await canvas.press('0');
      await waitFor('the axis to reset by key', async () => JSON.stringify(await ticks()) === JSON.stringify(whole));
    }));

  test('double-click zooms to a span, dragging pans, and the canvas follows a theme change', () =>
    withScreenshotOnFailure(ed, 'zoom pan theme', async () => {
      await closeAllEditors(ed);
      const frame = await openTraceFile(ed, join(ws, 'traces', HOTROD));
      await showFlame(frame);
      await waitFor('a drawn canvas', async () => (await canvasColours(frame)) > 6);
      const canvas = frame.locator('canvas.flame-canvas');
      const ticks = () => frame.locator('.graph svg.axis .tick text').allTextContents();
      const whole = await ticks();
      const box = (await canvas.boundingBox())!;

      // Row 1 (y≈30) holds the root's children; double-clicking one zooms the axis to it.
      await canvas.dblclick({ position: { x: box.width * 0.25, y: 30 } });
      await waitFor('the axis to zoom to the span', async () => JSON.stringify(await ticks()) !== JSON.stringify(whole));
      const zoomed = await ticks();
      // Drag left by a third of the width: later times come into view (the zoomed span starts
      // the trace, so there is nothing earlier to pan to).
      const page = ed.page;
      await page.mouse.move(box.x + box.width * 0.8, box.y + 30);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + 32, { steps: 5 });
      await page.mouse.move(box.x + box.width * 0.47, box.y + 32, { steps: 5 });
      await page.mouse.up();
      await waitFor('the axis to pan', async () => JSON.stringify(await ticks()) !== JSON.stringify(zoomed));
      // Double-click on empty space (far below the 4 rows) resets.
      await canvas.dblclick({ position: { x: box.width / 2, y: box.height - 10 } });
      await waitFor('the axis to reset', async () => JSON.stringify(await ticks()) === JSON.stringify(whole));

      // The canvas paints its background from the theme: dark now, light after a toggle.
      const background = () =>
        frame.evaluate(() => {
          const c = document.querySelector<HTMLCanvasElement>('canvas.flame-canvas')!;
          const [r, g, b] = c.getContext('2d')!.getImageData(2, c.height - 2, 1, 1).data;
          return (r! + g! + b!) / 3;
        });
      assert.ok((await background()) < 80, 'dark theme: dark canvas');
      await ed.runCommand('Preferences: Toggle between Light/Dark Themes');
      await waitFor('the canvas to turn light', async () => (await background()) > 180);
      // The legend's swatches follow too (light fills are light).
      await waitFor('light legend swatches', () =>
        frame.locator('.legend-item .swatch').first().evaluate((e) => {
          const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(getComputedStyle(e).backgroundColor);
          return !!m && (Number(m[1]) + Number(m[2]) + Number(m[3])) / 3 > 150;
        }),
      );
      await ed.screenshot('trace-view-light');
      await ed.runCommand('Preferences: Toggle between Light/Dark Themes');
      await waitFor('the canvas to turn dark again', async () => (await background()) < 80);
    }));

  test('the Explorer context menu on a .json file opens the same view', () =>
    withScreenshotOnFailure(ed, 'the Explorer context menu on a .json file opens the same view', async () => {
      await closeAllEditors(ed);
      const folder = ed.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'traces' }).first();
      await folder.waitFor();
      if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
      const file = ed.page.locator('.explorer-folders-view .monaco-list-row', { hasText: HOTROD }).first();
      await file.click({ button: 'right' });
      // Monaco menus ignore a click that lands right after they open; retry until it closes.
      const item = ed.page.locator('.monaco-menu .action-label', { hasText: 'Open Trace File' }).first();
      await item.waitFor();
      await waitFor('the context menu to run the command', async () => {
        if (!(await item.isVisible())) return true;
        await item.click({ timeout: 2000 }).catch(() => undefined);
        return false;
      });
      const frame = await ed.webviewFrame('[data-testid="stats"][data-span-count="40"]', 60_000);
      assert.equal(await frame.locator('[data-testid="legend"] .legend-item').count(), 6);
    }));

  test('Open With… → Spanlens Trace shows the trace as a custom editor', () =>
    withScreenshotOnFailure(ed, 'Open With… → Spanlens Trace shows the trace as a custom editor', async () => {
      await closeAllEditors(ed);
      await ed.runCommand('Go to File');
      const input = ed.page.locator('.quick-input-widget input[type="text"]').first();
      await input.fill(HOTROD);
      await ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: HOTROD }).first().waitFor();
      await input.press('Enter');
      await ed.page.locator('.monaco-editor .view-lines').first().waitFor();
      await ed.runCommand('View: Reopen Editor With...');
      await ed.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Spanlens Trace' }).first().click();
      const frame = await ed.webviewFrame('[data-testid="stats"][data-span-count="40"]', 60_000);
      await showFlame(frame);
      await waitFor('a drawn canvas', async () => (await canvasColours(frame)) > 6);
      await ed.screenshot('custom-editor');
    }));

  test('the trace panel survives a window reload (WebviewPanelSerializer)', () =>
    withScreenshotOnFailure(ed, 'the trace panel survives a window reload (WebviewPanelSerializer)', async () => {
      await closeAllEditors(ed);
      await openTraceFile(ed, join(ws, 'traces', HOTROD));
      await ed.webviewFrame('[data-testid="stats"][data-span-count="40"]', 60_000);
      await ed.runCommand('Developer: Reload Window');
      await ed.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const frame = await ed.webviewFrame('[data-testid="stats"][data-span-count="40"]', 90_000);
      await waitFor('timeline rows after reload', async () => (await frame.locator('.tl-row .tl-text').first().textContent()) === 'GET /dispatch');
    }));

  test('a span link to another trace of the same file shows that trace in the same panel', () =>
    withScreenshotOnFailure(ed, 'a span link to another trace of the same file', async () => {
      await closeAllEditors(ed);
      const frame = await openTraceFile(ed, join(ws, 'traces', 'linked.otlp.json'));
      const stats = frame.locator('[data-testid="stats"]');
      await waitFor('the producer trace', async () => (await stats.getAttribute('data-trace-id')) === PRODUCER);
      await frame.locator('.tl-row', { hasText: 'enqueue order' }).click();
      const link = frame.locator('[data-testid="details"] [data-testid="trace-link"]');
      await waitFor('the link in the details', async () => (await link.textContent().catch(() => '')) === `${CONSUMER} / ${'03'.repeat(8)}`);
      await link.click();
      await waitFor('the consumer trace in this panel', async () => (await stats.getAttribute('data-trace-id')) === CONSUMER);
      assert.equal(await frame.locator('[data-testid="trace-picker"]').inputValue(), '1');
      assert.equal(await frame.locator('.tl-row .tl-text').first().textContent(), 'process order');
      assert.equal(await ed.page.locator('.tabs-container .tab').count(), 1, 'no second panel, no Tempo fetch');
    }));

  test('a JSON file that is not a trace shows a clear message, not a blank panel', () =>
    withScreenshotOnFailure(ed, 'a JSON file that is not a trace shows a clear message, not a blank panel', async () => {
      const frame = await openTraceFile(ed, join(ws, 'traces', 'package.json'));
      const error = frame.locator('[data-testid="error"]');
      await error.waitFor();
      const text = await error.innerText();
      assert.match(text, /cannot be shown as a trace/);
      assert.match(text, /package\.json/);
      // Trying again cannot make it a trace, so there is no Try again (the file is watched instead).
      assert.equal(await error.locator('[data-testid="retry"]').count(), 0);
      await ed.screenshot('not-a-trace');
      // It may be a log file picked by mistake: it opens as one, its line listed.
      await error.locator('[data-testid="openAsLogs"]').click();
      const logs = await ed.webviewFrame('[data-testid="log-file-status"][data-done="true"]', 60_000);
      assert.equal(await logs.locator('[data-testid="log-file-status"]').getAttribute('data-lines'), '1');
      await waitFor('the line', async () => /not-a-trace/.test((await logs.locator('[data-testid="logs"] .log-row .log-text').first().textContent()) ?? ''));
    }));

  test('a large file reads under a cancellable notification; Cancel shows why, and Try again reads it', () =>
    withScreenshotOnFailure(ed, 'a large file reads under a cancellable notification; Cancel shows why, and Try again reads it', async () => {
      // Big enough (~160 MB, seconds of parsing in the worker) that Cancel lands while it reads.
      const spans = 200_000;
      const big = join(ws, 'traces', 'big-200k.json');
      writeFileSync(big, JSON.stringify(tempoEncode(generateTrace({ spans, seed: 11 }), { envelope: 'v2', inspectedBytes: 1 })));
      await closeAllEditors(ed);
      const toast = ed.page.locator('.notification-toast', { hasText: 'Reading trace big-200k.json' });
      const opened = openTraceFile(ed, big);
      await toast.waitFor({ timeout: 60_000 });
      await ed.screenshot('large-file-progress');
      await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
      const frame = await opened;
      const error = frame.locator('[data-testid="error"]');
      await error.waitFor();
      assert.match(await error.innerText(), /Reading big-200k\.json was cancelled/);
      assert.equal(await error.locator('h2').textContent(), 'Reading the trace was cancelled.');
      await waitFor('the progress notification to close', async () => (await toast.count()) === 0);
      await ed.screenshot('large-file-cancelled');

      await frame.locator('[data-testid="retry"]').click();
      await toast.waitFor({ timeout: 60_000 }); // the retry reads under the same notification
      await waitFor('the large trace', async () => (await frame.locator('[data-testid="stats"]').getAttribute('data-span-count').catch(() => null)) === String(spans), 180_000);
      await showFlame(frame);
      await waitFor('a drawn canvas', async () => (await canvasColours(frame)) > 6);
      // The host stayed responsive enough to hand out span details from the worker.
      await frame.locator('canvas.flame-canvas').click({ position: { x: 20, y: 10 } });
      await waitFor('the details of the root span', async () => ((await frame.locator('[data-testid="details"] .span-name .value').textContent()) ?? '').length > 0);
      await ed.screenshot('large-file-loaded');
      rmSync(big, { force: true });
    }));
});
