import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, type HttpClientOptions } from '../../../src/core/backends/http';
import {
  AuthError,
  CancelledError,
  ConfigError,
  NotJsonError,
  QueryRejectedError,
  ServerError,
  TimeoutError,
  TooLargeError,
  UnreachableError,
} from '../../../src/core/backends/errors';
import type { RequestLogEntry } from '../../../src/core/backends/options';
import { refusedUrl, startServer, type FakeServer, type Reply } from '../../fakes/server';
import { leftoverHandles, watchedHandles } from '../../support/handles';

const BIG_JSON = JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ i, s: 'x'.repeat(20) })) });

describe('HttpClient against a faulty server', () => {
  let server: FakeServer;
  let baseline: string[];
  const clients: HttpClient[] = [];
  const log: RequestLogEntry[] = [];

  function client(extra: Partial<HttpClientOptions> = {}): HttpClient {
    const c = new HttpClient({
      backend: 'Loki',
      baseUrl: server.url,
      timeouts: { connectMs: 1000, headersMs: 300, bodyMs: 300 },
      retry: { baseDelayMs: 5, maxDelayMs: 2000 },
      onRequest: (e) => log.push(e),
      ...extra,
    });
    clients.push(c);
    return c;
  }

  before(async () => {
    baseline = watchedHandles();
    server = await startServer((_req, url): Reply => {
      if (url.pathname === '/big') return { status: 200, headers: { 'content-type': 'application/json' }, body: BIG_JSON };
      if (url.pathname === '/bad-query')
        return {
          status: 400,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
          body: 'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER',
        };
      if (url.pathname === '/prom-error')
        return {
          status: 400,
          headers: { 'content-type': 'application/json' },
          body: '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:4: parse error: unexpected end of input inside braces"}',
        };
      if (url.pathname === '/no-org') return { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'no org id\n' };
      if (url.pathname === '/echo-auth')
        return { status: 502, headers: { 'content-type': 'text/plain' }, body: `upstream said: ${String(_req.headers.authorization)}` };
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: url.pathname, q: url.search, h: _req.headers }) };
    });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
    for (const c of clients) assert.ok(c.isClosed);
    assert.deepEqual(await leftoverHandles(baseline), [], 'no socket, server or timer left behind');
  });

  it('sends auth, tenant, extra headers; decodes gzip; logs without secrets', async () => {
    const c = client({ auth: { kind: 'bearer', token: 'sekret-token-123' }, tenant: 'team-a', headers: { 'X-Extra': 'yes' } });
    const { value } = await c.json('/big');
    assert.equal((value as { items: unknown[] }).items.length, 2000);
    const last = server.requests.at(-1)!;
    assert.equal(last.headers.authorization, 'Bearer sekret-token-123');
    assert.equal(last.headers['x-scope-orgid'], 'team-a');
    assert.equal(last.headers['x-extra'], 'yes');
    assert.match(String(last.headers['accept-encoding']), /gzip/);
    const entry = log.at(-1)!;
    assert.equal(entry.status, 200);
    assert.equal(entry.bytes, BIG_JSON.length);
    assert.ok(!JSON.stringify(log).includes('sekret'));
  });

  it('keeps a base path prefix and encodes query arrays', async () => {
    const c = client({ baseUrl: `${server.url}/loki-gw/` });
    const { value } = await c.json('/loki/api/v1/series', { query: { 'match[]': ['{a="1"}', '{b="2"}'], start: 5n } });
    const v = value as { path: string; q: string };
    assert.equal(v.path, '/loki-gw/loki/api/v1/series');
    assert.equal(new URLSearchParams(v.q).getAll('match[]').length, 2);
  });

  it('refused → UnreachableError with URL and system error, not retried', async () => {
    const url = await refusedUrl();
    const c = client({ baseUrl: url });
    const before = log.length;
    await assert.rejects(c.json('/ready'), (e: unknown) => {
      assert.ok(e instanceof UnreachableError);
      assert.match(e.message, new RegExp(`Cannot reach Loki at ${url}/ready: connection refused \\(ECONNREFUSED\\)`));
      return true;
    });
    assert.equal(log.length - before, 1);
  });

  it('slow headers → TimeoutError(headers)', async () => {
    server.faults.add({ kind: 'slowHeaders', ms: 5000 });
    await assert.rejects(client().json('/x'), (e: unknown) => {
      assert.ok(e instanceof TimeoutError);
      assert.equal(e.phase, 'headers');
      assert.match(e.message, /timed out: no response within 300 ms \(headers timeout\)/);
      return true;
    });
  });

  it('slow body → TimeoutError(body)', async () => {
    server.faults.add({ kind: 'slowBody', ms: 5000 });
    await assert.rejects(client().json('/x'), (e: unknown) => e instanceof TimeoutError && e.phase === 'body');
  });

  it('reset mid-body is retried, then reported as a broken response', async () => {
    server.faults.add({ kind: 'resetMidBody' }, { times: 3 });
    const before = log.length;
    await assert.rejects(client().json('/x'), (e: unknown) => {
      assert.ok(e instanceof UnreachableError, String(e));
      assert.equal(e.phase, 'response');
      assert.match(e.message, /broke while reading the response/);
      return true;
    });
    assert.equal(log.length - before, 3, 'three tries');
    assert.equal(server.faults.pending, 0);
  });

  it('a reset followed by success recovers on retry', async () => {
    server.faults.add({ kind: 'resetMidBody' });
    const { value } = await client().json('/ok');
    assert.equal((value as { path: string }).path, '/ok');
  });

  it('503 twice then 200 recovers; 500 is not retried', async () => {
    server.faults.add({ kind: 'status', status: 503, body: 'Query Frontend not ready: not ready' }, { times: 2 });
    await client().json('/ok');
    server.faults.add({ kind: 'status', status: 500, body: 'querier error: boom' }, { times: 3 });
    await assert.rejects(client().json('/x'), (e: unknown) => {
      assert.ok(e instanceof ServerError);
      assert.equal(e.status, 500);
      assert.match(e.message, /failed with HTTP 500: querier error: boom/);
      return true;
    });
    assert.equal(server.faults.pending, 1, 'only one of the three 500s was consumed');
    server.faults.clear();
  });

  it('429 honours Retry-After, and a too-long Retry-After is surfaced instead of waited', async () => {
    server.faults.add({ kind: 'rateLimit', retryAfter: '0' });
    await client().json('/ok');
    server.faults.add({ kind: 'rateLimit', retryAfter: '120' });
    await assert.rejects(client().json('/x'), (e: unknown) => {
      assert.ok(e instanceof ServerError);
      assert.equal(e.status, 429);
      assert.equal(e.retryAfterMs, 120_000);
      assert.match(e.message, /rate-limiting requests \(HTTP 429: too many outstanding requests\)\. Try again in 120 s\./);
      return true;
    });
  });

  it('POST is never retried', async () => {
    server.faults.add({ kind: 'status', status: 503, body: 'busy' }, { times: 3 });
    await assert.rejects(client().json('/x', { method: 'POST', form: { query: '{a="b"}' } }), ServerError);
    assert.equal(server.faults.pending, 1);
    server.faults.clear();
  });

  it('HTML page → NotJsonError with the first bytes', async () => {
    server.faults.add({ kind: 'html' });
    await assert.rejects(client().json('/x'), (e: unknown) => {
      assert.ok(e instanceof NotJsonError);
      assert.match(e.message, /answered with text\/html; charset=utf-8 instead of JSON: "<!DOCTYPE html> <html lang="en"><head>/);
      return true;
    });
  });

  it('oversize body → TooLargeError while streaming and with Content-Length', async () => {
    server.faults.add({ kind: 'oversize', bytes: 5 * 1024 * 1024 });
    await assert.rejects(client({ maxResponseBytes: 1024 * 1024 }).json('/x'), (e: unknown) => {
      assert.ok(e instanceof TooLargeError);
      assert.match(e.message, /larger than the 1 MiB limit/);
      return true;
    });
    server.faults.add({ kind: 'oversize', bytes: 5 * 1024 * 1024, declareLength: true });
    await assert.rejects(client({ maxResponseBytes: 1024 * 1024 }).json('/x'), TooLargeError);
  });

  it('gzip bodies are capped on the decoded size', async () => {
    await assert.rejects(client({ maxResponseBytes: 10_000 }).json('/big'), TooLargeError);
  });

  it('400 text → QueryRejectedError verbatim; Prometheus envelope error is unwrapped', async () => {
    await assert.rejects(client().json('/bad-query'), (e: unknown) => {
      assert.ok(e instanceof QueryRejectedError);
      assert.equal(e.message, 'Loki rejected the query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER');
      return true;
    });
    await assert.rejects(client().json('/prom-error'), (e: unknown) => {
      assert.ok(e instanceof QueryRejectedError);
      assert.equal(e.serverMessage, 'invalid parameter "query": 1:4: parse error: unexpected end of input inside braces');
      return true;
    });
  });

  it('401 no org id → AuthError that asks for a tenant', async () => {
    await assert.rejects(client().json('/no-org'), (e: unknown) => {
      assert.ok(e instanceof AuthError);
      assert.ok(e.needsTenant);
      assert.ok(e.offerCredentials);
      assert.match(e.message, /needs a tenant \(HTTP 401: no org id\)/);
      return true;
    });
  });

  it('a secret echoed by a server never reaches a message', async () => {
    const c = client({ auth: { kind: 'basic', username: 'bob', password: 'hunter2-pass' } });
    await assert.rejects(c.json('/echo-auth'), (e: unknown) => {
      assert.ok(e instanceof ServerError);
      assert.ok(!e.message.includes('hunter2-pass'));
      assert.ok(!e.message.includes(Buffer.from('bob:hunter2-pass').toString('base64')));
      return true;
    });
  });

  it('cancellation → CancelledError, also during a back-off wait', async () => {
    server.faults.add({ kind: 'slowHeaders', ms: 5000 });
    const ac = new AbortController();
    const p = client({ timeouts: { headersMs: 10_000 } }).json('/x', { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(p, CancelledError);

    server.faults.add({ kind: 'rateLimit', retryAfter: '5' });
    const ac2 = new AbortController();
    const p2 = client({ retry: { maxDelayMs: 10_000 } }).json('/x', { signal: ac2.signal });
    setTimeout(() => ac2.abort(), 100);
    await assert.rejects(p2, CancelledError);
    server.faults.clear();
  });

  it('bad settings → ConfigError without echoing credentials', () => {
    assert.throws(() => new HttpClient({ backend: 'Tempo', baseUrl: 'localhost:3200' }), ConfigError);
    assert.throws(
      () => new HttpClient({ backend: 'Tempo', baseUrl: 'http://u:pw-secret@host:3200' }),
      (e: unknown) => e instanceof ConfigError && !e.message.includes('pw-secret'),
    );
    // A typo that makes the value unparsable must not let the password through either.
    for (const bad of ['http://u:pw-secret@ho st:3200', 'u:pw-secret@host:3200']) {
      assert.throws(() => new HttpClient({ backend: 'Tempo', baseUrl: bad }), (e: unknown) => e instanceof ConfigError && !e.message.includes('pw-secret'));
      assert.throws(() => new HttpClient({ backend: 'Tempo', baseUrl: 'http://h', proxy: bad }), (e: unknown) => !(e as Error).message.includes('pw-secret'));
    }
  });

  it('a malformed percent-encoding in the proxy password is a ConfigError, not a URIError, and hides the password', () => {
    for (const proxy of ['http://user:p%zzsecret@127.0.0.1:3128', 'http://user:50%-off-secret@127.0.0.1:3128', 'http://user:%E0%A4%Asecret@127.0.0.1:3128']) {
      assert.throws(
        () => new HttpClient({ backend: 'Loki', baseUrl: 'http://127.0.0.1:3100', proxy }),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError, `${proxy}: ${String(e)}`);
          assert.match(e.message, /proxy setting .* has a password with a malformed percent-encoding; write a literal % as %25/);
          assert.doesNotMatch(e.message, /secret/);
          return true;
        },
      );
    }
  });

  it('a CA file is only read by HttpClient.create (asynchronously); a missing one is a ConfigError naming it', async () => {
    assert.throws(() => new HttpClient({ backend: 'Tempo', baseUrl: 'http://h', tls: { caFile: '/nonexistent/ca.pem' } }), /was not loaded; create the client with HttpClient\.create/);
    await assert.rejects(
      HttpClient.create({ backend: 'Tempo', baseUrl: 'http://h', tls: { caFile: '/nonexistent/ca.pem' } }),
      (e: unknown) => e instanceof ConfigError && /The CA file \/nonexistent\/ca\.pem does not exist/.test(e.message),
    );
  });

  it('skip-TLS-verify on https warns', async () => {
    const warnings: string[] = [];
    const c = new HttpClient({ backend: 'Tempo', baseUrl: 'https://127.0.0.1:1', tls: { insecureSkipVerify: true }, onWarning: (w) => warnings.push(w) });
    await c.close();
    assert.match(warnings[0] ?? '', /TLS certificate verification is OFF for Tempo at https:\/\/127\.0\.0\.1:1/);
  });
});
