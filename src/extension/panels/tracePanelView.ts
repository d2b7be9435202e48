import * as vscode from 'vscode';
import { parseFromWebview, type ErrorAction, type LoadMessage, type ToWebview, type TraceMessage, type TraceMethods, type TraceRequest } from '../../core/protocol/trace';
import { postInColumns } from '../../core/protocol/traceColumns';
import type { SpanlensContext } from '../context';
import { Disposable } from '../dispose';
import { openCodeLocation } from '../source/openSource';
import { webviewStrings } from '../strings';
import { answerCommonRequest } from './commonRequests';
import { webviewHtml, webviewOptions } from '../webview/html';
import type { SourceLease } from './sources/registry';
import type { SourceRef, SourceSigner } from './sources/sourceRef';
import type { FailureKind } from './sources/traceSource';
import { withServiceSlots } from './serviceColors';

/**
 * Drives one webview that shows one trace source: the `ready` handshake, re-sending when the
 * panel becomes visible again (its page is dropped while hidden), validated requests answered
 * from the source's worker, and a new `load` whenever the source reloads. The panel command, the
 * custom editor and the revived panels all use it, whatever the source.
 */
export class TracePanelView extends Disposable {
  /** The trace of the source this view shows (several views of one source may differ). */
  private selected = 0;
  private stale = false;

