import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import { toLogRow } from '../../core/formats/logRow';
import { LogWorkerClient } from '../../core/logWorker/client';
import type { LogFileState, ToWebview, TraceMethods, TraceRequest } from '../../core/protocol/trace';
import { parseFromWebview } from '../../core/protocol/trace';
import type { SpanlensContext } from '../context';
import { Disposable } from '../dispose';
import { openCodeLocation } from '../source/openSource';
import { webviewStrings } from '../strings';
import { answerCommonRequest } from './commonRequests';
import { webviewHtml, webviewOptions } from '../webview/html';
import { fileName } from './fileName';
import { fileToOpen } from './fileToOpen';

/** How many lines the first answer carries: enough for the first screen. */
const FIRST_LINES = 200;

/**
 * One log file in the log list (the trace view's webview in its logs-only mode): Dynamo JSONL,
 * or `docker compose logs` / `kubectl logs` output with a prefix before the JSON. The file is read
 * and indexed by the log worker (dist/logWorker.js) in the background, so a 1 GB file shows its
 * first lines at once and never blocks the extension host; the list fetches pages as it scrolls
 * and searches in the worker.
 */
export class LogFileView extends Disposable {
  private client: LogWorkerClient | undefined;
  private state: LogFileState = { lines: 0, bytes: 0, size: 0, done: false };
  private opened: Promise<void> | undefined;
  private error: string | null = null;

  constructor(
    private readonly ctx: SpanlensContext,
    private readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(ctx.extension.extensionUri);
    webview.html = webviewHtml(webview, ctx.extension.extensionUri, 'trace', vscode.l10n.t('Reading the log file…'));
    this._register({ dispose: () => void this.client?.terminate() });
    this._register(webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)));
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  private post(message: ToWebview): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(message);
  }

  private open(): Promise<void> {
    this.opened ??= (async () => {
      if (this.uri.scheme !== 'file') {
        this.error = vscode.l10n.t('Only local log files can be read (this is {0}).', this.uri.scheme);
        return;
      }
      const worker = new LogWorkerClient(new Worker(vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist', 'logWorker.js').fsPath, { name: 'spanlens-logs' }));
      this.client = worker;
      this._register({
        dispose: worker.onProgress((e) => {
          this.state = { lines: e.lines, bytes: e.bytes, size: e.size, done: e.done, ...(e.error ? { error: e.error } : {}) };
          this.post({ type: 'logFileProgress', state: this.state });
        }),
      });
      try {
        const f = await worker.open(this.uri.fsPath, FIRST_LINES);
        this.state = { lines: f.lines, bytes: 0, size: f.size, done: f.done };
        this.ctx.log.info(`opened log file ${this.uri.fsPath}: ${f.size} bytes, ${f.lines} lines so far`);
      } catch (err) {
        this.error = vscode.l10n.t('Cannot read {0}: {1}', this.uri.fsPath, err instanceof Error ? err.message : String(err));
        this.ctx.log.warn(this.error);
      }
    })();
    return this.opened;
  }

  private async sendLoad(): Promise<void> {
    await this.open();
    this.post({
      type: 'load',
      strings: webviewStrings(),
      source: '',
      title: fileName(this.uri),
      choices: [],
      selected: 0,
      trace: null,
      warnings: [],
      warningCount: 0,
      banner: null,
      error: this.error,
      errorTitle: this.error ? vscode.l10n.t('Spanlens could not read this log file.') : null,
      errorActions: [],
      defaults: { view: 'timeline', colorMode: 'service' },
      ...(this.error ? {} : { logFile: this.state }),
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    await this.open();
    const parsed = parseFromWebview(raw, { boxes: 0, traces: 0, logs: this.state.lines });
    const msg = parsed.message;
    if (!msg) {
      if ('refusedId' in parsed && parsed.refusedId !== undefined) this.post({ type: 'response', id: parsed.refusedId, ok: false, error: vscode.l10n.t('Invalid request.') });
      return;
    }
    if (msg.type === 'ready') return this.sendLoad();
    if (msg.type === 'request') return this.answer(msg);
  }

  private async answer(req: TraceRequest): Promise<void> {
    const reply = (result: unknown) => this.post({ type: 'response', id: req.id, ok: true, result });
    const fail = (err: unknown) => this.post({ type: 'response', id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) });
    const client = this.client;
    try {
      if (!client) throw new Error(this.error ?? vscode.l10n.t('The log file is not open.'));
      const common = await answerCommonRequest(req);
      if (common) return reply(common.result);
      switch (req.method) {
        case 'logRange': {
          const q = req.params as TraceMethods['logRange']['params'];
          const entries = await client.entries(q.from, q.to);
          return reply(entries.map((e) => toLogRow(e, -1, undefined)));
        }
        case 'logSearch': {
          const q = req.params as TraceMethods['logSearch']['params'];
          const hits = await client.search(q.text);
          return reply({ lines: Int32Array.from(hits.lines), complete: hits.complete });
        }
        case 'openLogSource': {
          const q = req.params as TraceMethods['openLogSource']['params'];
          const [entry] = await client.entriesAt([q.index]);
          if (!entry?.source) {
            void vscode.window.showInformationMessage(vscode.l10n.t('This log line names no source code.'));
            return reply({ opened: false });
          }
          return reply({ opened: await openCodeLocation(this.ctx, [entry.source]) });
        }
        default:
          return fail(new Error(vscode.l10n.t('Invalid request.')));
      }
    } catch (err) {
      fail(err);
    }
  }
}

export const LOG_PANEL_VIEW_TYPE = 'spanlens.logs';

/** `Open With… → Spanlens Log` on .jsonl and .log files (priority "option": the text editor stays the default). */
export class LogEditorProvider implements vscode.CustomReadonlyEditorProvider {
  static readonly viewType = 'spanlens.logEditor';

  static register(ctx: SpanlensContext): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(LogEditorProvider.viewType, new LogEditorProvider(ctx), { supportsMultipleEditorsPerDocument: true });
  }

  private constructor(private readonly ctx: SpanlensContext) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    new LogFileView(this.ctx, panel, document.uri);
  }
}

/** `Spanlens: Open Log File…`: from a URI (Explorer menu) or a file picker. */
export async function openLogFile(ctx: SpanlensContext, arg?: unknown): Promise<void> {
  const uri = await fileToOpen(arg, {
    openLabel: vscode.l10n.t('Open Log'),
    title: vscode.l10n.t('Open a log file (Dynamo JSONL, docker compose logs or kubectl logs output)'),
    filters: { [vscode.l10n.t('Log files')]: ['jsonl', 'log', 'txt', 'json'], [vscode.l10n.t('All files')]: ['*'] },
  });
  if (!uri) return;
  const panel = vscode.window.createWebviewPanel(LOG_PANEL_VIEW_TYPE, vscode.l10n.t('Log: {0}', fileName(uri)), vscode.ViewColumn.Active, webviewOptions(ctx.extension.extensionUri));
  panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'spanlens.svg');
  new LogFileView(ctx, panel, uri);
}
