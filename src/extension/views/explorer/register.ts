import * as vscode from 'vscode';
import { DEFAULT_HEALTH_ENDPOINTS } from '../../../core/backends/dynamo/endpoints';
import { DEFAULT_URLS } from '../../../core/backends/options';
import { serviceQuery } from '../../../core/traceql/queries';
import { activeConnections } from '../../backends/register';
import type { Connections } from '../../backends/connections';
import { SECTION, writeRestrictedSetting } from '../../config';
import type { CommandHandler, SpanlensContext } from '../../context';
import { useEndpoints } from '../../stack/useEndpoints';
import { AlertsView, expressionOf } from './alertsView';
import { HEALTH_ENDPOINTS_SETTING, HealthView, healthTargets } from './healthView';
import { showProblem, type ProblemNode } from './problems';
import { SearchStore, type SearchSpec } from './searchStore';
import { SearchView, type SearchNode } from './searchView';
import { ServicesView, type ServiceNode } from './servicesView';
import { TargetsView } from './targetsView';
import { MetricsViewProvider } from '../metrics/metricsView';

/**
 * The Explorer views beside Connections — Search, Services, Alerts, Targets, Health — and the
 * command handlers that act on them. Context keys `spanlens.<backend>Unconfigured` pick each
 * view's welcome content when its backend has no endpoint.
 */

interface Explorer {
  readonly connections: Connections;
  readonly search: SearchView;
  readonly services: ServicesView;
  readonly alerts: AlertsView;
  readonly targets: TargetsView;
  readonly health: HealthView;
  readonly metrics: MetricsViewProvider;
}

let current: Explorer | undefined;

