/**
 * `spanlens.source.pathMappings` as written (`[{"from": "/opt/dynamo", "to": "${workspaceFolder}"}]`)
 * → mappings with real folders, for the editor and the CLI alike. `${workspaceFolder}` maps into
 * each folder in turn, `${workspaceFolder:name}` into the folder of that name; entries that are
 * not a pair of non-empty strings are skipped.
 */
import type { PathMapping } from './resolve';

export interface NamedFolder {
  readonly name: string;
  readonly path: string;
}

export function expandPathMappings(raw: unknown, folders: readonly NamedFolder[]): PathMapping[] {
  if (!Array.isArray(raw)) return [];
  const out: PathMapping[] = [];
  for (const m of raw) {
    if (typeof m !== 'object' || m === null) continue;
    const { from, to } = m as { from?: unknown; to?: unknown };
    if (typeof from !== 'string' || typeof to !== 'string' || !from.trim() || !to.trim()) continue;
    const named = /\$\{workspaceFolder:([^}]+)\}/.exec(to);
    if (named) {
      const f = folders.find((x) => x.name === named[1]);
      if (f) out.push({ from, to: to.replace(named[0], f.path) });
    } else if (to.includes('${workspaceFolder}')) {
      for (const f of folders) out.push({ from, to: to.replace('${workspaceFolder}', f.path) });
    } else out.push({ from, to });
  }
  return out;
}
