import * as vscode from 'vscode';
import type { Backends } from '../../core/backends';
import { resolveEnvironment, type ResolvedEnvironment } from '../../core/backends/environments';
import { BACKENDS, type BackendKind, type ConnectionOptions, type RequestLogEntry } from '../../core/backends/options';
import type { BackendHealth } from '../../core/backends/types';
import { affectsConnection, environmentList, pollIntervalMs, readConnectionSettings, readUserConnectionSettings, type ConnectionSettings } from '../config';
import type { SpanlensContext } from '../context';
import { Disposable } from '../dispose';
import { CredentialStore, isCredentialKey } from '../secrets';
import { CredentialGate } from './credentialGate';
import { originOf } from './credentialOrigin';
import { healthDeadlineMs, healthProbes, runHealthProbes } from './healthCheck';
import { secretHeaders } from './secretHeaders';
import { RetryingLazy, SingleFlight } from './promises';

/** What the tree and status bar show per backend: a probe result, or that none is known yet. */
export type HealthView = BackendHealth | { readonly backend: BackendKind; readonly url: string; readonly state: 'checking' | 'unknown' };

export type OverallState = 'ok' | 'degraded' | 'down' | 'checking' | 'unknown';

/**
 * The active environment's clients and their last known health. Two lifetimes, as in
 * rust-analyzer's ctx.ts: this object lives as long as the extension; the clients (one
 * connection pool per backend) live until settings or credentials change, then are closed and
 * rebuilt. A health check started for old clients is cancelled and its result dropped.
 */
