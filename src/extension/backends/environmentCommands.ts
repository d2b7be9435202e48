import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import { CAPTURE_ENVIRONMENT, environmentEditOf, environmentEndpoints, environmentNames, LOCAL_ENVIRONMENT, withEnvironment } from '../../core/backends/environments';
import { BACKEND_LABEL, BACKENDS, type BackendKind } from '../../core/backends/options';
import { readConnectionSettings, scopeLabel, setActiveEnvironment, updateRestrictedSetting, writeRestrictedSetting, type SettingWrite } from '../config';
import type { CommandHandler } from '../context';
import { askAndStoreCredentials, type CredentialStore } from '../secrets';
import { originOf } from './credentialOrigin';
import { environmentForm, type EnvironmentDraft } from './environmentForm';

/**
 * `Spanlens: Add Environment…` and `Edit Environment…`: the form, then the setting written where
 * it takes effect (spanlens.environments for a named environment, the flat spanlens.* settings
 * for `local`), then an offer to switch to it and to set its credentials.
 */

export interface EnvironmentItem extends vscode.QuickPickItem {
  readonly environment: string;
}

/** One row per environment, its endpoints underneath: what each name points at, before choosing it. */
export function environmentItems(active: string): EnvironmentItem[] {
  const settings = readConnectionSettings();
  return environmentNames(settings.environments).map((name) => {
    const endpoints = environmentEndpoints(settings, name);
    return {
      environment: name,
      label: name,
      description:
        name === active
          ? vscode.l10n.t('active')
          : name === LOCAL_ENVIRONMENT
            ? vscode.l10n.t('from the spanlens.*.url settings')
            : name === CAPTURE_ENVIRONMENT
              ? vscode.l10n.t('Spanlens local capture (OTLP received here)')
              : undefined,
      detail: endpoints.length ? endpoints.map((e) => `${BACKEND_LABEL[e.backend]} ${e.url}`).join('  ·  ') : vscode.l10n.t('no endpoints set'),
    };
  });
}

