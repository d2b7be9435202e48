/**
 * Every way a backend request can fail, as a typed error whose message says what happened and
 * what to do. Fields stay structured (kind, backend, url, status, detail) so the extension can
 * show a localised message and offer actions (e.g. "Set Credentials…" for `auth`). URLs here are
 * always redacted and free text is scrubbed by the HTTP layer before it gets here.
 */

export type BackendErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'notFound'
  | 'queryRejected'
  | 'tooLarge'
  | 'notJson'
  | 'badResponse'
  | 'server'
  | 'cancelled'
  | 'config';

export abstract class BackendError extends Error {
  abstract readonly kind: BackendErrorKind;
  constructor(
    /** "Tempo", "Loki", "Prometheus". */
    readonly backend: string,
    /** The request URL without secrets. */
    readonly url: string,
    message: string,
  ) {
    super(message);
  }
}

const SYSTEM_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNABORTED: 'connection aborted',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not issued by a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer not trusted',
  CERT_HAS_EXPIRED: 'certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  EPROTO: 'TLS protocol error (is this an http:// server behind an https:// URL?)',
};

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** "connection refused (ECONNREFUSED)" from a system error code, or the raw text. */
export function describeSystemError(code: string | undefined, fallback: string): string {
  if (code && SYSTEM_TEXT[code]) return `${SYSTEM_TEXT[code]} (${code})`;
  return code ? `${fallback} (${code})` : fallback;
}

/** No connection, or the connection broke before the whole response arrived. */
export class UnreachableError extends BackendError {
  readonly kind = 'unreachable';
  constructor(
    backend: string,
    url: string,
    /** e.g. "connection refused (ECONNREFUSED)". */
    readonly systemError: string,
    readonly code: string | undefined,
    /** 'connect': never got a response; 'response': it broke while reading the body. */
    readonly phase: 'connect' | 'response' = 'connect',
  ) {
    const advice =
      code && TLS_CODES.has(code)
        ? 'Add the server\'s CA file in the TLS settings (or, only on a network you trust, turn on "skip TLS verification").'
        : phase === 'response'
          ? 'Try again; if it keeps happening, a proxy or the server is cutting the response.'
          : 'Check that the server is running and the URL is right.';
    super(
      backend,
      url,
      phase === 'response'
        ? `The connection to ${backend} at ${url} broke while reading the response: ${systemError}. ${advice}`
        : `Cannot reach ${backend} at ${url}: ${systemError}. ${advice}`,
    );
  }
}

export type TimeoutPhase = 'connect' | 'headers' | 'body';

export class TimeoutError extends BackendError {
  readonly kind = 'timeout';
  constructor(
    backend: string,
    url: string,
    readonly phase: TimeoutPhase,
    readonly timeoutMs: number,
  ) {
    const what =
      phase === 'connect'
        ? 'could not connect'
        : phase === 'headers'
          ? 'no response'
          : 'the response stalled (no data)';
    super(
      backend,
      url,
      `${backend} at ${url} timed out: ${what} within ${formatMs(timeoutMs)} (${phase} timeout). ` +
        'Narrow the query or time range, or raise the timeout in the settings.',
    );
  }
}

/** 401/403. `offerCredentials` tells the UI to offer "Set Credentials…". */
export class AuthError extends BackendError {
  readonly kind = 'auth';
  readonly offerCredentials = true;
  /** True when the server said it needs a tenant (`no org id`), not a password. */
  readonly needsTenant: boolean;
  constructor(
    backend: string,
    url: string,
    readonly status: number,
    readonly detail: string,
  ) {
    const needsTenant = /no org id/i.test(detail);
    const said = detail ? `: ${detail}` : '';
    const msg = needsTenant
      ? `${backend} at ${url} needs a tenant (HTTP ${status}${said}). Set the tenant (X-Scope-OrgID) for this environment.`
      : status === 403
        ? `${backend} at ${url} refused access (HTTP 403 Forbidden${said}). Check the credentials and the tenant.`
        : `${backend} at ${url} requires authentication (HTTP 401 Unauthorized${said}). Set credentials for this backend.`;
    super(backend, url, msg);
    this.needsTenant = needsTenant;
  }
}

