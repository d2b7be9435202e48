import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectId, type DetectedId } from '../../../src/core/correlate/detect';

const TRACE = '9f2c61d0e4b8473a8c15d7e90a3b2f46';
const SPAN = 'a41c07e2b9d35f60';
const UUID = '5b0e7c44-1d2a-4f7e-9a61-0c2d9e3f8b17';
// The same 16 bytes in Tempo's JSON spelling.
const TRACE_B64 = Buffer.from(TRACE, 'hex').toString('base64');
const SPAN_B64 = Buffer.from(SPAN, 'hex').toString('base64');

type Want = Pick<DetectedId, 'kind' | 'value'> & Partial<Pick<DetectedId, 'form' | 'spanId' | 'searchValues'>>;

const cases: Array<[string, string, Want]> = [
  ['32 hex', TRACE, { kind: 'trace', value: TRACE, form: 'hex', searchValues: [TRACE] }],
  ['32 hex in capitals', TRACE.toUpperCase(), { kind: 'trace', value: TRACE }],
  ['0x prefix', `0x${TRACE}`, { kind: 'trace', value: TRACE }],
  ['surrounding whitespace and newline', `  \t${TRACE}\n`, { kind: 'trace', value: TRACE }],
  ['double quotes', `"${TRACE}"`, { kind: 'trace', value: TRACE }],
  ['single quotes', `'${TRACE}'`, { kind: 'trace', value: TRACE }],
  ['backticks', `\`${TRACE}\``, { kind: 'trace', value: TRACE }],
  ['typographic quotes', `\u201c${TRACE}\u201d`, { kind: 'trace', value: TRACE }],
  ['a JSON copy with its comma', `"${TRACE}",`, { kind: 'trace', value: TRACE }],
  ['zero-width characters from a chat', `\u200b${TRACE}\ufeff`, { kind: 'trace', value: TRACE }],
  ['"trace_id":"…" pair', `"trace_id":"${TRACE}"`, { kind: 'trace', value: TRACE }],
  ['trace_id=… pair', `trace_id=${TRACE}`, { kind: 'trace', value: TRACE }],
  ['traceparent', `00-${TRACE}-${SPAN}-01`, { kind: 'trace', value: TRACE, form: 'traceparent', spanId: SPAN }],
  ['traceparent in capitals, unsampled', `00-${TRACE.toUpperCase()}-${SPAN}-00`, { kind: 'trace', value: TRACE, spanId: SPAN }],
  ['traceparent header line', `traceparent: 00-${TRACE}-${SPAN}-01`, { kind: 'trace', value: TRACE, spanId: SPAN }],
  ['Tempo base64 trace id', TRACE_B64, { kind: 'trace', value: TRACE, form: 'base64' }],
  ['16 hex span id', SPAN, { kind: 'span', value: SPAN, form: 'hex' }],
  ['span id in capitals', SPAN.toUpperCase(), { kind: 'span', value: SPAN }],
  ['Tempo base64 span id', SPAN_B64, { kind: 'span', value: SPAN, form: 'base64' }],
  ['UUID', UUID, { kind: 'uuid', value: UUID, form: 'uuid', searchValues: [UUID] }],
  ['UUID in capitals: searched in both spellings', UUID.toUpperCase(), { kind: 'uuid', value: UUID, searchValues: [UUID, UUID.toUpperCase()] }],
  ['braced UUID', `{${UUID}}`, { kind: 'uuid', value: UUID }],
  ['urn:uuid', `urn:uuid:${UUID}`, { kind: 'uuid', value: UUID }],
  ['request_id=UUID pair', `request_id=${UUID}`, { kind: 'uuid', value: UUID }],
  ['x-request-id header', 'x-request-id: vscode-demo-0042', { kind: 'text', value: 'vscode-demo-0042' }],
  ['"x_request_id":"…" pair', '"x_request_id":"vscode-demo-0042"', { kind: 'text', value: 'vscode-demo-0042' }],
  ['free string', 'vscode-demo-0042', { kind: 'text', value: 'vscode-demo-0042', form: 'text', searchValues: ['vscode-demo-0042'] }],
  ['free string keeps its case', 'Req-ABC', { kind: 'text', value: 'Req-ABC' }],
  ['free string with inner spaces and quotes', 'order "42" retry', { kind: 'text', value: 'order "42" retry' }],
  ['an unknown key stays part of the text', 'user=alice', { kind: 'text', value: 'user=alice' }],
  ['31 hex digits is not an id', TRACE.slice(1), { kind: 'text', value: TRACE.slice(1) }],
  ['33 hex digits is not an id', `${TRACE}a`, { kind: 'text', value: `${TRACE}a` }],
  ['all-zero trace id is not a trace', '0'.repeat(32), { kind: 'text', value: '0'.repeat(32) }],
  ['all-zero span id is not a span', '0'.repeat(16), { kind: 'text', value: '0'.repeat(16) }],
  ['traceparent of version ff is not one', `ff-${TRACE}-${SPAN}-01`, { kind: 'text', value: `ff-${TRACE}-${SPAN}-01` }],
  ['unpadded base64 is text', TRACE_B64.replace(/=+$/, ''), { kind: 'text', value: TRACE_B64.replace(/=+$/, '') }],
  ['UUID with a missing digit is text', UUID.slice(1), { kind: 'text', value: UUID.slice(1) }],
];

describe('detectId', () => {
  for (const [name, input, want] of cases) {
    it(name, () => {
      const r = detectId(input);
      assert.ok(r.ok, `refused: ${JSON.stringify(r)}`);
      for (const [k, v] of Object.entries(want)) assert.deepEqual((r.id as unknown as Record<string, unknown>)[k], v, `${k} of ${JSON.stringify(input)}`);
      if (want.spanId === undefined) assert.equal(r.id.spanId, undefined);
    });
  }

  it('refuses what cannot be an id', () => {
    for (const [input, reason] of [
      ['', 'empty'],
      ['   ', 'empty'],
      ['""', 'empty'],
      ['x'.repeat(513), 'tooLong'],
      ['abc\u0000def', 'control'],
      ['two\nlines', 'control'],
      ['bell\u0007', 'control'],
    ] as const) {
      const r = detectId(input);
      assert.deepEqual(r, { ok: false, reason }, JSON.stringify(input));
    }
  });

  it('is idempotent on its own output', () => {
    for (const [, input] of cases) {
      const r = detectId(input);
      if (!r.ok) continue;
      const again = detectId(r.id.value);
      assert.ok(again.ok);
      assert.equal(again.id.value, r.id.value, input);
      assert.equal(again.id.kind, r.id.kind, input);
    }
  });
});
