/**
 * Credentials bound to their origin: the decision table for a stored credential against the
 * endpoint the settings now name, the migration of entries saved without an origin, approvals,
 * and the stored format (old and new).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Auth } from '../../../src/core/backends/options';
import { loadExtensionModule } from './load';

interface StoredCredential {
  readonly auth: Exclude<Auth, { kind: 'none' }>;
  readonly origin?: string;
  readonly approved: readonly string[];
}
type Decision = { kind: 'use' } | { kind: 'bind'; origin: string } | { kind: 'ask'; savedFor?: string; target: string } | { kind: 'withhold' };
const m = loadExtensionModule<{
  originOf(url: string | undefined): string | undefined;
  decideCredential(c: StoredCredential, url: string | undefined, userOrigin: string | undefined): Decision;
  approve(c: StoredCredential, target: string, savedFor?: string): StoredCredential;
  serializeCredential(c: StoredCredential): string;
  parseCredential(raw: string | undefined): StoredCredential | undefined;
}>('backends/credentialOrigin');

const token: StoredCredential['auth'] = { kind: 'bearer', token: 't0ken-value' };
const bound = (origin: string, approved: string[] = []): StoredCredential => ({ auth: token, origin, approved });
const legacy: StoredCredential = { auth: token, approved: [] };

describe('credential origin', () => {
  it('origin is scheme, host and port, default ports left out; path, query and user-info do not count', () => {
    assert.equal(m.originOf('https://tempo.corp/tempo/api?x=1'), 'https://tempo.corp');
    assert.equal(m.originOf('https://tempo.corp:443'), 'https://tempo.corp');
    assert.equal(m.originOf('http://tempo.corp:80/'), 'http://tempo.corp');
    assert.equal(m.originOf('https://TEMPO.corp:8443'), 'https://tempo.corp:8443');
    assert.equal(m.originOf('ftp://tempo.corp'), undefined);
    assert.equal(m.originOf('not a url'), undefined);
    assert.equal(m.originOf(undefined), undefined);
  });

  const cases: [string, StoredCredential, string | undefined, string | undefined, Decision][] = [
    ['same origin, another path', bound('https://tempo.corp'), 'https://tempo.corp:443/gateway/tempo', undefined, { kind: 'use' }],
    ['another host', bound('https://tempo.corp'), 'https://evil.example', 'https://tempo.corp', { kind: 'ask', savedFor: 'https://tempo.corp', target: 'https://evil.example' }],
    ['another port', bound('https://tempo.corp'), 'https://tempo.corp:8443', undefined, { kind: 'ask', savedFor: 'https://tempo.corp', target: 'https://tempo.corp:8443' }],
    ['https → http (a downgrade is another origin)', bound('https://tempo.corp'), 'http://tempo.corp', undefined, { kind: 'ask', savedFor: 'https://tempo.corp', target: 'http://tempo.corp' }],
    ['an approved other origin', bound('https://tempo.corp', ['https://tempo-dr.corp']), 'https://tempo-dr.corp/', undefined, { kind: 'use' }],
    ['saved without origin, the user\'s own settings name this endpoint: tie it there', legacy, 'https://tempo.corp/x', 'https://tempo.corp', { kind: 'bind', origin: 'https://tempo.corp' }],
    ['saved without origin, a workspace setting points elsewhere', legacy, 'https://evil.example', 'https://tempo.corp', { kind: 'ask', savedFor: 'https://tempo.corp', target: 'https://evil.example' }],
    ['saved without origin, the user\'s settings do not define the environment', legacy, 'https://tempo.corp', undefined, { kind: 'ask', target: 'https://tempo.corp' }],
    ['saved without origin but approved there before', { ...legacy, approved: ['https://tempo.corp'] }, 'https://tempo.corp', undefined, { kind: 'use' }],
    ['no usable endpoint URL', bound('https://tempo.corp'), 'tempo.corp:3200', undefined, { kind: 'withhold' }],
    ['no endpoint at all', bound('https://tempo.corp'), undefined, undefined, { kind: 'withhold' }],
  ];
  for (const [name, stored, url, user, want] of cases) {
    it(name, () => assert.deepEqual(m.decideCredential(stored, url, user), want));
  }

  it('approving records the other origin once; an entry without origin takes the one it was saved for', () => {
    const a = m.approve(bound('https://tempo.corp'), 'https://tempo-dr.corp');
    assert.deepEqual(a, bound('https://tempo.corp', ['https://tempo-dr.corp']));
    assert.deepEqual(m.approve(a, 'https://tempo-dr.corp'), a);
    assert.deepEqual(m.approve(legacy, 'https://evil.example', 'https://tempo.corp'), bound('https://tempo.corp', ['https://evil.example']));
    assert.deepEqual(m.approve(legacy, 'https://tempo.corp'), bound('https://tempo.corp'));
    assert.equal(m.decideCredential(m.approve(legacy, 'https://evil.example', 'https://tempo.corp'), 'https://evil.example', undefined).kind, 'use');
  });

  it('stored format: new entries round-trip, old ones (no origin) still read, damaged ones are absent', () => {
    const c = bound('https://tempo.corp', ['https://tempo-dr.corp']);
    assert.deepEqual(m.parseCredential(m.serializeCredential(c)), c);
    assert.deepEqual(m.parseCredential('{"kind":"basic","username":"u","password":"p"}'), { auth: { kind: 'basic', username: 'u', password: 'p' }, origin: undefined, approved: [] });
    assert.deepEqual(m.parseCredential('{"kind":"bearer","token":"t","origin":"https://H:443/path","approved":["http://x:80",7]}'), {
      auth: { kind: 'bearer', token: 't' },
      origin: 'https://h',
      approved: ['http://x'],
    });
    for (const bad of [undefined, '', 'not json', 'null', '{"kind":"bearer"}', '{"kind":"none"}']) assert.equal(m.parseCredential(bad), undefined, String(bad));
  });
});