export class Connections extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when health, the environment or the endpoints change. */
  readonly onDidChange = this.changed.event;
  private readonly resetEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires when the clients were rebuilt (new settings or credentials): health is unknown again. */
  readonly onDidReset = this.resetEmitter.event;
  readonly store: CredentialStore;
  private readonly gate: CredentialGate;
  private settings: ConnectionSettings;
  private resolved: ResolvedEnvironment;
  private readonly backends = new RetryingLazy<Backends>(async () => {
    const auth = await this.gate.authFor(this.resolved.name, this.settings, readUserConnectionSettings());
    return this.build(resolveEnvironment({ ...this.settings, auth }).options);
  });
  private readonly health = new Map<BackendKind, HealthView>();
  private inflight?: AbortController;
  private readonly checking = new SingleFlight<readonly BackendHealth[] | undefined>();
  private generation = 0;
  private readonly warned = new Set<string>();
  private secretHeadersWarned = false;
  lastCheckedAt?: number;

  constructor(private readonly ctx: SpanlensContext) {
    super();
    this.store = new CredentialStore(ctx.extension.secrets);
    this.gate = new CredentialGate(this.store, ctx.log);
    this.settings = readConnectionSettings();
    this.resolved = this.resolve();
    this.resetHealth();
    this.checkSecretHeaders();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsConnection(e)) this.reset();
      }),
    );
    this._register(
      ctx.extension.secrets.onDidChange((e) => {
        if (isCredentialKey(e.key) && !this.gate.consumeQuietWrite(e.key)) this.reset();
      }),
    );
    this._register({
      dispose: () => {
        this.inflight?.abort();
        this.closeClients();
      },
    });
  }

  get environment(): string {
    return this.resolved.name;
  }

  /** The origin of each configured backend of the active environment: what new credentials are tied to. */
  origins(): Partial<Record<BackendKind, string>> {
    const out: Partial<Record<BackendKind, string>> = {};
    for (const b of BACKENDS) {
      const o = originOf(this.resolved.options.endpoints[b]?.url);
      if (o) out[b] = o;
    }
    return out;
  }

  /** Credentials are about to be set for `environment`: earlier refusals to send them no longer hold. */
  credentialsChanging(environment: string): void {
    this.gate.forget(environment);
  }

  get environments(): string[] {
    return environmentList(this.settings);
  }

  /** Configured backends in a fixed order (Tempo, Loki, Prometheus). */
  entries(): HealthView[] {
    return BACKENDS.filter((b) => this.health.has(b)).map((b) => this.health.get(b)!);
  }

  overall(): OverallState {
    const states = this.entries().map((h) => h.state);
    if (states.length === 0) return 'unknown';
    if (states.includes('checking')) return 'checking';
    if (states.every((s) => s === 'ok')) return 'ok';
    if (states.includes('unknown')) return 'unknown';
    return states.some((s) => s === 'ok') ? 'degraded' : 'down';
  }

  /**
   * The current clients, built on first use with the environment's stored credentials. A failed
   * build is not kept: the next call (e.g. the next refresh) tries again. Views that query hold
   * them only for one request: `onDidReset` says they were replaced.
   */
  clients(): Promise<Backends> {
    return this.backends.get();
  }

  /** Whether the active environment has an endpoint for `kind`. */
  isConfigured(kind: BackendKind): boolean {
    return this.resolved.options.endpoints[kind] !== undefined;
  }

  /** The environment's TLS, timeouts and proxy, for requests to servers other than the backends. */
  transport(): Pick<ResolvedEnvironment['options'], 'tls' | 'timeouts' | 'proxy' | 'noProxy'> {
    const { tls, timeouts, proxy, noProxy } = this.resolved.options;
    return { tls, timeouts, proxy, noProxy };
  }

  /** The request log line every HTTP client of the extension writes. */
  readonly requestLogger = (e: RequestLogEntry): void => this.logRequest(e);

  /** Clients for `options`, logging each request. The HTTP stack (undici, protobuf) loads with the first, not with the extension. */
  private async build(options: ConnectionOptions): Promise<Backends> {
    const { createBackends } = await import('../../core/backends');
    return createBackends(options, { onRequest: (e) => this.logRequest(e), onWarning: (w) => this.warnOnce(w) });
  }

  /**
   * The connection options of `environment` with the credentials that may be sent to its
   * origins, for clients that run elsewhere (a worker thread's lookup).
   */
  async optionsFor(environment: string): Promise<ConnectionOptions> {
    const auth = await this.gate.authFor(environment, this.settings, readUserConnectionSettings());
    return resolveEnvironment({ ...this.settings, active: environment, auth }).options;
  }

  /**
   * Runs `fn` with the clients of `environment`: the active ones, or, for another environment
   * (a panel opened before a switch), a one-off set with that environment's credentials, closed
   * afterwards.
   */
  async withClients<T>(environment: string, fn: (b: Backends) => Promise<T>): Promise<T> {
    if (environment === this.environment) return fn(await this.clients());
    const auth = await this.gate.authFor(environment, this.settings, readUserConnectionSettings());
    const { options } = resolveEnvironment({ ...this.settings, active: environment, auth });
    const backends = await this.build(options);
    try {
      return await fn(backends);
    } finally {
      void backends.close().catch(() => undefined);
    }
  }

  /**
   * Probes every configured backend in parallel, each within a deadline shorter than the poll
   * interval. A call while a check runs joins it rather than starting another. Resolves to the
   * new health, or undefined when the check was dropped (clients rebuilt, extension closing).
   */
  refresh(): Promise<readonly BackendHealth[] | undefined> {
    return this.checking.run(() => this.check());
  }

  private async check(): Promise<readonly BackendHealth[] | undefined> {
    const ac = new AbortController();
    this.inflight = ac;
    const generation = this.generation;
    const endpoints = this.entries().map((h) => ({ backend: h.backend, url: h.url }));
    for (const h of endpoints) this.health.set(h.backend, { ...h, state: 'checking' });
    this.changed.fire();
    let results: BackendHealth[];
    try {
      const probes = healthProbes(await this.clients(), endpoints);
      results = await runHealthProbes(probes, healthDeadlineMs(pollIntervalMs()), ac.signal);
    } catch (err) {
      if (ac.signal.aborted || generation !== this.generation) return undefined;
      this.ctx.log.error(`health check failed: ${err instanceof Error ? err.message : String(err)}`);
      this.resetHealth();
      this.changed.fire();
      return undefined;
    } finally {
      if (this.inflight === ac) this.inflight = undefined;
    }
    if (ac.signal.aborted || generation !== this.generation || this.isDisposed) return undefined;
    for (const r of results) {
      this.health.set(r.backend, r);
      if (r.state !== 'ok') this.ctx.log.warn(`${r.backend} ${r.state}: ${r.error ?? ''}`);
    }
    this.lastCheckedAt = Date.now();
    this.changed.fire();
    return results;
  }

  /** Settings or credentials changed: drop the clients and what we knew about them. */
  reset(): void {
    this.generation++;
    this.inflight?.abort();
    this.checking.forget();
    this.closeClients();
    this.settings = readConnectionSettings();
    this.resolved = this.resolve();
    this.checkSecretHeaders();
    this.resetHealth();
    this.lastCheckedAt = undefined;
    this.changed.fire();
    this.resetEmitter.fire();
  }

  private resolve(): ResolvedEnvironment {
    const r = resolveEnvironment(this.settings);
    for (const p of r.problems) this.ctx.log.warn(`settings: ${p}`);
    return r;
  }

  private resetHealth(): void {
    this.health.clear();
    for (const b of BACKENDS) {
      const ep = this.resolved.options.endpoints[b];
      if (ep) this.health.set(b, { backend: b, url: ep.url, state: 'unknown' });
    }
  }

  private closeClients(): void {
    const old = this.backends.take();
    // Idle sockets close at once; a response in flight finishes first. Nothing awaits this.
    void old?.then((b) => b.close()).catch(() => undefined);
  }

  private logRequest(e: RequestLogEntry): void {
    const status = e.status === undefined ? (e.error ?? 'no response') : String(e.status);
    const retry = e.attempt > 1 ? ` (try ${e.attempt})` : '';
    this.ctx.log.debug(`${e.backend} ${e.method} ${e.url} → ${status} ${e.ms} ms ${e.bytes} B${retry}`);
  }

  /**
   * Once per session: a header that looks like a credential sits in plain, synced (and maybe
   * committed) settings. Names only — the values are never read here.
   */
  private checkSecretHeaders(): void {
    if (this.secretHeadersWarned) return;
    const found = secretHeaders(this.settings.local.headers, this.settings.environments);
    if (!found.length) return;
    this.secretHeadersWarned = true;
    const list = found.map((f) => `${f.header} (${f.setting})`).join(', ');
    this.ctx.log.warn(`credential-like headers in settings: ${list}`);
    const setCredentials = vscode.l10n.t('Set Credentials…');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t(
          'Spanlens: {0} in your settings look like credentials. Settings are plain text that may be synced or committed; secrets belong in SecretStorage (the system keychain). Use Set Credentials… for tokens and passwords.',
          list,
        ),
        setCredentials,
      )
      .then((choice) => {
        if (choice === setCredentials) void vscode.commands.executeCommand('spanlens.setCredentials');
      });
  }

  private warnOnce(message: string): void {
    this.ctx.log.warn(message);
    if (this.warned.has(message)) return;
    this.warned.add(message);
    void vscode.window.showWarningMessage(vscode.l10n.t('Spanlens: {0}', message));
  }
}
