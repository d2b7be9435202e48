import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { environmentNameProblem, LOCAL_ENVIRONMENT, type EnvironmentEdit } from '../../core/backends/environments';
import { endpointUrlProblem } from '../../core/backends/httpBody';
import { BACKEND_LABEL, DEFAULT_URLS, type BackendKind } from '../../core/backends/options';
import { inputStep, pickStep, runSteps, type StepOutcome } from '../multiStep';

/**
 * The Add/Edit Environment form: name, the three URLs (each checked as typed), tenant and TLS,
 * one quick input per step with Back. Credentials are not asked here: they go to the system
 * keychain through Set Credentials…, never into settings.
 */

export interface EnvironmentDraft extends EnvironmentEdit {
  readonly name: string;
}

export interface FormOptions {
  /** The environment being edited, or undefined to add one. */
  readonly editing?: string;
  readonly initial: EnvironmentDraft;
  /** Names already defined (for the uniqueness check). */
  readonly existing: readonly string[];
}

function nameMessage(name: string, o: FormOptions): string | undefined {
  switch (environmentNameProblem(name, o.existing, o.editing)) {
    case 'empty':
      return vscode.l10n.t('Enter a name, such as staging or prod.');
    case 'spaces':
      return vscode.l10n.t('Remove the spaces at the start or end of the name.');
    case 'reserved':
      return name === 'capture'
        ? vscode.l10n.t('"capture" is the environment of Spanlens\'s local capture; choose another name.')
        : vscode.l10n.t('"local" is the environment of the spanlens.*.url settings; choose another name.');
    case 'taken':
      return vscode.l10n.t('An environment named "{0}" already exists.', name);
    default:
      return undefined;
  }
}

function urlMessage(text: string, backend: BackendKind): string | undefined {
  if (!text.trim()) return undefined;
  switch (endpointUrlProblem(text)) {
    case 'notUrl':
      return vscode.l10n.t('This is not a URL; enter one such as {0}.', DEFAULT_URLS[backend]);
    case 'scheme':
      return vscode.l10n.t('The URL must start with http:// or https://.');
    case 'credentials':
      return vscode.l10n.t('Remove the user name and password from the URL: Set Credentials… keeps them in the system keychain.');
    default:
      return undefined;
  }
}

function caFileMessage(text: string): string | undefined {
  const path = text.trim();
  if (!path) return vscode.l10n.t('Enter the path of a PEM file, or go back and choose another option.');
  if (!isAbsolute(path)) return vscode.l10n.t('Enter an absolute path.');
  if (!existsSync(path) || !statSync(path).isFile()) return vscode.l10n.t('There is no file at {0}.', path);
  return undefined;
}

type TlsChoice = 'verify' | 'caFile' | 'insecure';

