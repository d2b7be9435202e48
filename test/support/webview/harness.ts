/**
 * A built webview entry (dist/webview/<entry>.js) in plain headless Chromium, without VS Code:
 * the page gets a stand-in for acquireVsCodeApi that hands every message to `onMessage` here,
 * and `deliver` sends messages the other way. Typed arrays cross as one binary body fetched from
 * this server (not as JSON numbers), so a million-span trace reaches the page as VS Code would
 * send it; the page rebuilds the arrays and dispatches the message event itself, stamping when.
 * The theme is VS Code's Dark Modern variables (or Light Modern), set on the body as VS Code does.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = resolve(__dirname, '../../..');
const dist = join(root, 'dist', 'webview');

type Typed = Float64Array | Float32Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

export interface Packed {
  readonly json: string;
  readonly body: Buffer;
}

/**
 * The message with each typed array replaced by a reference into one binary body: one copy of
 * its buffers, as VS Code makes into its IPC buffer when the host posts a webview message.
 */
export function pack(message: unknown): Packed {
  const parts: Buffer[] = [];
  let offset = 0;
  const json = JSON.stringify(message, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const t = v as Typed;
      // Each array starts 8-byte aligned, so the page can view it in place.
      const pad = (8 - (offset % 8)) % 8;
      if (pad) parts.push(Buffer.alloc(pad));
      offset += pad;
      parts.push(Buffer.from(t.buffer, t.byteOffset, t.byteLength));
      const ref = { __typed: t.constructor.name, offset, length: t.length };
      offset += t.byteLength;
      return ref;
    }
    return v;
  });
  return { json, body: Buffer.concat(parts) };
}

const DARK = {
  '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-editor-background': '#1f1f1f',
  '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
  '--vscode-errorForeground': '#f85149', '--vscode-focusBorder': '#0078d4', '--vscode-panel-border': '#2b2b2b',
  '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc', '--vscode-button-secondaryHoverBackground': '#3c3c3c', '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c', '--vscode-dropdown-background': '#313131', '--vscode-dropdown-foreground': '#cccccc',
  '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-list-activeSelectionBackground': '#04395e', '--vscode-list-activeSelectionForeground': '#ffffff',
  '--vscode-textLink-foreground': '#4daafc', '--vscode-editorHoverWidget-background': '#202020', '--vscode-editorHoverWidget-border': '#454545',
  '--vscode-charts-orange': '#d18616', '--vscode-charts-yellow': '#cca700', '--vscode-editorWarning-foreground': '#cca700',
};

const LIGHT = { ...DARK, '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#616161', '--vscode-editor-background': '#ffffff', '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-list-hoverBackground': '#f2f2f2', '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-foreground': '#3b3b3b', '--vscode-panel-border': '#e5e5e5', '--vscode-editorHoverWidget-background': '#f8f8f8' };

function page(entry: string, theme: 'dark' | 'light'): string {
  const vars = Object.entries(theme === 'dark' ? DARK : LIGHT).map(([k, v]) => `${k}: ${v};`).join(' ');
  const nonce = 'harness';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:">
<link rel="stylesheet" href="/${entry}.css" nonce="${nonce}">
<style nonce="${nonce}">body { ${vars} }</style></head>
<body class="vscode-${theme}"><div id="app" data-nonce="${nonce}" data-loading="Loading…"></div>
<script nonce="${nonce}">
  const types = { Float64Array, Float32Array, Uint32Array, Int32Array, Uint16Array, Uint8Array };
  let state;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__toHost(m), getState: () => state, setState: (s) => { state = s; } });
  // Fetches a packed message, rebuilds its typed arrays, then dispatches it as VS Code would.
  window.__deliver = async (id, paint) => {
    const [json, body] = await Promise.all([fetch('/m/' + id + '.json').then((r) => r.text()), fetch('/m/' + id + '.bin').then((r) => r.arrayBuffer())]);
    const data = JSON.parse(json, (k, v) => v && typeof v === 'object' && v.__typed ? new types[v.__typed](body, v.offset, v.length) : v);
    const at = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data }));
    const handled = performance.now();
    if (!paint) return { at, handled, painted: handled };
    // A message posted from the next animation frame is delivered once that frame has been
    // rendered: the first frame with the event's work in it.
    await new Promise((r) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = r; ch.port2.postMessage(0); }));
    return { at, handled, painted: performance.now() };
  };
