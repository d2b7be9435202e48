/** The test encoder must produce Tempo's bytes, or the equality tests built on it prove nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempoEncode } from '../../support/tempoEncode';

// The spec-OTLP twin of a Tempo v1/v2 trace-by-id answer (same ids, in hex; kind as integer).
const SPEC = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] },
      scopeSpans: [
        {
          scope: { name: 'my.library', version: '1.0.0' },
          spans: [
            {
              traceId: '5B8EFFF798038103D269B633813FC700',
              spanId: 'eee19b7ec3c1b100',
              parentSpanId: '',
              name: 'I am a span!',
              kind: 2,
              startTimeUnixNano: '1689969302000000000',
              endTimeUnixNano: 1689970000000000000n.toString(),
              droppedAttributesCount: 0,
              attributes: [{ key: 'my.span.attr', value: { stringValue: 'some value' } }],
              events: [],
              status: {},
            },
          ],
        },
      ],
    },
  ],
};

// Tempo's answers for that trace, as it writes them, with the whitespace removed.
const SPANS =
  '[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},' +
  '"scopeSpans":[{"scope":{"name":"my.library","version":"1.0.0"},' +
  '"spans":[{"traceId":"W47/95gDgQPSabYzgT/HAA==","spanId":"7uGbfsPBsQA=",' +
  '"name":"I am a span!","kind":"SPAN_KIND_SERVER",' +
  '"startTimeUnixNano":"1689969302000000000","endTimeUnixNano":"1689970000000000000",' +
  '"attributes":[{"key":"my.span.attr","value":{"stringValue":"some value"}}],' +
  '"status":{}}]}]}]';

test('v1 and v2 envelopes match the documented Tempo responses byte for byte', () => {
  assert.equal(JSON.stringify(tempoEncode(SPEC, { envelope: 'v1' })), `{"batches":${SPANS}}`);
  assert.equal(
    JSON.stringify(tempoEncode(SPEC, { envelope: 'v2', inspectedBytes: 292781 })),
    `{"trace":{"resourceSpans":${SPANS}},"metrics":{"inspectedBytes":"292781"}}`,
  );
  assert.equal(JSON.stringify(tempoEncode({ resourceSpans: [] })), '{"trace":{},"metrics":{}}');
});

test('enums, status, 64-bit ints, doubles and empty values follow jsonpb', () => {
  const out = tempoEncode(
    {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '00000000000000000000000000000001',
                  spanId: '0000000000000002',
                  kind: 0,
                  startTimeUnixNano: 0,
                  status: { code: 2, message: 'boom' },
                  attributes: [
                    { key: 'i', value: { intValue: 0 } },
                    { key: 'b', value: { boolValue: false } },
                    { key: 'd', value: { doubleValue: NaN } },
                    { key: 'a', value: { arrayValue: { values: [] } } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    { envelope: 'bare' },
  );
  assert.equal(
    JSON.stringify(out),
    '{"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{},"spans":[{"traceId":"AAAAAAAAAAAAAAAAAAAAAQ==","spanId":"AAAAAAAAAAI=",' +
      '"attributes":[{"key":"i","value":{"intValue":"0"}},{"key":"b","value":{"boolValue":false}},{"key":"d","value":{"doubleValue":"NaN"}},{"key":"a","value":{"arrayValue":{}}}],' +
      '"status":{"message":"boom","code":"STATUS_CODE_ERROR"}}]}]}]}',
  );
});

test('the piecewise writer produces exactly the bytes of JSON.stringify(tempoEncode(…)) for every envelope', async () => {
  const { writeTempoEncoded, tempoEncode } = await import('../../support/tempoEncode');
  const { generateTrace } = await import('../../support/synth');
  const otlp = generateTrace({ spans: 200, seed: 4 });
  for (const options of [{ envelope: 'v2' as const, inspectedBytes: 12 }, { envelope: 'v1' as const }, { envelope: 'bare' as const }, { envelope: 'v2' as const, partialMessage: 'Trace exceeds maximum size' }]) {
    let out = '';
    writeTempoEncoded(otlp, (c) => (out += c), options);
    assert.equal(out, JSON.stringify(tempoEncode(otlp, options)), JSON.stringify(options));
  }
});
