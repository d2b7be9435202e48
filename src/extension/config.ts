import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import { captureQueryUrl, LOCAL_ENVIRONMENT, environmentNames, type EnvironmentSettings } from '../core/backends/environments';
import { overridingScope, valueIn, writeScope, type SettingScope } from './backends/settingScope';

/**
 * Typed reads of Spanlens' settings, classified like rust-analyzer's config: connection settings
 * need the clients rebuilt (and health re-checked), poll settings only retime the poller.
 * URL, header, tenant and TLS settings are listed in package.json's
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`, so in an untrusted workspace VS
 * Code hands back only user and machine values here: a cloned repo cannot redirect requests (or
 * the credentials that go with them) to its own server.
 */

export const SECTION = 'spanlens';

/** Settings whose change means new clients. */
const CONNECTION_KEYS = [
  'tempo.url',
  'loki.url',
  'prometheus.url',
  'tempo.protobuf',
  'tenant',
  'headers',
  'tls.caFile',
  'tls.insecureSkipVerify',
  'timeouts',
  'maxResponseSizeMB',
  'environments',
  'activeEnvironment',
  'capture.ports.query',
];

export interface ConnectionSettings {
  readonly local: EnvironmentSettings;
  readonly environments: unknown;
  readonly active: string;
  readonly proxy?: string;
  readonly noProxy?: string;
  /** The local capture's query endpoint, the `capture` environment's Tempo and Loki. */
  readonly captureUrl: string;
}

export function readConnectionSettings(): ConnectionSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return connectionSettingsFrom((k) => c.get<unknown>(k));
}

/**
 * The connection settings as the user's own settings (user scope, else the default) have them,
 * ignoring workspace and folder values: where a credential saved without an origin may be sent
 * without asking (backends/credentialOrigin.ts).
 */
export function readUserConnectionSettings(): ConnectionSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return connectionSettingsFrom((k) => {
    const i = c.inspect<unknown>(k);
    return i?.globalValue ?? i?.defaultValue;
  });
}

