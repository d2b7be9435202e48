import * as vscode from 'vscode';
import { parseFromWebview, type ToWebview } from '../../core/protocol';
import type { SpanlensContext } from '../context';
import { Disposable } from '../dispose';
import { webviewStrings } from '../strings';
import { fileName } from './fileName';
import { traceHtml, webviewOptions } from './traceHtml';
import { TraceSource, type FailureKind } from './traceSource';

/**
 * Drives one webview that shows one trace file: the `ready` handshake, re-sending when the
 * panel becomes visible again (its page is dropped while hidden), validated requests, and a
 * reload when the file changes on disk. Used by both the panel command and the custom editor.
 */
export class TraceView extends Disposable {
  private readonly source: TraceSource;
  private loading: Promise<void>;

  constructor(
    private readonly ctx: SpanlensContext,
    private readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(ctx.extension.extensionUri);
    webview.html = traceHtml(webview, ctx.extension.extensionUri, vscode.env.language);
    // Registered first so it is disposed last: the worker outlives the listeners that use it.
    this.source = this._register(
      new TraceSource(uri, { log: ctx.log, workerPath: vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'traceWorker.js').fsPath }),
    );
    this._register(webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)));
    this._register(panel.onDidDispose(() => this.dispose()));
    this.loading = this.source.reload();

    if (uri.scheme === 'file') {
      const folder = vscode.Uri.joinPath(uri, '..');
      const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, fileName(uri))));
      // Editors save by rewrite or by rename (create); a file written in chunks fires many
      // changes: read it once, after it settles.
      this._register(watcher.onDidChange(() => this.reloadSoon()));
      this._register(watcher.onDidCreate(() => this.reloadSoon()));
      this._register({ dispose: () => clearTimeout(this.reloadTimer) });
    }
  }

  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  private reloadSoon(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), 300);
  }

  private async reload(): Promise<void> {
    const previous = this.loading;
    this.loading = (async () => {
      await previous;
      if (!this.isDisposed) await this.source.reload();
    })();
    await this.loading;
    if (this.panel.visible) await this.sendLoad();
  }

  private post(message: ToWebview): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(message);
  }

  private async sendLoad(): Promise<void> {
    await this.loading;
    const src = this.source;
    let trace = null;
    let error = src.error;
    let kind = src.failureKind;
    if (!error) {
      try {
        trace = await src.flame();
      } catch (err) {
        // The file was read, but the reader failed on it since (e.g. the worker died).
        error = err instanceof Error ? err.message : String(err);
        kind = 'unreadable';
      }
    }
    this.post({
      type: 'load',
      strings: webviewStrings(),
      source: this.uri.toString(),
      title: fileName(this.uri),
      choices: src.choices(),
      selected: src.selected,
      trace,
      warnings: src.warnings.slice(0, 20),
      warningCount: src.warningCount,
      error,
      errorTitle: error ? errorTitle(kind) : null,
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    await this.loading;
    const src = this.source;
    const msg = parseFromWebview(raw, { boxes: src.boxCount(), traces: src.traceCount });
    if (!msg) {
      const id = (raw as { id?: unknown } | null)?.id;
      this.ctx.log.warn(`ignored an invalid message from the trace view: ${JSON.stringify(raw)?.slice(0, 200)}`);
      if (typeof id === 'number' && Number.isSafeInteger(id)) {
        this.post({ type: 'response', id, ok: false, error: vscode.l10n.t('Invalid request.') });
      }
      return;
    }
    switch (msg.type) {
      case 'ready':
        return this.sendLoad();
      case 'reload':
        return this.reload();
      case 'selectTrace': {
        src.selected = msg.index;
        try {
          const trace = await src.flame();
          // A later selection may have overtaken this one while the worker laid it out.
          if (trace && src.selected === msg.index) this.post({ type: 'trace', selected: msg.index, trace });
        } catch {
          await this.sendLoad(); // shows the worker's failure with the Try again button
        }
        return;
      }
      case 'spanDetails':
        if (msg.trace !== src.selected) {
          this.post({ type: 'response', id: msg.id, ok: false, error: vscode.l10n.t('That span belongs to a trace no longer shown.') });
          return;
        }
        try {
          this.post({ type: 'response', id: msg.id, ok: true, result: await src.details(msg.box) });
        } catch (err) {
          this.post({ type: 'response', id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) });
        }
        return;
    }
  }
}

function errorTitle(kind: FailureKind): string {
  switch (kind) {
    case 'cancelled':
      return vscode.l10n.t('Reading the file was cancelled.');
    case 'unreadable':
      return vscode.l10n.t('Spanlens could not read this file.');
    case 'notTrace':
      return vscode.l10n.t('This file cannot be shown as a trace.');
  }
}
