/**
 * Asks Dynamo processes' health endpoints how they are, for the Health view and `spanlens
 * health`. A 503 is an answer (notready, shutting_down), so it is read like a 200; a refused
 * connection or a timeout is `unreachable`; any other status or a body that is not a Dynamo
 * health answer is `error`. Requests go through the shared HTTP layer (timeouts, TLS, proxy, size
 * cap) but never carry the backends' headers or credentials: these are other servers.
 */
import { TraceFormatError } from '../../model/errors';
import { isHealthyStatus, parseDynamoHealth, type DynamoEndpointState, type DynamoHealthKind, type DynamoInstance } from '../../formats/dynamoHealth';
import { BackendError, ConfigError, isBackendError, type BackendErrorKind } from '../errors';
import { HttpClient } from '../http';
import type { HttpHooks, TransportOptions } from '../options';
import { excerpt, redactUrl } from '../redact';
import type { CallOptions } from '../types';

export { DEFAULT_HEALTH_ENDPOINTS } from './endpoints';

/** Health bodies are small; a bigger answer is not a health endpoint. */
const MAX_HEALTH_BYTES = 1024 * 1024;
const LABEL = 'Dynamo';

export interface HealthTarget {
  readonly url: string;
  /** A name the user gave it ("prefill worker"). */
  readonly label?: string;
}

export type HealthOutcome = 'ok' | 'notHealthy' | 'unreachable' | 'error';

export interface DynamoHealthResult {
  /** Redacted. */
  readonly url: string;
  readonly label?: string;
  readonly outcome: HealthOutcome;
  readonly httpStatus?: number;
  readonly kind?: DynamoHealthKind;
  /** The body's status word; `unreachable` or `error` when there is no answer to read. */
  readonly status: string;
  readonly message?: string;
  readonly endpoints: readonly DynamoEndpointState[];
  readonly instances: readonly DynamoInstance[];
  readonly uptimeSeconds?: number;
  readonly latencyMs?: number;
  readonly error?: string;
  readonly errorKind?: BackendErrorKind | 'notHealth';
}

/**
 * Keeps one connection pool per origin between checks (the Health view polls); `close()` ends
 * them. Transport settings are fixed per checker: build a new one when they change.
 */
export class DynamoHealthChecker {
  private readonly clients = new Map<string, HttpClient>();

  constructor(
    private readonly transport: Pick<TransportOptions, 'tls' | 'timeouts' | 'proxy' | 'noProxy'> = {},
    private readonly hooks: HttpHooks = {},
  ) {}

  /** All targets in parallel, results in the targets' order. Cancellation rejects. */
  check(targets: readonly HealthTarget[], opts: CallOptions = {}): Promise<DynamoHealthResult[]> {
    return Promise.all(targets.map((t) => this.one(t, opts)));
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  private async one(target: HealthTarget, opts: CallOptions): Promise<DynamoHealthResult> {
    const shown = redactUrl(target.url);
    const base = { url: shown, label: target.label, endpoints: [], instances: [] };
    let url: URL;
    try {
      url = new URL(target.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      return { ...base, outcome: 'error', status: 'error', error: `"${shown}" is not an http:// or https:// URL.`, errorKind: 'config' };
    }
    const t0 = performance.now();
    try {
      const client = this.client(url.origin);
      const query: Record<string, string> = {};
      url.searchParams.forEach((v, k) => (query[k] = v));
      const res = await client.request(url.pathname, {
        query: url.search ? query : undefined,
        headers: { accept: 'application/json, text/plain;q=0.9' },
        allowStatus: [503],
        maxResponseBytes: MAX_HEALTH_BYTES,
        signal: opts.signal,
      });
      const latencyMs = Math.round(performance.now() - t0);
      const text = res.body.toString('utf8');
      try {
        const body = parseDynamoHealth(text);
        return {
          ...base,
          ...body,
          outcome: isHealthyStatus(body.status) ? 'ok' : 'notHealthy',
          httpStatus: res.status,
          latencyMs,
        };
      } catch (err) {
        if (!(err instanceof TraceFormatError)) throw err;
        return {
          ...base,
          outcome: 'error',
          status: 'error',
          httpStatus: res.status,
          latencyMs,
          error: `${shown} answered HTTP ${res.status}, but not with a Dynamo health response (${err.message}): ${excerpt(text, 120)}`,
          errorKind: 'notHealth',
        };
      }
    } catch (err) {
      if (!isBackendError(err) || err.kind === 'cancelled') throw err;
      const unreachable = err.kind === 'unreachable' || err.kind === 'timeout';
      return {
        ...base,
        outcome: unreachable ? 'unreachable' : 'error',
        status: unreachable ? 'unreachable' : 'error',
        httpStatus: statusOf(err),
        error: err.message,
        errorKind: err.kind,
      };
    }
  }

  private client(origin: string): HttpClient {
    let c = this.clients.get(origin);
    if (!c) {
      try {
        // Field by field: a caller may hand in a whole ConnectionOptions, whose headers and tenant
        // belong to the backends and must not reach these servers.
        const { tls, timeouts, proxy, noProxy } = this.transport;
        c = new HttpClient({ backend: LABEL, baseUrl: origin, tls, timeouts, proxy, noProxy, retry: { maxTries: 1 }, onRequest: this.hooks.onRequest, onWarning: this.hooks.onWarning });
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ConfigError(LABEL, redactUrl(origin), err instanceof Error ? err.message : String(err));
      }
      this.clients.set(origin, c);
    }
    return c;
  }
}

function statusOf(err: BackendError): number | undefined {
  const s = (err as { status?: unknown }).status;
  return typeof s === 'number' ? s : undefined;
}

/** True when every result is healthy, ready or live. */
export function allHealthy(results: readonly DynamoHealthResult[]): boolean {
  return results.every((r) => r.outcome === 'ok');
}
