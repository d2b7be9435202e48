/**
 * A path a span or a log line names → files inside the workspace, or a refusal that names the
 * path. The path is untrusted (it came from a server or a file), so before anything touches the
 * disk it is decoded (percent-encoding, `file:` URIs) and refused when it carries `..` segments,
 * another URI scheme, or a UNC / `\\?\` prefix. Then, in order: a path inside a workspace folder;
 * `spanlens.source.pathMappings` (a container's /opt/dynamo → the checkout); a relative path under
 * each folder; the workspace files whose path shares the longest suffix with it. Every candidate's
 * real path (symlinks resolved) must still lie inside a folder's real path.
 */

export interface PathMapping {
  readonly from: string;
  /** Already expanded (`${workspaceFolder}` → a folder's path) by the caller. */
  readonly to: string;
}

/** What resolution needs of the file system; the extension and the CLI each provide one. */
export interface SourceFs {
  isFile(path: string): Promise<boolean>;
  /** The path with symlinks resolved; rejects when it does not exist. */
  realpath(path: string): Promise<string>;
  /** Files in the workspace whose last segment is `name` (bounded by the implementation). */
  findByName(name: string): Promise<string[]>;
}

export interface ResolveInput {
  readonly path: string;
  /** Absolute paths of the workspace folders. */
  readonly roots: readonly string[];
  readonly mappings?: readonly PathMapping[];
  readonly fs: SourceFs;
}

export type Refusal = 'parent' | 'scheme' | 'unc' | 'outside' | 'symlink' | 'empty';

export type Resolution =
  | { readonly ok: true; readonly files: readonly ResolvedFile[] }
  | { readonly ok: false; readonly refused: Refusal; readonly path: string }
  | { readonly ok: false; readonly refused?: undefined; readonly notFound: true; readonly path: string };

export interface ResolvedFile {
  /** Absolute, inside a workspace folder. */
  readonly path: string;
  readonly how: 'workspace' | 'mapping' | 'relative' | 'suffix';
}

/** Percent-decoding applied repeatedly, so %252e%252e is seen as `..` too; malformed escapes stay. */
function decodeRepeatedly(s: string): string {
  let cur = s;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(cur);
    } catch {
      return cur;
    }
    if (next === cur) return cur;
    cur = next;
  }
  return cur;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const DRIVE = /^[A-Za-z]:[\\/]/;

/** The path in `/` form, or why it is refused before touching the disk. */
export function sanitizePath(raw: string): { ok: true; path: string } | { ok: false; refused: Refusal } {
  let p = raw.trim();
  if (!p || p.length > 4096 || p.includes('\0')) return { ok: false, refused: 'empty' };
  p = decodeRepeatedly(p);
  if (p.includes('\0')) return { ok: false, refused: 'empty' };
  const scheme = SCHEME.exec(p);
  if (scheme && !DRIVE.test(p)) {
    if (scheme[1]!.toLowerCase() !== 'file') return { ok: false, refused: 'scheme' };
    // file://host/path names another machine; file:///path and file:/path are local.
    const rest = p.slice(5);
    if (rest.startsWith('//')) {
      const afterHost = rest.slice(2);
      const slash = afterHost.indexOf('/');
      const host = slash < 0 ? afterHost : afterHost.slice(0, slash);
      if (host !== '' && host.toLowerCase() !== 'localhost') return { ok: false, refused: 'unc' };
      p = slash < 0 ? '/' : afterHost.slice(slash);
    } else p = rest;
    p = decodeRepeatedly(p);
    // file:///C:/x → C:/x
    if (/^\/[A-Za-z]:[\\/]/.test(p)) p = p.slice(1);
  }
  if (/^[\\/]{2}/.test(p)) return { ok: false, refused: 'unc' };
  p = p.replace(/\\/g, '/');
  const segments = p.split('/');
  if (segments.some((s) => s === '..')) return { ok: false, refused: 'parent' };
  // `.` segments and doubled slashes say nothing: drop them.
  const clean = segments.filter((s, i) => s !== '.' && (s !== '' || i === 0));
  p = clean.join('/');
  if (!p || p === '/') return { ok: false, refused: 'empty' };
  return { ok: true, path: p };
}

