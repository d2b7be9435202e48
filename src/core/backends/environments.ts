/**
 * Named environments (local, staging, prod …) as settings hold them → ConnectionOptions.
 * The flat settings (`spanlens.tempo.url` …) are the environment called `local`; others live in
 * `spanlens.environments`. A named environment does NOT inherit the flat tenant, headers or TLS
 * settings: a header meant for one stack (often a token) must never be sent to another. Only
 * harmless tuning (timeouts, size cap, protobuf) is inherited. Settings files are user input, so
 * every value is type-checked and a wrong one is reported and skipped, not trusted.
 */
import {
  BACKENDS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_URLS,
  type Auth,
  type BackendKind,
  type ConnectionOptions,
  type Timeouts,
} from './options';

export const LOCAL_ENVIRONMENT = 'local';
/**
 * The local capture (Spanlens's own OTLP receiver and store): Tempo and Loki at its loopback
 * query endpoint, Prometheus as `local` has it (the capture holds no metrics). Built in, like
 * `local`, so it needs no settings of its own beyond the capture's port.
 */
export const CAPTURE_ENVIRONMENT = 'capture';

export interface EnvironmentSettings {
  readonly tempoUrl?: string;
  readonly lokiUrl?: string;
  readonly prometheusUrl?: string;
  readonly tenant?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly tls?: { readonly caFile?: string; readonly insecureSkipVerify?: boolean };
  readonly timeouts?: Partial<Timeouts>;
  readonly maxResponseSizeMB?: number;
  readonly tempoProtobuf?: boolean;
}

export interface ResolveInput {
  /** The flat settings: environment `local`. */
  readonly local: EnvironmentSettings;
  /** `spanlens.environments` as read (untrusted shape). */
  readonly environments: unknown;
  readonly active: string;
  readonly proxy?: string;
  readonly noProxy?: string;
  readonly auth?: Partial<Record<BackendKind, Auth>>;
  /** The capture's query endpoint (http://127.0.0.1:<query port>), for the `capture` environment. */
  readonly captureUrl?: string;
}

export interface ResolvedEnvironment {
  /** The environment actually used (falls back to `local` when the active one is undefined). */
  readonly name: string;
  readonly options: ConnectionOptions;
  /** Settings that were wrong and skipped, for the log and the UI. */
  readonly problems: readonly string[];
}

/** `local` and `capture` first, then the named ones in settings order. */
export function environmentNames(environments: unknown): string[] {
  const names = isObject(environments) ? Object.keys(environments).filter((n) => n !== LOCAL_ENVIRONMENT && n !== CAPTURE_ENVIRONMENT && n.trim() !== '') : [];
  return [LOCAL_ENVIRONMENT, CAPTURE_ENVIRONMENT, ...names];
}

/** The capture's query URL for a port on loopback. */
export function captureQueryUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

