import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { environmentNames, resolveEnvironment } from '../../../src/core/backends/environments';
import { DEFAULT_TIMEOUTS, resolveTimeouts } from '../../../src/core/backends/options';

const local = { tempoUrl: 'http://localhost:3200', tenant: 'dev', headers: { 'X-Token': 'local-secret' }, timeouts: { headersMs: 9000 }, maxResponseSizeMB: 16 };

describe('environments', () => {
  it('local is the flat settings, defaults filled in', () => {
    const r = resolveEnvironment({ local: {}, environments: {}, active: 'local' });
    assert.equal(r.name, 'local');
    assert.deepEqual(Object.values(r.options.endpoints).map((e) => e!.url), ['http://localhost:3200', 'http://localhost:3100', 'http://localhost:9090']);
    assert.equal(r.options.maxResponseBytes, 64 * 1024 * 1024);
  });

  it('a named environment never inherits tenant, headers or TLS; tuning is inherited', () => {
    const r = resolveEnvironment({
      local,
      environments: { prod: { tempoUrl: 'https://tempo.prod', lokiUrl: 'https://loki.prod' } },
      active: 'prod',
      auth: { tempo: { kind: 'bearer', token: 't' } },
    });
    assert.equal(r.name, 'prod');
    assert.equal(r.options.tenant, undefined);
    assert.equal(r.options.headers, undefined);
    assert.deepEqual(r.options.timeouts, { headersMs: 9000 });
    assert.equal(r.options.maxResponseBytes, 16 * 1024 * 1024);
    assert.equal(r.options.endpoints.prometheus, undefined, 'no default URL outside local');
    assert.deepEqual(r.options.endpoints.tempo, { url: 'https://tempo.prod', auth: { kind: 'bearer', token: 't' } });
  });

  it('an undefined active environment falls back to local and says so', () => {
    const r = resolveEnvironment({ local, environments: { prod: {} }, active: 'staging' });
    assert.equal(r.name, 'local');
    assert.match(r.problems[0]!, /environment "staging" is not defined/);
  });

  it('wrong types in settings are skipped and reported', () => {
    const r = resolveEnvironment({
      local,
      environments: { bad: { tempoUrl: 42, headers: { 'Bad Name': 'x', 'X-Ok': 'y', 'X-Inject': 'a\r\nb' }, timeouts: { connectMs: -1 }, tls: 'no' } },
      active: 'bad',
    });
    assert.deepEqual(r.options.headers, { 'X-Ok': 'y' });
    assert.equal(r.problems.length, 5, r.problems.join('\n'));
  });

  it('unset flat timeouts do not reach the clients as undefined (which would replace the defaults)', () => {
    // readConnectionSettings gives every key; a setting cleared or set to 0 arrives as undefined.
    const r = resolveEnvironment({ local: { timeouts: { connectMs: undefined, headersMs: 9000, bodyMs: undefined } }, environments: {}, active: 'local' });
    assert.deepEqual(r.options.timeouts, { headersMs: 9000 });
    assert.deepEqual(resolveTimeouts(r.options.timeouts), { ...DEFAULT_TIMEOUTS, headersMs: 9000 });
    assert.deepEqual(resolveTimeouts({ connectMs: undefined, headersMs: 0, bodyMs: Number.NaN }), DEFAULT_TIMEOUTS);
  });

  it('names: local first, then settings order', () => {
    assert.deepEqual(environmentNames({ staging: {}, local: {}, prod: {} }), ['local', 'staging', 'prod']);
    assert.deepEqual(environmentNames('garbage'), ['local']);
  });
});
