import * as vscode from 'vscode';

/**
 * The file an Open … command works on: the URI it was run on (the Explorer's context menu), else
 * the one the user picks; undefined when the picker is dismissed.
 */
export async function fileToOpen(arg: unknown, dialog: { openLabel: string; title: string; filters: Record<string, string[]> }): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, ...dialog });
  return picked?.[0];
}
