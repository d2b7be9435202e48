/**
 * The built trace webview (dist/webview/trace.js) in plain headless Chromium with a stand-in for
 * the VS Code API, answered by the real core (see test/support/webview): fast checks of what a
 * user does in the view, without code-server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closeBrowser } from '../../support/webview/harness';
import { openTracePage, type TraceHostPage } from '../../support/webview/traceHost';
import { ServiceSlots } from '../../../src/core/model/serviceSlots';
import { fixturePath } from '../../support/fixtures';

const BUNDLE = resolve(__dirname, '../../../dist/webview/trace.js');
const HOTROD = readFileSync(fixturePath('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json'));

type Views = { timeline: { selected: number; rowCount: number }; flame: { selected: number } | undefined; viewport: { t0: number; t1: number } };
const views = (p: TraceHostPage) => p.page.evaluate(() => {
  const v = (window as unknown as { spanlensTrace: { views: { timeline?: { selected: number; rowCount: number }; flame?: { selected: number }; viewport: { t0: number; t1: number } } } }).spanlensTrace.views;
  return { timeline: v.timeline && { selected: v.timeline.selected, rowCount: v.timeline.rowCount }, flame: v.flame && { selected: v.flame.selected }, viewport: { t0: v.viewport.t0, t1: v.viewport.t1 } };
}) as Promise<Views>;

/** Polls a condition on this side (what the page sent us); never a fixed sleep. */
async function until(what: string, fn: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function errorsOf(p: TraceHostPage): unknown[] {
  return p.fromPage.filter((m) => (m as { type?: string }).type === '__pageerror');
}

describe('trace webview in Chromium', { timeout: 120_000 }, () => {
  before(() => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: npm run build`);
  });
  after(closeBrowser);

  test('opens as the timeline with the root first, names as DOM text, the stats line with plurals', async () => {
    const p = await openTracePage(HOTROD);
    try {
      await p.loaded();
      const names = await p.page.locator('.tl-row .tl-text').allTextContents();
      assert.equal(names[0], 'GET /dispatch');
      assert.ok(names.includes('SQL SELECT'));
      assert.match((await p.page.locator('[data-testid="stats"]').textContent())!, /^40 spans · 6 services · 3 errors · 1\.12 s · started 2026-/);
      // Rows carry tree semantics for screen readers.
      assert.equal(await p.page.locator('.tl-row').first().getAttribute('aria-level'), '1');
      assert.equal(await p.page.locator('.tl-row').first().getAttribute('aria-expanded'), 'true');
      assert.deepEqual(errorsOf(p), []);
    } finally {
      await p.close();
    }
  });

  test('a service keeps its colour across panels whatever services share them; one trace\'s services all differ', async () => {
    const legend = (p: TraceHostPage) => p.page.locator('.legend-item').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-service'), getComputedStyle(e.querySelector('.swatch')!).backgroundColor])));
    const otlp = JSON.parse(HOTROD.toString('utf8')) as { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] } }[] };
    const serviceOf = (rs: (typeof otlp.resourceSpans)[number]) => rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
    const two = Buffer.from(JSON.stringify({ resourceSpans: otlp.resourceSpans.filter((rs) => ['route', 'redis-manual'].includes(serviceOf(rs)!)) }));
    // As the extension does: one set of slots for every panel; and without one, colours from the names.
    for (const slots of [new ServiceSlots(), undefined]) {
      const [a, b] = [await openTracePage(HOTROD, { slots }), await openTracePage(two, { slots })];
      try {
        await Promise.all([a.loaded(), b.loaded()]);
        const [all, some] = [await legend(a), await legend(b)];
        assert.deepEqual(Object.keys(some).sort(), ['redis-manual', 'route']);
        assert.equal(some.route, all.route, `route: ${slots ? 'slots' : 'names'}`);
        assert.equal(some['redis-manual'], all['redis-manual']);
        if (slots) assert.equal(new Set(Object.values(all)).size, 6, JSON.stringify(all));
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    }
  });

  test('a trace whose columns came in messages of their own draws the same as one sent whole', async () => {
    const rows = async (p: TraceHostPage) => ({ names: await p.page.locator('.tl-row .tl-text').allTextContents(), stats: await p.page.locator('[data-testid="stats"]').textContent() });
    const [whole, split] = [await openTracePage(HOTROD), await openTracePage(HOTROD, { detachAbove: 0 })];
    try {
      await Promise.all([whole.loaded(), split.loaded()]);
      assert.deepEqual([whole.loadMessages(), split.loadMessages()], [1, 13], 'twelve columns, then the rest');
      const columns = await rows(split);
      assert.deepEqual(columns, await rows(whole));
      assert.equal(columns.names[0], 'GET /dispatch');
      assert.equal((await views(split)).timeline.rowCount, 40);
      assert.deepEqual([...errorsOf(whole), ...errorsOf(split)], []);
    } finally {
      await Promise.all([whole.close(), split.close()]);
    }
  });

  test('collapse and expand: a subtree hides and comes back; collapse all keeps the first level', async () => {
    const p = await openTracePage(HOTROD);
    try {
      await p.loaded();
      const rows = () => p.page.locator('.tl-row:visible').count();
      const all = (await views(p)).timeline.rowCount;
      assert.equal(all, 40);
      await p.page.locator('.tl-row').nth(1).locator('.tl-toggle').click(); // HTTP GET → GET /customer → SQL SELECT
      assert.equal((await views(p)).timeline.rowCount, 38);
      await p.page.locator('[data-testid="collapse-all"]').click();
      assert.equal((await views(p)).timeline.rowCount, 13, 'the root and its 12 children');
      await p.page.locator('[data-testid="expand-all"]').click();
      assert.equal((await views(p)).timeline.rowCount, 40);
      assert.ok((await rows()) > 10);
    } finally {
      await p.close();
    }
  });

  test('search finds by name, service and attribute value; Enter steps; the flame keeps the selection', async () => {
    const p = await openTracePage(HOTROD);
    try {
      await p.loaded();
      const search = p.page.locator('[data-testid="search"]');
      await search.fill('redis-manual');
      await search.press('Enter');
      const count = p.page.locator('[data-testid="match-count"]');
      await p.page.waitForFunction(() => /of 14$/.test(document.querySelector('[data-testid="match-count"]')?.textContent ?? ''));
      assert.equal(await count.textContent(), '1 of 14');
      await search.press('Enter');
      assert.equal(await count.textContent(), '2 of 14');
      await search.press('Shift+Enter');
      assert.equal(await count.textContent(), '1 of 14');
      // Selecting a span that is not a match: the count says the selection is off the matches.
      await p.page.locator('.tl-row', { has: p.page.locator('.tl-text', { hasText: /^GET \/dispatch$/ }) }).first().click();
      await p.page.waitForFunction(() => document.querySelector('[data-testid="match-count"]')?.textContent === '? of 14');
      // An attribute value (the customer id in the url) finds its span.
      await search.fill('customer=567');
      await search.press('Enter');
      await p.page.waitForFunction(() => /^1 of \d$/.test(document.querySelector('[data-testid="match-count"]')?.textContent ?? ''));
      const selected = (await views(p)).timeline.selected;
      assert.equal(selected, 0, 'a new search starts at the selection: the selected root matches, so it stays selected');
      await p.page.locator('[data-testid="view-flame"]').click();
      assert.equal((await views(p)).flame!.selected, selected);
      await search.fill('no-such-span-anywhere');
      await search.press('Enter');
      await p.page.waitForFunction(() => document.querySelector('[data-testid="match-count"]')?.textContent === 'No matches');
      await until('three searches', () => p.requests.filter((r) => r.method === 'search').length >= 3);
    } finally {
      await p.close();
    }
  });

  test('keyboard: arrows walk the tree, Enter zooms to the span, N jumps to the next error, / focuses search, Escape resets', async () => {
    const p = await openTracePage(HOTROD);
    try {
      await p.loaded();
      await p.page.locator('.tl-row').first().click();
      assert.equal((await views(p)).timeline.selected, 0);
      await p.page.keyboard.press('ArrowDown');
      assert.equal((await views(p)).timeline.selected, 1);
      await p.page.keyboard.press('ArrowLeft'); // HTTP GET has children and is open: collapse
      assert.equal((await views(p)).timeline.rowCount, 38);
      await p.page.keyboard.press('ArrowLeft'); // now closed: go to the parent
      assert.equal((await views(p)).timeline.selected, 0);
      await p.page.keyboard.press('n');
      const err = (await views(p)).timeline.selected;
      // The details arrive from the host a moment later.
      await p.page.waitForFunction(() => document.querySelector('[data-testid="details"] .span-name .value')?.textContent === 'GetDriver');
      assert.ok(await p.page.locator('[data-testid="details"] .badge.error').count());
      const v = (await views(p)).viewport;
      assert.ok(v.t1 - v.t0 < 1.12e9 / 5, 'zoomed so the error span is on screen');
      await p.page.keyboard.press('n');
      assert.notEqual((await views(p)).timeline.selected, err);
      await p.page.keyboard.press('Shift+N');
      assert.equal((await views(p)).timeline.selected, err);
      await p.page.keyboard.press('Escape');
      const reset = (await views(p)).viewport;
      assert.equal(reset.t0, 0);
      await p.page.keyboard.press('/');
      assert.equal(await p.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'search');
    } finally {
      await p.close();
    }
  });

  test('flame keyboard: arrows to child, sibling and parent; Enter fits the span; the minimap brush; search dims the rest', async () => {
    const p = await openTracePage(HOTROD);
    try {
      await p.loaded();
      await p.page.locator('.tl-row').first().click();
      await p.page.locator('[data-testid="view-flame"]').click();
      await p.page.locator('canvas.flame-canvas').focus();
      // The tree as the page holds it: parent, subtree end, times.
      const tree = await p.page.evaluate(() => {
        const m = (window as unknown as { spanlensTrace: { model: { data: { parent: Int32Array; start: Float64Array; end: Float64Array }; subtreeEnd: Uint32Array } } }).spanlensTrace.model;
        return { parent: Array.from(m.data.parent), end: Array.from(m.subtreeEnd), start: Array.from(m.data.start), stop: Array.from(m.data.end) };
      });
      const selected = async () => (await views(p)).flame!.selected;
      assert.equal(await selected(), 0);
      await p.page.keyboard.press('ArrowDown');
      assert.equal(await selected(), 1, 'the first child');
      await p.page.keyboard.press('ArrowRight');
      const sibling = tree.end[1]!;
      assert.equal(tree.parent[sibling], 0);
      assert.equal(await selected(), sibling, 'the next sibling, past the first child\'s subtree');
      await p.page.keyboard.press('ArrowLeft');
      assert.equal(await selected(), 1, 'back to the previous sibling');
      await p.page.keyboard.press('ArrowUp');
      assert.equal(await selected(), 0, 'the parent');
      await p.page.keyboard.press('ArrowDown');
      await p.page.keyboard.press('Enter');
      const fitted = (await views(p)).viewport;
      const [s, e] = [tree.start[1]!, tree.stop[1]!];
      assert.ok(fitted.t0 <= s && fitted.t1 >= e, 'the span is in the window');
      assert.ok(fitted.t1 - fitted.t0 <= (e - s) * 1.2, 'and fills it');

      // The minimap: a drag outside the window picks a new one; a drag inside moves it.
      const mm = await p.page.locator('[data-testid="minimap"]').boundingBox();
      const full = await p.page.evaluate(() => (window as unknown as { spanlensTrace: { views: { viewport: { full: number } } } }).spanlensTrace.views.viewport.full);
      assert.ok(fitted.t1 / full < 0.6, 'the fitted window lies before 60%');
      const y = mm!.y + mm!.height / 2;
      const drag = async (from: number, to: number) => {
        await p.page.mouse.move(mm!.x + mm!.width * from, y);
        await p.page.mouse.down();
        await p.page.mouse.move(mm!.x + mm!.width * to, y, { steps: 4 });
        await p.page.mouse.up();
        return (await views(p)).viewport;
      };
      const near = (a: number, b: number) => Math.abs(a - b) < 0.02;
      const brushed = await drag(0.6, 0.8);
      assert.ok(near(brushed.t0 / full, 0.6) && near(brushed.t1 / full, 0.8), JSON.stringify(brushed));
      const moved = await drag(0.7, 0.5);
      assert.ok(near(moved.t0 / full, 0.4) && near((moved.t1 - moved.t0) / full, 0.2), JSON.stringify(moved));

      // Search dims what does not match, in the timeline as rows.
      await p.page.locator('[data-testid="view-timeline"]').click();
      await p.page.locator('[data-testid="search"]').fill('mysql');
      await p.page.waitForFunction(() => document.querySelectorAll('.tl-row.dim').length > 0);
      const lit = await p.page.locator('.tl-row:not(.dim) .tl-text').allTextContents();
      assert.ok(lit.length > 0 && lit.every((n) => n === 'SQL SELECT'), JSON.stringify(lit));
    } finally {
      await p.close();
    }
  });

  test('a selected span\'s events are ticks on its bar; Ctrl+click on a span asks the host to open its source', async () => {
    const p = await openTracePage(HOTROD);
    try {
      await p.loaded();
      // Two spans share the name (client and server); the one with the five events is the server's.
      const rows = p.page.locator('.tl-row', { hasText: 'driver.DriverService/FindNearest' });
      let ticks = 0;
      for (let i = 0; i < 2 && ticks !== 5; i++) {
        await rows.nth(i).click();
        await p.page.waitForFunction((n) => document.querySelector('[data-testid="details"]')?.textContent?.includes('Events (') && document.querySelector('.tl-row.selected')?.getAttribute('data-box') === n, await rows.nth(i).getAttribute('data-box'));
        const events = Number(/Events \((\d+)\)/.exec((await p.page.locator('[data-testid="details"]').textContent())!)?.[1]);
        await p.page.waitForFunction((n) => document.querySelectorAll('.tl-row.selected .tl-tick:not([hidden])').length === n, events);
        ticks = events;
      }
      assert.equal(ticks, 5, 'one tick per event on the selected bar');
      assert.equal(await p.page.locator('.tl-row:not(.selected) .tl-tick').count(), 0);
      const box = Number(await p.page.locator('.tl-row', { hasText: 'SQL SELECT' }).first().getAttribute('data-box'));
      await p.page.locator('.tl-row', { hasText: 'SQL SELECT' }).first().click({ modifiers: ['Control'] });
      await until('the open-source request', () => p.requests.some((r) => r.method === 'openSource' && (r.params as { box: number }).box === box));
      assert.equal((await views(p)).timeline.selected, box, 'the span is selected too');
    } finally {
      await p.close();
    }
  });

  test('filters: errors only leaves the failed spans and their ancestors in the timeline', async () => {
    const p = await openTracePage(HOTROD);
    try {
      await p.loaded();
      await p.page.locator('[data-testid="errors-only"]').check();
      const names = await p.page.locator('.tl-row:visible .tl-text').allTextContents();
      assert.deepEqual(names, ['GET /dispatch', 'driver.DriverService/FindNearest', 'driver.DriverService/FindNearest', 'GetDriver', 'GetDriver', 'GetDriver']);
      await p.page.locator('[data-testid="errors-only"]').uncheck();
      await p.page.locator('[data-testid="min-duration"]').fill('100ms');
      await p.page.locator('[data-testid="min-duration"]').press('Enter');
      const long = await p.page.locator('.tl-row:visible .tl-text').allTextContents();
      assert.deepEqual(long, ['GET /dispatch', 'HTTP GET', 'GET /customer', 'SQL SELECT', 'driver.DriverService/FindNearest', 'driver.DriverService/FindNearest']);
    } finally {
      await p.close();
    }
  });

  test('critical path on demand, self time and source links in the details, copy through the host', async () => {
    const p = await openTracePage(HOTROD);
    try {
      await p.loaded();
      await p.page.locator('[data-testid="critical-path"]').click();
      await p.page.waitForFunction(() => document.querySelectorAll('.tl-row.critical').length > 0);
      await p.page.locator('.tl-row', { hasText: 'SQL SELECT' }).first().click();
      const details = p.page.locator('[data-testid="details"]');
      await details.locator('.badge.critical').waitFor();
      assert.match(await details.innerText(), /Self time\s+312 ms/);
      await details.locator('tr', { hasText: 'Service' }).first().hover();
      await details.locator('tr', { hasText: 'Service' }).first().locator('button.copy').click();
      await until('the copy request', () => p.requests.some((r) => r.method === 'copy' && (r.params as { text: string }).text === 'mysql'));
      assert.ok(p.requests.some((r) => r.method === 'criticalPath'));
    } finally {
      await p.close();
    }
  });

  test('colour modes repaint the flame; a partial trace shows its banner', async () => {
    const p = await openTracePage(HOTROD, { load: { banner: 'Tempo returned only part of this trace: Trace exceeds maximum size of 5000000 bytes', defaults: { view: 'flame', colorMode: 'service' } } });
    try {
      await p.loaded();
      assert.match((await p.page.locator('[data-testid="banner"]').textContent())!, /only part of this trace/);
      const pixels = () => p.page.evaluate(() => {
        const c = document.querySelector<HTMLCanvasElement>('canvas.flame-canvas')!;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, 80).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 16) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
        return seen.size;
      });
      const byService = await pixels();
      await p.page.locator('[data-testid="color-mode"]').selectOption('errors');
      await p.page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
      const byErrors = await pixels();
      assert.notEqual(byService, byErrors);
    } finally {
      await p.close();
    }
  });

  test('a canvas restored after its context was lost is drawn again; a new pixel ratio redraws both canvases sharp', async () => {
    const init = `{ const mm = window.matchMedia.bind(window); window.ratioQueries = [];
      window.matchMedia = (q) => { const m = mm(q); if (q.startsWith('(resolution:')) window.ratioQueries.push(m); return m; }; }`;
    const p = await openTracePage(HOTROD, { init, load: { defaults: { view: 'flame', colorMode: 'service' } } });
    try {
      await p.loaded();
      // How many colours a canvas shows (its top rows); a cleared one shows one.
      const colours = (q: string) => p.page.evaluate((sel) => {
        const c = document.querySelector<HTMLCanvasElement>(sel)!;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, Math.min(c.height, 80)).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 16) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
        return seen.size;
      }, q);
      const drawn = async (q: string, what: string) => {
        const deadline = Date.now() + 20_000;
        while ((await colours(q)) <= 3) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${q} ${what}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      const canvases = ['canvas.flame-canvas', 'canvas.minimap'];
      // The minimap's picture comes when the page is idle.
      for (const q of canvases) await drawn(q, 'to be drawn');
      for (const q of canvases) {
        // What a lost context leaves: a cleared canvas. Then the browser says it is back.
        await p.page.evaluate((sel) => {
          const c = document.querySelector<HTMLCanvasElement>(sel)!;
          c.getContext('2d')!.reset();
          c.dispatchEvent(new Event('contextrestored'));
        }, q);
        await drawn(q, 'to be drawn again after its context came back');
      }
      const sizes = () => p.page.evaluate((qs) => qs.map((q) => {
        const c = document.querySelector<HTMLCanvasElement>(q)!;
        return c.width / c.clientWidth;
      }), canvases);
      assert.deepEqual(await sizes(), [1, 1]);
      // Headless Chromium emulates a new ratio without telling the page's media queries, so the
      // page's own queries on the ratio are kept, and told as the browser would tell them.
      await p.page.evaluate(`Object.defineProperty(window, 'devicePixelRatio', { configurable: true, value: 2 });
        for (const mq of window.ratioQueries.splice(0)) mq.dispatchEvent(new Event('change'));`);
      await p.page.waitForFunction((qs) => qs.every((q) => {
        const c = document.querySelector<HTMLCanvasElement>(q)!;
        return Math.abs(c.width / c.clientWidth - 2) < 0.05;
      }), canvases, { timeout: 20_000 });
      for (const q of canvases) await drawn(q, 'drawn at the new ratio');
      assert.deepEqual(errorsOf(p), []);
    } finally {
      await p.close();
    }
  });

  test('the time axis: labels with a unit, edge labels kept inside, the same tick elements reused as it zooms', async () => {
    const p = await openTracePage(HOTROD, { load: { defaults: { view: 'flame', colorMode: 'service' } } });
    try {
      await p.loaded();
      const axis = p.page.locator('.graph svg.axis');
      const read = () => axis.evaluate((svg) => {
        const ticks = Array.from(svg.querySelectorAll('g.tick'));
        return {
          height: svg.getBoundingClientRect().height,
          texts: ticks.map((t) => t.querySelector('text')!.textContent ?? ''),
          anchors: ticks.map((t) => t.querySelector('text')!.getAttribute('text-anchor')),
          count: svg.querySelectorAll('g.tick').length,
        };
      });
      const whole = await read();
      assert.equal(whole.height, 24, "the axis is its drawn height, not an empty SVG's 150 px");
      assert.ok(whole.texts.length >= 2 && whole.texts.every((t) => / (s|ms|µs|ns)$/.test(t)), JSON.stringify(whole.texts));
      assert.equal(whole.texts[0], '0 ms');
      assert.equal(whole.anchors[0], 'start', 'the first label starts at the edge rather than being cut by it');
      const marked = await axis.evaluate((svg) => ((svg.querySelector('g.tick') as unknown as { mark: number }).mark = 1));
      assert.equal(marked, 1);
      await p.page.evaluate(() => {
        const { flame, viewport } = (window as unknown as { spanlensTrace: { views: { flame: { draw(): void }; viewport: { zoomAt(f: number, a: number): void } } } }).spanlensTrace.views;
        for (let i = 0; i < 20; i++) {
          viewport.zoomAt(0.8, 0.4);
          flame.draw();
        }
      });
      const zoomed = await read();
      assert.notDeepEqual(zoomed.texts, whole.texts);
      assert.ok(zoomed.count <= Math.max(whole.count, 20), `ticks do not pile up: ${zoomed.count}`);
      // The first tick element is the one drawn before the zoom, updated in place.
      assert.equal(await axis.evaluate((svg) => (svg.querySelector('g.tick') as unknown as { mark?: number }).mark), 1);
      assert.deepEqual(errorsOf(p), []);
    } finally {
      await p.close();
    }
  });

  test('flame labels and marks: names in boxes that hold them, after a zero-length root, "+N" on a wide merged mark, none where there is no room', async () => {
    const t0 = 1_767_225_600_000_000_000n;
    const ms = (x: number) => String(t0 + BigInt(Math.round(x * 1e6)));
    const id = (n: number) => n.toString(16).padStart(16, '0');
    const span = (n: number, name: string, parent: number, s: number, e: number, extra: object = {}) => ({ traceId: 'ab'.repeat(16), spanId: id(n), ...(parent ? { parentSpanId: id(parent) } : {}), name, startTimeUnixNano: ms(s), endTimeUnixNano: ms(e), ...extra });
    const spans = [
      span(1, 'zero-root', 0, 0, 0),
      span(2, 'wide-child', 1, 0, 50),
      // 500 spans of 10 µs, 40 µs apart: well under a pixel each at the whole-trace view.
      ...Array.from({ length: 500 }, (_, i) => span(100 + i, `tiny-${i}`, 2, 10 + i * 0.04, 10 + i * 0.04 + 0.01)),
      span(3, 'orphan', 0xdead, 60, 70),
      span(4, 'late', 1, 99.5, 100, { status: { code: 2, message: 'boom' } }),
      // Zero-length and last in its row: named in the room up to the edge.
      span(5, 'end-mark', 2, 90, 90),
    ];
    const trace = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }] };
    const p = await openTracePage(new TextEncoder().encode(JSON.stringify(trace)), { viewport: { width: 1400, height: 700 }, load: { defaults: { view: 'flame', colorMode: 'service' } } });
    try {
      await p.loaded();
      const calls = await p.page.evaluate(() => {
        const { flame } = (window as unknown as { spanlensTrace: { views: { flame: { draw(): void } } } }).spanlensTrace.views;
        const proto = CanvasRenderingContext2D.prototype;
        const out = { texts: [] as string[], rects: 0, dashedMoves: 0 };
        const { fillText, rect, moveTo } = proto;
        proto.fillText = function (this: CanvasRenderingContext2D, text: string, ...rest: [number, number, number?]) {
          out.texts.push(text);
          return fillText.call(this, text, ...rest);
        };
        proto.rect = function (this: CanvasRenderingContext2D, ...a: [number, number, number, number]) {
          out.rects++;
          return rect.apply(this, a);
        };
        proto.moveTo = function (this: CanvasRenderingContext2D, ...a: [number, number]) {
          if (this.getLineDash().length) out.dashedMoves++;
          return moveTo.apply(this, a);
        };
        try {
          flame.draw();
        } finally {
          Object.assign(proto, { fillText, rect, moveTo });
        }
        return out;
      });
      assert.ok(calls.texts.includes('zero-root'), `the zero-length root is named after its box: ${JSON.stringify(calls.texts)}`);
      assert.ok(calls.texts.includes('end-mark'), JSON.stringify(calls.texts));
      assert.ok(calls.texts.includes('wide-child') && calls.texts.includes('orphan'), JSON.stringify(calls.texts));
      assert.ok(calls.texts.includes('+500'), `the 500 slivers are one mark that says so: ${JSON.stringify(calls.texts)}`);
      assert.ok(!calls.texts.includes('late'), 'a narrow box at the edge has no room for its name');
      assert.ok(!calls.texts.some((t) => t.startsWith('tiny-')), JSON.stringify(calls.texts));
      assert.equal(calls.rects, 1, 'one error outline (the failed span), no search outlines');
      assert.equal(calls.dashedMoves, 1, 'one dashed top edge: the span whose parent is not in the trace');
      assert.deepEqual(errorsOf(p), []);
    } finally {
      await p.close();
    }
  });

  test('hostile names are text: no script runs, nothing escapes its pane', async () => {
    const evil = JSON.parse(HOTROD.toString('utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; attributes: unknown[] }> }> }> };
    const spans = evil.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    spans[0]!.name = '<img src=x onerror="window.__pwned=1">\u202egnp.exe';
    spans[1]!.name = '<script>window.__pwned=2</script>' + 'W'.repeat(5000);
    spans[1]!.attributes.push({ key: 'javascript:alert(1)', value: { stringValue: '</style><style>*{display:none}</style>' } });
    const p = await openTracePage(new TextEncoder().encode(JSON.stringify(evil)));
    try {
      await p.loaded();
      await p.page.locator('.tl-row').nth(1).click();
      await p.page.locator('[data-testid="details"] .span-name').waitFor();
      assert.equal(await p.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.equal(await p.page.locator('img').count(), 0);
      const names = await p.page.locator('.tl-row .tl-text').allTextContents();
      assert.ok(names.includes('<img src=x onerror="window.__pwned=1">\u202egnp.exe'), 'the name is shown as text');
      const tooWide = await p.page.evaluate(() => Array.from(document.querySelectorAll('.details *, .tl-row *')).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).length);
      assert.equal(tooWide, 0);
      assert.deepEqual(errorsOf(p), []);
    } finally {
      await p.close();
    }
  });
});

describe('trace webview with logs (a lookup)', { timeout: 120_000 }, () => {
  after(closeBrowser);

  test('log lines list below the views, tied to their spans both ways; search, only-the-span, markers', async () => {
    const p = await openTracePage(HOTROD);
    try {
      await p.loaded();
      const rows = [
        { timeText: '2026-08-19T09:40:58.100000000Z', offsetNs: 1e6, level: 'info', message: 'request received', line: '{"message":"request received","request_id":"5b0e7c44-1d2a-4f7e-9a61-0c2d9e3f8b17"}', box: 0, service: 'frontend', hasSource: true },
        { timeText: '2026-08-19T09:40:58.500000000Z', offsetNs: 3.6e8, level: 'error', message: 'redis timeout', line: 'redis timeout', box: 8, service: 'redis-manual', hasSource: false },
        { timeText: '2026-08-19T09:40:58.600000000Z', offsetNs: 4e8, level: 'warn', message: '<script>window.__pwned=3</script> slow', line: 'slow', box: -1, service: 'driver', hasSource: false },
      ];
      await p.deliver({ type: 'logs', rows, state: { state: 'found', text: '3 lines' } });
      const list = p.page.locator('[data-testid="logs"] .log-row:visible');
      await list.first().waitFor();
      assert.equal(await list.count(), 3);
      assert.equal(await p.page.locator('[data-testid="logs-count"]').textContent(), '3 lines');
      assert.equal(await p.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      // A line selects its span…
      await list.nth(1).click();
      assert.equal((await views(p)).timeline.selected, 8);
      // …and a span highlights its lines; the filter keeps only them.
      await p.page.locator('.tl-row').first().click();
      await p.page.waitForFunction(() => document.querySelectorAll('.log-row.of-span').length === 1);
      await p.page.locator('[data-testid="logs-only-span"]').check();
      assert.equal(await list.count(), 1);
      assert.equal(await p.page.locator('[data-testid="logs-count"]').textContent(), '1 of 3 lines');
      await p.page.locator('[data-testid="logs-only-span"]').uncheck();
      await p.page.locator('[data-testid="logs-search"]').fill('redis');
      await p.page.waitForFunction(() => document.querySelector('[data-testid="logs-count"]')?.textContent === '1 of 3 lines');
      // An id in a line is a link that looks it up; a line with source opens it through the host.
      await p.page.locator('[data-testid="logs-search"]').fill('');
      await p.page.waitForFunction(() => document.querySelector('[data-testid="logs-count"]')?.textContent === '3 lines');
      await p.page.locator('[data-testid="logs-pretty"]').check();
      await p.page.locator('.log-id').first().click();
      await until('the lookUp request', () => p.requests.some((r) => r.method === 'lookUp' && (r.params as { id: string }).id === '5b0e7c44-1d2a-4f7e-9a61-0c2d9e3f8b17'));
      await list.first().locator('[data-testid="log-source"]').click();
      await until('the openLogSource request', () => p.requests.some((r) => r.method === 'openLogSource'));
      assert.deepEqual(errorsOf(p), []);
    } finally {
      await p.close();
    }
  });
});

describe('trace webview: a lookup header and its metrics strip', { timeout: 120_000 }, () => {
  after(closeBrowser);

  test('each part shows its own state; sparklines shade the trace and their exemplar dots open traces', async () => {
    const p = await openTracePage(HOTROD);
    try {
      await p.loaded();
      const parts = { trace: { state: 'found', text: '1 trace' }, logs: { state: 'searching', text: 'searching…' }, metrics: { state: 'error', text: 'Prometheus at http://127.0.0.1:9 is unreachable' } };
      await p.deliver({ type: 'lookup', id: '5b0e7c44-1d2a-4f7e-9a61-0c2d9e3f8b17', kind: 'Request ID', parts });
      const header = p.page.locator('[data-testid="lookup-header"]');
      await header.waitFor();
      assert.equal(await header.locator('[data-testid="part-logs"]').getAttribute('data-state'), 'searching');
      assert.match((await header.locator('[data-testid="part-metrics"]').textContent())!, /unreachable/);
      const t0 = Date.parse('2026-08-19T09:35:00Z');
      const times = Float64Array.from({ length: 60 }, (_, i) => t0 + i * 10_000);
      await p.deliver({
        type: 'series',
        window: { startMs: t0, endMs: t0 + 600_000 },
        traceWindow: { startMs: t0 + 300_000, endMs: t0 + 301_120 },
        state: { state: 'found', text: '2 queries' },
        panels: [
          { info: { id: 'default:ttftP95', title: 'TTFT p95', query: 'histogram_quantile(…)', unit: 'seconds' }, series: [{ label: '', t: times, v: times.map((_, i) => 0.05 + i / 1000) }], exemplars: { t: Float64Array.of(t0 + 300_500), v: Float64Array.of(0.2), traceIds: ['ab'.repeat(16)] } },
          { info: { id: 'default:gpuUtil', title: 'GPU utilisation', query: 'avg(DCGM_FI_DEV_GPU_UTIL)', unit: 'percent' }, series: [], error: 'bad_data: unknown metric' },
        ],
      });
      const cards = p.page.locator('[data-testid="spark-card"]');
      await cards.first().waitFor();
      assert.equal(await cards.count(), 2);
      assert.match((await cards.nth(1).textContent())!, /unknown metric/);
      assert.equal(await cards.first().locator('.spark-shade').count(), 1);
      await cards.first().locator('circle.spark-exemplar').click();
      await until('the openTrace request', () => p.requests.some((r) => r.method === 'openTrace' && (r.params as { traceId: string }).traceId === 'ab'.repeat(16)));
      await cards.first().locator('svg.spark').hover({ position: { x: 50, y: 10 } });
      await p.page.waitForFunction(() => /UTC$/.test(document.querySelector('.spark-readout')?.textContent ?? ''));
      assert.deepEqual(errorsOf(p), []);
    } finally {
      await p.close();
    }
  });

  test('more cards than fit: the strip fades at the side that has more, and scrolls to them; in a short panel no row draws over the next', async () => {
    const p = await openTracePage(HOTROD, { viewport: { width: 900, height: 420 } });
    try {
      await p.loaded();
      const t0 = Date.parse('2026-08-19T09:35:00Z');
      const times = Float64Array.from({ length: 20 }, (_, i) => t0 + i * 30_000);
      const panels = Array.from({ length: 8 }, (_, k) => ({ info: { id: `default:p${k}`, title: `Panel ${k}`, query: 'up', unit: 'none' }, series: [{ label: '', t: times, v: times.map((_, i) => i + k) }] }));
      await p.deliver({ type: 'series', window: { startMs: t0, endMs: t0 + 600_000 }, traceWindow: null, state: { state: 'found', text: '8 queries' }, panels });
      const strip = p.page.locator('[data-testid="metrics-strip"]');
      await p.page.locator('[data-testid="spark-card"]').nth(7).waitFor({ state: 'attached' });
      const edges = () => strip.evaluate((e) => [e.classList.contains('more-left'), e.classList.contains('more-right')]);
      assert.deepEqual(await edges(), [false, true], 'at the start: more to the right only');
      await strip.evaluate((e) => (e.scrollLeft = e.scrollWidth));
      await p.page.waitForFunction(() => document.querySelector('[data-testid="metrics-strip"]')?.classList.contains('more-left') === true);
      assert.deepEqual(await edges(), [true, false], 'at the end: more to the left only');
      // The toolbar wraps to two lines here; each row still ends before the next begins.
      // (A row squeezed below its content keeps a box that fits, and its content spills over the next.)
      const rows = await p.page.evaluate(() =>
        ['.toolbar', '.searchbar', '.legend', '[data-testid="metrics-strip"]', '.minimap-host', '.main'].map((q) => {
          const e = document.querySelector(q)!;
          const r = e.getBoundingClientRect();
          return { q, top: r.top, bottom: r.bottom, box: e.clientHeight, content: e.scrollHeight };
        }),
      );
      for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.bottom <= rows[i]!.top + 0.5, `${rows[i - 1]!.q} overlaps ${rows[i]!.q}: ${JSON.stringify(rows)}`);
      for (const r of rows.slice(0, 3)) assert.ok(r.content <= r.box + 1, `${r.q} is squeezed below its content: ${JSON.stringify(r)}`);
      // What does not fit is reached by scrolling the page with the wheel, not cut off: the help line comes into view.
      const helpInView = () => p.page.locator('.help').evaluate((e) => e.getBoundingClientRect().bottom <= window.innerHeight + 0.5);
      assert.equal(await helpInView(), false, 'the help line starts below the fold at this height');
      await p.page.locator('.toolbar h1').hover();
      await p.page.mouse.wheel(0, 600);
      await p.page.waitForFunction(() => document.querySelector('.help')!.getBoundingClientRect().bottom <= window.innerHeight + 0.5);
      assert.deepEqual(errorsOf(p), []);
    } finally {
      await p.close();
    }
  });
});
