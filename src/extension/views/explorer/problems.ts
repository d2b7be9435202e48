import * as vscode from 'vscode';
import { QueryRejectedError, isBackendError, type BackendErrorKind } from '../../../core/backends/errors';
import type { BackendKind } from '../../../core/backends/options';
import { errorHeadline, showBackendError } from '../../backends/labels';

/** A failure a view shows as a row: which server, what kind, the core's message. */
export interface ViewProblem {
  /** As users read it: Tempo, Prometheus, Dynamo. */
  readonly server: string;
  /** Set for the three backends, so the row can offer their settings and credentials. */
  readonly backend?: BackendKind;
  readonly kind: BackendErrorKind | 'notReady';
  readonly message: string;
  readonly url?: string;
  /** The server's own words when it rejected a query, shown on the row itself. */
  readonly serverText?: string;
}

export interface ProblemNode {
  readonly kind: 'problem';
  readonly problem: ViewProblem;
}

export function problemFrom(err: unknown, server: string, backend?: BackendKind): ViewProblem {
  if (err instanceof QueryRejectedError) return { server, backend, kind: err.kind, message: err.message, url: err.url, serverText: err.serverMessage };
  if (isBackendError(err)) return { server, backend, kind: err.kind, message: err.message, url: err.url };
  return { server, backend, kind: 'server', message: err instanceof Error ? err.message : String(err) };
}

export function problemItem(p: ViewProblem): vscode.TreeItem {
  const item = new vscode.TreeItem(errorHeadline(p.kind, p.server), vscode.TreeItemCollapsibleState.None);
  item.description = p.serverText ?? p.url;
  item.iconPath =
    p.kind === 'unreachable' || p.kind === 'timeout'
      ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('testing.iconFailed'))
      : p.kind === 'auth'
        ? new vscode.ThemeIcon('lock', new vscode.ThemeColor('list.warningForeground'))
        : new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  // Server text is untrusted: a code block shows it as text.
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.appendText(errorHeadline(p.kind, p.server)).appendMarkdown('\n\n').appendCodeblock(p.message, 'text');
  item.tooltip = md;
  item.contextValue = p.backend ? `spanlens.problem.${p.kind}` : 'spanlens.problem.other';
  item.command = { command: 'spanlens.showProblem', title: vscode.l10n.t('Show Details'), arguments: [{ kind: 'problem', problem: p } satisfies ProblemNode] };
  item.accessibilityInformation = { label: `${errorHeadline(p.kind, p.server)} ${p.message}` };
  return item;
}

/** `spanlens.showProblem`: the full message with what to do next. */
export async function showProblem(p: ViewProblem): Promise<void> {
  if (p.backend) return showBackendError({ backend: p.backend, kind: p.kind, message: p.message });
  await vscode.window.showErrorMessage(`${errorHeadline(p.kind, p.server)} ${p.message}`);
}
