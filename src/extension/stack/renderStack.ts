import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { renderStack } from '../../core/stack/render';
import type { StackOptionsInput, StackProfile } from '../../core/stack/options';
import { applyPlan, planWrite, StackWriteError, type PlanEntry, type WritePlan } from '../../core/stack/write';
import { countOf } from '../../core/text/plural';
import type { CommandHandler, SpanlensContext } from '../context';
import { proposedDocs } from './proposedDocs';
import { askStackOptions } from './stackForm';
import { offerEndpoints } from './useEndpoints';

/**
 * `Spanlens: Render Local Stack…`: the form, a folder, a review of what would be written (a
 * diff per file against what is there), a modal confirmation, an atomic write with progress,
 * and an offer to point Spanlens's own endpoints at the new stack.
 */

const LAST_OPTIONS_KEY = 'spanlens.stack.lastOptions';

interface ReviewItem extends vscode.QuickPickItem {
  readonly action?: 'write' | 'cancel';
  readonly entry?: PlanEntry;
}

function statusText(e: PlanEntry): string {
  return e.status === 'new' ? vscode.l10n.t('new') : e.status === 'changed' ? vscode.l10n.t('changed') : vscode.l10n.t('unchanged');
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Render Local Stack: folder to write into'),
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Render Here'),
    ...(ws ? { defaultUri: ws } : {}),
  });
  return picked?.[0];
}

async function showDiff(ctx: SpanlensContext, folder: vscode.Uri, e: PlanEntry, batch: string): Promise<void> {
  const docs = proposedDocs(ctx);
  const right = docs.put('proposed', e.path, e.after, batch);
  const left = e.status === 'new' ? docs.put('empty', e.path, '', batch) : vscode.Uri.joinPath(folder, e.path);
  const title =
    e.status === 'new' ? vscode.l10n.t('{0} (new file)', e.path) : vscode.l10n.t('{0} (on disk ↔ rendered)', e.path);
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true, preserveFocus: true });
}

/** A list of every file by status; picking a file opens its diff, "Write" goes on. */
async function review(ctx: SpanlensContext, folder: vscode.Uri, plan: WritePlan): Promise<boolean> {
  const batch = randomBytes(6).toString('hex');
  const by = (s: PlanEntry['status']) => plan.entries.filter((e) => e.status === s);
  const [fresh, changed, same] = [by('new'), by('changed'), by('unchanged')];
  const section = (label: string, list: PlanEntry[]): ReviewItem[] =>
    list.length
      ? [
          { label, kind: vscode.QuickPickItemKind.Separator },
          ...list.map((e) => ({ entry: e, label: e.path, description: statusText(e), iconPath: new vscode.ThemeIcon(e.status === 'changed' ? 'diff-modified' : e.status === 'new' ? 'diff-added' : 'check') })),
        ]
      : [];
  const writable = fresh.length + changed.length;
  const qp = vscode.window.createQuickPick<ReviewItem>();
  qp.title = vscode.l10n.t('Render Local Stack: {0} new, {1} changed, {2} unchanged', String(fresh.length), String(changed.length), String(same.length));
  qp.placeholder = vscode.l10n.t('Pick a file to see its diff; nothing is written until you confirm');
  qp.ignoreFocusOut = true;
  qp.items = [
    ...(writable ? [{ action: 'write' as const, label: vscode.l10n.t('$(save) Write {0} files…', String(writable)), alwaysShow: true }] : []),
    { action: 'cancel', label: writable ? vscode.l10n.t('$(close) Cancel') : vscode.l10n.t('$(check) Everything is up to date'), alwaysShow: true },
    ...section(vscode.l10n.t('Changed'), changed),
    ...section(vscode.l10n.t('New'), fresh),
    ...section(vscode.l10n.t('Unchanged'), same),
  ];
  try {
    return await new Promise<boolean>((resolve) => {
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0];
        if (item?.entry) {
          void showDiff(ctx, folder, item.entry, batch);
          return;
        }
        resolve(item?.action === 'write');
        qp.hide();
      });
      qp.onDidHide(() => resolve(false));
      qp.show();
    });
  } finally {
    qp.dispose();
    proposedDocs(ctx).drop(batch);
  }
}

async function confirm(folder: vscode.Uri, plan: WritePlan): Promise<boolean> {
  const changed = plan.entries.filter((e) => e.status === 'changed');
  const fresh = plan.entries.filter((e) => e.status === 'new');
  const detail = changed.length
    ? `${vscode.l10n.t('These files differ and will be replaced:')}\n${changed.map((e) => e.path).join('\n')}`
    : vscode.l10n.t('No existing file is replaced.');
  const write = vscode.l10n.t('Write');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Write {0} new and {1} changed files to {2}?', String(fresh.length), String(changed.length), folder.fsPath),
    { modal: true, detail },
    write,
  );
  return answer === write;
}

async function write(plan: WritePlan): Promise<number | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Writing the stack'), cancellable: false },
    async (progress) => {
      try {
        // The user saw and confirmed every changed file, so overwriting them is not silent.
        const res = await applyPlan(plan, {
          force: true,
          onFile: (path, _i, total) => progress.report({ message: path, increment: 100 / Math.max(total, 1) }),
        });
        return res.written.length;
      } catch (err) {
        if (err instanceof StackWriteError) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Nothing was written: {0}', err.message));
          return undefined;
        }
        throw err;
      }
    },
  );
}

export const renderStackCommand: CommandHandler = async (ctx) => {
  const state = ctx.extension.workspaceState;
  const last = state.get<Partial<Record<StackProfile, StackOptionsInput>>>(LAST_OPTIONS_KEY) ?? {};
  const input = await askStackOptions(last);
  if (!input) return;
  const folder = await pickFolder();
  if (!folder) return;
  if (folder.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('The stack can only be written to a folder on disk.'));
    return;
  }
  await state.update(LAST_OPTIONS_KEY, { ...last, [input.profile]: input });
  const plan = await planWrite(folder.fsPath, renderStack(input));
  if (!(await review(ctx, folder, plan))) return;
  if (!(await confirm(folder, plan))) return;
  const written = await write(plan);
  if (written === undefined) return;
  ctx.log.info(`rendered ${input.profile} stack into ${folder.fsPath}: ${countOf(written, 'file', 'files')} written`);
  await offerEndpoints(ctx, folder, input, written);
};
