import * as vscode from 'vscode';
import { renderStack } from '../../core/stack/render';
import type { StackOptionsInput, StackProfile } from '../../core/stack/options';
import { applyPlan, planWrite, StackWriteError, type WritePlan } from '../../core/stack/write';
import { countOf } from '../../core/text/plural';
import type { CommandHandler, SpanlensContext } from '../context';
import { pickStackFolder } from './folderStep';
import { rememberRendered } from './lastRendered';
import { askStackOptions } from './stackForm';
import { confirmReplace, reviewPlan } from './stackReview';
import { offerEndpoints } from './useEndpoints';

/**
 * `Spanlens: Render Local Stack…`: the form (ports in use here flagged), a folder (or a new one),
 * the review of every file it would write, a confirmation naming any file it replaces, an atomic
 * write with progress, and an offer to point Spanlens's own endpoints at the new stack.
 */

const LAST_OPTIONS_KEY = 'spanlens.stack.lastOptions';

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

export const renderStackCommand: CommandHandler = async (ctx: SpanlensContext) => {
  const state = ctx.extension.workspaceState;
  const last = state.get<Partial<Record<StackProfile, StackOptionsInput>>>(LAST_OPTIONS_KEY) ?? {};
  const input = await askStackOptions(last);
  if (!input) return;
  const target = await pickStackFolder();
  if (!target) return;
  const folder = target.uri;
  if (folder.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('The stack can only be written to a folder on disk.'));
    return;
  }
  await state.update(LAST_OPTIONS_KEY, { ...last, [input.profile]: input });
  const plan = await planWrite(folder.fsPath, renderStack(input));
  if (plan.entries.every((e) => e.status === 'unchanged')) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Everything in {0} is already as rendered; nothing to write.', folder.fsPath));
    await rememberRendered(state, folder);
    return;
  }
  if (!(await reviewPlan(ctx, folder, plan, target.isNew))) return;
  if (!(await confirmReplace(folder, plan))) return;
  const written = await write(plan);
  if (written === undefined) return;
  await rememberRendered(state, folder);
  ctx.log.info(`rendered ${input.profile} stack into ${folder.fsPath}: ${countOf(written, 'file', 'files')} written`);
  await offerEndpoints(ctx, folder, input, written);
};
