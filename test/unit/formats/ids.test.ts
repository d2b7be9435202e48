import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spanIdToHex, traceIdToHex } from '../../../src/core/model/ids';

test('trace ids: hex of any case and length up to 32 become 32 lowercase hex', () => {
  const cases: [string, string | undefined][] = [
    ['5B8EFFF798038103D269B633813FC60C', '5b8efff798038103d269b633813fc60c'],
    ['5b8efff798038103d269b633813fc60c', '5b8efff798038103d269b633813fc60c'],
    // Jaeger / Zipkin 64-bit trace ids
    ['a03ee8fff1dcd9b9', '0000000000000000a03ee8fff1dcd9b9'],
    // Tempo search strips leading zeros
    ['d6e9329d67b6146a', '0000000000000000d6e9329d67b6146a'],
    ['abc', '00000000000000000000000000000abc'],
    ['', undefined],
    ['5b8efff798038103d269b633813fc60c0', undefined], // 33 chars
    ['5b8efff798038103d269b633813fc6zz', undefined],
    ['5b8efff798038103d269b633813fc6é0', undefined],
  ];
  for (const [input, want] of cases) assert.equal(traceIdToHex(input), want, input);
});

test('trace ids: Tempo base64 (24 chars, ==) decodes to the same hex', () => {
  // A Tempo base64 trace id, checked against Buffer's decoder.
  const b64 = 'W47/95gDgQPSabYzgT/HAA==';
  assert.equal(traceIdToHex(b64), Buffer.from(b64, 'base64').toString('hex'));
  assert.equal(traceIdToHex(b64), '5b8efff798038103d269b633813fc700');
  // An 8-byte trace id in base64 is left-padded like its hex form.
  assert.equal(traceIdToHex('oD7o//Hc2bk='), '0000000000000000a03ee8fff1dcd9b9');
  for (const bad of ['W47/95gDgQPSabYzgT/HA==', 'W47/95gDgQPSabYzgT/H!A==', 'W47=95gDgQPSabYzgT/HAA==', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=']) {
    assert.equal(traceIdToHex(bad), undefined, bad);
  }
});

test('span ids: hex up to 16 and base64 of 8 bytes (12 chars, =)', () => {
  assert.equal(spanIdToHex('EEE19B7EC3C1B174'), 'eee19b7ec3c1b174');
  assert.equal(spanIdToHex('1'), '0000000000000001');
  assert.equal(spanIdToHex('7uGbfsPBsQA='), 'eee19b7ec3c1b100');
  assert.equal(spanIdToHex('7uGbfsPBsQA='), Buffer.from('7uGbfsPBsQA=', 'base64').toString('hex'));
  assert.equal(spanIdToHex('eee19b7ec3c1b1740'), undefined);
  assert.equal(spanIdToHex('W47/95gDgQPSabYzgT/HAA=='), undefined); // a trace id is too long
  // 7 bytes is a short id, left-padded like short hex
  assert.equal(spanIdToHex('7uGbfsPBsQ=='), '00eee19b7ec3c1b1');
});

test('random ids round-trip through base64 exactly as Buffer decodes them', () => {
  let x = 0x9e3779b9;
  const next = (): number => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0), x >>> 24);
  for (let n = 0; n < 500; n++) {
    const t = Buffer.from(Array.from({ length: 16 }, next));
    const s = Buffer.from(Array.from({ length: 8 }, next));
    assert.equal(traceIdToHex(t.toString('base64')), t.toString('hex'));
    assert.equal(traceIdToHex(t.toString('hex').toUpperCase()), t.toString('hex'));
    assert.equal(spanIdToHex(s.toString('base64')), s.toString('hex'));
  }
});
