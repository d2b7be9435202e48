/**
 * A small HTTP server base for the contract fakes: loopback on an ephemeral port, request
 * recording, gzip like the real servers' handlers, and fault injection (faults.ts). `close()`
 * ends every connection and timer it created, so a test process exits promptly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { FaultPlan, applyFault } from './faults';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface FakeServer {
  readonly url: string;
  readonly port: number;
  readonly faults: FaultPlan;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export type Handler = (req: IncomingMessage, url: URL, body: Buffer) => Reply | Promise<Reply>;

export interface ServerOptions {
  readonly port?: number;
  readonly host?: string;
  /** Compress bodies of at least this many bytes when the client accepts gzip (like gzhttp). */
  readonly gzipMinBytes?: number;
}

export async function startServer(handler: Handler, opts: ServerOptions = {}): Promise<FakeServer> {
  const faults = new FaultPlan();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const gzipMin = opts.gzipMinBytes ?? 1400;
  // Handlers that cache a body (a 100k-span trace) return the same Buffer; compress it once.
  const gzipped = new WeakMap<Buffer, Buffer>();
  const server: Server = createServer((req, res) => {
    void serve(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers } });
    const fault = faults.take(url.pathname);
    if (fault?.kind === 'delay') await new Promise<void>((r) => faults.later(fault.ms, r));
    else if (fault && applyFault(fault, req, res, faults)) return;
    let reply: Reply;
    try {
      reply = await handler(req, url, Buffer.concat(chunks));
    } catch (err) {
      reply = { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `fake error: ${String(err)}\n` };
    }
    const headers: Record<string, string> = { ...reply.headers };
    let body = reply.body === undefined ? undefined : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body, 'utf8');
    const accepts = String(req.headers['accept-encoding'] ?? '');
    if (body && body.length >= gzipMin && /\bgzip\b/.test(accepts)) {
      const plain = body;
      body = gzipped.get(plain) ?? gzipSync(plain);
      if (Buffer.isBuffer(reply.body)) gzipped.set(plain, body);
      headers['content-encoding'] = 'gzip';
      headers.vary = 'Accept-Encoding';
    }
    if (body) headers['content-length'] = String(body.length);
    res.writeHead(reply.status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    requests,
    close: async () => {
      faults.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

/**
 * A loopback port that was free a moment ago, for a server that binds it next. The kernel hands
 * it out from the ephemeral range, so it is never a port below 1024.
 */
export async function freePort(): Promise<number> {
  const s = createServer();
  s.unref();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * The URL of a loopback port that refuses connections, and goes on refusing them for the whole
 * test. A freed ephemeral port does not: any later listen(0) may be given it, and a client that
 * connects to it from the ephemeral range may be handed that same port as its own end and so
 * connect to itself (TCP simultaneous open), which turns "connection refused" into a malformed
 * answer or a timeout. A privileged port is outside the ephemeral range, so neither can happen;
 * the first of a few that refuses now is taken. None is on the fetch standard's list of blocked
 * ports, so a client built on fetch sees the refusal, not its own "bad port" error.
 */
export async function refusedUrl(): Promise<string> {
  for (const port of REFUSED_CANDIDATES) if (await refuses(port)) return `http://127.0.0.1:${port}`;
  throw new Error(`every candidate port for "connection refused" accepts connections: ${REFUSED_CANDIDATES.join(', ')}`);
}

const REFUSED_CANDIDATES = [4, 2, 3, 5, 6, 8, 10, 12, 14, 16];

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** `--port N` from argv, for the standalone entry points. */
export function portFromArgv(argv: readonly string[], fallback: number): number {
  const i = argv.indexOf('--port');
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`bad --port ${argv[i + 1]}`);
  return v;
}
