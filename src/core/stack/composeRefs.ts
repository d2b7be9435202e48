/**
 * What `docker compose up` resolves that the Compose schema cannot see: named volumes must be
 * declared at the top level, `depends_on` must name services of the file, and a `./dir` bind
 * mount must point at something in the folder (Docker would otherwise create an empty,
 * root-owned folder there and the service would start without its configuration).
 */

export interface ComposeRefProblem {
  /** Path into the document, for the line of the fault. */
  readonly path: (string | number)[];
  readonly message: string;
  /** A bind mount is only a warning: the folder is read for config files, not for every file. */
  readonly severity: 'error' | 'warning';
}

interface ServiceDoc {
  readonly volumes?: unknown[];
  readonly depends_on?: unknown;
}

/** Source of a short (`src:dst[:mode]`) or long (`{type, source}`) volume entry. */
function mountSource(entry: unknown): { kind: 'bind' | 'volume'; source: string } | undefined {
  if (typeof entry === 'string') {
    const source = entry.split(':')[0] ?? '';
    if (entry.split(':').length < 2 || !source) return undefined;
    return { kind: /^[./~]/.test(source) ? 'bind' : 'volume', source };
  }
  if (entry && typeof entry === 'object') {
    const e = entry as { type?: string; source?: string };
    if (!e.source || (e.type !== 'bind' && e.type !== 'volume')) return undefined;
    return { kind: e.type, source: e.source };
  }
  return undefined;
}

function dependencies(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (value && typeof value === 'object') return Object.keys(value);
  return [];
}

/**
 * @param doc the parsed compose file
 * @param paths every file path of the folder, relative to it (where the compose file lives)
 */
export function composeRefProblems(doc: unknown, paths: readonly string[]): ComposeRefProblem[] {
  const d = (doc ?? {}) as { services?: Record<string, ServiceDoc | null>; volumes?: Record<string, unknown> | null };
  const services = d.services ?? {};
  const declared = new Set(Object.keys(d.volumes ?? {}));
  const problems: ComposeRefProblem[] = [];
  for (const [name, svc] of Object.entries(services)) {
    (svc?.volumes ?? []).forEach((entry, i) => {
      const m = mountSource(entry);
      if (!m) return;
      if (m.kind === 'volume' && !declared.has(m.source)) {
        problems.push({ path: ['services', name, 'volumes', i], message: `named volume '${m.source}' is not declared under the top-level volumes`, severity: 'error' });
      }
      if (m.kind === 'bind' && m.source.startsWith('./')) {
        const rel = m.source.slice(2).replace(/\/+$/, '');
        if (rel && !paths.some((p) => p === rel || p.startsWith(`${rel}/`))) {
          problems.push({ path: ['services', name, 'volumes', i], message: `bind mount '${m.source}' has no config file in the folder; Docker would mount an empty directory`, severity: 'warning' });
        }
      }
    });
    for (const dep of dependencies(svc?.depends_on)) {
      if (!(dep in services)) problems.push({ path: ['services', name, 'depends_on'], message: `depends_on names '${dep}', which is not a service of this file`, severity: 'error' });
    }
  }
  return problems;
}
