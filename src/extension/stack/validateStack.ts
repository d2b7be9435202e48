import { basename } from 'node:path';
import * as vscode from 'vscode';
import { readStackDir, StackFolderTooLargeError } from '../../core/stack/folder';
import { validateFiles, type StackProblem } from '../../core/stack/validate';
import { validateWithTools } from '../../core/stack/validateTools';
import { countOf, plural } from '../../core/text/plural';
import type { CommandHandler, SpanlensContext } from '../context';
import { lastRendered } from './lastRendered';

/**
 * `Spanlens: Validate Stack Configs`: the pure checks and promtool / amtool on a folder, with
 * progress and cancellation, reported in the Problems panel (file and line where known).
 * In an untrusted workspace only the pure checks run: the tools execute binaries on the
 * folder's files, which the user has not vouched for.
 */

let collection: vscode.DiagnosticCollection | undefined;

function diagnostics(ctx: SpanlensContext): vscode.DiagnosticCollection {
  if (!collection) {
    const c = vscode.languages.createDiagnosticCollection('spanlens-stack');
    collection = c;
    ctx.extension.subscriptions.push(c, {
      dispose: () => {
        if (collection === c) collection = undefined;
      },
    });
  }
  return collection;
}

const SEVERITY: Record<StackProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostics(folder: vscode.Uri, problems: readonly StackProblem[]): Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }> {
  const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
  for (const p of problems) {
    const rel = p.file;
    const uri = vscode.Uri.joinPath(folder, ...rel.split('/').filter(Boolean));
    const line = Math.max(0, (p.line ?? 1) - 1);
    const col = Math.max(0, (p.column ?? 1) - 1);
    const d = new vscode.Diagnostic(new vscode.Range(line, col, line, Number.MAX_SAFE_INTEGER), p.message, SEVERITY[p.severity]);
    d.source = `spanlens ${p.source}`;
    const entry = byFile.get(uri.toString()) ?? { uri, list: [] };
    entry.list.push(d);
    byFile.set(uri.toString(), entry);
  }
  return byFile;
}

/** The folder to check: the one just rendered first, then the workspace folders, then any other. */
async function pickFolder(ctx: SpanlensContext, arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const folders = vscode.workspace.workspaceFolders ?? [];
  const renderedUri = lastRendered(ctx.extension.workspaceState);
  const browse = vscode.l10n.t('$(folder-opened) Choose another folder…');
  const items: (vscode.QuickPickItem & { uri?: vscode.Uri })[] = [
    ...(renderedUri ? [{ label: `$(history) ${basename(renderedUri.fsPath)}`, description: renderedUri.fsPath, detail: vscode.l10n.t('Rendered last by Render Local Stack…'), uri: renderedUri }] : []),
    ...folders.filter((f) => f.uri.toString() !== renderedUri?.toString()).map((f) => ({ label: f.name, description: f.uri.fsPath, uri: f.uri })),
    { label: browse, description: '' },
  ];
  const pick = items.length > 1 ? await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Validate Stack Configs: folder'), ignoreFocusOut: true }) : items[0];
  if (!pick) return undefined;
  if (pick.uri) return pick.uri;
  const chosen = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Validate Stack Configs: folder'),
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Validate'),
  });
  return chosen?.[0];
}

/** A re-run waiting for the user to grant trust; replaced by a later untrusted run. */
let rerunOnTrust: vscode.Disposable | undefined;

/**
 * Opens the Workspace Trust editor and validates `folder` again, with the tools, once trust is
 * granted. (`workspace.requestWorkspaceTrust` is still a proposed API, not usable from a
 * published extension; the trust editor is the stable way to ask.)
 */
async function askForTrust(ctx: SpanlensContext, folder: vscode.Uri): Promise<void> {
  rerunOnTrust?.dispose();
  const sub = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    sub.dispose();
    if (rerunOnTrust === sub) rerunOnTrust = undefined;
    void vscode.commands.executeCommand('spanlens.validateStack', folder);
  });
  rerunOnTrust = sub;
  ctx.extension.subscriptions.push(sub);
  await vscode.commands.executeCommand('workbench.trust.manage');
}

export const validateStackCommand: CommandHandler = async (ctx, arg) => {
  const folder = await pickFolder(ctx, arg);
  if (!folder) return;
  if (folder.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Stack configs can only be checked in a folder on disk.'));
    return;
  }
  const trusted = vscode.workspace.isTrusted;
  const problems = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Validating stack configs'), cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: vscode.l10n.t('reading files') });
        const files = await readStackDir(folder.fsPath, { signal: abort.signal });
        if (!files.length) return null;
        const found = validateFiles(files);
        if (!trusted) return found;
        const tools = await validateWithTools(folder.fsPath, files, {
          signal: abort.signal,
          onProgress: (step) => progress.report({ message: step }),
        });
        return [...found, ...tools];
      } catch (err) {
        if (token.isCancellationRequested) return undefined;
        if (err instanceof StackFolderTooLargeError) {
          void vscode.window.showErrorMessage(
            vscode.l10n.t('The config files in {0} add up to more than {1} MB, so nothing was checked. Choose the stack folder itself.', folder.fsPath, String(Math.round(err.limitBytes / (1024 * 1024)))),
          );
          return undefined;
        }
        throw err;
      } finally {
        sub.dispose();
      }
    },
  );
  if (problems === undefined) return;
  if (problems === null) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No stack config files (YAML, JSON, Alloy) in {0}.', folder.fsPath));
    return;
  }
  const dc = diagnostics(ctx);
  // Replace this folder's earlier results; other folders' stay.
  const prefix = folder.toString().replace(/\/?$/, '/');
  dc.forEach((uri) => {
    if (uri.toString().startsWith(prefix)) dc.delete(uri);
  });
  for (const { uri, list } of toDiagnostics(folder, problems).values()) dc.set(uri, list);
  ctx.log.info(`validated ${folder.fsPath}: ${countOf(problems.length, 'problem', 'problems')}`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const trust = vscode.l10n.t('Manage Workspace Trust');
  const untrustedNote = vscode.l10n.t('promtool and amtool checks were skipped: they run only in a trusted workspace.');
  if (!problems.length) {
    if (trusted) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No problems found in {0}.', folder.fsPath));
      return;
    }
    const answer = await vscode.window.showWarningMessage(`${vscode.l10n.t('No problems found in {0}.', folder.fsPath)} ${untrustedNote}`, trust);
    if (answer === trust) await askForTrust(ctx, folder);
    return;
  }
  const show = vscode.l10n.t('Show Problems');
  const warnings = problems.length - errors;
  const errorCount = plural(errors, { one: vscode.l10n.t('{0} error', errors), other: vscode.l10n.t('{0} errors', errors) });
  const warningCount = plural(warnings, { one: vscode.l10n.t('{0} warning', warnings), other: vscode.l10n.t('{0} warnings', warnings) });
  const summary = vscode.l10n.t('{0} and {1} in {2}.', errorCount, warningCount, folder.fsPath);
  const answer = await (errors ? vscode.window.showErrorMessage : vscode.window.showWarningMessage)(
    trusted ? summary : `${summary} ${untrustedNote}`,
    ...(trusted ? [show] : [show, trust]),
  );
  if (answer === show) await vscode.commands.executeCommand('workbench.actions.view.problems');
  if (answer === trust) await askForTrust(ctx, folder);
};
