import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame } from 'playwright-core';
import { launchEditor, waitFor, withScreenshotOnFailure, type Editor } from './support/codeServer';
import { generateTrace } from '../support/synth';
import { tempoEncode } from '../support/tempoEncode';

const fixtures = resolve(__dirname, '../fixtures');
const HOTROD = 'jaeger-hotrod-dispatch-40spans-serial.otlp.json';

function makeWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'spanlens-ws-'));
  mkdirSync(join(ws, 'traces'));
  copyFileSync(join(fixtures, 'otlp', HOTROD), join(ws, 'traces', HOTROD));
  writeFileSync(join(ws, 'traces', 'package.json'), JSON.stringify({ name: 'not-a-trace', version: '1.0.0' }));
  return ws;
}

/** Opens a file through `Spanlens: Open Trace File…` and the simple file dialog of code-server. */
async function openTraceFile(ed: Editor, path: string): Promise<Frame> {
  await ed.runCommand('Spanlens: Open Trace File');
  const page = ed.page;
  const input = page.locator('.quick-input-widget input[type="text"]').first();
  await waitFor('the file dialog', async () => (await input.isVisible()) && !(await input.inputValue()).startsWith('>'));
  await input.fill(path);
  // The simple file dialog validates the typed path asynchronously; accept until it closes.
  await waitFor('the file dialog to accept the path', async () => {
    if (!(await input.isVisible())) return true;
    // The dialog may close between these steps: every action is short and allowed to miss.
    if ((await input.inputValue({ timeout: 2000 })) !== path) await input.fill(path, { timeout: 2000 }).catch(() => undefined);
    await page.locator('.quick-input-widget .quick-input-action .monaco-button, .quick-input-widget .quick-input-ok .monaco-button').first().click({ timeout: 2000 }).catch(() => input.press('Enter'));
    return false;
  });
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

describe('trace file in a real VS Code (code-server)', () => {
  let ws: string;
  let ed: Editor;

  before(async () => {
    ws = makeWorkspace();
    ed = await launchEditor({ workspace: ws, name: 'trace' });
  });

  after(async () => {
    await ed?.close();
    rmSync(ws, { recursive: true, force: true });
  });

  test('Open Trace File… draws the flame graph, and a clicked span fills the details pane', () =>
    withScreenshotOnFailure(ed, 'Open Trace File… draws the flame graph, and a clicked span fills the details pane', async () => {
      const frame = await openTraceFile(ed, join(ws, 'traces', HOTROD));
      const stats = frame.locator('[data-testid="stats"]');
      await waitFor('the span count', async () => (await stats.getAttribute('data-span-count')) === '40');
      const services = await frame.locator('[data-testid="legend"] .legend-item').evaluateAll((els) => els.map((e) => e.textContent).sort());
      assert.deepEqual(services, ['customer', 'driver', 'frontend', 'mysql', 'redis-manual', 'route']);
      await waitFor('a drawn canvas', async () => (await canvasColours(frame)) > 6);
      await ed.screenshot('trace-view');

      // The root starts at the left edge of row 0.
      const canvas = frame.locator('canvas.flame-canvas');
      const box = await canvas.boundingBox();
      assert.ok(box);
      await canvas.click({ position: { x: 20, y: 10 } });
      const details = frame.locator('[data-testid="details"]');
      await waitFor('the details of the root span', async () => (await details.locator('.span-name').textContent()) === 'GET /dispatch');
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
      const ticks = () => frame.locator('svg.axis .tick text').allTextContents();
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
      await waitFor('a drawn canvas', async () => (await canvasColours(frame)) > 6);
      const canvas = frame.locator('canvas.flame-canvas');
      const ticks = () => frame.locator('svg.axis .tick text').allTextContents();
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
      await waitFor('a drawn canvas after reload', async () => (await canvasColours(frame)) > 6);
    }));

  test('a JSON file that is not a trace shows a clear message, not a blank panel', () =>
    withScreenshotOnFailure(ed, 'a JSON file that is not a trace shows a clear message, not a blank panel', async () => {
      const frame = await openTraceFile(ed, join(ws, 'traces', 'package.json'));
      const error = frame.locator('[data-testid="error"]');
      await error.waitFor();
      const text = await error.innerText();
      assert.match(text, /cannot be shown as a trace/);
      assert.match(text, /package\.json/);
      await ed.screenshot('not-a-trace');
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
      assert.equal(await error.locator('h2').textContent(), 'Reading the file was cancelled.');
      await waitFor('the progress notification to close', async () => (await toast.count()) === 0);
      await ed.screenshot('large-file-cancelled');

      await frame.locator('[data-testid="retry"]').click();
      await toast.waitFor({ timeout: 60_000 }); // the retry reads under the same notification
      await waitFor('the large trace', async () => (await frame.locator('[data-testid="stats"]').getAttribute('data-span-count').catch(() => null)) === String(spans), 180_000);
      await waitFor('a drawn canvas', async () => (await canvasColours(frame)) > 6);
      // The host stayed responsive enough to hand out span details from the worker.
      await frame.locator('canvas.flame-canvas').click({ position: { x: 20, y: 10 } });
      await waitFor('the details of the root span', async () => ((await frame.locator('[data-testid="details"] .span-name').textContent()) ?? '').length > 0);
      await ed.screenshot('large-file-loaded');
      rmSync(big, { force: true });
    }));
});
