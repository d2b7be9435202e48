import * as vscode from 'vscode';
import { distinguishingLabels, groupAlerts, type AlertOverview, type AlertRow, type QuietGroup, type QuietRule } from '../../../core/explorer/alerts';
import type { Connections } from '../../backends/connections';
import { formatAgo } from './format';
import { RefreshingTree } from './refreshingTree';

export const ALERTS_VIEW = 'spanlens.alerts';

export type AlertNode =
  | { readonly kind: 'state'; readonly state: 'firing' | 'pending'; readonly rows: readonly AlertRow[] }
  | { readonly kind: 'alert'; readonly row: AlertRow; readonly index: number }
  | { readonly kind: 'inactive'; readonly groups: readonly QuietGroup[] }
  | { readonly kind: 'group'; readonly group: QuietGroup }
  | { readonly kind: 'rule'; readonly rule: QuietRule; readonly group: string }
  | { readonly kind: 'info'; readonly text: string };

/**
 * The Alerts view: Prometheus' alerting rules (`/api/v1/rules?type=alert`) as firing and pending
 * alerts with severity, summary and since-when, and the inactive rules under their group. The
 * view's badge is the firing count.
 */
export class AlertsView extends RefreshingTree<AlertOverview, AlertNode> {
  constructor(connections: Connections) {
    super(ALERTS_VIEW, {
      server: 'Prometheus',
      backend: 'prometheus',
      configured: () => connections.isConfigured('prometheus'),
      fetch: async (signal) => {
        const prom = (await connections.clients()).prometheus;
        return groupAlerts(prom ? await prom.rules({ type: 'alert', signal }) : []);
      },
    });
    this._register(
      this.onDidLoad((o) => {
        if (!o) return;
        const n = o.firing.length;
        this.view.badge = n ? { value: n, tooltip: n === 1 ? vscode.l10n.t('1 alert firing') : vscode.l10n.t('{0} alerts firing', String(n)) } : undefined;
      }),
    );
  }

  protected rootNodes(o: AlertOverview): AlertNode[] {
    const out: AlertNode[] = [];
    if (o.firing.length) out.push({ kind: 'state', state: 'firing', rows: o.firing });
    if (o.pending.length) out.push({ kind: 'state', state: 'pending', rows: o.pending });
    if (!out.length) out.push({ kind: 'info', text: vscode.l10n.t('No alert is firing or pending.') });
    if (o.inactive.length) out.push({ kind: 'inactive', groups: o.inactive });
    return out;
  }

  protected childNodes(node: AlertNode): AlertNode[] {
    switch (node.kind) {
      case 'state':
        return node.rows.map((row, index) => ({ kind: 'alert', row, index }));
      case 'inactive':
        return node.groups.map((group) => ({ kind: 'group', group }));
      case 'group':
        return node.group.rules.map((rule) => ({ kind: 'rule', rule, group: node.group.name }));
      default:
        return [];
    }
  }

  protected treeItem(node: AlertNode): vscode.TreeItem {
    switch (node.kind) {
      case 'state': {
        const firing = node.state === 'firing';
        const item = new vscode.TreeItem(firing ? vscode.l10n.t('Firing') : vscode.l10n.t('Pending'), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `state/${node.state}`;
        item.description = String(node.rows.length);
        item.iconPath = new vscode.ThemeIcon(firing ? 'flame' : 'watch', new vscode.ThemeColor(firing ? 'list.errorForeground' : 'list.warningForeground'));
        return item;
      }
      case 'alert':
        return alertItem(node);
      case 'inactive': {
        const item = new vscode.TreeItem(vscode.l10n.t('Inactive'), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'inactive';
        item.description = String(node.groups.reduce((n, g) => n + g.rules.length, 0));
        item.iconPath = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.group.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `inactive/${node.group.file}/${node.group.name}`;
        item.description = node.group.file;
        item.iconPath = new vscode.ThemeIcon('folder');
        return item;
      }
      case 'rule': {
        const r = node.rule;
        const failing = r.health === 'err';
        const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
        item.id = `inactive/${node.group}/${r.name}`;
        item.description = failing ? vscode.l10n.t('rule failing: {0}', r.lastError ?? '') : [r.severity, r.summary].filter(Boolean).join(' · ');
        item.iconPath = failing ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon('circle-large-outline');
        item.tooltip = ruleTooltip(r.name, r.query, r.summary, r.lastError);
        item.contextValue = 'spanlens.alertRule';
        item.command = { command: 'spanlens.showInMetrics', title: vscode.l10n.t('Show in Metrics'), arguments: [node] };
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
        return item;
      }
    }
  }
}

function alertItem(node: Extract<AlertNode, { kind: 'alert' }>): vscode.TreeItem {
  const { row, index } = node;
  const item = new vscode.TreeItem(row.rule, vscode.TreeItemCollapsibleState.None);
  const labels = distinguishingLabels(row);
  item.id = `${row.state}/${row.group}/${row.rule}/${labels.map(([k, v]) => `${k}=${v}`).join(',')}/${index}`;
  const since = row.activeAtMs === undefined ? undefined : vscode.l10n.t('since {0}', formatAgo(row.activeAtMs));
  item.description = [row.severity, row.summary, since].filter(Boolean).join(' · ');
  item.iconPath = severityIcon(row.severity, row.state);
  const md = ruleTooltip(row.rule, row.query, row.summary);
  if (row.activeAt) md.appendText(vscode.l10n.t('Active since {0}', row.activeAt)).appendMarkdown('\n\n');
  md.appendText(vscode.l10n.t('Value: {0}', String(row.value))).appendMarkdown('\n\n');
  if (labels.length) md.appendCodeblock(labels.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n'), 'text');
  item.tooltip = md;
  item.contextValue = 'spanlens.alert';
  item.command = { command: 'spanlens.showInMetrics', title: vscode.l10n.t('Show in Metrics'), arguments: [node] };
  item.accessibilityInformation = { label: `${row.state} ${row.rule}: ${item.description}` };
  return item;
}

function severityIcon(severity: string | undefined, state: string): vscode.ThemeIcon {
  const s = (severity ?? '').toLowerCase();
  if (state === 'pending') return new vscode.ThemeIcon('watch', new vscode.ThemeColor('list.warningForeground'));
  if (s === 'critical' || s === 'page' || s === 'error') return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  if (s === 'warning' || s === 'warn') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  return new vscode.ThemeIcon('info');
}

function ruleTooltip(name: string, query: string, summary?: string, lastError?: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.appendText(name).appendMarkdown('\n\n');
  if (summary) md.appendText(summary).appendMarkdown('\n\n');
  md.appendCodeblock(query, 'promql');
  if (lastError) md.appendText(vscode.l10n.t('Last error: {0}', lastError)).appendMarkdown('\n\n');
  return md;
}

/** The PromQL of an alert or rule row, for "Copy Expression". */
export function expressionOf(node: unknown): string | undefined {
  const n = node as AlertNode | undefined;
  if (n?.kind === 'alert') return n.row.query;
  if (n?.kind === 'rule') return n.rule.query;
  return undefined;
}
