import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';

/**
 * Where Render Local Stack… writes: a workspace folder, a new folder (created when the files are
 * written, so a cancelled render leaves nothing behind), or any folder from the file dialog.
 */

export interface StackFolder {
  readonly uri: vscode.Uri;
  /** Does not exist yet: the write creates it. */
  readonly isNew: boolean;
}

interface FolderItem extends vscode.QuickPickItem {
  readonly action: 'folder' | 'new' | 'browse';
  readonly uri?: vscode.Uri;
}

function kindOf(path: string): 'missing' | 'folder' | 'other' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}

/** An input box for the new folder's path, relative to `base` or absolute. */
async function askNewFolder(base: string): Promise<StackFolder | undefined> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Render Local Stack: new folder'),
    prompt: vscode.l10n.t('Path of the new folder, relative to {0} or absolute', base),
    value: 'observability',
    valueSelection: [0, 'observability'.length],
    ignoreFocusOut: true,
    validateInput: (text) => {
      const t = text.trim();
      if (!t) return vscode.l10n.t('Enter a folder name.');
      const abs = resolve(base, t);
      const kind = kindOf(abs);
      if (kind === 'other') return vscode.l10n.t('{0} exists and is not a folder.', abs);
      if (kind === 'folder') return { message: vscode.l10n.t('{0} already exists: its files are compared with the rendering before anything is written.', abs), severity: vscode.InputBoxValidationSeverity.Info };
      // The nearest existing parent must be a folder, or the write could not create it.
      let parent = dirname(abs);
      while (kindOf(parent) === 'missing' && dirname(parent) !== parent) parent = dirname(parent);
      if (kindOf(parent) !== 'folder') return vscode.l10n.t('{0} is not a folder.', parent);
      return undefined;
    },
  });
  if (value === undefined) return undefined;
  const abs = resolve(base, value.trim());
  return { uri: vscode.Uri.file(abs), isNew: kindOf(abs) === 'missing' };
}

async function browse(defaultUri: vscode.Uri | undefined): Promise<StackFolder | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Render Local Stack: folder to write into'),
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Render Here'),
    ...(defaultUri ? { defaultUri } : {}),
  });
  return picked?.[0] ? { uri: picked[0], isNew: false } : undefined;
}

/** The folder step. Undefined when the user cancels. */
export async function pickStackFolder(): Promise<StackFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const base = folders[0]?.uri.fsPath ?? homedir();
  const items: FolderItem[] = [
    ...folders.map((f): FolderItem => ({ action: 'folder', uri: f.uri, label: `$(root-folder) ${f.name}`, description: f.uri.fsPath })),
    { action: 'new', label: vscode.l10n.t('$(new-folder) New folder…'), description: isAbsolute(base) ? join(base, '…') : undefined },
    { action: 'browse', label: vscode.l10n.t('$(folder-opened) Choose a folder…') },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Render Local Stack: folder to write into'),
    placeHolder: vscode.l10n.t('Where the stack files go; nothing is written before you have reviewed them'),
    ignoreFocusOut: true,
  });
  if (!pick) return undefined;
  if (pick.action === 'folder') return { uri: pick.uri!, isNew: false };
  if (pick.action === 'new') return askNewFolder(base);
  return browse(folders[0]?.uri);
}
