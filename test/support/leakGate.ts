/**
 * The way to the backends for the leak tests: an HTTP proxy that wants a password (CONNECT with
 * Proxy-Authorization, as undici's proxy agent sends it) and tunnels to a front that forwards
 * to the fakes or, per the current failure class, answers with the request's own headers echoed
 * back, resets, or never answers.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * How the way to a backend fails. Every one that answers echoes the request's headers back in
 * its body, as misbehaving proxies and debug endpoints do, so a message quoting the body would
 * carry the credentials.
 */
export type Failure = 'ok' | 'unreachable' | 'proxyRefuses' | 'auth401' | 'auth403' | 'server5xx' | 'timeout' | 'badBody' | 'badJson';

export const FAILURES: readonly Failure[] = ['ok', 'unreachable', 'proxyRefuses', 'auth401', 'auth403', 'server5xx', 'timeout', 'badBody', 'badJson'];

/** The secrets the leak tests set, chosen to contain characters that need encoding. */
export const SECRETS = {
  token: 'tok-Zq8s1Lk3pVw9',
  user: 'leak-user',
  password: 'pw-Hx72!kd@9s&x',
  proxyUser: 'proxy-user',
  proxyPassword: 'px-Pa55%w0rd:/@',
} as const;

/** Every spelling a secret could leak in: raw, percent-encoded, base64 of user:password. */
export const SECRET_FORMS: readonly string[] = [SECRETS.token, SECRETS.password, SECRETS.proxyPassword]
  .flatMap((s) => [s, encodeURIComponent(s)])
  .concat(Buffer.from(`${SECRETS.user}:${SECRETS.password}`).toString('base64'), Buffer.from(`${SECRETS.proxyUser}:${SECRETS.proxyPassword}`).toString('base64'));

/** The secret forms found in `text`. */
export function leaks(text: string): string[] {
  return SECRET_FORMS.filter((f) => text.includes(f));
}

export interface Gate {
  /** `http://user:password@127.0.0.1:port` */
  readonly proxyUrl: string;
  failure: Failure;
  /** Requests that reached the front (through the proxy). */
  readonly seen: number;
  /** CONNECTs the proxy was asked for, refused or not. */
  readonly connects: number;
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
  let connects = 0;
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
    connects++;
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
      // Pooled tunnels would carry the next requests past the proxy's new behaviour: end them.
      for (const s of sockets) s.destroy();
    },
    get seen() {
      return seen;
    },
    get connects() {
      return connects;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      front.closeAllConnections();
      proxy.closeAllConnections();
      await Promise.all([new Promise<void>((r) => front.close(() => r())), new Promise<void>((r) => proxy.close(() => r()))]);
    },
  };
}
