import * as vscode from 'vscode';
import { LOCAL_ENVIRONMENT } from '../../core/backends/environments';
import { BACKENDS, type BackendKind } from '../../core/backends/options';
import { setActiveEnvironment } from '../config';
import type { CommandHandler, SpanlensContext } from '../context';
import { askAndStoreCredentials } from '../secrets';
import { CONNECTIONS_VIEW, ConnectionsTreeProvider, HealthPoller } from '../views/connectionsTree';
import { EnvironmentStatusBar } from '../views/statusBar';
import { Connections } from './connections';
import { addEnvironment, editEnvironment, environmentItems } from './environmentCommands';
import { showBackendError } from './labels';
import { refreshProblems } from './problems';
import { CONNECTED_CONTEXT } from '../walkthrough';

/**
 * Backends in the extension: the Connections view, its health poller, the environment status bar
 * item, and the command handlers that act on them.
 */

let current: Connections | undefined;

export function registerConnections(ctx: SpanlensContext): vscode.Disposable {
  const connections = new Connections(ctx);
  current = connections;
  const tree = new ConnectionsTreeProvider(connections);
  const view = vscode.window.createTreeView(CONNECTIONS_VIEW, { treeDataProvider: tree });
  let connected: boolean | undefined;
  const syncView = (): void => {
    view.description = connections.environment;
    view.message = connections.entries().length ? undefined : vscode.l10n.t('No endpoints are set for environment "{0}".', connections.environment);
    const now = connections.entries().some((h) => h.state === 'ok');
    if (now !== connected) {
      connected = now;
      void vscode.commands.executeCommand('setContext', CONNECTED_CONTEXT, now);
    }
  };
  syncView();
  const poller = new HealthPoller(connections, view);
  const status = new EnvironmentStatusBar(connections);
  const sync = connections.onDidChange(syncView);
  // One check at start so the status bar has a state; after that, only while the view shows.
  // It runs in a task of its own once activate has returned: its HTTP stack (undici, protobuf)
  // is the heaviest code Spanlens loads, and VS Code activates other extensions meanwhile.
  const firstCheck = setTimeout(() => {
    if (!view.visible) void connections.refresh();
  }, 0);
  return vscode.Disposable.from(sync, poller, status, view, tree, connections, {
    dispose: () => {
      clearTimeout(firstCheck);
      if (current === connections) current = undefined;
    },
  });
}

/** The extension's connections, for features that query the backends. */
export function activeConnections(): Connections {
  return active();
}

function active(): Connections {
  if (!current) throw new Error(vscode.l10n.t('Spanlens connections are not ready yet.'));
  return current;
}

/** A backend named by a tree item (its element is the kind) or passed as a string. */
function backendArg(arg: unknown): BackendKind | undefined {
  return typeof arg === 'string' && (BACKENDS as readonly string[]).includes(arg) ? (arg as BackendKind) : undefined;
}

/**
 * `spanlens.refreshConnections`. Asked for by hand, so a backend that refuses the credentials
 * also gets a notification offering Set Credentials… (the poller stays quiet).
 */
export const refreshConnections: CommandHandler = async () => {
  const results = await active().refresh();
  for (const problem of refreshProblems(results ?? [])) void showBackendError(problem);
};

/** `spanlens.setCredentials` — optional argument: the backend (from a tree item). */
export const setCredentials: CommandHandler = async (_ctx, arg) => {
  const c = active();
  // Storing fires SecretStorage.onDidChange, which rebuilds the clients and re-checks if visible.
  c.credentialsChanging(c.environment);
  await askAndStoreCredentials(c.store, c.environment, c.origins(), backendArg(arg));
};

/** `spanlens.switchEnvironment` — the status bar item's command: each environment with its URLs. */
export const switchEnvironment: CommandHandler = async () => {
  const c = active();
  const add = { environment: '', label: vscode.l10n.t('$(add) Add Environment…'), alwaysShow: true };
  const edit = { environment: '', label: vscode.l10n.t('$(edit) Edit Environment…'), alwaysShow: true };
  const json = { environment: '', label: vscode.l10n.t('$(gear) Headers, timeouts and more in Settings'), description: 'spanlens.environments', alwaysShow: true };
  const pick = await vscode.window.showQuickPick([...environmentItems(c.environment), { environment: '', label: '', kind: vscode.QuickPickItemKind.Separator }, add, edit, json], {
    title: vscode.l10n.t('Switch Spanlens environment'),
    placeHolder: vscode.l10n.t('Environment to query'),
    matchOnDetail: true,
  });
  if (!pick) return;
  if (pick === add) return vscode.commands.executeCommand('spanlens.addEnvironment');
  if (pick === edit) return vscode.commands.executeCommand('spanlens.editEnvironment');
  if (pick === json) return vscode.commands.executeCommand('workbench.action.openSettings', 'spanlens.environments');
  if (pick.environment !== c.environment) await setActiveEnvironment(pick.environment);
  return undefined;
};

/** `spanlens.addEnvironment` / `spanlens.editEnvironment` (optional argument: the name). */
export const addEnvironmentCommand: CommandHandler = addEnvironment(active);
export const editEnvironmentCommand: CommandHandler = editEnvironment(active);

/** `spanlens.openConnectionSettings` — opens the settings behind one backend of the active environment. */
export const openConnectionSettings: CommandHandler = async (_ctx, arg) => {
  const c = active();
  const backend = backendArg(arg);
  const query = c.environment !== LOCAL_ENVIRONMENT ? 'spanlens.environments' : backend ? `spanlens.${backend}` : 'spanlens';
  await vscode.commands.executeCommand('workbench.action.openSettings', query);
};
