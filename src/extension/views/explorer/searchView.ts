import * as vscode from 'vscode';
import { QueryRejectedError, isBackendError } from '../../../core/backends/errors';
import { traceRows, type TraceRow } from '../../../core/explorer/traces';
import type { Connections } from '../../backends/connections';
import { Disposable } from '../../dispose';
import { formatAgo } from './format';
import { problemFrom, problemItem, type ProblemNode, type ViewProblem } from './problems';
import { rangeLabel, resolveSpecRange } from './ranges';
import { type RecentSearch, type SavedSearch, type SearchSpec, type SearchStore } from './searchStore';
import { traceItem } from './traceItem';

export const SEARCH_VIEW = 'spanlens.search';

export type SearchNode =
  | { readonly kind: 'results' }
  | { readonly kind: 'trace'; readonly row: TraceRow }
  | { readonly kind: 'info'; readonly text: string; readonly icon: string }
  | { readonly kind: 'recentGroup' }
  | { readonly kind: 'recent'; readonly entry: RecentSearch }
  | { readonly kind: 'savedGroup' }
  | { readonly kind: 'saved'; readonly entry: SavedSearch }
  | ProblemNode;

interface Current {
  readonly spec: SearchSpec;
  readonly limit: number;
  rows?: TraceRow[];
  nodes?: SearchNode[];
  problem?: ViewProblem;
  loading: boolean;
}

/** Search results per spanlens.search.limit (Tempo's default is 20; more is cheap to list). */
export function searchLimit(): number {
  const v = vscode.workspace.getConfiguration('spanlens').get<number>('search.limit') ?? 100;
  return Math.min(5000, Math.max(1, Math.floor(Number.isFinite(v) ? v : 100)));
}

/**
 * The Search view: the last search's results (root service and name, duration, span count,
 * start; newest first; a click opens the trace), then Saved and Recent searches, which run
 * again on click. It loads only when asked: a search, a re-run, or its refresh action.
 */