/** Walks the form; resolves to the filled-in draft, or undefined when cancelled. */
export async function environmentForm(o: FormOptions): Promise<EnvironmentDraft | undefined> {
  const local = o.editing === LOCAL_ENVIRONMENT;
  let d: EnvironmentDraft = o.initial;
  let tls: TlsChoice = d.tls.insecureSkipVerify ? 'insecure' : d.tls.caFile ? 'caFile' : 'verify';
  const title = o.editing === undefined ? vscode.l10n.t('Add Spanlens Environment') : vscode.l10n.t('Edit Spanlens Environment "{0}"', o.editing);
  const total = (): number => (local ? 5 : 6) + (tls === 'caFile' ? 1 : 0);
  const at = (n: number) => ({ title, step: local ? n - 1 : n, totalSteps: total() });

  const nameStep = async (): Promise<StepOutcome> => {
    if (local) return 'skip';
    const r = await inputStep({
      ...at(1),
      value: d.name,
      prompt: vscode.l10n.t('A name for this set of endpoints, shown in the status bar'),
      placeholder: vscode.l10n.t('e.g. staging'),
      validate: (t) => nameMessage(t, o),
    });
    if (typeof r === 'string') return r;
    d = { ...d, name: r.text };
    return 'next';
  };

  const urlStep = (backend: BackendKind, n: number, key: 'tempoUrl' | 'lokiUrl' | 'prometheusUrl', prompt: string) => async (): Promise<StepOutcome> => {
    const last = key === 'prometheusUrl';
    const r = await inputStep({
      ...at(n),
      value: d[key],
      prompt,
      placeholder: local
        ? vscode.l10n.t('Empty: {0} (the default)', DEFAULT_URLS[backend])
        : vscode.l10n.t('Empty: this environment has no {0}', BACKEND_LABEL[backend]),
      validate: (t) => {
        const bad = urlMessage(t, backend);
        if (bad) return bad;
        if (last && !local && !t.trim() && !d.tempoUrl.trim() && !d.lokiUrl.trim()) return vscode.l10n.t('Enter at least one of the three URLs.');
        return undefined;
      },
    });
    if (typeof r === 'string') return r;
    d = { ...d, [key]: r.text.trim() };
    return 'next';
  };

  const tenantStep = async (): Promise<StepOutcome> => {
    const r = await inputStep({
      ...at(5),
      value: d.tenant,
      prompt: vscode.l10n.t('Tenant sent as X-Scope-OrgID to multi-tenant Tempo and Loki (a|b queries several)'),
      placeholder: vscode.l10n.t('Empty: no tenant header'),
      validate: (t) => (/[\u0000-\u001f\u007f]/.test(t) ? vscode.l10n.t('A tenant cannot contain line breaks or control characters.') : undefined),
    });
    if (typeof r === 'string') return r;
    d = { ...d, tenant: r.text.trim() };
    return 'next';
  };

  const tlsStep = async (): Promise<StepOutcome> => {
    const items: (vscode.QuickPickItem & { choice: TlsChoice })[] = [
      { choice: 'verify', label: vscode.l10n.t('$(shield) Verify certificates'), detail: vscode.l10n.t("With the system's certificate authorities (the default).") },
      { choice: 'caFile', label: vscode.l10n.t('$(file) Also trust a CA file…'), detail: vscode.l10n.t('For servers whose certificate a private CA signed: a PEM file on this machine.') },
      { choice: 'insecure', label: vscode.l10n.t('$(warning) Skip certificate verification'), detail: vscode.l10n.t('Dangerous: anyone on the network path can read and change the traffic.') },
    ];
    const r = await pickStep({ ...at(6), items, placeholder: vscode.l10n.t('TLS for https:// URLs'), active: items.find((i) => i.choice === tls) });
    if (typeof r === 'string') return r;
    tls = r.item.choice;
    d = { ...d, tls: { caFile: tls === 'caFile' ? d.tls.caFile : '', insecureSkipVerify: tls === 'insecure' } };
    return 'next';
  };

  const caFileStep = async (): Promise<StepOutcome> => {
    if (tls !== 'caFile') return 'skip';
    const browse: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('folder-opened'), tooltip: vscode.l10n.t('Browse…') };
    const r = await inputStep({
      ...at(7),
      value: d.tls.caFile,
      prompt: vscode.l10n.t('PEM file of the certificate authorities to trust, besides the system ones'),
      placeholder: '/etc/ssl/private-ca.pem',
      validate: caFileMessage,
      extra: {
        button: browse,
        run: async () => {
          const picked = await vscode.window.showOpenDialog({ title: vscode.l10n.t('CA file'), canSelectMany: false, openLabel: vscode.l10n.t('Trust This CA'), filters: { PEM: ['pem', 'crt', 'cer'], [vscode.l10n.t('All files')]: ['*'] } });
          return picked?.[0]?.fsPath;
        },
      },
    });
    if (typeof r === 'string') return r;
    d = { ...d, tls: { caFile: r.text.trim(), insecureSkipVerify: false } };
    return 'next';
  };

  const done = await runSteps([
    nameStep,
    urlStep('tempo', 2, 'tempoUrl', vscode.l10n.t("Tempo's HTTP API (query frontend), e.g. https://tempo.example.com")),
    urlStep('loki', 3, 'lokiUrl', vscode.l10n.t("Loki's HTTP API, e.g. https://loki.example.com")),
    urlStep('prometheus', 4, 'prometheusUrl', vscode.l10n.t("Prometheus' HTTP API, e.g. https://prometheus.example.com")),
    tenantStep,
    tlsStep,
    caFileStep,
  ]);
  return done ? d : undefined;
}