export function registerExplorer(ctx: SpanlensContext): vscode.Disposable {
  const connections = activeConnections();
  const store = new SearchStore(ctx.extension.workspaceState);
  const x: Explorer = {
    connections,
    search: new SearchView(connections, store),
    services: new ServicesView(connections),
    alerts: new AlertsView(connections),
    targets: new TargetsView(connections),
    health: new HealthView(connections),
    metrics: new MetricsViewProvider(ctx, connections),
  };
  current = x;
  const syncContext = (): void => {
    void vscode.commands.executeCommand('setContext', 'spanlens.tempoUnconfigured', !connections.isConfigured('tempo'));
    void vscode.commands.executeCommand('setContext', 'spanlens.prometheusUnconfigured', !connections.isConfigured('prometheus'));
    void vscode.commands.executeCommand('setContext', 'spanlens.healthUnconfigured', healthTargets().length === 0);
  };
  syncContext();
  const subs = [
    connections.onDidReset(() => {
      syncContext();
      x.search.redraw();
      x.services.invalidate();
      x.alerts.invalidate();
      x.targets.invalidate();
      x.health.resetTransport();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.${HEALTH_ENDPOINTS_SETTING}`)) {
        syncContext();
        x.health.invalidate();
      }
      if (e.affectsConfiguration(`${SECTION}.services.lookbackMinutes`)) x.services.invalidate();
    }),
  ];
  return vscode.Disposable.from(...subs, x.search, x.services, x.alerts, x.targets, x.health, x.metrics, {
    dispose: () => {
      if (current === x) current = undefined;
    },
  });
}

function explorer(): Explorer {
  if (!current) throw new Error(vscode.l10n.t('The Spanlens views are not ready yet.'));
  return current;
}

function isSpec(v: unknown): v is SearchSpec {
  return typeof v === 'object' && v !== null && typeof (v as { query?: unknown }).query === 'string' && typeof (v as { range?: unknown }).range === 'object';
}

/** `spanlens.searchTraces` — optional argument: a search to start from (an "Edit Query" or a tree row). */
export const searchTraces: CommandHandler = async (_ctx, arg) => {
  const x = explorer();
  const tempo = (await x.connections.clients()).tempo;
  if (!tempo) {
    const open = vscode.l10n.t('Open Settings');
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Tempo is not configured for environment "{0}".', x.connections.environment), open);
    if (choice === open) await vscode.commands.executeCommand('spanlens.openConnectionSettings', 'tempo');
    return;
  }
  const store = x.search.store;
  const node = arg as SearchNode | undefined;
  const start: SearchSpec = isSpec(arg)
    ? arg
    : node?.kind === 'recent' || node?.kind === 'saved'
      ? node.entry
      : { query: x.search.currentSpec?.query ?? store.recent()[0]?.query ?? '', range: store.lastRange() };
  // The picker brings the TraceQL grammar, which only searching needs.
  const { pickSearch } = await import('./searchPicker');
  const spec = await pickSearch(tempo, store, start);
  if (!spec) return;
  await store.setLastRange(spec.range);
  await x.search.run(spec);
};

/** `spanlens.rerunSearch` — a recent or saved row. */
export const rerunSearch: CommandHandler = async (_ctx, arg) => {
  const node = arg as SearchNode | undefined;
  if (node?.kind !== 'recent' && node?.kind !== 'saved') return;
  await explorer().search.run({ query: node.entry.query, range: node.entry.range });
};

export const cancelSearch: CommandHandler = () => explorer().search.cancel();

export const refreshSearch: CommandHandler = async () => {
  const x = explorer();
  const spec = x.search.currentSpec;
  if (spec) await x.search.run(spec);
  else await vscode.commands.executeCommand('spanlens.searchTraces');
};

/** `spanlens.saveSearch` — a recent row, the results, or (from the palette) the search on screen. */
export const saveSearchCommand: CommandHandler = async (_ctx, arg) => {
  const x = explorer();
  const node = arg as SearchNode | undefined;
  const spec = node?.kind === 'recent' || node?.kind === 'saved' ? node.entry : x.search.currentSpec;
  if (!spec) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Run a search first, then save it.'));
    return;
  }
  const { saveSearch } = await import('./searchPicker');
  if (await saveSearch(x.search.store, { query: spec.query, range: spec.range })) x.search.redraw();
};

export const renameSavedSearch: CommandHandler = async (_ctx, arg) => {
  const x = explorer();
  const node = arg as SearchNode | undefined;
  if (node?.kind !== 'saved') return;
  const to = await vscode.window.showInputBox({
    title: vscode.l10n.t('Rename saved search'),
    value: node.entry.name,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The name cannot be empty.')),
  });
  if (to === undefined || to.trim() === node.entry.name) return;
  await x.search.store.rename(node.entry.name, to.trim());
  x.search.redraw();
};

export const deleteSavedSearch: CommandHandler = async (_ctx, arg) => {
  const x = explorer();
  const node = arg as SearchNode | undefined;
  if (node?.kind !== 'saved') return;
  const del = vscode.l10n.t('Delete');
  if ((await vscode.window.showWarningMessage(vscode.l10n.t('Delete the saved search "{0}"?', node.entry.name), { modal: true }, del)) !== del) return;
  await x.search.store.remove(node.entry.name);
  x.search.redraw();
};

export const clearRecentSearches: CommandHandler = async () => {
  const x = explorer();
  await x.search.store.clearRecent();
  x.search.redraw();
};

/** `spanlens.searchService` — a Services row: its traces in the Search view, ready to refine. */
export const searchService: CommandHandler = async (_ctx, arg) => {
  const node = arg as ServiceNode | undefined;
  if (node?.kind !== 'service' && node?.kind !== 'traces') return;
  const service = node.kind === 'service' ? node.name : node.service;
  const x = explorer();
  await x.search.run({ query: serviceQuery(service, node.kind === 'traces' && node.errors), range: x.search.store.lastRange() });
};

export const refreshServices: CommandHandler = () => explorer().services.refresh();
export const refreshAlerts: CommandHandler = () => explorer().alerts.refresh();
export const refreshTargets: CommandHandler = () => explorer().targets.refresh();
export const refreshHealth: CommandHandler = () => explorer().health.refresh();
export const refreshMetrics: CommandHandler = () => explorer().metrics.refresh();

/** `spanlens.showInMetrics` — an alert or rule row: the Metrics view's larger chart of its expression. */
export const showInMetrics: CommandHandler = async (_ctx, arg) => {
  const expr = expressionOf(arg);
  if (!expr) return;
  const node = arg as { row?: { rule: string }; rule?: { name: string } };
  await explorer().metrics.focus(node.row?.rule ?? node.rule?.name ?? expr, expr);
};

/** `spanlens.copyTraceId` — a trace row. */
export const copyTraceId: CommandHandler = async (_ctx, arg) => {
  const id = (arg as { row?: { traceId?: unknown } } | undefined)?.row?.traceId;
  if (typeof id === 'string') await vscode.env.clipboard.writeText(id);
};

/** `spanlens.copyAlertExpression` — an alert or rule row. */
export const copyAlertExpression: CommandHandler = async (_ctx, arg) => {
  const expr = expressionOf(arg);
  if (expr) await vscode.env.clipboard.writeText(expr);
};

export const showProblemCommand: CommandHandler = async (_ctx, arg) => {
  const node = arg as ProblemNode | undefined;
  if (node?.kind === 'problem') await showProblem(node.problem);
};

export const configureHealthEndpoints: CommandHandler = async () => {
  await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${HEALTH_ENDPOINTS_SETTING}`);
};

/**
 * `spanlens.useDemoEndpoints`: the demo (`npm start` in the Spanlens repository) serves Tempo,
 * Loki and Prometheus on their default ports; this points the `local` environment there and
 * restores the default health endpoints if none are set.
 */
export const useDemoEndpoints: CommandHandler = async (ctx) => {
  if (healthTargets().length === 0) {
    const otherwise = vscode.workspace.workspaceFolders?.length ? 'workspace' : 'global';
    await writeRestrictedSetting(HEALTH_ENDPOINTS_SETTING, [...DEFAULT_HEALTH_ENDPOINTS], otherwise);
  }
  await useEndpoints(ctx, DEFAULT_URLS);
};