export function resolveEnvironment(input: ResolveInput): ResolvedEnvironment {
  const problems: string[] = [];
  let name = input.active || LOCAL_ENVIRONMENT;
  let env: EnvironmentSettings = input.local;
  if (name === CAPTURE_ENVIRONMENT) {
    if (isObject(input.environments) && input.environments[CAPTURE_ENVIRONMENT] !== undefined) {
      problems.push(`spanlens.environments.${CAPTURE_ENVIRONMENT} is ignored: "${CAPTURE_ENVIRONMENT}" is the local capture's own environment`);
    }
    const q = input.captureUrl ?? captureQueryUrl(3200);
    env = {
      tempoUrl: q,
      lokiUrl: q,
      prometheusUrl: input.local.prometheusUrl ?? DEFAULT_URLS.prometheus,
      timeouts: input.local.timeouts,
      maxResponseSizeMB: input.local.maxResponseSizeMB,
    };
  } else if (name !== LOCAL_ENVIRONMENT) {
    const raw = isObject(input.environments) ? input.environments[name] : undefined;
    if (isObject(raw)) {
      env = { ...readEnvironment(raw, `spanlens.environments.${name}`, problems), ...inherited(input.local, raw) };
    } else {
      problems.push(`environment "${name}" is not defined in spanlens.environments; using "${LOCAL_ENVIRONMENT}"`);
      name = LOCAL_ENVIRONMENT;
    }
  }
  const url = (kind: BackendKind, v: string | undefined): { url: string; auth?: Auth } | undefined => {
    const u = (v ?? (name === LOCAL_ENVIRONMENT ? DEFAULT_URLS[kind] : '')).trim();
    return u ? { url: u, auth: input.auth?.[kind] } : undefined;
  };
  const endpoints: ConnectionOptions['endpoints'] = {};
  const t = url('tempo', env.tempoUrl);
  const l = url('loki', env.lokiUrl);
  const p = url('prometheus', env.prometheusUrl);
  if (t) endpoints.tempo = t;
  if (l) endpoints.loki = l;
  if (p) endpoints.prometheus = p;
  const mb = env.maxResponseSizeMB;
  return {
    name,
    problems,
    options: {
      endpoints,
      tenant: env.tenant?.trim() || undefined,
      headers: env.headers,
      tls: env.tls,
      // The flat settings come with every key, unset ones as undefined; keep only real values.
      timeouts: env.timeouts && dropUndefined(env.timeouts),
      maxResponseBytes: mb && mb > 0 ? Math.round(mb * 1024 * 1024) : DEFAULT_MAX_RESPONSE_BYTES,
      proxy: input.proxy?.trim() || undefined,
      noProxy: input.noProxy,
      tempoProtobuf: env.tempoProtobuf ?? false,
    },
  };
}

/** Tuning a named environment takes from `local` unless it sets its own. */
function inherited(local: EnvironmentSettings, raw: Record<string, unknown>): Partial<EnvironmentSettings> {
  return {
    ...(raw.timeouts === undefined && local.timeouts ? { timeouts: local.timeouts } : {}),
    ...(raw.maxResponseSizeMB === undefined && local.maxResponseSizeMB !== undefined ? { maxResponseSizeMB: local.maxResponseSizeMB } : {}),
    ...(raw.tempoProtobuf === undefined && local.tempoProtobuf !== undefined ? { tempoProtobuf: local.tempoProtobuf } : {}),
  };
}

/** Reads one environment object from settings, keeping only well-typed values. */
export function readEnvironment(raw: Record<string, unknown>, where: string, problems: string[]): EnvironmentSettings {
  const str = (k: string): string | undefined => {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    problems.push(`${where}.${k} must be a string`);
    return undefined;
  };
  const num = (o: Record<string, unknown>, k: string, at: string): number | undefined => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
    problems.push(`${at}.${k} must be a positive number`);
    return undefined;
  };
  let headers: Record<string, string> | undefined;
  if (raw.headers !== undefined) {
    if (isObject(raw.headers)) {
      headers = {};
      for (const [k, v] of Object.entries(raw.headers)) {
        if (typeof v === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) && !/[\r\n]/.test(v)) headers[k] = v;
        else problems.push(`${where}.headers.${k} is not a valid header (name token, string value without line breaks)`);
      }
    } else problems.push(`${where}.headers must be an object of header names to values`);
  }
  let tls: EnvironmentSettings['tls'];
  if (isObject(raw.tls)) {
    const caFile = typeof raw.tls.caFile === 'string' && raw.tls.caFile.trim() ? raw.tls.caFile.trim() : undefined;
    const insecureSkipVerify = raw.tls.insecureSkipVerify === true;
    tls = { caFile, insecureSkipVerify };
  } else if (raw.tls !== undefined) problems.push(`${where}.tls must be an object`);
  let timeouts: Partial<Timeouts> | undefined;
  if (isObject(raw.timeouts)) {
    const at = `${where}.timeouts`;
    timeouts = dropUndefined({ connectMs: num(raw.timeouts, 'connectMs', at), headersMs: num(raw.timeouts, 'headersMs', at), bodyMs: num(raw.timeouts, 'bodyMs', at) });
  } else if (raw.timeouts !== undefined) problems.push(`${where}.timeouts must be an object`);
  const mb = num(raw, 'maxResponseSizeMB', where);
  const protobuf = raw.tempoProtobuf;
  return dropUndefined({
    tempoUrl: str('tempoUrl'),
    lokiUrl: str('lokiUrl'),
    prometheusUrl: str('prometheusUrl'),
    tenant: str('tenant'),
    headers,
    tls,
    timeouts,
    maxResponseSizeMB: mb,
    tempoProtobuf: typeof protobuf === 'boolean' ? protobuf : undefined,
  });
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a name cannot be used for a new (or renamed) environment, if it cannot. */
export type EnvironmentNameProblem = 'empty' | 'reserved' | 'taken' | 'spaces';

