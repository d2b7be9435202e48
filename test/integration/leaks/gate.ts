/**
 * The way to the backends for the leak test: an HTTP proxy that wants a password (CONNECT with
 * Proxy-Authorization, as undici's proxy agent sends it) and tunnels to a front that forwards
 * to the fakes or, per the current failure class, answers with the request's own headers echoed
 * back, resets, or never answers.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Failure } from './paths';

export interface Gate {
  /** `http://user:password@127.0.0.1:port` */
  readonly proxyUrl: string;
  failure: Failure;
  /** Requests that reached the front (through the proxy). */
  readonly seen: number;
  close(): Promise<void>;
}

function echo(req: IncomingMessage): string {
  return Object.entries(req.headers)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('\n');
}

export async function startGate(user: string, password: string): Promise<Gate> {
  const sockets = new Set<Socket>();
  let seen = 0;
  const state = { failure: 'ok' as Failure };
  const front: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen++;
    const said = echo(req);
    switch (state.failure) {
      case 'ok':
      case 'proxyRefuses': {
        const up = request({ host: '127.0.0.1', port: Number(req.headers.host?.split(':')[1]), method: req.method, path: req.url, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => res.destroy());
        req.pipe(up);
        return;
      }
      case 'unreachable':
        req.socket.destroy();
        return;
      case 'auth401':
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end(`unauthorized; you sent:\n${said}`);
        return;
      case 'auth403':
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', errorType: 'forbidden', error: `denied; you sent ${said}`, message: said }));
        return;
      case 'server5xx':
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end(`<html><body><h1>upstream down</h1><pre>${said}</pre></body></html>`);
        return;
      case 'timeout':
        return; // never answers; the client's timeout ends it
      case 'badBody':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><title>Sign in</title><body>${said}</body></html>`);
        return;
      case 'badJson':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', data: { resultType: said, result: said }, traces: said, version: 1, scopes: said, tagValues: [said] }));
        return;
    }
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', () => r()));
  const frontPort = (front.address() as AddressInfo).port;
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const proxy = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  proxy.on('connect', (req: IncomingMessage, client: Socket) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (req.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (state.failure === 'proxyRefuses') {
      const body = `cannot reach ${String(req.url)}; you sent:\n${echo(req)}`;
      client.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    // Every tunnel leads to the front, which reads the target from the Host header.
    const up = connect(frontPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.on('close', () => sockets.delete(up));
    up.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  return {
    proxyUrl: `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    get failure() {
      return state.failure;
    },
    set failure(f: Failure) {
      state.failure = f;
    },
    get seen() {
      return seen;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      front.closeAllConnections();
      proxy.closeAllConnections();
      await Promise.all([new Promise<void>((r) => front.close(() => r())), new Promise<void>((r) => proxy.close(() => r()))]);
    },
  };
}
