import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { countOf } from '../text/plural';
import type { StackFile } from './emit';

/**
 * Writing a rendered stack: first a plan against what is on disk (new, changed, unchanged, with a
 * unified diff), then an apply that refuses to touch a changed file unless forced, writes each
 * file through a temporary file and a rename (no half-written config on a crash), and refuses if
 * a file changed on disk after the plan was made.
 */

export type PlanStatus = 'new' | 'changed' | 'unchanged';

export interface PlanEntry {
  readonly path: string;
  readonly status: PlanStatus;
  /** What is on disk now (undefined for a new file). */
  readonly before?: string;
  readonly after: string;
  /** Unified diff from before to after (empty when unchanged). */
  readonly diff: string;
}

export interface WritePlan {
  readonly root: string;
  readonly entries: readonly PlanEntry[];
}

export class StackWriteError extends Error {
  override readonly name = 'StackWriteError';
  constructor(
    message: string,
    readonly paths: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Resolves a relative artefact path inside root; rejects absolute paths and `..` escapes. */
export function safeJoin(root: string, rel: string): string {
  if (!rel || isAbsolute(rel) || rel.split(/[\\/]/).some((seg) => seg === '..' || seg === '')) {
    throw new StackWriteError(`refusing to write outside the folder: ${rel}`, [rel]);
  }
  const abs = resolve(root, rel);
  const back = relative(resolve(root), abs);
  if (back.startsWith('..') || isAbsolute(back)) throw new StackWriteError(`refusing to write outside the folder: ${rel}`, [rel]);
  return abs;
}

async function readIfFile(abs: string): Promise<string | undefined> {
  try {
    const st = await lstat(abs);
    if (st.isSymbolicLink()) throw new StackWriteError(`${abs} is a symbolic link; not following it`, [abs]);
    if (!st.isFile()) throw new StackWriteError(`${abs} exists and is not a file`, [abs]);
    return await readFile(abs, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function unifiedDiff(path: string, before: string | undefined, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${path}`, `b/${path}`, before ?? '', after, '', '', { context: 3 });
}

/** Compares the rendered files with the folder. Reads only; writes nothing. */
export async function planWrite(root: string, files: readonly StackFile[]): Promise<WritePlan> {
  const entries: PlanEntry[] = [];
  for (const f of files) {
    const before = await readIfFile(safeJoin(root, f.path));
    const status: PlanStatus = before === undefined ? 'new' : before === f.content ? 'unchanged' : 'changed';
    entries.push({ path: f.path, status, ...(before !== undefined ? { before } : {}), after: f.content, diff: unifiedDiff(f.path, before, f.content) });
  }
  return { root, entries };
}

export interface ApplyOptions {
  /** Overwrite files whose content differs from the rendering. Without it, changed files stop the write. */
  readonly force?: boolean;
  readonly onFile?: (path: string, index: number, total: number) => void;
}

export interface ApplyResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
}

/** Makes sure no parent of `abs` below root is a symbolic link (a link could lead out of root). */
async function checkParents(root: string, abs: string): Promise<void> {
  let dir = dirname(abs);
  const chain: string[] = [];
  while (dir.length > resolve(root).length) {
    chain.push(dir);
    dir = dirname(dir);
  }
  for (const d of chain) {
    const st = await lstat(d).catch(() => undefined);
    if (st?.isSymbolicLink()) throw new StackWriteError(`${d} is a symbolic link; not writing through it`, [d]);
  }
}

async function atomicWrite(abs: string, content: string): Promise<void> {
  await mkdir(dirname(abs), { recursive: true });
  const tmp = join(dirname(abs), `.${abs.split(sep).pop()}.spanlens-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { flag: 'wx' });
    await rename(tmp, abs);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function applyPlan(plan: WritePlan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const changed = plan.entries.filter((e) => e.status === 'changed');
  if (changed.length && !opts.force) {
    throw new StackWriteError(
      `${countOf(changed.length, 'file differs', 'files differ')} from the rendering and would be overwritten: ${changed.map((e) => e.path).join(', ')}`,
      changed.map((e) => e.path),
    );
  }
  // Everything is checked before anything is written, so a refusal leaves the folder as it was.
  const todo = plan.entries.filter((e) => e.status !== 'unchanged');
  for (const e of todo) {
    const abs = safeJoin(plan.root, e.path);
    await checkParents(plan.root, abs);
    const now = await readIfFile(abs);
    if (now !== e.before) throw new StackWriteError(`${e.path} changed on disk after the plan was made; render again`, [e.path]);
  }
  const written: string[] = [];
  for (const [i, e] of todo.entries()) {
    opts.onFile?.(e.path, i, todo.length);
    await atomicWrite(safeJoin(plan.root, e.path), e.after);
    written.push(e.path);
  }
  return { written, unchanged: plan.entries.filter((e) => e.status === 'unchanged').map((e) => e.path) };
}
