/**
 * The one HTTP layer every backend client goes through (undici 7). It owns the connection pool
 * (undici's Agent keeps one Pool per origin), timeouts per phase, cancellation, bounded retries
 * for idempotent GETs, a response-size cap enforced while the body streams in, gzip, auth,
 * tenant and extra headers, TLS and proxy settings — and it turns every failure into a typed
 * error from errors.ts with no secret in its message.
 */
import { rootCertificates } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import {
  AuthError,
  BackendError,
  CancelledError,
  ConfigError,
  NotFoundError,
  NotJsonError,
  QueryRejectedError,
  ServerError,
  TimeoutError,
  TooLargeError,
  UnreachableError,
  describeSystemError,
} from './errors';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_RETRY,
  type Auth,
  type HttpHooks,
  type RetryOptions,
  type Timeouts,
  type TransportOptions,
  resolveTimeouts,
} from './options';
import { Scrubber, excerpt, isSecretHeader, redactUrl } from './redact';
import { CaFileError, loadTls } from './tls';
import { encodeParams, flattenHeaders, parseBaseUrl, readCapped, retryAfterMs, stripTags, type QueryValue } from './httpBody';

export { retryAfterMs, type QueryValue };

export interface HttpClientOptions extends HttpHooks, TransportOptions {
  /** Name used in messages: "Tempo", "Loki", "Prometheus". */
  readonly backend: string;
  /** May carry a path prefix (a gateway's `/tempo`); user-info in it is refused. */
  readonly baseUrl: string;
  readonly auth?: Auth;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** POST body as application/x-www-form-urlencoded. */
  readonly form?: Readonly<Record<string, QueryValue>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Statuses the caller interprets itself (e.g. Tempo's 404 for the v1 fallback). */
  readonly allowStatus?: readonly number[];
  readonly maxResponseBytes?: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly body: Buffer;
  /** Redacted origin + path, for messages. */
  readonly url: string;
}

const RETRY_STATUS = new Set([429, 502, 503, 504]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export class HttpClient {
  readonly backend: string;
  /** The X-Scope-OrgID sent, for messages ("not found for tenant …"). */
  readonly tenant: string | undefined;
  private readonly base: URL;
  private readonly dispatcher: Dispatcher;
  private readonly timeouts: Timeouts;
  private readonly retry: RetryOptions;
  private readonly maxBytes: number;
  private readonly baseHeaders: Record<string, string>;
  private readonly scrubber = new Scrubber();
  private readonly hooks: HttpHooks;
  private closed = false;

  /** Builds a client, reading `tls.caFile` first (asynchronously); settings that cannot work reject with ConfigError. */
  static async create(opts: HttpClientOptions): Promise<HttpClient> {
    if (!opts.tls?.caFile) return new HttpClient(opts);
    let tls: HttpClientOptions['tls'];
    try {
      tls = await loadTls(opts.tls);
    } catch (err) {
      if (err instanceof CaFileError) throw new ConfigError(opts.backend, redactUrl(opts.baseUrl), err.message);
      throw err;
    }
    return new HttpClient({ ...opts, tls });
  }

  /** Needs `tls.ca` as text when a CA is wanted: see create() for `tls.caFile`. */
  constructor(opts: HttpClientOptions) {
    this.backend = opts.backend;
    this.tenant = opts.tenant || undefined;
    this.hooks = opts;
    this.base = parseBaseUrl(opts.backend, opts.baseUrl);
    this.timeouts = resolveTimeouts(opts.timeouts);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.retry = { ...this.retry, maxTries: Math.max(1, Math.min(3, this.retry.maxTries)) };
    this.maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.baseHeaders = this.buildHeaders(opts);
    this.dispatcher = this.buildDispatcher(opts);
  }

  /** The base URL without secrets, for display. */
  get displayUrl(): string {
    return redactUrl(this.base.toString()).replace(/\/$/, '');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes the pool: idle sockets go at once, busy ones after their response. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dispatcher.close();
  }

  /** Any status outside 2xx (and `allowStatus`) becomes a typed error. */
  async request(path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const method = opts.method ?? 'GET';
    const target = this.resolve(path, opts.query);
    const shown = redactUrl(`${target.origin}${target.pathname}`);
    const logged = redactUrl(target.toString());
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let res: HttpResponse;
      try {
        res = await this.once(method, target, shown, opts);
      } catch (err) {
        const typed = this.toTyped(err, shown, opts.signal);
        this.log({ method, url: logged, ms: performance.now() - started, bytes: 0, attempt, error: typed.message });
        const code = (err as { code?: string }).code;
        if (method === 'GET' && attempt < this.retry.maxTries && code && RESET_CODES.has(code)) {
          await this.wait(this.backoff(attempt), shown, opts.signal);
          continue;
        }
        throw typed;
      }
      this.log({ method, url: logged, status: res.status, ms: performance.now() - started, bytes: res.body.length, attempt });
      // A status the caller reads itself (503 from /ready = "not ready") is an answer, not a fault.
      const expected = opts.allowStatus?.includes(res.status) ?? false;
      if (method === 'GET' && !expected && RETRY_STATUS.has(res.status) && attempt < this.retry.maxTries) {
        const asked = retryAfterMs(res.headers['retry-after']);
        if (asked === undefined || asked <= this.retry.maxDelayMs) {
          await this.wait(asked ?? this.backoff(attempt), shown, opts.signal);
          continue;
        }
      }
      if ((res.status >= 200 && res.status < 300) || expected) return res;
      throw this.statusError(res);
    }
  }

  /** GET/POST and parse JSON; a body that is not JSON becomes NotJsonError. */
  async json(path: string, opts: RequestOptions = {}): Promise<{ value: unknown; response: HttpResponse }> {
    const response = await this.request(path, {
      ...opts,
      headers: { accept: 'application/json', ...opts.headers },
    });
    return { value: this.parseJson(response), response };
  }

  parseJson(res: HttpResponse): unknown {
    let text = res.body.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const first = /\S/.exec(text)?.[0];
    if (first === '{' || first === '[') {
      try {
        return JSON.parse(text);
      } catch {
        // Truncated or corrupt JSON: report like any other non-JSON body.
      }
    }
    throw this.notJson(res);
  }

  /** The NotJsonError for a body that is not JSON at all (a proxy's HTML page, a login form). */
  notJson(res: Pick<HttpResponse, 'url' | 'status' | 'contentType' | 'body'>): NotJsonError {
    const text = Buffer.from(res.body.buffer, res.body.byteOffset, Math.min(res.body.byteLength, 4096)).toString('utf8');
    return new NotJsonError(this.backend, res.url, res.status, excerpt(res.contentType, 80), this.scrub(excerpt(text, 120)));
  }

  /** The server's error text: Prometheus' JSON `error`, else the body (tags stripped if HTML). */
  serverText(res: HttpResponse): string {
    const text = res.body.toString('utf8');
    if (/json/i.test(res.contentType) || /^\s*\{/.test(text)) {
      try {
        const v = JSON.parse(text) as { error?: unknown; message?: unknown };
        if (typeof v.error === 'string') return this.scrub(v.error.trim());
        if (typeof v.message === 'string') return this.scrub(v.message.trim());
      } catch {
        // fall through to the raw text
      }
    }
    const plain = /html/i.test(res.contentType) || /^\s*</.test(text) ? stripTags(text) : text;
    return this.scrub(excerpt(plain, 500));
  }

  statusError(res: HttpResponse): BackendError {
    const detail = this.serverText(res);
    if (res.status === 401 || res.status === 403) return new AuthError(this.backend, res.url, res.status, detail);
    if (res.status === 404) return new NotFoundError(this.backend, res.url);
    if (res.status === 400 || res.status === 422) return new QueryRejectedError(this.backend, res.url, res.status, detail);
    return new ServerError(this.backend, res.url, res.status, detail, retryAfterMs(res.headers['retry-after']));
  }

  /** For messages built by clients: replaces any known secret value. */
  scrub(text: string): string {
    return this.scrubber.scrub(text);
  }

  private async once(method: string, target: URL, shown: string, opts: RequestOptions): Promise<HttpResponse> {
    if (this.closed) throw new CancelledError(this.backend, shown);
    opts.signal?.throwIfAborted();
    const headers: Record<string, string> = { ...this.baseHeaders };
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
    let body: string | undefined;
    if (opts.form) {
      body = encodeParams(opts.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await this.dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal: opts.signal,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
    });
    const resHeaders = flattenHeaders(res.headers);
    const cap = opts.maxResponseBytes ?? this.maxBytes;
    const encoding = (resHeaders['content-encoding'] ?? '').toLowerCase();
    const declared = Number(resHeaders['content-length']);
    if (!encoding && Number.isFinite(declared) && declared > cap) {
      res.body.destroy();
      throw new TooLargeError(this.backend, shown, cap);
    }
    const buf = await readCapped(res.body, encoding, cap, () => new TooLargeError(this.backend, shown, cap));
    return {
      status: res.statusCode,
      headers: resHeaders,
      contentType: resHeaders['content-type'] ?? '',
      body: buf,
      url: shown,
    };
  }

  private toTyped(err: unknown, shown: string, signal: AbortSignal | undefined): BackendError {
    if (err instanceof BackendError) return err;
    if (signal?.aborted) return new CancelledError(this.backend, shown);
    const e = err as { code?: string; message?: string; name?: string; cause?: { code?: string; message?: string } };
    const code = e.code ?? e.cause?.code;
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new TimeoutError(this.backend, shown, 'connect', this.timeouts.connectMs);
      case 'UND_ERR_HEADERS_TIMEOUT':
        return new TimeoutError(this.backend, shown, 'headers', this.timeouts.headersMs);
      case 'UND_ERR_BODY_TIMEOUT':
        return new TimeoutError(this.backend, shown, 'body', this.timeouts.bodyMs);
      case 'UND_ERR_ABORTED':
      case 'ABORT_ERR': {
        // undici reports a proxy that refuses the tunnel as an abort; nobody cancelled anything.
        const refused = /^Proxy response \((\d{3})\)/.exec(e.message ?? '');
        if (refused) {
          const status = Number(refused[1]);
          const why =
            status === 407
              ? 'the proxy refused its credentials (HTTP 407); check the user and password in http.proxy'
              : `the proxy refused to connect to it (HTTP ${status})`;
          return new UnreachableError(this.backend, shown, why, `PROXY_${status}`);
        }
        return new CancelledError(this.backend, shown);
      }
      case 'UND_ERR_INVALID_ARG':
        return new ConfigError(this.backend, shown, `Invalid request settings for ${this.backend}: ${this.scrub(e.message ?? '')}`);
      case 'Z_DATA_ERROR':
      case 'Z_BUF_ERROR':
        return new UnreachableError(this.backend, shown, 'corrupt compressed response', code, 'response');
      default: {
        const text = this.scrub(e.cause?.message ?? e.message ?? String(err));
        const phase = e.name === 'SocketError' || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' ? 'response' : 'connect';
        return new UnreachableError(this.backend, shown, describeSystemError(code, text), code, phase);
      }
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.random() * ceiling;
  }

  private async wait(ms: number, shown: string, signal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(ms, undefined, signal ? { signal } : undefined);
    } catch {
      throw new CancelledError(this.backend, shown);
    }
  }

  private log(entry: Omit<Parameters<NonNullable<HttpHooks['onRequest']>>[0], 'backend'>): void {
    try {
      this.hooks.onRequest?.({ backend: this.backend, ...entry, ms: Math.round(entry.ms) });
    } catch {
      // A logging hook must never break a request.
    }
  }

  private resolve(path: string, query: RequestOptions['query']): URL {
    const prefix = this.base.pathname.replace(/\/$/, '');
    const u = new URL(this.base.origin);
    u.pathname = `${prefix}${path.startsWith('/') ? path : `/${path}`}`;
    if (query) u.search = encodeParams(query).toString();
    return u;
  }

  private buildHeaders(opts: HttpClientOptions): Record<string, string> {
    const h: Record<string, string> = { 'accept-encoding': 'gzip, deflate', 'user-agent': 'spanlens' };
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      h[k.toLowerCase()] = v;
      if (isSecretHeader(k)) this.scrubber.add(v);
    }
    if (opts.tenant) h['x-scope-orgid'] = opts.tenant;
    const auth = opts.auth ?? { kind: 'none' };
    if (auth.kind === 'basic') {
      const b64 = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      h.authorization = `Basic ${b64}`;
      this.scrubber.add(auth.password, b64);
    } else if (auth.kind === 'bearer') {
      h.authorization = `Bearer ${auth.token}`;
      this.scrubber.add(auth.token);
    }
    return h;
  }