function connectionSettingsFrom(get: (key: string) => unknown): ConnectionSettings {
  const http = vscode.workspace.getConfiguration('http');
  const str = (k: string): string | undefined => {
    const v = get(k);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const num = (k: string): number | undefined => {
    const v = get(k);
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
  };
  const headers = get('headers');
  const noProxy = http.get<unknown>('noProxy');
  return {
    local: {
      tempoUrl: str('tempo.url'),
      lokiUrl: str('loki.url'),
      prometheusUrl: str('prometheus.url'),
      tenant: str('tenant'),
      headers: isStringMap(headers) ? headers : undefined,
      tls: { caFile: str('tls.caFile'), insecureSkipVerify: get('tls.insecureSkipVerify') === true },
      timeouts: { connectMs: num('timeouts.connectMs'), headersMs: num('timeouts.headersMs'), bodyMs: num('timeouts.bodyMs') },
      maxResponseSizeMB: num('maxResponseSizeMB'),
      tempoProtobuf: get('tempo.protobuf') === true,
    },
    environments: get('environments') ?? {},
    active: str('activeEnvironment') ?? LOCAL_ENVIRONMENT,
    proxy: typeof http.get('proxy') === 'string' ? (http.get<string>('proxy') ?? '').trim() || undefined : undefined,
    noProxy: Array.isArray(noProxy) ? noProxy.filter((x) => typeof x === 'string').join(',') : undefined,
    captureUrl: captureQueryUrl(capturePort(get('capture.ports.query'), 3200)),
  };
}

/** A port setting (1-65535), or the default when it is not one. */
export function capturePort(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536 ? v : fallback;
}

export function environmentList(settings: ConnectionSettings): string[] {
  return environmentNames(settings.environments);
}

/** Seconds between health checks while the Connections view is visible (at least 5). */
export function pollIntervalMs(): number {
  const v = vscode.workspace.getConfiguration(SECTION).get<number>('health.pollIntervalSeconds') ?? 30;
  return Math.max(5, Number.isFinite(v) ? v : 30) * 1000;
}

export function affectsConnection(e: vscode.ConfigurationChangeEvent): boolean {
  return CONNECTION_KEYS.some((k) => e.affectsConfiguration(`${SECTION}.${k}`)) || e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.noProxy');
}

export function affectsPolling(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.health.pollIntervalSeconds`);
}

const TARGET: Readonly<Record<SettingScope, vscode.ConfigurationTarget>> = {
  global: vscode.ConfigurationTarget.Global,
  workspace: vscode.ConfigurationTarget.Workspace,
  workspaceFolder: vscode.ConfigurationTarget.WorkspaceFolder,
};

export interface SettingWrite {
  readonly scope: SettingScope;
  /** Set when the value read back is still not the one written: who wins instead. */
  readonly overriddenBy?: SettingScope | 'other';
}

/**
 * Writes a restricted `spanlens.*` setting where it takes effect (user settings in an untrusted
 * workspace, else the most specific scope holding a value, else `otherwise`), then reads the
 * effective value back to tell whether a more specific scope still overrides it.
 */
export async function writeRestrictedSetting(key: string, value: unknown, otherwise: SettingScope): Promise<SettingWrite> {
  return updateRestrictedSetting(key, () => value, otherwise);
}

/** How updateRestrictedSetting finds and checks the part of an object setting it changes. */
export interface PartialUpdate {
  /** Is what is edited in this scope's value? That scope is written. */
  readonly holds?: (value: unknown) => boolean;
  /** Did the change take effect? VS Code merges object settings across scopes, so the effective value is not the written one. */
  readonly tookEffect?: (effective: unknown, written: unknown) => boolean;
}

/**
 * Like writeRestrictedSetting, for a change to an object setting: `update` receives the value
 * of the scope that will be written (not the effective value, which merges the scopes) and
 * returns that scope's new value.
 */
export async function updateRestrictedSetting(key: string, update: (current: unknown) => unknown, otherwise: SettingScope, part: PartialUpdate = {}): Promise<SettingWrite> {
  const trusted = vscode.workspace.isTrusted;
  const c = vscode.workspace.getConfiguration(SECTION);
  const inspected = c.inspect(key);
  const scope = writeScope(inspected, trusted, otherwise, part.holds);
  const value = update(inspected ? valueIn(inspected, scope) : undefined);
  await c.update(key, value, TARGET[scope]);
  const now = vscode.workspace.getConfiguration(SECTION);
  if ((part.tookEffect ?? isDeepStrictEqual)(now.get(key), value)) return { scope };
  return { scope, overriddenBy: overridingScope(now.inspect(key), scope, trusted) ?? 'other' };
}

/** The settings file a scope stands for, as the Settings editor names it. */
export function scopeLabel(scope: SettingScope): string {
  switch (scope) {
    case 'global':
      return vscode.l10n.t('User settings');
    case 'workspace':
      return vscode.l10n.t('Workspace settings');
    default:
      return vscode.l10n.t('Workspace Folder settings');
  }
}

/**
 * Switches the active environment. Returns false (after a warning naming the scope in the way)
 * when the switch did not take effect.
 */
export async function setActiveEnvironment(name: string): Promise<boolean> {
  const { scope, overriddenBy } = await writeRestrictedSetting('activeEnvironment', name, 'global');
  if (!overriddenBy) return true;
  const message =
    overriddenBy === 'other'
      ? vscode.l10n.t('Saved environment "{0}" in {1}, but another source (such as a policy) still sets spanlens.activeEnvironment.', name, scopeLabel(scope))
      : vscode.l10n.t('Saved environment "{0}" in {1}, but spanlens.activeEnvironment in {2} takes precedence. Change or remove it there to switch.', name, scopeLabel(scope), scopeLabel(overriddenBy));
  const open = vscode.l10n.t('Open Settings');
  void vscode.window.showWarningMessage(message, open).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.activeEnvironment`);
  });
  return false;
}

function isStringMap(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}
