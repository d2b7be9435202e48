/**
 * The local capture as one object: OTLP receivers on gRPC and HTTP, the embedded store, and the
 * Tempo- and Loki-compatible query endpoint, on loopback by default. The extension runs it in a
 * worker thread, `spanlens serve` in its own process. A port that is taken fails the start with
 * a PortInUseError naming the port, its role and, when the system tells, the process holding it.
 */
import * as grpc from '@grpc/grpc-js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lokiRoute } from './api/loki';
import { text, type ApiRequest, type Reply } from './api/http';
import { tempoRoute } from './api/tempo';
import { CaptureLog } from './persist';
import { findPortOwner, type PortOwner } from './portOwner';
import { ROLE_LABEL, type PortRole } from './roles';

export { ROLE_LABEL, type PortRole } from './roles';
import { createGrpcServer } from './receiver/otlpGrpc';
import { otlpHttpHandler } from './receiver/otlpHttp';
import { ingestRequest, type Encoding, type Signal } from './receiver/otlpIngest';
import { CaptureStore, DEFAULT_LIMITS, type StoreCounts, type StoreLimits } from './store/store';


export interface CapturePorts {
  readonly grpc: number;
  readonly http: number;
  readonly query: number;
}

export interface CaptureOptions {
  /** Interface to listen on; loopback unless the user says otherwise (`spanlens serve --host`). */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly ports: CapturePorts;
  readonly limits?: StoreLimits;
  /** Folder to keep captures in across restarts. */
  readonly persistDir?: string;
  /** Largest OTLP request accepted (decompressed), default 16 MiB. */
  readonly maxRequestBytes?: number;
  /** What /api/status/buildinfo and Loki's buildinfo report. */
  readonly version?: string;
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly role: PortRole,
    readonly host: string,
    readonly port: number,
    readonly owner?: PortOwner,
  ) {
    super(
      `port ${port} (${ROLE_LABEL[role]}) on ${host} is already in use${owner ? ` by ${owner.command} (pid ${owner.pid})` : ''}; stop it or choose another port`,
    );
  }
}


export interface RecentTrace {
  readonly traceId: string;
  readonly rootService?: string;
  readonly rootName?: string;
  /** Unix ns as a decimal string (crosses worker and JSON boundaries). */
  readonly start: string;
  readonly durationNs: string;
  readonly spans: number;
  readonly errors: number;
}

export interface CaptureStats extends StoreCounts {
  /** Per second, over the last few seconds. */
  readonly spansPerSec: number;
  readonly logsPerSec: number;
}

/** Per-second buckets over the last WINDOW seconds. */
class Rate {
  private static readonly WINDOW = 5;
  private readonly buckets = new Map<number, number>();
  add(n: number, nowMs = Date.now()): void {
    const s = Math.floor(nowMs / 1000);
    this.buckets.set(s, (this.buckets.get(s) ?? 0) + n);
    for (const k of this.buckets.keys()) if (k <= s - Rate.WINDOW - 1) this.buckets.delete(k);
  }
  perSecond(nowMs = Date.now()): number {
    const s = Math.floor(nowMs / 1000);
    let n = 0;
    // Whole seconds only: the current one is still filling.
    for (let k = s - Rate.WINDOW; k < s; k++) n += this.buckets.get(k) ?? 0;
    return n / Rate.WINDOW;
  }
}

export class CaptureServer {
  readonly store: CaptureStore;
  private readonly spanRate = new Rate();
  private readonly logRate = new Rate();
  private readonly listeners = new Set<(traceIds: readonly string[]) => void>();

  private constructor(
    readonly host: string,
    readonly ports: CapturePorts,
    store: CaptureStore,
    private readonly grpcServer: grpc.Server,
    private readonly httpServer: Server,
    private readonly queryServer: Server,
    private readonly log: CaptureLog | undefined,
  ) {
    this.store = store;
  }

