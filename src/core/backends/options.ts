/**
 * Connection options shared by the CLI and the extension. Settings give everything except
 * credentials; credentials are passed in at run time (SecretStorage in the extension, environment
 * variables in the CLI) and never read from a settings file.
 */

export type BackendKind = 'tempo' | 'loki' | 'prometheus';

export const BACKENDS: readonly BackendKind[] = ['tempo', 'loki', 'prometheus'];

/** Names as a user reads them in messages. */
export const BACKEND_LABEL: Readonly<Record<BackendKind, string>> = {
  tempo: 'Tempo',
  loki: 'Loki',
  prometheus: 'Prometheus',
};

/** Defaults match the local Dynamo observability stack. */
export const DEFAULT_URLS: Readonly<Record<BackendKind, string>> = {
  tempo: 'http://localhost:3200',
  loki: 'http://localhost:3100',
  prometheus: 'http://localhost:9090',
};

export type Auth =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

export interface TlsOptions {
  /** PEM file with extra CA certificates to trust (read when the client is created). */
  readonly caFile?: string;
  /** PEM text, for callers that already hold it. */
  readonly ca?: string;
  /** Accept any certificate. Dangerous; the HTTP layer reports a warning when it is on. */
  readonly insecureSkipVerify?: boolean;
}

export interface Timeouts {
  /** TCP + TLS handshake. */
  readonly connectMs: number;
  /** From request sent to response headers received. */
  readonly headersMs: number;
  /** Longest silence between two body chunks. */
  readonly bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, headersMs: 30_000, bodyMs: 30_000 };

/**
 * Settings give each timeout separately and any may be missing or invalid; a plain spread would
 * let `{ connectMs: undefined }` replace the default and hand undici no timeout at all.
 */
export function resolveTimeouts(partial: Partial<Timeouts> | undefined): Timeouts {
  const pick = (k: keyof Timeouts): number => {
    const v = partial?.[k];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_TIMEOUTS[k];
  };
  return { connectMs: pick('connectMs'), headersMs: pick('headersMs'), bodyMs: pick('bodyMs') };
}
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface RetryOptions {
  /** Total tries including the first (at most 3 is the contract). */
  readonly maxTries: number;
  /** Base of the exponential back-off; each wait is a random fraction of base·2^n (full jitter). */
  readonly baseDelayMs: number;
  /** Ceiling for one wait, including a server's Retry-After; longer asks are not retried. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxTries: 3, baseDelayMs: 250, maxDelayMs: 10_000 };

/** One backend's endpoint plus what is specific to it. */
export interface EndpointOptions {
  readonly url: string;
  readonly auth?: Auth;
  /** Extra headers for this backend only; they override the shared ones. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides the shared tenant for this backend. */
  readonly tenant?: string;
}

/** How requests travel, shared by an environment's backends and by each HTTP client. */
export interface TransportOptions {
  /** Sent as X-Scope-OrgID; `a|b` federates where the server allows it. */
  readonly tenant?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly tls?: TlsOptions;
  readonly timeouts?: Partial<Timeouts>;
  readonly maxResponseBytes?: number;
  /** Proxy URL (the extension passes VS Code's `http.proxy`). */
  readonly proxy?: string;
  /** Comma-separated hosts that bypass the proxy (NO_PROXY syntax). */
  readonly noProxy?: string;
  readonly retry?: Partial<RetryOptions>;
}

/** Everything needed to talk to one environment (local, staging, prod …). */
export interface ConnectionOptions extends TransportOptions {
  readonly endpoints: Partial<Record<BackendKind, EndpointOptions>>;
  /** Tempo: ask for protobuf (smaller, faster) and fall back to JSON when the server can't. */
  readonly tempoProtobuf?: boolean;
}

/** One finished HTTP exchange, for a request log. The URL is already stripped of secrets. */
export interface RequestLogEntry {
  readonly backend: string;
  readonly method: string;
  readonly url: string;
  /** Absent when no response arrived (refused, timeout, cancelled). */
  readonly status?: number;
  readonly ms: number;
  /** Body bytes received (after decompression). */
  readonly bytes: number;
  /** 1 for the first try. */
  readonly attempt: number;
  /** Short error text when the exchange failed; never holds a secret. */
  readonly error?: string;
}

export interface HttpHooks {
  readonly onRequest?: (entry: RequestLogEntry) => void;
  /** Configuration that works but deserves a warning (e.g. TLS verification off). */
  readonly onWarning?: (message: string) => void;
}
