import * as vscode from 'vscode';
import { BACKEND_LABEL, BACKENDS, type Auth, type BackendKind } from '../core/backends/options';

/**
 * Backend credentials, only in SecretStorage (the OS keychain), one entry per environment and
 * backend, so a token for prod is never sent to local. Nothing here is logged.
 */

const PREFIX = 'spanlens.credentials/';

function secretKey(environment: string, backend: BackendKind): string {
  return `${PREFIX}${environment}/${backend}`;
}

export function isCredentialKey(key: string): boolean {
  return key.startsWith(PREFIX);
}

export class CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(environment: string, backend: BackendKind): Promise<Auth | undefined> {
    const raw = await this.secrets.get(secretKey(environment, backend));
    if (!raw) return undefined;
    try {
      const v = JSON.parse(raw) as Partial<Auth> & { username?: unknown; password?: unknown; token?: unknown };
      if (v.kind === 'basic' && typeof v.username === 'string' && typeof v.password === 'string') return { kind: 'basic', username: v.username, password: v.password };
      if (v.kind === 'bearer' && typeof v.token === 'string') return { kind: 'bearer', token: v.token };
    } catch {
      // A damaged entry is treated as absent; setting credentials again replaces it.
    }
    return undefined;
  }

  async all(environment: string): Promise<Partial<Record<BackendKind, Auth>>> {
    const out: Partial<Record<BackendKind, Auth>> = {};
    for (const b of BACKENDS) {
      const a = await this.get(environment, b);
      if (a) out[b] = a;
    }
    return out;
  }

  async set(environment: string, backend: BackendKind, auth: Auth): Promise<void> {
    if (auth.kind === 'none') await this.secrets.delete(secretKey(environment, backend));
    else await this.secrets.store(secretKey(environment, backend), JSON.stringify(auth));
  }
}

/**
 * `Spanlens: Set Credentials…`: backend (or all three), then the kind, then the secret in a
 * password box. `preset` is the backend when invoked from a Connections tree item.
 */
export async function askAndStoreCredentials(store: CredentialStore, environment: string, preset?: BackendKind): Promise<boolean> {
  let targets: BackendKind[];
  if (preset) targets = [preset];
  else {
    const all = vscode.l10n.t('All three backends');
    const pick = await vscode.window.showQuickPick(
      [...BACKENDS.map((b) => ({ label: BACKEND_LABEL[b], backend: b as BackendKind | undefined })), { label: all, backend: undefined }],
      { title: vscode.l10n.t('Set credentials for environment "{0}"', environment), placeHolder: vscode.l10n.t('Which backend?') },
    );
    if (!pick) return false;
    targets = pick.backend ? [pick.backend] : [...BACKENDS];
  }
  const names = targets.map((b) => BACKEND_LABEL[b]).join(', ');
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Bearer token'), mode: 'bearer' as const },
      { label: vscode.l10n.t('User name and password (basic auth)'), mode: 'basic' as const },
      { label: vscode.l10n.t('No credentials (remove stored ones)'), mode: 'none' as const },
    ],
    { title: vscode.l10n.t('Credentials for {0} ({1})', names, environment) },
  );
  if (!picked) return false;
  let auth: Auth;
  if (picked.mode === 'none') auth = { kind: 'none' };
  else if (picked.mode === 'bearer') {
    const token = await vscode.window.showInputBox({ title: vscode.l10n.t('Bearer token for {0}', names), password: true, ignoreFocusOut: true, validateInput: required });
    if (token === undefined) return false;
    auth = { kind: 'bearer', token: token.trim() };
  } else {
    const username = await vscode.window.showInputBox({ title: vscode.l10n.t('User name for {0}', names), ignoreFocusOut: true, validateInput: required });
    if (username === undefined) return false;
    const password = await vscode.window.showInputBox({ title: vscode.l10n.t('Password for {0}', names), password: true, ignoreFocusOut: true });
    if (password === undefined) return false;
    auth = { kind: 'basic', username: username.trim(), password };
  }
  for (const b of targets) await store.set(environment, b, auth);
  void vscode.window.showInformationMessage(
    auth.kind === 'none' ? vscode.l10n.t('Removed the credentials for {0} ({1}).', names, environment) : vscode.l10n.t('Saved the credentials for {0} ({1}) in the system keychain.', names, environment),
  );
  return true;
}

function required(v: string): string | undefined {
  return v.trim() ? undefined : vscode.l10n.t('Required');
}
