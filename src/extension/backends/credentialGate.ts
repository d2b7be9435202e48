import * as vscode from 'vscode';
import { resolveEnvironment } from '../../core/backends/environments';
import { BACKEND_LABEL, BACKENDS, type Auth, type BackendKind } from '../../core/backends/options';
import type { ConnectionSettings } from '../config';
import type { CredentialStore } from '../secrets';
import { approve, decideCredential, originOf, type StoredCredential } from './credentialOrigin';

/**
 * Applies credentialOrigin's decisions when clients are built: a credential goes only to the
 * origin it was entered for (or one the user approved). For another origin it is not sent and
 * the user is asked once, in a modal naming both origins; an approval is stored with the
 * credential, which rebuilds the clients with it. A refusal holds for the session.
 */
export class CredentialGate {
  /** `env/backend/target` asked about this session: pending or refused. */
  private readonly asked = new Set<string>();
  /** Keys this gate wrote where nothing sent changes (an entry tied to its origin): no rebuild for them. */
  private readonly quietWrites = new Set<string>();

  constructor(
    private readonly store: CredentialStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * The credentials to send for each backend of `environment`, where `settings` point it now.
   * `userSettings` are the user's own (no workspace values): an entry saved before credentials
   * had an origin is tied, silently, only to what they name.
   */
  async authFor(environment: string, settings: ConnectionSettings, userSettings: ConnectionSettings): Promise<Partial<Record<BackendKind, Auth>>> {
    const stored = await this.store.all(environment);
    if (Object.keys(stored).length === 0) return {};
    const now = resolveEnvironment({ ...settings, active: environment });
    const mine = resolveEnvironment({ ...userSettings, active: environment });
    const auth: Partial<Record<BackendKind, Auth>> = {};
    for (const backend of BACKENDS) {
      const c = stored[backend];
      if (!c) continue;
      const url = now.name === environment ? now.options.endpoints[backend]?.url : undefined;
      const userOrigin = mine.name === environment ? originOf(mine.options.endpoints[backend]?.url) : undefined;
      const d = decideCredential(c, url, userOrigin);
      switch (d.kind) {
        case 'use':
          auth[backend] = c.auth;
          break;
        case 'bind':
          auth[backend] = c.auth;
          this.quietWrites.add(this.store.key(environment, backend));
          await this.store.put(environment, backend, { ...c, origin: d.origin });
          this.log.info(`credentials of ${environment}/${backend} are now tied to ${d.origin}`);
          break;
        case 'ask':
          this.log.warn(`credentials of ${environment}/${backend} ${d.savedFor ? `saved for ${d.savedFor}` : 'saved without a server'} were not sent to ${d.target}`);
          this.ask(environment, backend, c, d.target, d.savedFor);
          break;
        case 'withhold':
          break;
      }
    }
    return auth;
  }

  /** True (once) for a change event caused by this gate's own quiet write. */
  consumeQuietWrite(key: string): boolean {
    return this.quietWrites.delete(key);
  }

  /** Set Credentials… stores afresh: ask again about that entry if the settings still point elsewhere. */
  forget(environment: string): void {
    for (const k of [...this.asked]) if (k.startsWith(`${environment}/`)) this.asked.delete(k);
  }

  private ask(environment: string, backend: BackendKind, c: StoredCredential, target: string, savedFor: string | undefined): void {
    const key = `${environment}/${backend}/${target}`;
    if (this.asked.has(key)) return;
    this.asked.add(key);
    const label = BACKEND_LABEL[backend];
    const send = vscode.l10n.t('Send to {0}', target);
    const detail = savedFor
      ? vscode.l10n.t(
          'They were saved for {0}. A setting (for example this workspace\'s .vscode/settings.json) now points {1} of "{2}" at {3}, so Spanlens has not sent them. Send them only if you trust {3}; Spanlens will remember it.',
          savedFor,
          label,
          environment,
          target,
        )
      : vscode.l10n.t(
          'They were saved before Spanlens tied credentials to a server, and your own settings do not name {0}, which the settings now in effect point {1} of "{2}" at. Spanlens has not sent them. Send them only if you trust {0}; Spanlens will remember it.',
          target,
          label,
          environment,
        );
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Send the {0} credentials of environment "{1}" to {2}?', label, environment, target), { modal: true, detail }, send)
      .then(async (choice) => {
        if (choice !== send) {
          this.log.warn(`sending the ${environment}/${backend} credentials to ${target} was refused; they stay unsent this session`);
          return;
        }
        const current = (await this.store.get(environment, backend)) ?? c;
        // Storing fires SecretStorage.onDidChange, which rebuilds the clients with the credential.
        await this.store.put(environment, backend, approve(current, target, savedFor));
        this.log.info(`credentials of ${environment}/${backend} approved for ${target}`);
      });
  }
}
