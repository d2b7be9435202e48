import * as vscode from 'vscode';

/** The folder Render Local Stack… wrote last (per workspace), which Validate Stack Configs offers first. */
const KEY = 'spanlens.stack.lastRendered';

export function lastRendered(state: vscode.Memento): vscode.Uri | undefined {
  const raw = state.get<string>(KEY);
  return raw ? vscode.Uri.parse(raw) : undefined;
}

export function rememberRendered(state: vscode.Memento, folder: vscode.Uri): Thenable<void> {
  return state.update(KEY, folder.toString());
}