</script>
<script nonce="${nonce}" src="/${entry}.js"></script></body></html>`;
}

export interface WebviewPage {
  readonly page: Page;
  /** Messages the page posted, in order. */
  readonly fromPage: unknown[];
  /**
   * Sends a message to the page. Resolves (page clock, ms) to when it was dispatched and to when
   * the first frame after it was on screen.
   */
  deliver(message: unknown): Promise<{ at: number; handled: number; painted: number }>;
  /**
   * Sends messages in order, as a host posting them one after another does (each is packed
   * here when it is sent); resolves as deliver does for the last.
   */
  deliverAll(messages: readonly unknown[]): Promise<{ at: number; handled: number; painted: number }>;
  /** The same for messages packed already (where packing is what is being measured). */
  deliverPacked(messages: readonly Packed[]): Promise<{ at: number; handled: number; painted: number }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly entry?: string;
  readonly theme?: 'dark' | 'light';
  readonly viewport?: { width: number; height: number };
  /** More files to serve by name (a benchmark's own page bundle). */
  readonly files?: Readonly<Record<string, string>>;
  /** Script run in the page before its own (to stand in for what headless Chromium cannot do). */
  readonly init?: string;
  /** Called for each message the page posts; may answer with deliver(). */
  readonly onMessage?: (m: unknown, w: WebviewPage) => void | Promise<void>;
}

let sharedBrowser: Promise<Browser> | undefined;

/** One headless Chromium per test process, shared by every page. */
export function browser(): Promise<Browser> {
  sharedBrowser ??= chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--js-flags=--expose-gc', '--enable-precise-memory-info'],
  });
  return sharedBrowser;
}

export async function closeBrowser(): Promise<void> {
  const b = sharedBrowser;
  sharedBrowser = undefined;
  await (await b)?.close();
}

export async function openWebview(opts: HarnessOptions = {}): Promise<WebviewPage> {
  const entry = opts.entry ?? 'trace';
  /** Packed messages the page has yet to fetch, with the parts (json, bin) it has fetched. */
  const messages = new Map<string, { packed: Packed; fetched: Set<string> }>();
  let next = 1;
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const m = /^\/m\/(\d+)\.(json|bin)$/.exec(url);
    if (m) {
      const entry = messages.get(m[1]!);
      if (!entry) {
        res.writeHead(404).end();
        return;
      }
      if (m[2] === 'json') res.writeHead(200, { 'content-type': 'application/json' }).end(entry.packed.json);
      else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(entry.packed.body);
      // The page fetches both parts at once, in either order: forget the message after both.
      entry.fetched.add(m[2]!);
      if (entry.fetched.size === 2) messages.delete(m[1]!);
      return;
    }
    const file = url === '/' ? null : url.replace(/^\//, '');
    if (file === null) return void res.writeHead(200, { 'content-type': 'text/html' }).end(page(entry, opts.theme ?? 'dark'));
    if (/^[\w.-]+\.(js|css)$/.test(file)) {
      try {
        const body = readFileSync(opts.files?.[file] ?? join(dist, file));
        res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const b = await browser();
  const ctx = await b.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  const p = await ctx.newPage();
  if (opts.init) await p.addInitScript(opts.init);
  const fromPage: unknown[] = [];
  let closed = false;
  const send = (packed: Packed, paint: boolean) => {
    const id = String(next++);
    messages.set(id, { packed, fetched: new Set() });
    return p.evaluate(([i, wait]) => (window as unknown as { __deliver(i: string, paint: boolean): Promise<{ at: number; handled: number; painted: number }> }).__deliver(i, wait), [id, paint] as const);
  };
  const w: WebviewPage = {
    page: p,
    fromPage,
    async deliver(message) {
      return send(pack(message), true);
    },
    async deliverAll(list) {
      return this.deliverPacked(list.map(pack));
    },
    async deliverPacked(list) {
      for (let i = 0; i < list.length - 1; i++) await send(list[i]!, false);
      return send(list[list.length - 1]!, true);
    },
    async close() {
      closed = true;
      await ctx.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  await p.exposeFunction('__toHost', (m: unknown) => {
    fromPage.push(m);
    void Promise.resolve(opts.onMessage?.(m, w)).catch((err: unknown) => {
      // An answer still on its way when the test closed the page is nobody's problem.
      if (!closed) process.stderr.write(`webview harness: ${String(err)}\n`);
    });
  });
  p.on('pageerror', (e) => fromPage.push({ type: '__pageerror', message: e.message }));
  await p.goto(`http://127.0.0.1:${port}/`);
  return w;
}
