import * as vscode from 'vscode';
import { DEFAULT_HEALTH_ENDPOINTS } from '../../../core/backends/dynamo/endpoints';
import type { DynamoHealthChecker, DynamoHealthResult, HealthTarget } from '../../../core/backends/dynamo/health';
import type { DynamoEndpointState, DynamoInstance } from '../../../core/formats/dynamoHealth';
import type { Connections } from '../../backends/connections';
import { formatUptime } from './format';
import { RefreshingTree } from './refreshingTree';

export const HEALTH_VIEW = 'spanlens.health';
export const HEALTH_ENDPOINTS_SETTING = 'health.endpoints';

export type HealthNode =
  | { readonly kind: 'endpoint'; readonly result: DynamoHealthResult; readonly index: number }
  | { readonly kind: 'state'; readonly state: DynamoEndpointState; readonly parent: number }
  | { readonly kind: 'instances'; readonly result: DynamoHealthResult; readonly parent: number }
  | { readonly kind: 'instance'; readonly instance: DynamoInstance; readonly parent: number };

/** `spanlens.health.endpoints`: URLs, or `{ "url", "label" }`; anything else is skipped. */
export function healthTargets(): HealthTarget[] {
  const raw = vscode.workspace.getConfiguration('spanlens').get<unknown>(HEALTH_ENDPOINTS_SETTING) ?? DEFAULT_HEALTH_ENDPOINTS;
  if (!Array.isArray(raw)) return [];
  const out: HealthTarget[] = [];
  for (const e of raw) {
    if (typeof e === 'string' && e.trim()) out.push({ url: e.trim() });
    else if (typeof e === 'object' && e !== null && typeof (e as { url?: unknown }).url === 'string') {
      const label = (e as { label?: unknown }).label;
      out.push({ url: (e as { url: string }).url.trim(), label: typeof label === 'string' && label.trim() ? label.trim() : undefined });
    }
  }
  return out;
}

/**
 * The Health view: each configured Dynamo health endpoint with its state (healthy, live, ready,
 * or notready / unhealthy / shutting_down, which are states even with HTTP 503), and under it
 * the endpoints and the instances behind them. No answer at all is "unreachable", with the reason.
 */
export class HealthView extends RefreshingTree<DynamoHealthResult[], HealthNode> {
  private checker?: DynamoHealthChecker;

  constructor(connections: Connections) {
    super(HEALTH_VIEW, {
      server: 'Dynamo',
      configured: () => healthTargets().length > 0,
      fetch: async (signal) => {
        // The checker's HTTP stack loads with the first check, not with the extension.
        if (!this.checker) {
          const { DynamoHealthChecker } = await import('../../../core/backends/dynamo/health');
          this.checker ??= new DynamoHealthChecker(connections.transport(), { onRequest: connections.requestLogger });
        }
        return this.checker.check(healthTargets(), { signal });
      },
    });
    this._register({ dispose: () => void this.dropChecker() });
  }

  /** Transport settings changed: the next check builds new connection pools. */
  resetTransport(): void {
    void this.dropChecker();
    this.invalidate();
  }

  private async dropChecker(): Promise<void> {
    const old = this.checker;
    this.checker = undefined;
    await old?.close().catch(() => undefined);
  }

  protected rootNodes(results: DynamoHealthResult[]): HealthNode[] {
    return results.map((result, index) => ({ kind: 'endpoint', result, index }));
  }

  protected childNodes(node: HealthNode): HealthNode[] {
    if (node.kind === 'endpoint') {
      const r = node.result;
      const out: HealthNode[] = r.endpoints.map((state) => ({ kind: 'state', state, parent: node.index }));
      if (r.instances.length) out.push({ kind: 'instances', result: r, parent: node.index });
      return out;
    }
    if (node.kind === 'instances') return node.result.instances.map((instance) => ({ kind: 'instance', instance, parent: node.parent }));
    return [];
  }