  constructor(
    private readonly ctx: SpanlensContext,
    private readonly panel: vscode.WebviewPanel,
    private readonly lease: SourceLease,
    private readonly signer: SourceSigner,
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(ctx.extension.extensionUri);
    webview.html = webviewHtml(webview, ctx.extension.extensionUri, 'trace', vscode.l10n.t('Loading trace…'));
    // Registered first so it is released last: the source outlives the listeners that use it.
    this._register(lease);
    this._register(webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(
      lease.source.onDidChange(() => {
        if (this.selected >= lease.source.traceCount) this.selected = 0;
        if (panel.visible) void this.sendLoad();
        else this.stale = true;
      }),
    );
    this._register(
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.stale) void this.sendLoad();
      }),
    );
    const extras = lease.source.extras;
    if (extras) {
      this._register(
        extras.onDidUpdate((what) => {
          if (!panel.visible) {
            this.stale = true;
            return;
          }
          if (what === 'metrics') this.postSeries();
          else if (what === 'logs') void this.postLogs();
          this.postHeader();
        }),
      );
    }
  }

  private postHeader(): void {
    const h = this.source.extras?.header();
    if (h) this.post(h);
  }

  private postSeries(): void {
    const s = this.source.extras?.series();
    if (s) this.post(s);
  }

  private async postLogs(): Promise<void> {
    const extras = this.source.extras;
    if (!extras) return;
    try {
      const m = await extras.logs(this.selected);
      if (m) this.post(m);
    } catch (err) {
      this.ctx.log.warn(`log lines for the trace view: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** A lookup's header, metrics and logs, after a load (they may have come first). */
  private async postExtras(): Promise<void> {
    this.postHeader();
    this.postSeries();
    await this.postLogs();
  }

  private get source() {
    return this.lease.source;
  }

  private post(message: ToWebview): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(message);
  }

  private columnToken = 0;
  private posting: Promise<void> = Promise.resolve();

  /**
   * A message carrying a trace: a large one's columns go first, one message each (see
   * traceColumns), and one trace at a time, so two traces' columns never interleave.
   */
  private postTrace(message: LoadMessage | TraceMessage): Promise<void> {
    const token = ++this.columnToken;
    const run = this.posting.then(() => postInColumns(message, token, (m) => this.post(m)));
    this.posting = run.catch(() => undefined);
    return run;
  }

  private async sendLoad(): Promise<void> {
    this.stale = false;
    const src = this.source;
    // A lookup says how its parts stand while its traces are still being looked for.
    this.postHeader();
    await src.settled();
    const loaded = src.loaded;
    let trace = null;
    let error: string | null = loaded.ok ? null : loaded.error;
    let kind: FailureKind = loaded.ok ? 'unreadable' : loaded.kind;
    if (loaded.ok) {
      try {
        trace = withServiceSlots(this.ctx, await src.traceData(this.selected));
      } catch (err) {
        // The source was read, but its reader failed on it since (e.g. the worker died).
        error = err instanceof Error ? err.message : String(err);
        kind = 'unreadable';
      }
    }
    const file = loaded.ok ? loaded.file : undefined;
    const config = vscode.workspace.getConfiguration('spanlens.trace');
    const view = config.get<string>('defaultView') === 'flame' ? 'flame' : 'timeline';
    const color = config.get<string>('colorBy');
    await this.postTrace({
      type: 'load',
      strings: webviewStrings(),
      source: await this.signer.sign(src.ref),
      title: src.title,
      choices: src.choices(),
      selected: this.selected,
      trace,
      warnings: (file?.warnings ?? []).slice(0, 20),
      warningCount: file?.warningCount ?? 0,
      banner: file?.partial ? bannerText(file.partial.message) : null,
      error,
      errorTitle: error ? errorTitle(kind) : null,
      errorActions: error ? errorActions(kind, src.ref) : [],
      defaults: { view, colorMode: color === 'duration' || color === 'errors' ? color : 'service' },
    });
    await this.postExtras();
  }

  private async onMessage(raw: unknown): Promise<void> {
    const src = this.source;
    await src.settled();
    const parsed = parseFromWebview(raw, { boxes: src.boxCount(this.selected), traces: src.traceCount, logs: src.extras?.logCount() ?? 0 });
    const msg = parsed.message;
    if (!msg) {
      this.ctx.log.warn(`ignored an invalid message from the trace view: ${JSON.stringify(raw)?.slice(0, 200)}`);
      if ('refusedId' in parsed && parsed.refusedId !== undefined) {
        this.post({ type: 'response', id: parsed.refusedId, ok: false, error: vscode.l10n.t('Invalid request.') });
      }
      return;
    }
    switch (msg.type) {
      case 'ready':
        return this.sendLoad();
      case 'reload':
        await src.load();
        return;
      case 'errorAction':
        return this.errorAction(msg.action);
      case 'selectTrace':
        return this.showTrace(msg.index);
      case 'request':
        return this.answer(msg);
    }
  }

  /** Shows another trace of this source in the panel (the picker, or a link to it). */
  private async showTrace(index: number): Promise<void> {
    const src = this.source;
    this.selected = index;
    try {
      const trace = await src.traceData(index);
      // A later selection may have overtaken this one while the worker laid it out.
      if (this.selected === index) {
        await this.postTrace({ type: 'trace', selected: index, trace: withServiceSlots(this.ctx, trace) });
        await this.postLogs();
      }
    } catch {
      await this.sendLoad(); // shows the worker's failure with the Try again button
    }
  }

  /**
   * A span link: a trace this source holds (a file of several) is shown here; any other is
   * fetched from the Tempo of the environment this trace came from, not whichever is active now.
   */
  private async openLinkedTrace(traceId: string): Promise<void> {
    const index = this.source.choices().findIndex((c) => c.traceId === traceId);
    if (index >= 0) return this.showTrace(index);
    const ref = this.source.ref;
    const environment = ref.kind === 'tempo' || ref.kind === 'lookup' ? ref.environment : undefined;
    await vscode.commands.executeCommand('spanlens.openTraceById', traceId, environment);
  }

  private async errorAction(action: ErrorAction): Promise<void> {
    if (action === 'retry') await this.source.load();
    const ref = this.source.ref;
    if (action === 'openAsLogs' && ref.kind === 'file') await vscode.commands.executeCommand('spanlens.openLogFile', vscode.Uri.parse(ref.uri));
  }

  private async answer(req: TraceRequest): Promise<void> {
    const reply = (result: unknown) => this.post({ type: 'response', id: req.id, ok: true, result });
    const fail = (err: unknown) => this.post({ type: 'response', id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) });
    const p = req.params as TraceMethods[keyof TraceMethods]['params'] & { trace?: number };
    if (p.trace !== undefined && p.trace !== this.selected) {
      fail(new Error(vscode.l10n.t('That span belongs to a trace no longer shown.')));
      return;
    }
    const src = this.source;
    try {
      const common = await answerCommonRequest(req);
      if (common) return reply(common.result);
      switch (req.method) {
        case 'spanDetails': {
          const q = req.params as TraceMethods['spanDetails']['params'];
          return reply(await src.details(q.trace, q.box));
        }
        case 'search': {
          const q = req.params as TraceMethods['search']['params'];
          return reply(await src.search(q.trace, q.text));
        }
        case 'criticalPath': {
          const q = req.params as TraceMethods['criticalPath']['params'];
          return reply(await src.criticalPath(q.trace));
        }
        case 'openSource': {
          const q = req.params as TraceMethods['openSource']['params'];
          const locations = await src.locations(q.trace, q.box);
          return reply({ opened: await openCodeLocation(this.ctx, locations, q.location) });
        }
        case 'openTrace': {
          const q = req.params as TraceMethods['openTrace']['params'];
          await this.openLinkedTrace(q.traceId);
          return reply(null);
        }
        case 'openLogSource': {
          const q = req.params as TraceMethods['openLogSource']['params'];
          return reply({ opened: (await src.extras?.openLogSource(q.index)) ?? false });
        }
        default:
          return fail(new Error(vscode.l10n.t('Invalid request.')));
      }
    } catch (err) {
      fail(err);
    }
  }
}

function bannerText(message: string | undefined): string {
  return message
    ? vscode.l10n.t('Tempo returned only part of this trace: {0}', message)
    : vscode.l10n.t('Tempo returned only part of this trace.');
}

function errorTitle(kind: FailureKind): string {
  switch (kind) {
    case 'cancelled':
      return vscode.l10n.t('Reading the trace was cancelled.');
    case 'unreadable':
      return vscode.l10n.t('Spanlens could not read this trace.');
    case 'notFound':
      return vscode.l10n.t('Trace not found.');
    case 'backend':
      return vscode.l10n.t('Tempo could not be asked for this trace.');
    case 'notTrace':
      return vscode.l10n.t('This file cannot be shown as a trace.');
  }
}

/**
 * "Try again" only where trying again can help: not for a file that simply is not a trace. A
 * local file that is no trace is often a log file (a JSONL export picked by mistake): it can open
 * as one.
 */
export function errorActions(kind: FailureKind, ref?: SourceRef): ErrorAction[] {
  if (kind !== 'notTrace') return ['retry'];
  return ref?.kind === 'file' && ref.uri.startsWith('file:') ? ['openAsLogs'] : [];
}
