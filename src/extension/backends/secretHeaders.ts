/**
 * Finds configured HTTP headers whose names say they carry a credential. Settings are plain
 * JSON that Settings Sync uploads and `.vscode/settings.json` gets committed, so a token there
 * leaks; the keychain (Set Credentials…) is the place for it. Only names are looked at, never
 * values. No `vscode` import: unit-tested in Node.
 */

const SECRET_NAMES: readonly RegExp[] = [/^(proxy-)?authorization$/i, /api[-_]?key/i, /token/i, /secret/i, /^(set-)?cookie$/i, /passw(or)?d/i];

export function looksSecret(headerName: string): boolean {
  const name = headerName.trim();
  return SECRET_NAMES.some((re) => re.test(name));
}

export interface SecretHeader {
  /** The setting that holds it, e.g. `spanlens.environments.prod.headers`. */
  readonly setting: string;
  readonly header: string;
}

/** Secret-looking names in `spanlens.headers` and every `spanlens.environments.*.headers`. */
export function secretHeaders(headers: unknown, environments: unknown): SecretHeader[] {
  const out: SecretHeader[] = [];
  const scan = (map: unknown, setting: string): void => {
    if (!isObject(map)) return;
    for (const header of Object.keys(map)) if (looksSecret(header)) out.push({ setting, header });
  };
  scan(headers, 'spanlens.headers');
  if (isObject(environments)) {
    for (const [name, env] of Object.entries(environments)) if (isObject(env)) scan(env['headers'], `spanlens.environments.${name}.headers`);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
