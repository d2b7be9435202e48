/**
 * A small HTTP server base for the contract fakes: loopback on an ephemeral port, request
 * recording, gzip like the real servers' handlers, and fault injection (faults.ts). `close()`
 * ends every connection and timer it created, so a test process exits promptly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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

/** The URL of a loopback port that nothing listens on (for "connection refused"). */
export async function refusedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

/** `--port N` from argv, for the standalone entry points. */
export function portFromArgv(argv: readonly string[], fallback: number): number {
  const i = argv.indexOf('--port');
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`bad --port ${argv[i + 1]}`);
  return v;
}
