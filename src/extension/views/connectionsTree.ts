import * as vscode from 'vscode';
import { BACKEND_LABEL, type BackendKind } from '../../core/backends/options';
import type { Connections, HealthView } from '../backends/connections';
import { healthHeadline, stateIcon, stateLabel } from '../backends/labels';
import { pollIntervalMs, affectsPolling } from '../config';
import { Disposable } from '../dispose';

export const CONNECTIONS_VIEW = 'spanlens.connections';

/** One row per configured backend: state icon, version and latency, the error in the tooltip. */
export class ConnectionsTreeProvider extends Disposable implements vscode.TreeDataProvider<BackendKind> {
  private readonly changed = this._register(new vscode.EventEmitter<BackendKind | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly connections: Connections) {
    super();
    this._register(connections.onDidChange(() => this.changed.fire(undefined)));
  }

  getChildren(element?: BackendKind): BackendKind[] {
    return element ? [] : this.connections.entries().map((h) => h.backend);
  }

  getTreeItem(kind: BackendKind): vscode.TreeItem {
    const h = this.connections.entries().find((x) => x.backend === kind) ?? { backend: kind, url: '', state: 'unknown' as const };
    const item = new vscode.TreeItem(BACKEND_LABEL[kind], vscode.TreeItemCollapsibleState.None);
    item.id = `${this.connections.environment}/${kind}`;
    item.iconPath = stateIcon(h.state);
    item.description = describe(h);
    item.tooltip = tooltip(h);
    item.contextValue = `spanlens.backend.${h.state}`;
    item.accessibilityInformation = { label: `${BACKEND_LABEL[kind]}: ${stateLabel(h.state)}. ${item.description}` };
    return item;
  }
}

function describe(h: HealthView): string {
  // A failing backend shows where it was looked for: the URL is what a user checks first.
  if (h.state === 'unreachable' || h.state === 'unauthorised' || h.state === 'error') return `${stateLabel(h.state)} · ${h.url}`;
  if (h.state !== 'ok') return stateLabel(h.state);
  const parts = [h.version, h.latencyMs === undefined ? undefined : vscode.l10n.t('{0} ms', String(h.latencyMs))].filter(Boolean);
  return parts.join(' · ') || stateLabel(h.state);
}

function tooltip(h: HealthView): vscode.MarkdownString {
  // Server text is untrusted: appendText escapes Markdown and nothing here is a trusted link.
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown(`**${BACKEND_LABEL[h.backend]}** — `).appendText(stateLabel(h.state)).appendMarkdown('\n\n');
  md.appendText(vscode.l10n.t('URL: {0}', h.url)).appendMarkdown('\n\n');
  if ('version' in h && h.version) md.appendText(vscode.l10n.t('Version: {0}', h.version)).appendMarkdown('\n\n');
  if ('latencyMs' in h && h.latencyMs !== undefined) md.appendText(vscode.l10n.t('Latency: {0} ms', String(h.latencyMs))).appendMarkdown('\n\n');
  const headline = healthHeadline(h);
  // The error goes in a code block: the renderer's linkify otherwise turns the URL and the rest
  // of the sentence into one long link.
  if (headline && 'error' in h) md.appendMarkdown('---\n\n').appendText(headline).appendMarkdown('\n\n').appendCodeblock(h.error ?? '', 'text');
  return md;
}

/**
 * Polls health only while the Connections view is visible; checks at once when it becomes
 * visible (unless a fresh result exists) and after the clients were rebuilt.
 */
export class HealthPoller extends Disposable {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly connections: Connections,
    private readonly view: vscode.TreeView<BackendKind>,
  ) {
    super();
    this._register(view.onDidChangeVisibility((e) => (e.visible ? this.start() : this.stop())));
    this._register(connections.onDidReset(() => this.view.visible && void this.connections.refresh()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsPolling(e) && this.timer) {
          this.stop();
          this.start();
        }
      }),
    );
    this._register({ dispose: () => this.stop() });
    if (view.visible) this.start();
  }

  private start(): void {
    if (this.timer) return;
    const interval = pollIntervalMs();
    const last = this.connections.lastCheckedAt;
    if (last === undefined || Date.now() - last > interval / 2) void this.connections.refresh();
    // A tick while a check still runs joins it (Connections.refresh), so it is skipped.
    this.timer = setInterval(() => void this.connections.refresh(), interval);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
