/**
 * One environment's three clients built from ConnectionOptions, as the CLI and the extension both
 * need them. A backend whose settings can't work (bad URL, unreadable CA file) gets no client
 * but a ConfigError, which `health()` reports like any other failure.
 */
import { ConfigError, isBackendError } from './errors';
import { HttpClient } from './http';
import { LokiClient } from './loki/client';
import { BACKEND_LABEL, BACKENDS, type BackendKind, type ConnectionOptions, type HttpHooks } from './options';
import { PrometheusClient } from './prometheus/client';
import { redactUrl } from './redact';
import { TempoClient } from './tempo/client';
import { CaFileError, loadTls } from './tls';
import type { BackendHealth, CallOptions } from './types';

export interface Backends {
  readonly tempo?: TempoClient;
  readonly loki?: LokiClient;
  readonly prometheus?: PrometheusClient;
  /** Settings that could not be used, per backend. */
  readonly configErrors: Partial<Record<BackendKind, ConfigError>>;
  /** The three probes run in parallel; unconfigured backends are left out. */
  health(opts?: CallOptions): Promise<BackendHealth[]>;
  close(): Promise<void>;
}

/** Reads the CA file (once, asynchronously) and builds the clients. */
export async function createBackends(conn: ConnectionOptions, hooks: HttpHooks = {}): Promise<Backends> {
  const configErrors: Partial<Record<BackendKind, ConfigError>> = {};
  const http: Partial<Record<BackendKind, HttpClient>> = {};
  let tls = conn.tls;
  let tlsProblem: string | undefined;
  try {
    tls = await loadTls(conn.tls);
  } catch (err) {
    if (!(err instanceof CaFileError)) throw err;
    tlsProblem = err.message;
  }
  for (const kind of BACKENDS) {
    const ep = conn.endpoints[kind];
    if (!ep?.url) continue;
    if (tlsProblem) {
      configErrors[kind] = new ConfigError(BACKEND_LABEL[kind], redactUrl(ep.url), tlsProblem);
      continue;
    }
    try {
      http[kind] = new HttpClient({
        backend: BACKEND_LABEL[kind],
        baseUrl: ep.url,
        auth: ep.auth,
        tenant: ep.tenant ?? conn.tenant,
        headers: { ...conn.headers, ...ep.headers },
        tls,
        timeouts: conn.timeouts,
        maxResponseBytes: conn.maxResponseBytes,
        proxy: conn.proxy,
        noProxy: conn.noProxy,
        retry: conn.retry,
        onRequest: hooks.onRequest,
        onWarning: hooks.onWarning,
      });
    } catch (err) {
      if (err instanceof ConfigError) configErrors[kind] = err;
      else throw err;
    }
  }
  const tempo = http.tempo && new TempoClient(http.tempo, { protobuf: conn.tempoProtobuf });
  const loki = http.loki && new LokiClient(http.loki);
  const prometheus = http.prometheus && new PrometheusClient(http.prometheus);
  return {
    tempo,
    loki,
    prometheus,
    configErrors,
    async health(opts: CallOptions = {}) {
      const probes = BACKENDS.filter((k) => conn.endpoints[k]?.url).map(async (kind): Promise<BackendHealth> => {
        const client = kind === 'tempo' ? tempo : kind === 'loki' ? loki : prometheus;
        const cfg = configErrors[kind];
        if (!client || cfg) {
          return { backend: kind, url: redactUrl(conn.endpoints[kind]!.url), state: 'error', error: cfg?.message ?? 'not configured', errorKind: 'config' };
        }
        try {
          return await client.health(opts);
        } catch (err) {
          // Cancellation propagates; anything else unexpected is still a state, not a crash.
          if (isBackendError(err) && err.kind === 'cancelled') throw err;
          return { backend: kind, url: client.url, state: 'error', error: err instanceof Error ? err.message : String(err) };
        }
      });
      return Promise.all(probes);
    },
    async close() {
      await Promise.all(Object.values(http).map((h) => h.close()));
    },
  };
}

export type { BackendHealth } from './types';