/** `existing` are the names already defined; `current` is the one being edited (it may keep its name). */
export function environmentNameProblem(name: string, existing: readonly string[], current?: string): EnvironmentNameProblem | undefined {
  if (name.trim() === '') return 'empty';
  if (name !== name.trim()) return 'spaces';
  if (name === LOCAL_ENVIRONMENT) return current === LOCAL_ENVIRONMENT ? undefined : 'reserved';
  if (name === CAPTURE_ENVIRONMENT) return 'reserved';
  if (name !== current && existing.includes(name)) return 'taken';
  return undefined;
}

/** The fields a user edits with Add/Edit Environment…; empty strings mean "not set". */
export interface EnvironmentEdit {
  readonly tempoUrl: string;
  readonly lokiUrl: string;
  readonly prometheusUrl: string;
  readonly tenant: string;
  readonly tls: { readonly caFile: string; readonly insecureSkipVerify: boolean };
}

/** What the edit form starts from for a named environment (raw settings, untrusted shape). */
export function environmentEditOf(environments: unknown, name: string): EnvironmentEdit {
  const raw = isObject(environments) && isObject(environments[name]) ? environments[name] : {};
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const tls = isObject(raw.tls) ? raw.tls : {};
  return {
    tempoUrl: text(raw.tempoUrl),
    lokiUrl: text(raw.lokiUrl),
    prometheusUrl: text(raw.prometheusUrl),
    tenant: text(raw.tenant),
    tls: { caFile: text(tls.caFile), insecureSkipVerify: tls.insecureSkipVerify === true },
  };
}

/**
 * The `spanlens.environments` value with `name` set from `edit`. Everything else the entry held
 * (headers, timeouts, size cap, protobuf) is kept, an emptied field is removed rather than
 * stored as "", other environments are untouched, and a rename (`previous`) keeps the entry's
 * place in the list.
 */
export function withEnvironment(environments: unknown, name: string, edit: EnvironmentEdit, previous: string = name): Record<string, unknown> {
  const all = isObject(environments) ? environments : {};
  const before = isObject(all[previous]) ? all[previous] : {};
  const entry: Record<string, unknown> = { ...before };
  const set = (key: string, value: string): void => {
    if (value.trim()) entry[key] = value.trim();
    else delete entry[key];
  };
  set('tempoUrl', edit.tempoUrl);
  set('lokiUrl', edit.lokiUrl);
  set('prometheusUrl', edit.prometheusUrl);
  set('tenant', edit.tenant);
  const tls = { ...(isObject(before.tls) ? before.tls : {}) } as Record<string, unknown>;
  if (edit.tls.caFile.trim()) tls.caFile = edit.tls.caFile.trim();
  else delete tls.caFile;
  if (edit.tls.insecureSkipVerify) tls.insecureSkipVerify = true;
  else delete tls.insecureSkipVerify;
  if (Object.keys(tls).length) entry.tls = tls;
  else delete entry.tls;
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const [k, v] of Object.entries(all)) {
    if (k === previous) {
      out[name] = entry;
      placed = true;
    } else if (k !== name) out[k] = v;
  }
  if (!placed) out[name] = entry;
  return out;
}

/** The endpoints environment `name` resolves to, in backend order, as a list shows them. */
export function environmentEndpoints(input: Omit<ResolveInput, 'active' | 'auth'>, name: string): { readonly backend: BackendKind; readonly url: string }[] {
  const { options, name: resolved } = resolveEnvironment({ ...input, active: name });
  if (resolved !== name) return [];
  return BACKENDS.flatMap((b) => (options.endpoints[b] ? [{ backend: b, url: options.endpoints[b]!.url }] : []));
}
