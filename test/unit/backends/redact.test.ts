import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Scrubber, excerpt, isSecretHeader, redactUrl } from '../../../src/core/backends/redact';
import { retryAfterMs } from '../../../src/core/backends/http';

describe('redaction', () => {
  it('strips user-info and credential-looking query values, keeps the rest', () => {
    assert.equal(redactUrl('https://bob:pw@h.example/x?query=up&api_key=abc&token=t'), 'https://***@h.example/x?query=up&api_key=***&token=***');
    assert.equal(redactUrl('http://localhost:3200/api/search?q=%7B%7D&limit=20'), 'http://localhost:3200/api/search?q=%7B%7D&limit=20');
    assert.equal(redactUrl('not a url but a very long pasted secret value 1234567890'), 'not a url but a very long pasted secret …');
  });

  it('strips credentials from values that are not valid URLs (they end up in ConfigError messages)', () => {
    assert.equal(redactUrl('http://user:s3cret@ho st:3200'), 'http://***@ho st:3200');
    assert.equal(redactUrl('http://user:s3cret@host:99999'), 'http://***@host:99999');
    assert.equal(redactUrl('user:s3cret@localhost:3200'), '***@localhost:3200');
    assert.equal(redactUrl('http://ho st/x?token=abc&q=1'), 'http://ho st/x?token=***&q=1');
    assert.equal(redactUrl('mailto:x'), 'mailto:x');
  });

  it('scrubs every known secret, longest first, and ignores tiny values', () => {
    const s = new Scrubber().add('abc', 'hunter2', 'hunter2-extended', undefined);
    assert.equal(s.scrub('x hunter2-extended y hunter2 abc'), 'x *** y *** abc');
  });

  it('knows which headers hold credentials', () => {
    for (const h of ['Authorization', 'X-Api-Key', 'x-auth-token', 'Cookie']) assert.ok(isSecretHeader(h), h);
    for (const h of ['X-Scope-OrgID', 'Accept']) assert.ok(!isSecretHeader(h), h);
  });

  it('bounds and flattens untrusted text', () => {
    assert.equal(excerpt('a\u0000b\n\n c', 10), 'a b c');
    assert.equal(excerpt('x'.repeat(20), 5), 'xxxxx…');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 5000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });
});
