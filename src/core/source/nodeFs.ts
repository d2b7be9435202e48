/**
 * The file system for source resolution outside VS Code (the CLI's --workspace folder): Node's own
 * calls, and a bounded walk to find files by name.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceFs } from './resolve';

/** Folders no source lives in; a walk of a checkout would otherwise spend its budget there. */
const SKIP = new Set(['.git', 'node_modules', '.cache', 'target', '__pycache__', '.venv', 'venv', 'dist', 'out']);
const MAX_ENTRIES = 200_000;

export function nodeSourceFs(...roots: string[]): SourceFs {
  let index: Promise<Map<string, string[]>> | undefined;
  const build = async () => {
    const byName = new Map<string, string[]>();
    let seen = 0;
    const walk = async (dir: string): Promise<void> => {
      if (seen > MAX_ENTRIES) return;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (++seen > MAX_ENTRIES) return;
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP.has(e.name)) await walk(p);
        } else if (e.isFile() || e.isSymbolicLink()) {
          const list = byName.get(e.name);
          if (list) list.push(p);
          else byName.set(e.name, [p]);
        }
      }
    };
    for (const r of roots) await walk(r);
    return byName;
  };
  return {
    isFile: async (p) => (await stat(p)).isFile(),
    realpath: (p) => realpath(p),
    async findByName(name) {
      index ??= build();
      return (await index).get(name) ?? [];
    },
  };
}
