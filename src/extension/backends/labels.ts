import * as vscode from 'vscode';
import type { BackendErrorKind } from '../../core/backends/errors';
import { BACKEND_LABEL } from '../../core/backends/options';
import type { OverallState, HealthView } from './connections';
import { actionsFor, type BackendProblem } from './problems';

/**
 * Localized words for connection states and backend errors. Core messages stay English (they
 * are also the CLI's); the UI leads with a translated headline and shows the core message —
 * URL, system error, the server's own text — as the detail.
 */

export function stateLabel(state: HealthView['state']): string {
  switch (state) {
    case 'ok':
      return vscode.l10n.t('Connected');
    case 'unreachable':
      return vscode.l10n.t('Unreachable');
    case 'unauthorised':
      return vscode.l10n.t('Unauthorised');
    case 'error':
      return vscode.l10n.t('Error');
    case 'checking':
      return vscode.l10n.t('Checking…');
    default:
      return vscode.l10n.t('Not checked');
  }
}

export function stateIcon(state: HealthView['state']): vscode.ThemeIcon {
  switch (state) {
    case 'ok':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'unreachable':
      return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('testing.iconFailed'));
    case 'unauthorised':
      return new vscode.ThemeIcon('lock', new vscode.ThemeColor('list.warningForeground'));
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'checking':
      return new vscode.ThemeIcon('loading~spin');
    default:
      return new vscode.ThemeIcon('circle-large-outline');
  }
}

export function overallLabel(state: OverallState): string {
  switch (state) {
    case 'ok':
      return vscode.l10n.t('all connected');
    case 'degraded':
      return vscode.l10n.t('some backends down');
    case 'down':
      return vscode.l10n.t('no backend reachable');
    case 'checking':
      return vscode.l10n.t('checking…');
    default:
      return vscode.l10n.t('not checked');
  }
}

/** A localized one-line headline for a failure of `backend` (a name as users read it). */
export function errorHeadline(kind: BackendErrorKind | 'notReady', backend: string): string {
  switch (kind) {
    case 'unreachable':
      return vscode.l10n.t('{0} is unreachable.', backend);
    case 'timeout':
      return vscode.l10n.t('{0} did not answer in time.', backend);
    case 'auth':
      return vscode.l10n.t('{0} refused the credentials or needs a tenant.', backend);
    case 'notFound':
      return vscode.l10n.t('{0} has no such resource.', backend);
    case 'queryRejected':
      return vscode.l10n.t('{0} rejected the query.', backend);
    case 'tooLarge':
      return vscode.l10n.t('The response from {0} is too large.', backend);
    case 'notJson':
      return vscode.l10n.t('{0} did not answer with JSON (a login page or proxy?).', backend);
    case 'badResponse':
      return vscode.l10n.t('{0} sent a response Spanlens does not understand.', backend);
    case 'cancelled':
      return vscode.l10n.t('The request to {0} was cancelled.', backend);
    case 'config':
      return vscode.l10n.t('The settings for {0} cannot be used.', backend);
    case 'notReady':
      return vscode.l10n.t('{0} is not ready yet.', backend);
    default:
      return vscode.l10n.t('{0} failed.', backend);
  }
}

export function healthHeadline(h: HealthView): string | undefined {
  if (!('error' in h) || !h.error) return undefined;
  return errorHeadline(h.errorKind ?? 'server', BACKEND_LABEL[h.backend]);
}

/**
 * Shows a backend failure with what to do next: "Set Credentials…" for 401/403, "Open Settings"
 * when the endpoint or its settings are the problem.
 */
export async function showBackendError(problem: BackendProblem): Promise<void> {
  const setCredentials = vscode.l10n.t('Set Credentials…');
  const openSettings = vscode.l10n.t('Open Settings');
  const actions = actionsFor(problem.kind).map((a) => (a === 'setCredentials' ? setCredentials : openSettings));
  const choice = await vscode.window.showErrorMessage(`${errorHeadline(problem.kind, BACKEND_LABEL[problem.backend])} ${problem.message}`, ...actions);
  if (choice === setCredentials) await vscode.commands.executeCommand('spanlens.setCredentials', problem.backend);
  else if (choice === openSettings) await vscode.commands.executeCommand('spanlens.openConnectionSettings', problem.backend);
}
