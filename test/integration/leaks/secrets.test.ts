/**
 * Nothing leaks: with a bearer token, a basic-auth password and a proxy password set, every
 * command path (paths.ts: each `spanlens` invocation, each core client call) runs against the
 * Tempo and Loki fakes and a real Prometheus, through a password-protected proxy, once per
 * failure class — success, unreachable, a refusing proxy, 401, 403, 5xx, timeout, a login page,
 * JSON of the wrong shape — where every answer echoes the request's headers back. No secret, in
 * any spelling (raw, percent-encoded, base64 of user:password), may appear in CLI output, an
 * error (message or any field), a request-log line, a warning or a health result.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { createBackends } from '../../../src/core/backends';
import type { Auth, ConnectionOptions, RequestLogEntry } from '../../../src/core/backends/options';
import { parseTraceValue } from '../../../src/core/formats';
import { startLokiFake, type LokiFake } from '../../fakes/loki';
import { startPrometheus, type PrometheusHarness } from '../../fakes/prometheus';
import { startTempoFake, type TempoFake } from '../../fakes/tempo';
import { cli } from '../../support/cli';
import { generateTrace, requestIdFor } from '../../support/synth';
import { generatedLogs } from '../../fuzz/seeds';
import { leaks, SECRETS, startGate, type Gate } from '../../support/leakGate';
import { CLI_PATHS, CORE_PATHS, FAILURES, type PathContext } from './paths';

const { token: TOKEN, user: USER, password: PASSWORD, proxyUser: PROXY_USER, proxyPassword: PROXY_PASSWORD } = SECRETS;

const AUTH_MODES: readonly { readonly name: string; readonly env: Record<string, string>; readonly auth: Auth }[] = [
  { name: 'bearer', env: { SPANLENS_BEARER_TOKEN: TOKEN }, auth: { kind: 'bearer', token: TOKEN } },
  { name: 'basic', env: { SPANLENS_BASIC_USER: USER, SPANLENS_BASIC_PASSWORD: PASSWORD }, auth: { kind: 'basic', username: USER, password: PASSWORD } },
];

const ENV_KEYS = ['SPANLENS_BEARER_TOKEN', 'SPANLENS_BASIC_USER', 'SPANLENS_BASIC_PASSWORD', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'SPANLENS_TENANT'];

async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

describe('no secret leaks from any command path or failure', { timeout: 300_000 }, () => {
  let tempo: TempoFake;
  let loki: LokiFake;
  let prom: PrometheusHarness;
  let gate: Gate;
  let ctx: PathContext;
  let workspace: string;

  before(async () => {
    const otlp = generateTrace({ spans: 12, seed: 5, startUnixNano: BigInt(Date.now() - 600_000) * 1_000_000n });
    const model = parseTraceValue(otlp).traces[0]!;
    tempo = await startTempoFake({ traces: [{ otlp }] });
    loki = await startLokiFake({ entries: generatedLogs(), authEnabled: false });
    prom = await startPrometheus({ backfillHours: 1 });
    gate = await startGate(PROXY_USER, PROXY_PASSWORD);
    // A workspace holding the span's source file, so `spanlens source` succeeds in the ok class.
    workspace = mkdtempSync(join(tmpdir(), 'spanlens-leaks-'));
    for (const a of model.spans[0]!.attributes) {
      if (/^code\.(file\.path|filepath)$/.test(a.key) && typeof a.value === 'string') {
        const file = join(workspace, a.value.replace(/^\/+/, ''));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, '// source\n'.repeat(2000));
      }
    }
    ctx = { tempo: tempo.url, loki: loki.url, prom: prom.url, traceId: model.traceId, spanId: model.spans[0]!.spanId, requestId: requestIdFor(5), workspace };
  });

  after(async () => {
    await gate?.close();
    await tempo?.close();
    await loki?.close();
    await prom?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  for (const mode of AUTH_MODES) {
    test(`CLI, ${mode.name} auth: ${CLI_PATHS.length} paths × ${FAILURES.length} failure classes`, async () => {
      const found: string[] = [];
      for (const failure of FAILURES) {
        gate.failure = failure;
        for (const path of CLI_PATHS) {
          const before = gate.seen;
          const argv = [...path.argv(ctx), ...(path.connection === false ? [] : ['--tempo', ctx.tempo, '--loki', ctx.loki, '--prom', ctx.prom, '--timeout', '700'])];
          const r = await withEnv({ ...mode.env, HTTPS_PROXY: gate.proxyUrl, HTTP_PROXY: gate.proxyUrl, NO_PROXY: '' }, () => cli(...argv));
          for (const f of leaks(`${r.stdout}\n${r.stderr}`)) found.push(`${path.name} / ${failure}: output holds ${JSON.stringify(f)}`);
          if (failure === 'ok' && path.succeeds !== false) assert.equal(r.code, 0, `${path.name} should succeed: ${r.stderr}`);
          else if (failure !== 'proxyRefuses') assert.ok(gate.seen > before, `${path.name} / ${failure}: requests went through the proxy`);
        }
      }
      assert.deepEqual(found, []);
    });
  }

  test(`core: ${CORE_PATHS.length} client calls × ${FAILURES.length} failure classes, errors, request log, warnings and results`, async () => {
    const found: string[] = [];
    for (const failure of FAILURES) {
      gate.failure = failure;
      const log: RequestLogEntry[] = [];
      const warnings: string[] = [];
      const conn: ConnectionOptions = {
        endpoints: {
          tempo: { url: ctx.tempo, auth: { kind: 'bearer', token: TOKEN } },
          loki: { url: ctx.loki, auth: { kind: 'basic', username: USER, password: PASSWORD } },
          prometheus: { url: ctx.prom, auth: { kind: 'bearer', token: TOKEN } },
        },
        headers: { 'X-Api-Token': TOKEN },
        timeouts: { connectMs: 700, headersMs: 700, bodyMs: 700 },
        proxy: gate.proxyUrl,
        noProxy: '',
        retry: { baseDelayMs: 5 },
      };
      const backends = await createBackends(conn, { onRequest: (e) => log.push(e), onWarning: (w) => warnings.push(w) });
      try {
        for (const path of CORE_PATHS) {
          let shown: string;
          try {
            shown = inspect(await path.run(backends, ctx), { depth: 8 });
          } catch (err) {
            shown = `${String(err)}\n${inspect(err, { depth: 8, showHidden: true })}\n${JSON.stringify(err)}`;
          }
          for (const f of leaks(shown)) found.push(`${path.name} / ${failure}: ${JSON.stringify(f)} in ${shown.slice(0, 200)}`);
        }
      } finally {
        await backends.close();
      }
      for (const f of leaks(JSON.stringify(log))) found.push(`request log / ${failure}: ${JSON.stringify(f)}`);
      for (const f of leaks(warnings.join('\n'))) found.push(`warnings / ${failure}: ${JSON.stringify(f)}`);
      if (failure === 'ok') assert.ok(log.some((e) => e.status === 200), 'the ok class really reached the backends');
    }
    assert.deepEqual(found, []);
  });
});
