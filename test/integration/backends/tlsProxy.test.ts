/**
 * TLS and proxy settings of the HTTP layer against real servers: an HTTPS server with a fresh
 * self-signed CA (made with the openssl CLI), and a CONNECT proxy that records what went through.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttps, type Server as HttpsServer } from 'node:https';
import { createServer as createHttp, type Server as HttpServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '../../../src/core/backends/http';
import { ConfigError, UnreachableError } from '../../../src/core/backends/errors';
import { createBackends } from '../../../src/core/backends';
import { leftoverHandles, watchedHandles } from '../../support/handles';

describe('TLS and proxy', () => {
  let dir: string;
  let https: HttpsServer;
  let plain: HttpServer;
  let proxy: HttpServer;
  let httpsUrl: string;
  let plainUrl: string;
  let proxyUrl: string;
  const tunnelled: string[] = [];
  const sockets = new Set<Socket>();
  let baseline: string[];

  before(async () => {
    baseline = watchedHandles();
    dir = mkdtempSync(join(tmpdir(), 'spanlens-tls-'));
    const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Spanlens Test CA');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    ssl('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.pem', '-days', '2', '-extfile', 'ext.cnf');
    const answer = (_req: unknown, res: import('node:http').ServerResponse): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"success","data":{"version":"2.42.0"}}');
    };
    https = createHttps({ key: readFileSync(join(dir, 'srv.key')), cert: readFileSync(join(dir, 'srv.pem')) }, answer);
    plain = createHttp(answer);
    proxy = createHttp((_req, res) => {
      res.writeHead(405);
      res.end();
    });
    proxy.on('connect', (req, client: Socket) => {
      tunnelled.push(String(req.url));
      const [host, port] = String(req.url).split(':');
      const upstream = connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
    });
    for (const s of [https, plain, proxy]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
    plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    for (const s of [https, plain, proxy]) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(await leftoverHandles(baseline), []);
  });

  async function once(c: HttpClient): Promise<unknown> {
    try {
      return (await c.json('/api/v1/status/buildinfo')).value;
    } finally {
      await c.close();
    }
  }

  it('an untrusted certificate is unreachable with the TLS reason and what to do', async () => {
    await assert.rejects(once(new HttpClient({ backend: 'Prometheus', baseUrl: httpsUrl })), (e: unknown) => {
      assert.ok(e instanceof UnreachableError);
      assert.match(e.message, /certificate/);
      assert.match(e.message, /Add the server's CA file in the TLS settings/);
      return true;
    });
  });

  it('a custom CA file makes it trusted (public roots still kept)', async () => {
    const v = await once(await HttpClient.create({ backend: 'Prometheus', baseUrl: httpsUrl, tls: { caFile: join(dir, 'ca.pem') } }));
    assert.deepEqual(v, { status: 'success', data: { version: '2.42.0' } });
  });

  it('a CA file that is missing, a folder, not PEM, DER or a broken PEM block: a ConfigError saying which', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'this is not a certificate\n');
    execFileSync('openssl', ['x509', '-in', join(dir, 'ca.pem'), '-outform', 'der', '-out', join(dir, 'ca.der')]);
    const pem = readFileSync(join(dir, 'ca.pem'), 'utf8');
    writeFileSync(join(dir, 'broken.pem'), pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!!!!!!!!!!!!!!!!!'));
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.pem'), /does not exist/],
      [dir, /is a folder/],
      [join(dir, 'notes.txt'), /is not PEM: it holds no "-----BEGIN CERTIFICATE-----" block/],
      [join(dir, 'ca.der'), /It looks like DER \(binary\); convert it with: openssl x509 -inform der/],
      [join(dir, 'broken.pem'), /has a certificate that does not parse \(block 1 of 1\)/],
    ];
    for (const [caFile, why] of cases) {
      await assert.rejects(HttpClient.create({ backend: 'Prometheus', baseUrl: httpsUrl, tls: { caFile } }), (e: unknown) => {
        assert.ok(e instanceof ConfigError, `${caFile}: ${String(e)}`);
        assert.match(e.message, why);
        assert.ok(e.message.includes(caFile), 'names the file');
        return true;
      });
    }
    // Through createBackends (the CLI and the extension): read once, every backend reports it, health says so.
    const backends = await createBackends({
      endpoints: { tempo: { url: httpsUrl }, prometheus: { url: httpsUrl } },
      tls: { caFile: join(dir, 'notes.txt') },
    });
    assert.equal(backends.tempo, undefined);
    assert.match(backends.configErrors.prometheus?.message ?? '', /is not PEM/);
    const health = await backends.health();
    assert.deepEqual(health.map((h) => [h.backend, h.state, h.errorKind]), [['tempo', 'error', 'config'], ['prometheus', 'error', 'config']]);
    await backends.close();
  });

  it('skip-verify works and warns', async () => {
    const warnings: string[] = [];
    await once(new HttpClient({ backend: 'Prometheus', baseUrl: httpsUrl, tls: { insecureSkipVerify: true }, onWarning: (w) => warnings.push(w) }));
    assert.equal(warnings.length, 1);
  });

  it('requests go through the proxy (https and http targets); noProxy bypasses it', async () => {
    tunnelled.length = 0;
    await once(await HttpClient.create({ backend: 'Prometheus', baseUrl: httpsUrl, proxy: proxyUrl, tls: { caFile: join(dir, 'ca.pem') } }));
    await once(new HttpClient({ backend: 'Loki', baseUrl: plainUrl, proxy: proxyUrl }));
    assert.deepEqual(tunnelled, [new URL(httpsUrl).host, new URL(plainUrl).host]);
    await once(new HttpClient({ backend: 'Loki', baseUrl: plainUrl, proxy: proxyUrl, noProxy: '127.0.0.1' }));
    assert.equal(tunnelled.length, 2, 'bypassed');
  });

  it('a proxy that refuses the tunnel (407 wrong password, 502) is unreachable with the reason, not "cancelled"', async () => {
    const refusing = createHttp();
    refusing.on('connect', (req, client: Socket) => {
      client.end(String(req.headers['proxy-authorization']).length > 10 ? 'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n' : 'HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', () => r()));
    const port = (refusing.address() as AddressInfo).port;
    try {
      for (const [proxy, why] of [
        [`http://127.0.0.1:${port}`, /the proxy refused its credentials \(HTTP 407\); check the user and password in http\.proxy/],
        [`http://user:a-long-password@127.0.0.1:${port}`, /the proxy refused to connect to it \(HTTP 502\)/],
      ] as const) {
        await assert.rejects(once(new HttpClient({ backend: 'Loki', baseUrl: plainUrl, proxy, retry: { maxTries: 1 } })), (e: unknown) => {
          assert.ok(e instanceof UnreachableError, String(e));
          assert.match(e.message, why);
          assert.doesNotMatch(e.message, /a-long-password/);
          return true;
        });
      }
    } finally {
      refusing.closeAllConnections();
      await new Promise<void>((r) => refusing.close(() => r()));
    }
  });

  it('a proxy URL with credentials never shows them', async () => {
    await assert.rejects(
      once(new HttpClient({ backend: 'Loki', baseUrl: 'http://127.0.0.1:1', proxy: 'http://user:pr0xy-secret@127.0.0.1:1', timeouts: { connectMs: 500 } })),
      (e: unknown) => e instanceof UnreachableError && !e.message.includes('pr0xy-secret'),
    );
  });
});
