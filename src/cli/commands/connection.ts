/**
 * Endpoint flags and environment variables shared by `spanlens check` and `spanlens query`.
 * URLs: --tempo/--loki/--prom, else SPANLENS_TEMPO_URL / SPANLENS_LOKI_URL /
 * SPANLENS_PROMETHEUS_URL, else the local stack's defaults. Tenant: --tenant or SPANLENS_TENANT.
 * Credentials only from the environment (SPANLENS_BEARER_TOKEN, or SPANLENS_BASIC_USER +
 * SPANLENS_BASIC_PASSWORD) so they never show in a process list or shell history.
 */
import { parseArgs } from 'node:util';
import { createBackends, type Backends } from '../../core/backends';
import { DEFAULT_URLS, type Auth, type BackendKind, type ConnectionOptions } from '../../core/backends/options';
import { CliUsageError } from '../cli';

export const CONNECTION_OPTIONS = {
  tempo: { type: 'string' },
  loki: { type: 'string' },
  prom: { type: 'string' },
  tenant: { type: 'string' },
  timeout: { type: 'string' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  protobuf: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export const CONNECTION_USAGE = '[--tempo URL] [--loki URL] [--prom URL] [--tenant T] [--timeout MS] [--ca FILE] [--insecure] [--json]';

export type ConnValues = { [K in keyof typeof CONNECTION_OPTIONS]?: (typeof CONNECTION_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(
  args: readonly string[],
  extra: T,
  usage: string,
): { values: ConnValues & { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string }; positionals: string[] } {
  try {
    const r = parseArgs({ args: [...args], options: { ...CONNECTION_OPTIONS, ...extra }, allowPositionals: true, strict: true });
    return r as never;
  } catch (err) {
    throw new CliUsageError(`${(err as Error).message.split('\n')[0]} (usage: spanlens ${usage})`);
  }
}

function envAuth(env: NodeJS.ProcessEnv): Auth | undefined {
  if (env.SPANLENS_BEARER_TOKEN) return { kind: 'bearer', token: env.SPANLENS_BEARER_TOKEN };
  if (env.SPANLENS_BASIC_USER) return { kind: 'basic', username: env.SPANLENS_BASIC_USER, password: env.SPANLENS_BASIC_PASSWORD ?? '' };
  return undefined;
}

export function connectionFrom(values: ConnValues, env: NodeJS.ProcessEnv = process.env): ConnectionOptions {
  const auth = envAuth(env);
  const url = (kind: BackendKind, flag: string | undefined, name: string): { url: string; auth?: Auth } => ({
    url: flag ?? env[name] ?? DEFAULT_URLS[kind],
    auth,
  });
  let timeouts: ConnectionOptions['timeouts'];
  if (values.timeout !== undefined) {
    const ms = Number(values.timeout);
    if (!Number.isFinite(ms) || ms <= 0) throw new CliUsageError(`--timeout must be a positive number of milliseconds, not "${values.timeout}"`);
    timeouts = { connectMs: ms, headersMs: ms, bodyMs: ms };
  }
  const proxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  return {
    endpoints: {
      tempo: url('tempo', values.tempo, 'SPANLENS_TEMPO_URL'),
      loki: url('loki', values.loki, 'SPANLENS_LOKI_URL'),
      prometheus: url('prometheus', values.prom, 'SPANLENS_PROMETHEUS_URL'),
    },
    tenant: values.tenant ?? env.SPANLENS_TENANT ?? undefined,
    timeouts,
    tls: { caFile: values.ca, insecureSkipVerify: values.insecure ?? false },
    proxy: proxy || undefined,
    noProxy: env.NO_PROXY ?? env.no_proxy,
    tempoProtobuf: values.protobuf ?? false,
  };
}

/** Builds the clients, runs `fn`, always closes the pools so the process can exit at once. */
export async function withBackends<T>(conn: ConnectionOptions, warn: (m: string) => void, fn: (b: Backends, signal: AbortSignal) => Promise<T>): Promise<T> {
  const backends = await createBackends(conn, { onWarning: warn });
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    return await fn(backends, ac.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
    await backends.close();
  }
}

/** One backend's client, or the reason its settings cannot be used (bad URL, CA file …). */
export function clientOf<K extends BackendKind>(b: Backends, kind: K): NonNullable<Backends[K]> {
  const c = b[kind];
  if (c) return c as NonNullable<Backends[K]>;
  throw b.configErrors[kind] ?? new Error(`no ${kind} URL is set`);
}

/** Text from a server must not drive the terminal. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[], opts: { readonly rightAligned?: readonly number[] } = {}): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = new Set(opts.rightAligned ?? []);
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/** A sample value JSON can hold; NaN and ±Inf as Prometheus writes them. */
export function jsonValue(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

/** Pretty JSON for stdout; DEL and C1 controls escaped (JSON.stringify leaves them raw). */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