export class NotFoundError extends BackendError {
  readonly kind = 'notFound';
  readonly status = 404;
  constructor(backend: string, url: string, message?: string) {
    super(backend, url, message ?? `${backend} at ${url} has no such resource (HTTP 404). Check the URL and path prefix.`);
  }
}

/** A trace id that the server does not hold, with what was searched. */
export class TraceNotFoundError extends NotFoundError {
  constructor(
    backend: string,
    url: string,
    readonly traceId: string,
    readonly searched: string,
  ) {
    super(backend, url, `Trace ${traceId} was not found in ${backend} at ${url} (${searched}).`);
  }
}

/** 400/422: the server's own text (a TraceQL, LogQL or PromQL error) shown verbatim. */
export class QueryRejectedError extends BackendError {
  readonly kind = 'queryRejected';
  constructor(
    backend: string,
    url: string,
    readonly status: number,
    readonly serverMessage: string,
  ) {
    super(backend, url, `${backend} rejected the query: ${serverMessage}`);
  }
}

export class TooLargeError extends BackendError {
  readonly kind = 'tooLarge';
  constructor(
    backend: string,
    url: string,
    readonly limitBytes: number,
  ) {
    super(
      backend,
      url,
      `The response from ${backend} at ${url} is larger than the ${formatBytes(limitBytes)} limit. ` +
        'Narrow the query or time range, or raise the response size limit in the settings.',
    );
  }
}

/** The body is not JSON: often an HTML login page or a proxy's error page. */
export class NotJsonError extends BackendError {
  readonly kind = 'notJson';
  constructor(
    backend: string,
    url: string,
    readonly status: number,
    readonly contentType: string,
    /** The first bytes, printable and bounded. */
    readonly firstBytes: string,
  ) {
    super(
      backend,
      url,
      `${backend} at ${url} answered with ${contentType || 'no content type'} instead of JSON: "${firstBytes}". ` +
        'Is the URL pointing at a login page or a proxy instead of the API?',
    );
  }
}

/** Valid JSON of a shape the client does not know (wrong server, unsupported version). */
export class BadResponseError extends BackendError {
  readonly kind = 'badResponse';
  constructor(
    backend: string,
    url: string,
    readonly detail: string,
  ) {
    super(backend, url, `${backend} at ${url} sent a response Spanlens does not understand: ${detail}. Is this really a ${backend} server?`);
  }
}

/** 5xx, 429 after retries, and any other unexpected status. */
export class ServerError extends BackendError {
  readonly kind = 'server';
  constructor(
    backend: string,
    url: string,
    readonly status: number,
    readonly bodyExcerpt: string,
    readonly retryAfterMs?: number,
  ) {
    const said = bodyExcerpt ? `: ${bodyExcerpt}` : '';
    super(
      backend,
      url,
      status === 429
        ? `${backend} at ${url} is rate-limiting requests (HTTP 429${said}).` +
            (retryAfterMs !== undefined ? ` Try again in ${formatMs(retryAfterMs)}.` : ' Try again later.')
        : `${backend} at ${url} failed with HTTP ${status}${said}`,
    );
  }
}

export class CancelledError extends BackendError {
  readonly kind = 'cancelled';
  constructor(backend: string, url: string) {
    super(backend, url, `The request to ${backend} was cancelled.`);
  }
}

/** Settings that cannot work (bad URL, unreadable CA file). */
export class ConfigError extends BackendError {
  readonly kind = 'config';
  constructor(backend: string, url: string, detail: string) {
    super(backend, url, detail);
  }
}

export function isBackendError(e: unknown): e is BackendError {
  return e instanceof BackendError;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