export class SearchView extends Disposable implements vscode.TreeDataProvider<SearchNode> {
  private readonly changed = this._register(new vscode.EventEmitter<SearchNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<SearchNode>;
  private current?: Current;
  private inflight?: AbortController;
  private readonly resultsNode: SearchNode = { kind: 'results' };
  private readonly recentNode: SearchNode = { kind: 'recentGroup' };
  private readonly savedNode: SearchNode = { kind: 'savedGroup' };

  constructor(
    private readonly connections: Connections,
    readonly store: SearchStore,
  ) {
    super();
    this.view = this._register(vscode.window.createTreeView(SEARCH_VIEW, { treeDataProvider: this, showCollapseAll: true }));
    this._register({ dispose: () => this.inflight?.abort() });
  }

  /** The search on screen, for refresh and save. */
  get currentSpec(): SearchSpec | undefined {
    return this.current?.spec;
  }

  /** Lists, settings or clients changed. */
  redraw(): void {
    this.changed.fire(undefined);
  }

  /** Runs a search: records it as recent, shows progress on the view, then the results. */
  async run(spec: SearchSpec): Promise<void> {
    this.inflight?.abort();
    const ac = new AbortController();
    this.inflight = ac;
    const cur: Current = { spec, limit: searchLimit(), loading: true };
    this.current = cur;
    await this.store.addRecent(spec);
    this.view.description = rangeLabel(spec.range);
    this.changed.fire(undefined);
    // Bring the results into view; the tree keeps the group expanded by its id.
    if (!this.view.visible) void vscode.commands.executeCommand(`${SEARCH_VIEW}.focus`);
    void vscode.commands.executeCommand('setContext', 'spanlens.searching', true);
    await vscode.window.withProgress({ location: { viewId: SEARCH_VIEW } }, async () => {
      try {
        const range = resolveSpecRange(spec.range);
        const tempo = (await this.connections.clients()).tempo;
        if (!tempo) throw new Error(vscode.l10n.t('Tempo is not configured for environment "{0}".', this.connections.environment));
        const res = await tempo.search({ query: spec.query, range, limit: cur.limit, signal: ac.signal });
        if (ac.signal.aborted) return;
        cur.rows = traceRows(res.traces);
        cur.nodes = cur.rows.map((row): SearchNode => ({ kind: 'trace', row }));
        if (cur.rows.length >= cur.limit) {
          cur.nodes.push({ kind: 'info', icon: 'info', text: vscode.l10n.t('Showing the newest {0} traces; narrow the query or raise spanlens.search.limit for more.', String(cur.limit)) });
        }
        if (!cur.rows.length) cur.nodes.push({ kind: 'info', icon: 'search-stop', text: vscode.l10n.t('No traces match in {0}.', rangeLabel(spec.range)) });
      } catch (err) {
        if (ac.signal.aborted || (isBackendError(err) && err.kind === 'cancelled')) {
          if (this.current === cur) cur.nodes = [{ kind: 'info', icon: 'debug-stop', text: vscode.l10n.t('Search cancelled.') }];
          return;
        }
        cur.problem = problemFrom(err, 'Tempo', 'tempo');
        if (err instanceof QueryRejectedError) void this.offerEdit(spec, err.serverMessage);
      } finally {
        if (this.current === cur) {
          cur.loading = false;
          this.changed.fire(undefined);
        }
        if (this.inflight === ac) {
          this.inflight = undefined;
          void vscode.commands.executeCommand('setContext', 'spanlens.searching', false);
        }
      }
    });
  }

  /** Stops the search in flight (the view's stop action); what it had found so far is none. */
  cancel(): void {
    this.inflight?.abort();
  }

  private async offerEdit(spec: SearchSpec, serverText: string): Promise<void> {
    const edit = vscode.l10n.t('Edit Query');
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Tempo rejected the query: {0}', serverText), edit);
    if (choice === edit) await vscode.commands.executeCommand('spanlens.searchTraces', spec);
  }

  getChildren(node?: SearchNode): SearchNode[] {
    if (!node) {
      if (!this.connections.isConfigured('tempo')) return [];
      const roots: SearchNode[] = [];
      if (this.current) roots.push(this.resultsNode);
      if (this.store.saved().length) roots.push(this.savedNode);
      if (this.store.recent().length) roots.push(this.recentNode);
      return roots;
    }
    switch (node.kind) {
      case 'results': {
        const c = this.current;
        if (!c) return [];
        if (c.problem) return [{ kind: 'problem', problem: c.problem }];
        if (c.loading && !c.nodes) return [{ kind: 'info', icon: 'loading~spin', text: vscode.l10n.t('Searching Tempo…') }];
        return c.nodes ?? [];
      }
      case 'recentGroup':
        return this.store.recent().map((entry): SearchNode => ({ kind: 'recent', entry }));
      case 'savedGroup':
        return this.store.saved().map((entry): SearchNode => ({ kind: 'saved', entry }));
      default:
        return [];
    }
  }

  getTreeItem(node: SearchNode): vscode.TreeItem {
    switch (node.kind) {
      case 'results': {
        const c = this.current!;
        const item = new vscode.TreeItem(vscode.l10n.t('Results'), vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'results';
        const count = c.rows ? vscode.l10n.t('{0} traces', String(c.rows.length)) : undefined;
        item.description = [c.spec.query, rangeLabel(c.spec.range), count].filter(Boolean).join(' · ');
        item.tooltip = c.spec.query;
        item.iconPath = new vscode.ThemeIcon(c.loading ? 'loading~spin' : 'search');
        item.contextValue = 'spanlens.searchResults';
        return item;
      }
      case 'trace':
        return traceItem(node.row, 'results');
      case 'info': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'recentGroup': {
        const item = new vscode.TreeItem(vscode.l10n.t('Recent'), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'recent';
        item.iconPath = new vscode.ThemeIcon('history');
        item.contextValue = 'spanlens.recentSearches';
        return item;
      }
      case 'savedGroup': {
        const item = new vscode.TreeItem(vscode.l10n.t('Saved'), vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'saved';
        item.iconPath = new vscode.ThemeIcon('bookmark');
        return item;
      }
      case 'recent': {
        const e = node.entry;
        const item = new vscode.TreeItem(e.query, vscode.TreeItemCollapsibleState.None);
        item.id = `recent/${e.at}/${e.query}`;
        item.description = `${rangeLabel(e.range)} · ${formatAgo(e.at)}`;
        item.tooltip = vscode.l10n.t('Run again: {0} ({1})', e.query, rangeLabel(e.range));
        item.iconPath = new vscode.ThemeIcon('history');
        item.contextValue = 'spanlens.recentSearch';
        item.command = { command: 'spanlens.rerunSearch', title: vscode.l10n.t('Run Again'), arguments: [node] };
        return item;
      }
      case 'saved': {
        const e = node.entry;
        const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
        item.id = `saved/${e.name}`;
        item.description = `${e.query} · ${rangeLabel(e.range)}`;
        item.tooltip = vscode.l10n.t('Run: {0} ({1})', e.query, rangeLabel(e.range));
        item.iconPath = new vscode.ThemeIcon('bookmark');
        item.contextValue = 'spanlens.savedSearch';
        item.command = { command: 'spanlens.rerunSearch', title: vscode.l10n.t('Run'), arguments: [node] };
        return item;
      }
      case 'problem':
        return problemItem(node.problem);
    }
  }
}
