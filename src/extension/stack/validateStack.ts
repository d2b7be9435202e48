import * as vscode from 'vscode';
import { readStackDir } from '../../core/stack/folder';
import { validateFiles, type StackProblem } from '../../core/stack/validate';
import { validateWithTools } from '../../core/stack/validateTools';
import type { CommandHandler, SpanlensContext } from '../context';

/**
 * `Spanlens: Validate Stack Configs`: the pure checks and promtool / amtool on a folder, with
 * progress and cancellation, reported in the Problems panel (file and line where known).
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

async function pickFolder(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const folders = vscode.workspace.workspaceFolders ?? [];
  const browse = vscode.l10n.t('$(folder-opened) Choose another folder…');
  const items = [...folders.map((f) => ({ label: f.name, description: f.uri.fsPath, uri: f.uri as vscode.Uri | undefined })), { label: browse, description: '', uri: undefined }];
  const pick = folders.length
    ? await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Validate Stack Configs: folder'), ignoreFocusOut: true })
    : items[items.length - 1];
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

export const validateStackCommand: CommandHandler = async (ctx, arg) => {
  const folder = await pickFolder(arg);
  if (!folder) return;
  if (folder.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Stack configs can only be checked in a folder on disk.'));
    return;
  }
  const problems = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Validating stack configs'), cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: vscode.l10n.t('reading files') });
        const files = await readStackDir(folder.fsPath);
        if (!files.length) return null;
        const found = validateFiles(files);
        const tools = await validateWithTools(folder.fsPath, files, {
          signal: abort.signal,
          onProgress: (step) => progress.report({ message: step }),
        });
        return [...found, ...tools];
      } catch (err) {
        if (token.isCancellationRequested) return undefined;
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
  ctx.log.info(`validated ${folder.fsPath}: ${problems.length} problem(s)`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (!problems.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No problems found in {0}.', folder.fsPath));
    return;
  }
  const show = vscode.l10n.t('Show Problems');
  const answer = await (errors ? vscode.window.showErrorMessage : vscode.window.showWarningMessage)(
    vscode.l10n.t('{0} errors and {1} warnings in {2}.', String(errors), String(problems.length - errors), folder.fsPath),
    show,
  );
  if (answer === show) await vscode.commands.executeCommand('workbench.actions.view.problems');
};
