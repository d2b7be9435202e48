import * as vscode from 'vscode';
import { LOCAL_ENVIRONMENT } from '../../core/backends/environments';
import type { BackendKind } from '../../core/backends/options';
import { resolveOptions, type StackOptionsInput } from '../../core/stack/options';
import { hostEndpoints } from '../../core/stack/topology';
import { plural } from '../../core/text/plural';
import { SECTION, setActiveEnvironment, writeRestrictedSetting } from '../config';
import type { SpanlensContext } from '../context';

/**
 * After a render: offers to point Spanlens at the stack, and when the user agrees makes sure it
 * really does. The flat `spanlens.*.url` settings are the environment `local`, so another active
 * environment is switched back to it; the URL settings are restricted in an untrusted workspace
 * (VS Code ignores their workspace value), so they go to user settings there (writeRestrictedSetting).
 */
export async function offerEndpoints(ctx: SpanlensContext, folder: vscode.Uri, input: StackOptionsInput, written: number): Promise<void> {
  const endpoints = hostEndpoints(resolveOptions(input));
  const setIt = vscode.l10n.t('Use as Spanlens endpoints');
  const readme = vscode.l10n.t('Open README');
  const list = Object.entries(endpoints).map(([k, v]) => `${k}: ${v}`).join(', ');
  const choice = await vscode.window.showInformationMessage(
    plural(written, {
      one: vscode.l10n.t('Wrote {0} file to {1}. Point Spanlens at this stack ({2})?', written, folder.fsPath, list || vscode.l10n.t('no endpoints')),
      other: vscode.l10n.t('Wrote {0} files to {1}. Point Spanlens at this stack ({2})?', written, folder.fsPath, list || vscode.l10n.t('no endpoints')),
    }),
    ...(list ? [setIt] : []),
    readme,
  );
  if (choice === readme) {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(folder, 'README.md'));
    return;
  }
  if (choice !== setIt) return;
  await useEndpoints(ctx, endpoints);
}

/**
 * Points the `local` environment at `endpoints` (backend → URL) and switches to it, saying where
 * it saved them and what still overrides them.
 */
export async function useEndpoints(ctx: SpanlensContext, endpoints: Readonly<Partial<Record<BackendKind, string>>>): Promise<void> {
  const list = Object.entries(endpoints).map(([k, v]) => `${k}: ${v}`).join(', ');
  const otherwise = vscode.workspace.workspaceFolders?.length ? 'workspace' : 'global';
  try {
    const config = vscode.workspace.getConfiguration(SECTION);
    // A more specific scope (e.g. a folder value) can still win over what is written.
    const shadowed: string[] = [];
    for (const [key, url] of Object.entries(endpoints)) {
      if ((await writeRestrictedSetting(`${key}.url`, url, otherwise)).overriddenBy) shadowed.push(`${SECTION}.${key}.url`);
    }
    const previous = config.get<string>('activeEnvironment')?.trim();
    const switched = !!previous && previous !== LOCAL_ENVIRONMENT;
    const notSwitched = switched && !(await setActiveEnvironment(LOCAL_ENVIRONMENT));
    ctx.log.info(`stack endpoints set: ${list}${switched ? ` (environment ${previous} → ${LOCAL_ENVIRONMENT}${notSwitched ? ' overridden' : ''})` : ''}`);
    if (shadowed.length) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Saved, but a more specific setting still overrides {0}.', shadowed.join(', ')));
    } else if (notSwitched) {
      // setActiveEnvironment has already warned that the switch did not take effect.
    } else if (switched) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Spanlens now uses {0} (environment switched from {1} to {2}).', list, previous, LOCAL_ENVIRONMENT));
    } else {
      void vscode.window.showInformationMessage(vscode.l10n.t('Spanlens now uses {0}.', list));
    }
  } catch (err) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not save the endpoints: {0}', err instanceof Error ? err.message : String(err)));
  }
}
