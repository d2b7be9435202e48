import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  environmentEditOf,
  environmentEndpoints,
  environmentNameProblem,
  environmentNames,
  resolveEnvironment,
  withEnvironment,
  type EnvironmentEdit,
} from '../../../src/core/backends/environments';
import { endpointUrlProblem } from '../../../src/core/backends/httpBody';
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

  it('names: local and capture first, then settings order', () => {
    assert.deepEqual(environmentNames({ staging: {}, local: {}, prod: {}, capture: {} }), ['local', 'capture', 'staging', 'prod']);
    assert.deepEqual(environmentNames('garbage'), ['local', 'capture']);
  });

  it('capture: Tempo and Loki at the capture\'s query endpoint, Prometheus as local has it, nothing else inherited', () => {
    const r = resolveEnvironment({
      local: { prometheusUrl: 'http://prom:9090', tenant: 'team', headers: { 'X-Key': 'v' }, timeouts: { connectMs: 900 } },
      environments: { capture: { tempoUrl: 'http://elsewhere' } },
      active: 'capture',
      captureUrl: 'http://127.0.0.1:3299',
    });
    assert.equal(r.name, 'capture');
    assert.equal(r.options.endpoints.tempo?.url, 'http://127.0.0.1:3299');
    assert.equal(r.options.endpoints.loki?.url, 'http://127.0.0.1:3299');
    assert.equal(r.options.endpoints.prometheus?.url, 'http://prom:9090');
    assert.equal(r.options.tenant, undefined);
    assert.equal(r.options.headers, undefined);
    assert.deepEqual(r.options.timeouts, { connectMs: 900 });
    assert.match(r.problems.join(), /spanlens\.environments\.capture is ignored/);
    const d = resolveEnvironment({ local: {}, environments: {}, active: 'capture' });
    assert.equal(d.options.endpoints.tempo?.url, 'http://127.0.0.1:3200');
    assert.equal(d.options.endpoints.prometheus?.url, 'http://localhost:9090');
  });
});

describe('editing environments without JSON', () => {
  const edit = (over: Partial<EnvironmentEdit> = {}): EnvironmentEdit => ({
    tempoUrl: 'https://tempo.staging',
    lokiUrl: '',
    prometheusUrl: 'https://prom.staging',
    tenant: 'team-a',
    tls: { caFile: '', insecureSkipVerify: false },
    ...over,
  });

  it('names: required, not "local", not taken (unless it is the one edited), no outer spaces', () => {
    assert.equal(environmentNameProblem('', ['local']), 'empty');
    assert.equal(environmentNameProblem('  ', ['local']), 'empty');
    assert.equal(environmentNameProblem(' prod', ['local']), 'spaces');
    assert.equal(environmentNameProblem('local', ['local']), 'reserved');
    assert.equal(environmentNameProblem('prod', ['local', 'prod']), 'taken');
    assert.equal(environmentNameProblem('prod', ['local', 'prod'], 'prod'), undefined);
    assert.equal(environmentNameProblem('local', ['local'], 'local'), undefined);
    assert.equal(environmentNameProblem('staging', ['local', 'prod']), undefined);
  });

  it('URLs: http or https, no credentials in them', () => {
    assert.equal(endpointUrlProblem('tempo:3200'), 'scheme');
    assert.equal(endpointUrlProblem('not a url'), 'notUrl');
    assert.equal(endpointUrlProblem('ftp://tempo'), 'scheme');
    assert.equal(endpointUrlProblem('https://user:pw@tempo'), 'credentials');
    assert.equal(endpointUrlProblem(' https://tempo.example.com/prefix '), undefined);
  });

  it('a new environment: only the fields set, at the end of the list', () => {
    const out = withEnvironment({ prod: { tempoUrl: 'https://tempo.prod' } }, 'staging', edit());
    assert.deepEqual(Object.keys(out), ['prod', 'staging']);
    assert.deepEqual(out.staging, { tempoUrl: 'https://tempo.staging', prometheusUrl: 'https://prom.staging', tenant: 'team-a' });
  });

  it('an edit keeps what the form does not show (headers, timeouts) and drops emptied fields', () => {
    const before = { staging: { tempoUrl: 'https://old', lokiUrl: 'https://loki', headers: { 'X-Env': 'stg' }, timeouts: { connectMs: 900 }, tls: { caFile: '/ca.pem' } } };
    const out = withEnvironment(before, 'staging', edit({ tls: { caFile: '', insecureSkipVerify: true } }));
    assert.deepEqual(out.staging, { tempoUrl: 'https://tempo.staging', prometheusUrl: 'https://prom.staging', tenant: 'team-a', headers: { 'X-Env': 'stg' }, timeouts: { connectMs: 900 }, tls: { insecureSkipVerify: true } });
    assert.deepEqual(before.staging.tls, { caFile: '/ca.pem' }, 'the input is not changed');
  });

  it('a rename keeps its place in the list', () => {
    const out = withEnvironment({ a: {}, staging: { tempoUrl: 'x' }, z: {} }, 'stage', edit(), 'staging');
    assert.deepEqual(Object.keys(out), ['a', 'stage', 'z']);
  });

  it('the form starts from the settings as written, wrong types read as empty', () => {
    assert.deepEqual(environmentEditOf({ prod: { tempoUrl: 'https://t', tenant: 7, tls: { caFile: '/c.pem', insecureSkipVerify: 'yes' } } }, 'prod'), {
      tempoUrl: 'https://t',
      lokiUrl: '',
      prometheusUrl: '',
      tenant: '',
      tls: { caFile: '/c.pem', insecureSkipVerify: false },
    });
    assert.deepEqual(environmentEditOf(undefined, 'nope').tempoUrl, '');
  });

  it('the switcher lists each environment with the endpoints it resolves to', () => {
    const input = { local: { lokiUrl: 'http://127.0.0.1:3101' }, environments: { prod: { tempoUrl: 'https://tempo.prod', prometheusUrl: 'https://prom.prod' } } };
    assert.deepEqual(environmentEndpoints(input, 'local'), [
      { backend: 'tempo', url: 'http://localhost:3200' },
      { backend: 'loki', url: 'http://127.0.0.1:3101' },
      { backend: 'prometheus', url: 'http://localhost:9090' },
    ]);
    assert.deepEqual(environmentEndpoints(input, 'prod').map((e) => e.backend), ['tempo', 'prometheus']);
    assert.deepEqual(environmentEndpoints(input, 'gone'), []);
  });
});
