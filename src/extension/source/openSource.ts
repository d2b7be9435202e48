import { realpath, stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { CodeLocation } from '../../core/protocol/trace';
import { checkInside, resolveSourcePath, type PathMapping, type Refusal, type SourceFs } from '../../core/source/resolve';
import { expandPathMappings } from '../../core/source/mappings';
import type { SpanlensContext } from '../context';

/** Local workspace folders: only these are ever opened from a span or a log line. */
function roots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** `spanlens.source.pathMappings`, with `${workspaceFolder}` (and `${workspaceFolder:name}`) expanded per folder. */
export function pathMappings(): PathMapping[] {
  const raw = vscode.workspace.getConfiguration('spanlens.source').get<unknown>('pathMappings');
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, path: f.uri.fsPath }));
  return expandPathMappings(raw, folders);
}

const workspaceFs: SourceFs = {
  isFile: async (p) => (await stat(p)).isFile(),
  realpath: (p) => realpath(p),
  async findByName(name) {
    const pattern = `**/${name.replace(/[{}[\]*?!]/g, '?')}`;
    const uris = await vscode.workspace.findFiles(pattern, undefined, 200);
    return uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
  },
};

function refusalText(r: Refusal, path: string): string {
  switch (r) {
    case 'parent':
      return vscode.l10n.t('Spanlens did not open "{0}": the path climbs out with "..".', path);
    case 'scheme':
      return vscode.l10n.t('Spanlens did not open "{0}": only files of the open workspace are opened, not other URIs.', path);
    case 'unc':
      return vscode.l10n.t('Spanlens did not open "{0}": network and device paths are not opened.', path);
    case 'symlink':
      return vscode.l10n.t('Spanlens did not open "{0}": it leads outside the workspace through a symbolic link.', path);
    case 'outside':
      return vscode.l10n.t('Spanlens did not open "{0}": it is outside the open workspace, and no file in the workspace matches it. Add a path mapping to map it into your checkout.', path);
    case 'empty':
      return vscode.l10n.t('Spanlens did not open "{0}": it is not a usable path.', path);
  }
}

let highlightType: vscode.TextEditorDecorationType | undefined;

/** Made on first use, not at activation. */
function highlight(): vscode.TextEditorDecorationType {
  highlightType ??= vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    isWholeLine: true,
  });
  return highlightType;
}

/** Opens `uri` at a 1-based line and highlights that line briefly. */
export async function openAt(uri: vscode.Uri, line?: number, column?: number): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const l = Math.min(Math.max((line ?? 1) - 1, 0), Math.max(doc.lineCount - 1, 0));
  const c = Math.max((column ?? 1) - 1, 0);
  const pos = new vscode.Position(l, Math.min(c, doc.lineAt(l).text.length));
  const editor = await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  editor.setDecorations(highlight(), [new vscode.Range(l, 0, l, 0)]);
  setTimeout(() => editor.setDecorations(highlight(), []), 1500);
  return editor;
}

/** Candidates from a workspace symbol search on the function name (a last resort). */
async function bySymbol(fn: string): Promise<Array<{ uri: vscode.Uri; line: number }>> {
  // Only the last part of a qualified name is what symbol providers index.
  const name = fn.split(/::|\.|\//).filter(Boolean).pop() ?? fn;
  const symbols = await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', name).then(
    (r) => r ?? [],
    () => [] as vscode.SymbolInformation[],
  );
  const inside = roots();
  const out: Array<{ uri: vscode.Uri; line: number }> = [];
  for (const s of symbols) {
    if (s.name !== name || s.location.uri.scheme !== 'file') continue;
    // A symbol provider may index files reached through links: the same gate as every path.
    if ((await checkInside(s.location.uri.fsPath, inside, workspaceFs)) !== 'inside') continue;
    out.push({ uri: s.location.uri, line: s.location.range.start.line + 1 });
    if (out.length === 20) break;
  }
  return out;
}

function bestLocation(locations: readonly CodeLocation[]): CodeLocation | undefined {
  return locations.find((l) => l.path) ?? locations[0];
}

/**
 * Opens the code one of a span's (or log line's) locations names — `index` picks it, else the
 * best one — after resolving it inside the workspace. With several matching files the user picks;
 * with none, or a refused path, a message says why and offers what can help. Resolves to whether
 * an editor opened.
 */
export async function openCodeLocation(ctx: SpanlensContext, locations: readonly CodeLocation[], index?: number): Promise<boolean> {
  const loc = index === undefined ? bestLocation(locations) : locations[index];
  if (!loc) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This span names no source code (no code.* attributes or stack trace).'));
    return false;
  }
  const folders = roots();
  if (!folders.length) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open the folder of the code to jump to source: Spanlens opens only files of the open workspace.'));
    return false;
  }
  let targets: Array<{ uri: vscode.Uri; line?: number }> = [];
  let outside = false;
  if (loc.path) {
    const r = await resolveSourcePath({ path: loc.path, roots: folders, mappings: pathMappings(), fs: workspaceFs });
    if (r.ok) targets = r.files.map((f) => ({ uri: vscode.Uri.file(f.path), line: loc.line }));
    else if (r.refused === 'outside') outside = true;
    else if (r.refused) {
      ctx.log.warn(`refused to open a source path: ${JSON.stringify(loc.path).slice(0, 300)} (${r.refused})`);
      void vscode.window.showWarningMessage(refusalText(r.refused, loc.path.slice(0, 300)));
      return false;
    }
  }
  if (!targets.length && loc.function) targets = await bySymbol(loc.function);
  if (!targets.length) {
    if (!outside) {
      // A relative path, or one inside the workspace, that names no file: a mapping would not help.
      const text = loc.path
        ? vscode.l10n.t('No file in the open workspace matches "{0}".', loc.path.slice(0, 300))
        : vscode.l10n.t('No symbol named "{0}" was found in the workspace.', (loc.function ?? '').slice(0, 200));
      void vscode.window.showWarningMessage(text);
      return false;
    }
    const add = vscode.l10n.t('Add Path Mapping…');
    void vscode.window.showWarningMessage(refusalText('outside', loc.path!.slice(0, 300)), add).then((choice) => {
      if (choice === add) void vscode.commands.executeCommand('workbench.action.openSettings', 'spanlens.source.pathMappings');
    });
    return false;
  }
  let target = targets[0]!;
  if (targets.length > 1) {
    const pick = await vscode.window.showQuickPick(
      targets.map((t) => ({ label: vscode.workspace.asRelativePath(t.uri), description: t.line ? `:${t.line}` : undefined, t })),
      { title: vscode.l10n.t('Which file is {0}?', loc.path || loc.function || ''), placeHolder: vscode.l10n.t('Several workspace files match') },
    );
    if (!pick) return false;
    target = pick.t;
  }
  await openAt(target.uri, target.line, loc.column);
  return true;
}
