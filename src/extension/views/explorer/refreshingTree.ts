import * as vscode from 'vscode';
import { Disposable } from '../../dispose';
import { problemFrom, problemItem, type ProblemNode, type ViewProblem } from './problems';

/** Seconds between refreshes of a visible Explorer view (at least 5). */
export function explorerIntervalMs(): number {
  const v = vscode.workspace.getConfiguration('spanlens').get<number>('explorer.refreshIntervalSeconds') ?? 30;
  return Math.max(5, Number.isFinite(v) ? v : 30) * 1000;
}

export interface TreeSource<T> {
  /** The server named in messages ("Prometheus"). */
  readonly server: string;
  readonly backend?: 'tempo' | 'loki' | 'prometheus';
  /** False shows the view's welcome content (no endpoint set). */
  configured(): boolean;
  fetch(signal: AbortSignal): Promise<T>;
}

/**
 * A tree view over one request's answer. It loads only while the view is visible: at once when
 * it becomes visible (unless the last answer is fresh), then every `explorer.refreshIntervalSeconds`;
 * a refresh cancels the one before it and shows progress on the view. A failure becomes a
 * problem row above the last good data, so what was known stays on screen. An unconfigured
 * backend gives an empty tree, which shows the view's welcome content.
 */
export abstract class RefreshingTree<T, N extends { readonly kind: string }> extends Disposable implements vscode.TreeDataProvider<N | ProblemNode> {
  private readonly changed = this._register(new vscode.EventEmitter<N | ProblemNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<N | ProblemNode>;
  protected data?: T;
  private problem?: ViewProblem;
  private loadedAt?: number;
  private inflight?: AbortController;
  private timer?: NodeJS.Timeout;
  private readonly loadedEmitter = this._register(new vscode.EventEmitter<T | undefined>());
  /** Fires after every load, with the data (undefined after a failure). */
  readonly onDidLoad = this.loadedEmitter.event;

  constructor(
    private readonly viewId: string,
    protected readonly source: TreeSource<T>,
  ) {
    super();
    this.view = this._register(vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: true }));
    this._register(this.view.onDidChangeVisibility((e) => (e.visible ? this.shown() : this.stopTimer())));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('spanlens.explorer.refreshIntervalSeconds') && this.timer) {
          this.stopTimer();
          this.startTimer();
        }
      }),
    );
    this._register({
      dispose: () => {
        this.stopTimer();
        this.inflight?.abort();
      },
    });
    // After the subclass's constructor has run.
    queueMicrotask(() => {
      if (!this.isDisposed && this.view.visible) this.shown();
    });
  }

  protected abstract rootNodes(data: T): N[];
  protected abstract childNodes(node: N): N[] | ProblemNode[] | Promise<(N | ProblemNode)[]>;
  protected abstract treeItem(node: N): vscode.TreeItem;

  /** Loads now (the refresh action); resolves when the answer is shown. */
  refresh(): Promise<void> {
    this.inflight?.abort();
    const ac = new AbortController();
    this.inflight = ac;
    if (!this.source.configured()) {
      this.data = undefined;
      this.problem = undefined;
      this.changed.fire(undefined);
      return Promise.resolve();
    }
    const run = vscode.window.withProgress({ location: { viewId: this.viewId } }, async () => {
      try {
        const data = await this.source.fetch(ac.signal);
        if (ac.signal.aborted) return;
        this.data = data;
        this.problem = undefined;
      } catch (err) {
        if (ac.signal.aborted) return;
        this.problem = problemFrom(err, this.source.server, this.source.backend);
      } finally {
        if (!ac.signal.aborted) {
          this.loadedAt = Date.now();
          if (this.inflight === ac) this.inflight = undefined;
          this.changed.fire(undefined);
          this.loadedEmitter.fire(this.problem ? undefined : this.data);
        }
      }
    });
    return Promise.resolve(run);
  }

  /** The clients or settings changed: what was shown belongs to the old ones. */
  invalidate(): void {
    this.inflight?.abort();
    this.data = undefined;
    this.problem = undefined;
    this.loadedAt = undefined;
    this.changed.fire(undefined);
    if (this.view.visible) void this.refresh();
  }

  /** Redraws without loading (e.g. relative times). */
  protected redraw(node?: N): void {
    this.changed.fire(node);
  }

  getChildren(node?: N | ProblemNode): (N | ProblemNode)[] | Promise<(N | ProblemNode)[]> {
    if (node) return node.kind === 'problem' ? [] : this.childNodes(node as N);
    if (!this.source.configured()) return [];
    const rows: (N | ProblemNode)[] = [];
    if (this.problem) rows.push({ kind: 'problem', problem: this.problem });
    if (this.data !== undefined) rows.push(...this.rootNodes(this.data));
    return rows;
  }

  getTreeItem(node: N | ProblemNode): vscode.TreeItem {
    return node.kind === 'problem' ? problemItem((node as ProblemNode).problem) : this.treeItem(node as N);
  }

  private shown(): void {
    const last = this.loadedAt;
    if (last === undefined || Date.now() - last > explorerIntervalMs() / 2) void this.refresh();
    this.startTimer();
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // A tick while a load runs would cancel it; let it finish instead.
      if (!this.inflight) void this.refresh();
    }, explorerIntervalMs());
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
