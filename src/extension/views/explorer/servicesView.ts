import * as vscode from 'vscode';
import { isBackendError } from '../../../core/backends/errors';
import { traceRows, type TraceRow } from '../../../core/explorer/traces';
import { serviceQuery } from '../../../core/traceql/queries';
import type { Connections } from '../../backends/connections';
import { problemFrom, type ProblemNode } from './problems';
import { RefreshingTree } from './refreshingTree';
import { formatTraceDuration } from './format';
import { traceItem } from './traceItem';

export const SERVICES_VIEW = 'spanlens.services';

/** Traces listed per service and kind. */
const TRACES_PER_GROUP = 20;

export type ServiceNode =
  | { readonly kind: 'service'; readonly name: string }
  | { readonly kind: 'traces'; readonly service: string; readonly errors: boolean }
  | { readonly kind: 'trace'; readonly row: TraceRow; readonly group: string }
  | { readonly kind: 'info'; readonly text: string };

function lookbackMs(): number {
  const v = vscode.workspace.getConfiguration('spanlens').get<number>('services.lookbackMinutes') ?? 60;
  return Math.max(1, Math.min(7 * 24 * 60, Number.isFinite(v) ? v : 60)) * 60_000;
}

/**
 * The Services view: service names Tempo has seen in the look-back window (tag values of
 * `resource.service.name`); under each, its recent traces and its error traces, each a TraceQL
 * search run when the group is first opened, with the duration first as a badge.
 */
export class ServicesView extends RefreshingTree<string[], ServiceNode> {
  private readonly groups = new Map<string, Promise<(ServiceNode | ProblemNode)[]>>();

  constructor(private readonly connections: Connections) {
    super(SERVICES_VIEW, {
      server: 'Tempo',
      backend: 'tempo',
      configured: () => connections.isConfigured('tempo'),
      fetch: async (signal) => {
        const tempo = (await connections.clients()).tempo;
        if (!tempo) return [];
        const end = Date.now();
        const values = await tempo.tagValues('resource.service.name', { range: { startMs: end - lookbackMs(), endMs: end }, signal });
        return [...new Set(values.map((v) => v.value))].sort((a, b) => a.localeCompare(b));
      },
    });
    this._register(this.onDidLoad(() => this.groups.clear()));
  }

  protected rootNodes(names: string[]): ServiceNode[] {
    if (!names.length) return [{ kind: 'info', text: vscode.l10n.t('Tempo has seen no service in the last {0} minutes.', String(Math.round(lookbackMs() / 60_000))) }];
    return names.map((name) => ({ kind: 'service', name }));
  }

  protected childNodes(node: ServiceNode): ServiceNode[] | Promise<(ServiceNode | ProblemNode)[]> {
    if (node.kind === 'service') {
      return [
        { kind: 'traces', service: node.name, errors: false },
        { kind: 'traces', service: node.name, errors: true },
      ];
    }
    if (node.kind !== 'traces') return [];
    const key = `${node.service}\u0000${node.errors}`;
    let p = this.groups.get(key);
    if (!p) {
      p = this.loadGroup(node);
      this.groups.set(key, p);
    }
    return p;
  }

  private async loadGroup(node: Extract<ServiceNode, { kind: 'traces' }>): Promise<(ServiceNode | ProblemNode)[]> {
    const group = `${node.service}/${node.errors ? 'errors' : 'recent'}`;
    try {
      const tempo = (await this.connections.clients()).tempo;
      if (!tempo) return [];
      const end = Date.now();
      const res = await vscode.window.withProgress({ location: { viewId: SERVICES_VIEW } }, () =>
        tempo.search({ query: serviceQuery(node.service, node.errors), range: { startMs: end - lookbackMs(), endMs: end }, limit: TRACES_PER_GROUP }),
      );
      const rows = traceRows(res.traces);
      if (!rows.length) return [{ kind: 'info', text: node.errors ? vscode.l10n.t('No error traces.') : vscode.l10n.t('No traces.') }];
      return rows.map((row): ServiceNode => ({ kind: 'trace', row, group }));
    } catch (err) {
      // Not cached: opening the group again tries again.
      this.groups.delete(`${node.service}\u0000${node.errors}`);
      if (isBackendError(err) && err.kind === 'cancelled') return [];
      return [{ kind: 'problem', problem: problemFrom(err, 'Tempo', 'tempo') }];
    }
  }

  protected treeItem(node: ServiceNode): vscode.TreeItem {
    switch (node.kind) {
      case 'service': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `service/${node.name}`;
        item.iconPath = new vscode.ThemeIcon('server-process');
        item.contextValue = 'spanlens.service';
        item.tooltip = node.name;
        return item;
      }
      case 'traces': {
        const item = new vscode.TreeItem(node.errors ? vscode.l10n.t('Error traces') : vscode.l10n.t('Recent traces'), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `service/${node.service}/${node.errors ? 'errors' : 'recent'}`;
        item.iconPath = new vscode.ThemeIcon(node.errors ? 'error' : 'history');
        item.description = serviceQuery(node.service, node.errors);
        item.contextValue = 'spanlens.serviceTraces';
        return item;
      }
      case 'trace': {
        const item = traceItem(node.row, node.group);
        // Duration first: the badge a slow service is spotted by.
        item.label = { label: `${formatTraceDuration(node.row.durationMs)}  ${typeof item.label === 'string' ? item.label : ''}`, highlights: [[0, formatTraceDuration(node.row.durationMs).length]] };
        item.description = (item.description as string).split(' · ').slice(1).join(' · ');
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }
}
