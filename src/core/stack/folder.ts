import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { StackFile } from './emit';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.cache']);
const TEXT = /\.(ya?ml|json|alloy|conf|md)$/i;
/** A stack folder holds a few dozen small files; these bounds keep a wrong folder choice cheap. */
const MAX_FILES = 2000;
const MAX_BYTES = 4 * 1024 * 1024;
/**
 * 2000 files of 4 MB would still be 8 GB held in memory on the extension host; a rendered stack
 * is well under 1 MB, so a folder past this total is not a stack folder.
 */
export const MAX_TOTAL_BYTES = 32 * 1024 * 1024;

export interface ReadStackOptions {
  /** Checked between files: a wrong, huge folder can be cancelled while it is being read. */
  readonly signal?: AbortSignal;
  /** Total size of the files read (default MAX_TOTAL_BYTES). */
  readonly maxTotalBytes?: number;
}

/** The folder's config files add up to more than the total cap: reading stopped there. */
export class StackFolderTooLargeError extends Error {
  override readonly name = 'StackFolderTooLargeError';
  constructor(
    readonly dir: string,
    readonly limitBytes: number,
  ) {
    super(`the config files under ${dir} add up to more than ${Math.round(limitBytes / (1024 * 1024))} MB; choose the stack folder itself`);
  }
}

/**
 * The config files of a stack folder (YAML, JSON, Alloy, NATS conf, README), with paths relative
 * to it in `/` form, sorted. Symbolic links are not followed, so a check never leaves the folder.
 * Throws StackFolderTooLargeError past the total cap, and the signal's AbortError when aborted.
 */
export async function readStackDir(dir: string, opts: ReadStackOptions = {}): Promise<StackFile[]> {
  const limit = opts.maxTotalBytes ?? MAX_TOTAL_BYTES;
  const out: StackFile[] = [];
  let total = 0;
  async function walk(abs: string): Promise<void> {
    opts.signal?.throwIfAborted();
    const entries = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      opts.signal?.throwIfAborted();
      const p = join(abs, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(p);
      } else if (e.isFile() && TEXT.test(e.name)) {
        const size = (await stat(p)).size;
        if (size > MAX_BYTES) continue;
        // Checked before reading, so the cap bounds what is held, not just what is reported.
        total += size;
        if (total > limit) throw new StackFolderTooLargeError(dir, limit);
        out.push({ path: relative(dir, p).split(sep).join('/'), content: await readFile(p, { encoding: 'utf8', ...(opts.signal ? { signal: opts.signal } : {}) }) });
      }
    }
  }
  await walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