  protected treeItem(node: HealthNode): vscode.TreeItem {
    switch (node.kind) {
      case 'endpoint':
        return endpointItem(node.result, node.index);
      case 'state': {
        const ok = node.state.state === 'ready' || node.state.state === 'available';
        const item = new vscode.TreeItem(node.state.name, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.parent}/endpoint/${node.state.name}`;
        item.description = stateWord(node.state.state);
        item.iconPath = ok ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        item.accessibilityInformation = { label: `${node.state.name}: ${item.description}` };
        return item;
      }
      case 'instances': {
        const item = new vscode.TreeItem(vscode.l10n.t('Instances'), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.parent}/instances`;
        item.description = String(node.result.instances.length);
        item.iconPath = new vscode.ThemeIcon('vm');
        return item;
      }
      case 'instance': {
        const i = node.instance;
        const item = new vscode.TreeItem(`${i.namespace}.${i.component}.${i.endpoint}`, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.parent}/instance/${i.instanceId}/${i.component}/${i.endpoint}`;
        item.description = [i.instanceId, i.deviceType].filter(Boolean).join(' · ');
        const md = new vscode.MarkdownString(undefined, false);
        md.isTrusted = false;
        md.appendText(vscode.l10n.t('Instance ID: {0}', i.instanceId)).appendMarkdown('\n\n');
        if (i.transport) md.appendText(vscode.l10n.t('Transport: {0}', i.transport)).appendMarkdown('\n\n');
        if (i.deviceType) md.appendText(vscode.l10n.t('Device: {0}', i.deviceType));
        item.tooltip = md;
        item.iconPath = new vscode.ThemeIcon('server');
        item.contextValue = 'spanlens.dynamoInstance';
        return item;
      }
    }
  }
}

function stateWord(state: string): string {
  switch (state) {
    case 'ready':
      return vscode.l10n.t('ready');
    case 'notready':
      return vscode.l10n.t('not ready');
    case 'available':
      return vscode.l10n.t('available');
    default:
      return state;
  }
}

function statusWord(r: DynamoHealthResult): string {
  switch (r.status) {
    case 'healthy':
      return vscode.l10n.t('healthy');
    case 'unhealthy':
      return vscode.l10n.t('unhealthy');
    case 'live':
      return vscode.l10n.t('live');
    case 'shutting_down':
      return vscode.l10n.t('shutting down');
    case 'unreachable':
      return vscode.l10n.t('unreachable');
    case 'error':
      return vscode.l10n.t('error');
    default:
      return stateWord(r.status);
  }
}

function endpointItem(r: DynamoHealthResult, index: number): vscode.TreeItem {
  const hasChildren = r.endpoints.length > 0 || r.instances.length > 0;
  const item = new vscode.TreeItem(r.label ?? r.url, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `health/${index}/${r.url}`;
  const parts = [statusWord(r)];
  if (r.outcome === 'unreachable' || r.outcome === 'error') {
    if (r.httpStatus !== undefined) parts.push(`HTTP ${r.httpStatus}`);
  } else {
    if (r.httpStatus !== undefined && r.httpStatus !== 200) parts.push(`HTTP ${r.httpStatus}`);
    if (r.kind === 'worker' && r.uptimeSeconds !== undefined) parts.push(vscode.l10n.t('up {0}', formatUptime(r.uptimeSeconds)));
    if (r.kind === 'frontend') parts.push(vscode.l10n.t('{0} instances', String(r.instances.length)));
    if (r.message && r.outcome !== 'ok') parts.push(r.message);
  }
  if (r.label) parts.push(r.url);
  item.description = parts.join(' · ');
  item.iconPath =
    r.outcome === 'ok'
      ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
      : r.outcome === 'notHealthy'
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : r.outcome === 'unreachable'
          ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('testing.iconFailed'))
          : new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.appendText(`${r.url} — ${statusWord(r)}`).appendMarkdown('\n\n');
  if (r.kind) md.appendText(vscode.l10n.t('Kind: {0}', kindWord(r.kind))).appendMarkdown('\n\n');
  if (r.latencyMs !== undefined) md.appendText(vscode.l10n.t('Answered in {0} ms', String(r.latencyMs))).appendMarkdown('\n\n');
  if (r.message) md.appendText(r.message).appendMarkdown('\n\n');
  if (r.error) md.appendCodeblock(r.error, 'text');
  item.tooltip = md;
  item.contextValue = `spanlens.healthEndpoint.${r.outcome}`;
  item.accessibilityInformation = { label: `${r.label ?? r.url}: ${item.description}` };
  return item;
}

function kindWord(kind: NonNullable<DynamoHealthResult['kind']>): string {
  switch (kind) {
    case 'frontend':
      return vscode.l10n.t('frontend health');
    case 'frontend-live':
      return vscode.l10n.t('frontend liveness');
    default:
      return vscode.l10n.t('worker system server');
  }
}
