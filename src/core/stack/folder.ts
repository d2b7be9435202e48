import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { StackFile } from './emit';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.cache']);
const TEXT = /\.(ya?ml|json|alloy|conf|md)$/i;
/** A stack folder holds a few dozen small files; these bounds keep a wrong folder choice cheap. */
const MAX_FILES = 2000;
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * The config files of a stack folder (YAML, JSON, Alloy, NATS conf, README), with paths relative
 * to it in `/` form, sorted. Symbolic links are not followed, so a check never leaves the folder.
 */
export async function readStackDir(dir: string): Promise<StackFile[]> {
  const out: StackFile[] = [];
  async function walk(abs: string): Promise<void> {
    const entries = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      const p = join(abs, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(p);
      } else if (e.isFile() && TEXT.test(e.name)) {
        if ((await stat(p)).size > MAX_BYTES) continue;
        out.push({ path: relative(dir, p).split(sep).join('/'), content: await readFile(p, 'utf8') });
      }
    }
  }
  await walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
