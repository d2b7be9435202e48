import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonBytes } from '../../../src/core/formats/jsonBytes';
import { parseTraceBytes, parseTraceText } from '../../../src/core/formats';
import { TraceFormatError } from '../../../src/core/model/errors';
import { fixtureText } from '../../support/fixtures';
import { generateTrace } from '../../support/synth';
import { tempoEncode } from '../../support/tempoEncode';

const enc = (s: string) => new TextEncoder().encode(s);
/** Force the large path on small inputs: no whole-text decoding, tiny batches. */
const SMALL = { maxTextBytes: 0, chunkBytes: 64 };

test('the split parse equals JSON.parse on every shape: nesting, escapes, unicode, empty containers, primitives', () => {
  const samples = [
    '{"a":[1,2,3],"b":{"c":"d\\"q\\\\","e":[]},"f":{},"g":null,"h":true,"i":-1.5e3}',
    ' [ {"k":"\\u00e9\\ud83d\\ude00 派送"}, [ [ [ ] ] ], "x", 0 ] ',
    '"just a string"',
    '42',
    '\ufeff{"bom":1}',
    JSON.stringify({ big: Array.from({ length: 500 }, (_, i) => ({ i, s: 'x'.repeat(i % 50), nested: { deep: [i, { k: String(i) }] } })) }),
  ];
  for (const s of samples) {
    const want = JSON.parse(s.replace(/^\ufeff/, ''));
    assert.deepEqual(JSON.parse(JSON.stringify(parseJsonBytes(enc(s), SMALL))), want, s.slice(0, 60));
  }
});

test('a large array is read lazily but reads like an array to decoders', () => {
  const v = parseJsonBytes(enc(JSON.stringify({ spans: Array.from({ length: 1000 }, (_, i) => ({ i })) })), SMALL) as { spans: Array<{ i: number }> };
  assert.ok(Array.isArray(v.spans));
  assert.equal(v.spans.length, 1000);
  assert.equal(v.spans[999]!.i, 999);
  assert.equal(v.spans[3]!.i, 3);
  assert.deepEqual(v.spans.map((s) => s.i).slice(0, 3), [0, 1, 2]);
  let sum = 0;
  for (const s of v.spans) sum += s.i;
  assert.equal(sum, (999 * 1000) / 2);
});

test('malformed JSON on the split path is a TraceFormatError naming the byte, never a hang or another error', () => {
  for (const bad of ['{"a":[1,2', '{"a" 1}', '{"a":"unterminated}', '[1,2]x', '{,}', '{"a":[1,,2]}', '  ', '{"a":[1,2]]']) {
    assert.throws(() => parseJsonBytes(enc(bad), SMALL), (e: unknown) => e instanceof TraceFormatError, bad);
  }
  assert.throws(() => parseTraceBytes(enc(''), SMALL), (e: unknown) => e instanceof TraceFormatError);
});

test('a trace decodes the same through the split path as through one string (Tempo v2 and OTLP fixtures)', () => {
  const v2 = JSON.stringify(tempoEncode(generateTrace({ spans: 300, seed: 9 }), { envelope: 'v2', inspectedBytes: 1 }));
  for (const text of [v2, fixtureText('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json'), fixtureText('zipkin/zipkin-lens-yelp.json'), fixtureText('jaeger/jaeger-uimodel-ui_01.json')]) {
    const whole = parseTraceText(text);
    const split = parseTraceBytes(enc(text), { maxTextBytes: 0, chunkBytes: 4096 });
    assert.equal(split.format, whole.format);
    assert.deepEqual(split.traces, whole.traces);
  }
});
