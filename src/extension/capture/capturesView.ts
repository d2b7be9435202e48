import * as vscode from 'vscode';
import type { RecentTrace } from '../../core/capture/server';
import { Disposable } from '../dispose';
import { traceItem } from '../views/explorer/traceItem';
import type { CaptureController } from './controller';
import { compact } from './statusBar';

export const CAPTURES_VIEW = 'spanlens.captures';
const SHOWN = 200;

/** The view's rows, typed: the capture's summary line, then one row per captured trace. */
export type CaptureNode = { readonly kind: 'summary' } | { readonly kind: 'trace'; readonly trace: RecentTrace };

/**
 * The Captures view: the newest captured traces (root service and name, duration, spans, start),
 * live while the view is visible — refreshed when the worker reports new data, at most twice a
 * second — and still while hidden. A row opens its trace (from the `capture` environment).
 * Stopped, the view shows its welcome content (Start Local Capture).
 */
export class CapturesView extends Disposable implements vscode.TreeDataProvider<CaptureNode> {
  private readonly changed = this._register(new vscode.EventEmitter<CaptureNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<CaptureNode>;
  private stale = true;
  /** The counts the summary row was last drawn with. */
  private drawnCounts = '';

  constructor(private readonly controller: CaptureController) {
    super();
    this.view = this._register(vscode.window.createTreeView(CAPTURES_VIEW, { treeDataProvider: this }));
    this._register(controller.onDidChangeTraces(() => this.refresh()));
    let wasRunning = controller.running;
    this._register(
      controller.onDidChange(() => {
        void vscode.commands.executeCommand('setContext', 'spanlens.capture.running', controller.running);
        // The summary row shows the polled counts: a new poll that changed them redraws it.
        const shown = this.countsKey();
        if (controller.running !== wasRunning || shown !== this.drawnCounts) {
          wasRunning = controller.running;
          this.refresh();
        }
        this.describe();
      }),
    );
    this._register(this.view.onDidChangeVisibility((e) => e.visible && this.stale && this.refresh()));
    void vscode.commands.executeCommand('setContext', 'spanlens.capture.running', controller.running);
    this.describe();
  }

  private countsKey(): string {
    const s = this.controller.stats;
    return s ? `${s.traces}/${s.spans}/${s.logRecords}/${s.evicted.traces}/${s.evicted.logRecords}` : '';
  }

  private describe(): void {
    const s = this.controller.stats;
    this.view.description = this.controller.running && s ? vscode.l10n.t('{0} traces', compact(s.traces)) : undefined;
    this.view.badge = undefined;
  }

  private refresh(): void {
    if (!this.view.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    this.changed.fire(undefined);
  }

  getTreeItem(node: CaptureNode): vscode.TreeItem {
    if (node.kind === 'summary') {
      const s = this.controller.stats;
      this.drawnCounts = this.countsKey();
      const st = this.controller.state;
      const item = new vscode.TreeItem(
        s ? vscode.l10n.t('{0} traces · {1} spans · {2} log records', String(s.traces), String(s.spans), String(s.logRecords)) : vscode.l10n.t('Receiving'),
        vscode.TreeItemCollapsibleState.None,
      );
      item.id = 'summary';
      item.iconPath = new vscode.ThemeIcon('record', new vscode.ThemeColor('charts.red'));
      if (st.kind === 'running') {
        item.description = vscode.l10n.t('gRPC :{0} · HTTP :{1}', String(st.started.ports.grpc), String(st.started.ports.http));
        const evicted = s && (s.evicted.traces || s.evicted.logRecords) ? `\n${vscode.l10n.t('Evicted to stay within the limits: {0} traces ({1} spans), {2} log records', String(s.evicted.traces), String(s.evicted.spans), String(s.evicted.logRecords))}` : '';
        item.tooltip = `${vscode.l10n.t('Tempo and Loki API on {0}', st.started.queryUrl)}${evicted}`;
        if (s && (s.evicted.traces || s.evicted.logRecords)) item.description += ` · ${vscode.l10n.t('{0} evicted', compact(s.evicted.traces))}`;
      }
      item.contextValue = 'spanlens.captureSummary';
      return item;
    }
    const t = node.trace;
    const startNs = BigInt(t.start);
    const item = traceItem(
      {
        traceId: t.traceId,
        rootService: t.rootService ?? '',
        rootName: t.rootName,
        rootMissing: t.rootService === undefined,
        startNs,
        startMs: Number(startNs / 1_000_000n),
        durationMs: Number(BigInt(t.durationNs) / 1_000_000n),
        spanCount: t.spans,
        errorCount: t.errors,
        services: t.rootService ? [t.rootService] : [],
      },
      'capture',
    );
    item.command = { command: 'spanlens.openCapturedTrace', title: vscode.l10n.t('Open Trace'), arguments: [t.traceId] };
    item.contextValue = 'spanlens.capturedTrace';
    return item;
  }

  async getChildren(node?: CaptureNode): Promise<CaptureNode[]> {
    if (node || !this.controller.running) return [];
    const traces = await this.controller.recent(SHOWN).catch(() => []);
    return [{ kind: 'summary' }, ...traces.map((trace): CaptureNode => ({ kind: 'trace', trace }))];
  }
}