  private buildDispatcher(opts: HttpClientOptions): Dispatcher {
    const tls = opts.tls ?? {};
    if (tls.caFile && tls.ca === undefined) {
      // Reading the file is async (HttpClient.create, createBackends): a constructor cannot wait.
      throw new ConfigError(opts.backend, this.displayUrl, `The CA file ${tls.caFile} was not loaded; create the client with HttpClient.create().`);
    }
    let ca: string[] | undefined;
    // A custom `ca` replaces Node's store; keep the public roots so other hosts still verify.
    if (tls.ca) ca = [...rootCertificates, tls.ca];
    const rejectUnauthorized = !tls.insecureSkipVerify;
    if (tls.insecureSkipVerify && this.base.protocol === 'https:') {
      opts.onWarning?.(
        `TLS certificate verification is OFF for ${opts.backend} at ${this.displayUrl}: anyone on the network path can read and alter this traffic.`,
      );
    }
    const connect = { timeout: this.timeouts.connectMs, ca, rejectUnauthorized };
    const common = { connect, connections: 8, keepAliveTimeout: 4_000 };
    if (opts.proxy) {
      let proxy: URL;
      try {
        proxy = new URL(opts.proxy);
      } catch {
        throw new ConfigError(opts.backend, this.displayUrl, `The proxy setting "${redactUrl(opts.proxy)}" is not a valid URL.`);
      }
      let password: string;
      try {
        password = decodeURIComponent(proxy.password);
      } catch {
        // A stray % in the password (e.g. "p%zz") is no percent-encoding: URIError, not a setting error, until now.
        throw new ConfigError(
          opts.backend,
          this.displayUrl,
          `The proxy setting "${redactUrl(opts.proxy)}" has a password with a malformed percent-encoding; write a literal % as %25.`,
        );
      }
      this.scrubber.add(password, proxy.password);
      return new EnvHttpProxyAgent({
        ...common,
        httpProxy: opts.proxy,
        httpsProxy: opts.proxy,
        noProxy: opts.noProxy ?? '',
        requestTls: { ca, rejectUnauthorized, timeout: this.timeouts.connectMs },
        proxyTls: { timeout: this.timeouts.connectMs },
      });
    }
    return new Agent(common);
  }
}
