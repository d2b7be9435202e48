/**
 * A host's English webview strings for tests outside VS Code, read from the host's own table
 * (`key: vscode.l10n.t('…')` lines) so a string added there cannot be forgotten here.
 */
import { readFileSync } from 'node:fs';

export function hostStrings<T>(file: string): T {
  const src = readFileSync(file, 'utf8');
  const out: Record<string, string> = {};
  for (const m of src.matchAll(/(\w+): vscode\.l10n\.t\('((?:\\'|[^'])*)'\)/g)) out[m[1]!] = m[2]!.replace(/\\'/g, "'");
  return out as unknown as T;
}
