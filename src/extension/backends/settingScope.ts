/**
 * Where a write to a restricted setting (package.json `restrictedConfigurations`) takes effect.
 * In an untrusted workspace VS Code ignores such a setting's workspace and folder values, so a
 * write there would silently do nothing; a folder value beats a workspace value, so writing
 * under it would too. No `vscode` import: unit-tested in Node.
 */

export type SettingScope = 'global' | 'workspace' | 'workspaceFolder';

/** The part of `WorkspaceConfiguration.inspect()` that matters here. */
export interface ScopedValues {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/** Least specific first: a later scope's value wins. */
const PRECEDENCE: readonly SettingScope[] = ['global', 'workspace', 'workspaceFolder'];

/**
 * The scope to write: user settings when the workspace is untrusted, else the most specific
 * scope whose value `holds` what is being changed (an environment being edited lives there),
 * else the most specific scope that already holds a value (so the write is not shadowed), else
 * `otherwise`.
 */
export function writeScope(values: ScopedValues | undefined, trusted: boolean, otherwise: SettingScope, holds?: (value: unknown) => boolean): SettingScope {
  if (!trusted) return 'global';
  if (holds && values) {
    const found = [...PRECEDENCE].reverse().find((s) => valueIn(values, s) !== undefined && holds(valueIn(values, s)));
    if (found) return found;
  }
  if (values?.workspaceFolderValue !== undefined) return 'workspaceFolder';
  if (values?.workspaceValue !== undefined) return 'workspace';
  return otherwise;
}

/**
 * After writing to `written`: the most specific scope whose value still wins, or undefined when
 * none does (then something outside these scopes, e.g. a policy, is in the way).
 */
export function overridingScope(values: ScopedValues | undefined, written: SettingScope, trusted: boolean): SettingScope | undefined {
  // Untrusted: workspace and folder values of a restricted setting are not applied.
  if (!trusted || !values) return undefined;
  const above = PRECEDENCE.slice(PRECEDENCE.indexOf(written) + 1).reverse();
  return above.find((s) => valueIn(values, s) !== undefined);
}

/** The value one scope holds itself (not the effective, merged one). */
export function valueIn(values: ScopedValues, scope: SettingScope): unknown {
  return scope === 'global' ? values.globalValue : scope === 'workspace' ? values.workspaceValue : values.workspaceFolderValue;
}