const isAbsolute = (p: string) => p.startsWith('/') || DRIVE.test(p);

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** True when `p` is `root` or below it (segment-wise). */
export function isInside(p: string, root: string): boolean {
  const r = trimSlash(root.replace(/\\/g, '/'));
  const q = p.replace(/\\/g, '/');
  return q === r || q.startsWith(r.endsWith('/') ? r : `${r}/`);
}

function join(root: string, rel: string): string {
  return `${trimSlash(root)}/${rel.replace(/^\/+/, '')}`;
}

function suffixScore(candidate: string, wanted: readonly string[]): number {
  const c = candidate.split('/');
  let n = 0;
  while (n < c.length && n < wanted.length && c[c.length - 1 - n] === wanted[wanted.length - 1 - n]) n++;
  return n;
}

/**
 * Whether the file `p` may be opened: a file under one of `roots`, segment-wise, whose real path
 * (symbolic links followed) is under one of their real paths too. Every way Spanlens finds a file
 * from a span or a log line (a path, a mapping, a suffix, a symbol) passes this one gate.
 */
export async function checkInside(p: string, roots: readonly string[], fs: Pick<SourceFs, 'isFile' | 'realpath'>): Promise<'inside' | 'outside' | 'symlink' | 'missing'> {
  if (!roots.some((r) => isInside(p, r))) return 'outside';
  if (!(await fs.isFile(p).catch(() => false))) return 'missing';
  const real = await fs.realpath(p).catch(() => undefined);
  if (!real) return 'missing';
  const realRoots = await Promise.all(roots.map((r) => fs.realpath(r).catch(() => r)));
  return realRoots.some((r) => isInside(real, r)) ? 'inside' : 'symlink';
}

export async function resolveSourcePath(input: ResolveInput): Promise<Resolution> {
  const s = sanitizePath(input.path);
  if (!s.ok) return { ok: false, refused: s.refused, path: input.path };
  const path = s.path;
  const { fs, roots } = input;
  const found: ResolvedFile[] = [];
  const tried = new Set<string>();
  let refusedSymlink = false;
  const consider = async (p: string, how: ResolvedFile['how']) => {
    if (tried.has(p)) return;
    tried.add(p);
    const at = await checkInside(p, roots, fs);
    if (at === 'symlink') refusedSymlink = true;
    if (at === 'inside' && !found.some((f) => f.path === p)) found.push({ path: p, how });
  };

  if (isAbsolute(path)) {
    if (roots.some((r) => isInside(path, r))) await consider(path, 'workspace');
    for (const m of input.mappings ?? []) {
      const from = trimSlash(m.from.replace(/\\/g, '/'));
      if (!from || !isInside(path, from)) continue;
      const rest = path.slice(from.length);
      const target = join(m.to.replace(/\\/g, '/'), rest);
      const st = sanitizePath(target);
      if (st.ok) await consider(st.path, 'mapping');
    }
  } else {
    for (const r of roots) await consider(join(r, path), 'relative');
  }
  if (!found.length) {
    const wanted = path.split('/').filter(Boolean);
    const name = wanted[wanted.length - 1];
    if (name) {
      const hits = (await fs.findByName(name).catch(() => [] as string[])).map((h) => h.replace(/\\/g, '/'));
      let best = 0;
      const scored = hits.map((h) => {
        const score = suffixScore(h, wanted);
        best = Math.max(best, score);
        return { h, score };
      });
      // A bare file name matches any file of that name; with folders, only the longest suffix counts.
      for (const { h, score } of scored) if (score === best && score >= 1) await consider(h, 'suffix');
    }
  }
  if (found.length) return { ok: true, files: found };
  if (refusedSymlink) return { ok: false, refused: 'symlink', path: input.path };
  // An absolute path outside every folder is never opened as it is; unmapped, it is refused.
  if (isAbsolute(path) && !roots.some((r) => isInside(path, r))) return { ok: false, refused: 'outside', path: input.path };
  return { ok: false, notFound: true, path: input.path };
}