function draftOf(name: string): EnvironmentDraft {
  const settings = readConnectionSettings();
  if (name !== LOCAL_ENVIRONMENT) return { name, ...environmentEditOf(settings.environments, name) };
  // The flat settings as written (an unset URL shows empty: the default applies).
  const c = vscode.workspace.getConfiguration('spanlens');
  const own = (key: string): string => {
    const i = c.inspect<string>(key);
    const v = i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
    return typeof v === 'string' ? v : '';
  };
  return {
    name,
    tempoUrl: own('tempo.url'),
    lokiUrl: own('loki.url'),
    prometheusUrl: own('prometheus.url'),
    tenant: settings.local.tenant ?? '',
    tls: { caFile: settings.local.tls?.caFile ?? '', insecureSkipVerify: settings.local.tls?.insecureSkipVerify === true },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function saveNamed(d: EnvironmentDraft, previous: string): Promise<SettingWrite> {
  return updateRestrictedSetting('environments', (current) => withEnvironment(current, d.name, d, previous), 'global', {
    holds: (v) => isRecord(v) && previous in v,
    tookEffect: (effective, written) => isRecord(effective) && isRecord(written) && isDeepStrictEqual(effective[d.name], written[d.name]),
  });
}

async function saveLocal(d: EnvironmentDraft): Promise<SettingWrite> {
  const writes: [string, unknown][] = [
    ['tempo.url', d.tempoUrl || undefined],
    ['loki.url', d.lokiUrl || undefined],
    ['prometheus.url', d.prometheusUrl || undefined],
    ['tenant', d.tenant || undefined],
    ['tls.caFile', d.tls.caFile || undefined],
    ['tls.insecureSkipVerify', d.tls.insecureSkipVerify || undefined],
  ];
  let first: SettingWrite | undefined;
  let shadowed: SettingWrite | undefined;
  for (const [key, value] of writes) {
    const w = await writeRestrictedSetting(key, value, 'global');
    first ??= w;
    // Removing a value reads back as the default, which is what removing it means.
    if (value !== undefined && w.overriddenBy) shadowed ??= w;
  }
  return shadowed ?? { scope: first!.scope };
}

/** Credentials belong to an environment by name: a rename takes them along, origins and approvals included. */
async function moveCredentials(store: CredentialStore, from: string, to: string): Promise<void> {
  const all = await store.all(from);
  for (const b of BACKENDS) {
    const stored = all[b];
    if (!stored) continue;
    await store.put(to, b, stored);
    await store.set(from, b, { kind: 'none' }, undefined);
  }
}

/** The origins the draft's URLs name: what credentials set for it now are tied to. */
function draftOrigins(d: EnvironmentDraft): Partial<Record<BackendKind, string>> {
  const urls: Record<BackendKind, string> = { tempo: d.tempoUrl, loki: d.lokiUrl, prometheus: d.prometheusUrl };
  const out: Partial<Record<BackendKind, string>> = {};
  for (const b of BACKENDS) {
    const o = originOf(urls[b]);
    if (o) out[b] = o;
  }
  return out;
}

async function saveAndOffer(store: CredentialStore, active: string, d: EnvironmentDraft, previous: string | undefined): Promise<void> {
  const w = d.name === LOCAL_ENVIRONMENT ? await saveLocal(d) : await saveNamed(d, previous ?? d.name);
  if (previous && previous !== d.name) {
    await moveCredentials(store, previous, d.name);
    if (active === previous) await setActiveEnvironment(d.name);
  }
  if (w.overriddenBy) {
    const where = w.overriddenBy === 'other' ? vscode.l10n.t('another source (such as a policy)') : scopeLabel(w.overriddenBy);
    void vscode.window.showWarningMessage(vscode.l10n.t('Saved environment "{0}" in {1}, but {2} still overrides it.', d.name, scopeLabel(w.scope), where));
    return;
  }
  const switchTo = vscode.l10n.t('Switch to "{0}"', d.name);
  const credentials = vscode.l10n.t('Set Credentials…');
  const isActive = d.name === active || (previous !== undefined && previous === active);
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Saved environment "{0}" in {1}.', d.name, scopeLabel(w.scope)),
    ...(isActive ? [] : [switchTo]),
    credentials,
  );
  if (choice === switchTo) await setActiveEnvironment(d.name);
  else if (choice === credentials) await askAndStoreCredentials(store, d.name, draftOrigins(d));
}

/** What the handlers need from the Connections that register.ts owns. */
export interface EnvironmentHost {
  readonly store: CredentialStore;
  readonly environment: string;
  readonly environments: readonly string[];
}

export function addEnvironment(host: () => EnvironmentHost): CommandHandler {
  return async () => {
    const h = host();
    const d = await environmentForm({
      existing: h.environments,
      initial: { name: '', tempoUrl: '', lokiUrl: '', prometheusUrl: '', tenant: '', tls: { caFile: '', insecureSkipVerify: false } },
    });
    if (d) await saveAndOffer(h.store, h.environment, d, undefined);
  };
}

/** Optional argument: the environment's name (else a list to pick from, the active one first). */
export function editEnvironment(host: () => EnvironmentHost): CommandHandler {
  return async (_ctx, arg) => {
    const h = host();
    let name = typeof arg === 'string' && h.environments.includes(arg) ? arg : undefined;
    if (!name) {
      const items = environmentItems(h.environment);
      const activeFirst = [...items.filter((i) => i.environment === h.environment), ...items.filter((i) => i.environment !== h.environment)];
      const pick = await vscode.window.showQuickPick(activeFirst, { title: vscode.l10n.t('Edit Spanlens Environment'), placeHolder: vscode.l10n.t('Environment to edit'), matchOnDetail: true });
      if (!pick) return;
      name = pick.environment;
    }
    // The capture's endpoints follow its own settings (ports), not an environment entry.
    if (name === CAPTURE_ENVIRONMENT) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'spanlens.capture');
      return;
    }
    const d = await environmentForm({ editing: name, existing: h.environments, initial: draftOf(name) });
    if (d) await saveAndOffer(h.store, h.environment, d, name);
  };
}