  /** Listens on all three ports (replaying the persisted captures first), or fails having opened none. */
  static async start(opts: CaptureOptions): Promise<CaptureServer> {
    const host = opts.host ?? '127.0.0.1';
    const limits = opts.limits ?? DEFAULT_LIMITS;
    const store = new CaptureStore(limits);
    const maxRequestBytes = opts.maxRequestBytes ?? 16 * 1024 * 1024;
    const version = opts.version ?? 'spanlens-capture';
    let log: CaptureLog | undefined;
    if (opts.persistDir) {
      log = new CaptureLog(opts.persistDir, Math.max(2 * limits.maxBytes, 64 * 1024 * 1024));
      for (const r of log.replay()) {
        try {
          ingestRequest(store, r.signal, r.encoding, r.body);
        } catch {
          // A record this version cannot read is skipped, not fatal.
        }
      }
    }
    let self: CaptureServer | undefined;
    const onIngest = (signal: Signal, accepted: number, traceIds: readonly string[], encoding: Encoding, body: Uint8Array): void => {
      if (!self) return;
      (signal === 'traces' ? self.spanRate : self.logRate).add(accepted);
      if (accepted > 0) self.log?.append(signal, encoding, body);
      if (traceIds.length) for (const l of self.listeners) l(traceIds);
    };
    const grpcServer = createGrpcServer(store, { maxRequestBytes, onIngest: (s, n, ids, body) => onIngest(s, n, ids, 'protobuf', body) });
    const httpServer = createServer(otlpHttpHandler(store, { maxRequestBytes, onIngest }));
    const queryServer = createServer((req, res) => void serveQuery(store, version, req, res));
    const opened: (() => Promise<void>)[] = [];
    try {
      const grpcPort = await bindGrpc(grpcServer, host, opts.ports.grpc);
      opened.push(() => new Promise((r) => grpcServer.tryShutdown(() => r())));
      const httpPort = await listen(httpServer, host, opts.ports.http, 'http');
      opened.push(() => closeHttp(httpServer));
      const queryPort = await listen(queryServer, host, opts.ports.query, 'query');
      opened.push(() => closeHttp(queryServer));
      self = new CaptureServer(host, { grpc: grpcPort, http: httpPort, query: queryPort }, store, grpcServer, httpServer, queryServer, log);
      return self;
    } catch (err) {
      for (const close of opened.reverse()) await close();
      log?.close();
      throw err;
    }
  }

  /** Base URL of the query endpoint (Tempo and Loki alike). */
  get queryUrl(): string {
    const h = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${h}:${this.ports.query}`;
  }

  /** Calls `fn` with the ids of traces each accepted batch touched; returns the unsubscribe. */
  onTraces(fn: (traceIds: readonly string[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  stats(): CaptureStats {
    return { ...this.store.counts(), spansPerSec: this.spanRate.perSecond(), logsPerSec: this.logRate.perSecond() };
  }

  /** The newest traces by arrival, for the Captures view. */
  recentTraces(limit: number): RecentTrace[] {
    const table = this.store.spans;
    const out: RecentTrace[] = [];
    for (const t of table.newestFirst()) {
      if (out.length >= limit) break;
      const root = t.root >= 0 ? table.span(t.root, t.id) : undefined;
      out.push({
        traceId: t.id,
        rootService: root?.resource.serviceName,
        rootName: root?.name,
        start: String(t.start),
        durationNs: String(t.end - t.start),
        spans: t.rows.length,
        errors: t.errors,
      });
    }
    return out;
  }

  setLimits(limits: StoreLimits): void {
    this.store.setLimits(limits);
  }

  clear(): void {
    this.store.clear();
    this.log?.clear();
  }

  async close(): Promise<void> {
    await Promise.all([
      new Promise<void>((r) => this.grpcServer.tryShutdown(() => r())),
      closeHttp(this.httpServer),
      closeHttp(this.queryServer),
    ]);
    this.log?.close();
  }
}

function bindGrpc(server: grpc.Server, host: string, port: number): Promise<number> {
  const addr = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(addr, grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (!err) return resolve(bound);
      reject(/EADDRINUSE|address already in use|No address added/i.test(err.message) ? new PortInUseError('grpc', host, port, findPortOwner(port)) : err);
    });
  });
}

function listen(server: Server, host: string, port: number, role: PortRole): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.removeListener('listening', onListening);
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(role, host, port, findPortOwner(port)) : err);
    };
    const onListening = (): void => {
      server.removeListener('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((r) => {
    server.close(() => r());
    server.closeAllConnections?.();
  });
}

const MAX_QUERY_BODY = 1024 * 1024;

async function serveQuery(store: CaptureStore, version: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let reply: Reply;
  try {
    const url = new URL(req.url ?? '/', 'http://capture');
    let body = '';
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      let n = 0;
      for await (const c of req) {
        n += (c as Buffer).length;
        if (n > MAX_QUERY_BODY) break;
        chunks.push(c as Buffer);
      }
      body = Buffer.concat(chunks).toString('utf8');
    }
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const api: ApiRequest = { method: req.method ?? 'GET', path: url.pathname, params: url.searchParams, headers };
    if (api.path === '/ready') reply = text(200, 'ready\n');
    else reply = tempoRoute(store, api, version) ?? lokiRoute(store, api, version, body) ?? text(404, '404 page not found\n');
  } catch (err) {
    reply = text(500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
  }
  res.writeHead(reply.status, reply.headers ?? {});
  res.end(reply.body);
}
