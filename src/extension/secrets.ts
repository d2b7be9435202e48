import * as vscode from 'vscode';
import { BACKEND_LABEL, BACKENDS, type Auth, type BackendKind } from '../core/backends/options';
import { parseCredential, serializeCredential, type StoredCredential } from './backends/credentialOrigin';

/**
 * Backend credentials, only in SecretStorage (the OS keychain), one entry per environment and
 * backend, each tied to the origin it was entered for (backends/credentialOrigin.ts), so a token
 * for prod is never sent to local, nor to wherever a setting points prod later. Nothing here is
 * logged.
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

  /** The SecretStorage key of an entry, e.g. to recognise its change event. */
  key(environment: string, backend: BackendKind): string {
    return secretKey(environment, backend);
  }

  async get(environment: string, backend: BackendKind): Promise<StoredCredential | undefined> {
    // A damaged entry is treated as absent; setting credentials again replaces it.
    return parseCredential(await this.secrets.get(secretKey(environment, backend)));
  }

  async all(environment: string): Promise<Partial<Record<BackendKind, StoredCredential>>> {
    const out: Partial<Record<BackendKind, StoredCredential>> = {};
    for (const b of BACKENDS) {
      const c = await this.get(environment, b);
      if (c) out[b] = c;
    }
    return out;
  }

  /** Stores `auth` for the origin it is entered for (none: removes the entry). */
  async set(environment: string, backend: BackendKind, auth: Auth, origin: string | undefined): Promise<void> {
    if (auth.kind === 'none') await this.secrets.delete(secretKey(environment, backend));
    else await this.put(environment, backend, { auth, origin, approved: [] });
  }

  async put(environment: string, backend: BackendKind, c: StoredCredential): Promise<void> {
    await this.secrets.store(secretKey(environment, backend), serializeCredential(c));
  }
}

/**
 * `Spanlens: Set Credentials…`: backend (or all three), then the kind, then the secret in a
 * password box. `preset` is the backend when invoked from a Connections tree item.
 */
export async function askAndStoreCredentials(
  store: CredentialStore,
  environment: string,
  origins: Partial<Record<BackendKind, string>>,
  preset?: BackendKind,
): Promise<boolean> {
  let targets: BackendKind[];
  if (preset) targets = [preset];
  else {
    const all = vscode.l10n.t('All three backends');
    const pick = await vscode.window.showQuickPick(
      [...BACKENDS.map((b) => ({ label: BACKEND_LABEL[b], description: origins[b], backend: b as BackendKind | undefined })), { label: all, backend: undefined }],
      { title: vscode.l10n.t('Set credentials for environment "{0}"', environment), placeHolder: vscode.l10n.t('Which backend?') },
    );
    if (!pick) return false;
    targets = pick.backend ? [pick.backend] : [...BACKENDS];
  }
  // The server each credential will be tied to is named, so the user sees where it goes.
  const names = targets.map((b) => (origins[b] ? `${BACKEND_LABEL[b]} (${origins[b]})` : BACKEND_LABEL[b])).join(', ');
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
  for (const b of targets) await store.set(environment, b, auth, origins[b]);
  void vscode.window.showInformationMessage(
    auth.kind === 'none' ? vscode.l10n.t('Removed the credentials for {0} ({1}).', names, environment) : vscode.l10n.t('Saved the credentials for {0} ({1}) in the system keychain.', names, environment),
  );
  return true;
}

function required(v: string): string | undefined {
  return v.trim() ? undefined : vscode.l10n.t('Required');
}
