import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeTraceIdInput } from '../../../src/core/model/traceIdInput';

test('trace ids as people paste them: padded to 32 lowercase hex; anything else refused', () => {
  const ok: Array<[string, string]> = [
    ['2f3e0cee77ae5dc9c17ade3689eb2e54', '2f3e0cee77ae5dc9c17ade3689eb2e54'],
    ['  2F3E0CEE77AE5DC9C17ADE3689EB2E54 ', '2f3e0cee77ae5dc9c17ade3689eb2e54'],
    ['d6e9329d67b6146a', '0000000000000000d6e9329d67b6146a'],
    ['abc', '00000000000000000000000000000abc'],
    ['0x2f3e0cee77ae5dc9', '00000000000000002f3e0cee77ae5dc9'],
    ['2f3e0cee-77ae-5dc9-c17a-de3689eb2e54', '2f3e0cee77ae5dc9c17ade3689eb2e54'],
  ];
  for (const [input, want] of ok) assert.equal(normalizeTraceIdInput(input), want, input);
  for (const bad of ['', '   ', 'xyz', '2f3e0cee77ae5dc9c17ade3689eb2e540', '00000000', 'W47/95gDgQPSabYzgT/HAA==', '12 34 zz']) {
    assert.equal(normalizeTraceIdInput(bad), undefined, bad);
  }
});
