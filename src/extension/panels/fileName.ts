import type * as vscode from 'vscode';

/** The last path segment, for titles and messages; the whole URI when the path has none. */
export function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}
