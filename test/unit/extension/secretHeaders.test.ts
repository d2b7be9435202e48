import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadExtensionModule } from './load';

const { looksSecret, secretHeaders } = loadExtensionModule<{
  looksSecret(name: string): boolean;
  secretHeaders(headers: unknown, environments: unknown): { setting: string; header: string }[];
}>('backends/secretHeaders');

describe('secret-looking headers in settings', () => {
  it('credential header names, any case', () => {
    for (const name of ['Authorization', 'authorization', 'Proxy-Authorization', 'X-API-Key', 'x-api_key', 'apikey', 'X-Auth-Token', 'X-Grafana-Secret', 'Cookie', 'X-Password']) {
      assert.equal(looksSecret(name), true, name);
    }
  });

  it('ordinary header names are left alone', () => {
    for (const name of ['X-Scope-OrgID', 'Accept', 'User-Agent', 'X-Request-Id', 'Cache-Control', 'X-Authorized-By']) {
      assert.equal(looksSecret(name), false, name);
    }
  });

  it('scans the flat headers and every environment, naming the setting but never the value', () => {
    const found = secretHeaders(
      { Authorization: 'Bearer abc', 'X-Scope-OrgID': 'dev' },
      { prod: { tempoUrl: 'https://t', headers: { 'X-API-Key': 'k' } }, staging: { headers: { Accept: 'x' } }, broken: 'not an object' },
    );
    assert.deepEqual(found, [
      { setting: 'spanlens.headers', header: 'Authorization' },
      { setting: 'spanlens.environments.prod.headers', header: 'X-API-Key' },
    ]);
    assert.ok(!JSON.stringify(found).includes('Bearer abc'));
  });

  it('nothing configured, nothing found', () => {
    assert.deepEqual(secretHeaders(undefined, {}), []);
    assert.deepEqual(secretHeaders([], null), []);
  });
});
