/**
 * Malformed input → TraceFormatError saying what was expected and where; never a TypeError.
 * Messages are compared whole, because they are what a user reads to find the fault.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTraceText, parseTraceValue, TraceFormatError } from '../../../src/core/formats';
import { Prng } from '../../support/synth';
import { findJsonFault } from '../../../src/core/formats/jsonError';
import { fixtureJson, fixtureText } from '../../support/fixtures';

const TID = '5b8efff798038103d269b633813fc60c';
const ok = { traceId: TID, spanId: 'eee19b7ec3c1b174', startTimeUnixNano: '1', endTimeUnixNano: '2' };
/** A valid first span, then `bad` as span 1 of resourceSpans[0].scopeSpans[0]. */
const otlp = (bad: unknown) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [ok, bad] }] }] });
const AT = 'span 1 at resourceSpans[0].scopeSpans[0].spans[1]: ';
const TRIED =
  'not a trace format this reads: tried OTLP/JSON {"resourceSpans":[…]}, Tempo v1 {"batches":[…]}, Tempo v2 {"trace":{…}}, ' +
  'Jaeger {"data":[…]} or {"traceID","spans","processes"}, Zipkin v2 [{"traceId","id",…}]; found ';

const CASES: [string, string, string][] = [
  // [what, input text, message]
  ['empty text', '  \n', 'not JSON: the text is empty'],
  ['bad token', '{"resourceSpans": [}', "not JSON at line 1, column 20 (offset 19): expected a value, found '}'"],
  ['a word, not JSON', 'hello', "not JSON at line 1, column 1 (offset 0): expected a value, found 'h'"],
  ['fault on line 3', '{\n  "resourceSpans": [\n    {"resource": tru}\n  ]\n}', "not JSON at line 3, column 18 (offset 40): expected a value, found 't'"],
  ['text after the value', '{"a":1} x', "not JSON at line 1, column 9 (offset 8): unexpected text after the JSON value, found 'x'"],
  ['cut short', '{"batches":[{"resource":', 'not JSON at line 1, column 25 (offset 24): unexpected end of text'],
  ['trailing comma', '[1,]', "not JSON at line 1, column 4 (offset 3): expected a value, found ']'"],
  ['a number', '42', `${TRIED}a number`],
  ['null', 'null', `${TRIED}null`],
  ['unknown object', '{"foo":1,"bar":2}', `${TRIED}an object with keys "foo", "bar"`],
  ['empty object', '{}', `${TRIED}an empty object`],
  ['OTLP logs', fixtureText('otlp/otel-proto-example-logs.json'), 'this is OTLP logs, not traces (expected "resourceSpans")'],
  ['resourceSpans not a list', '{"resourceSpans":{}}', 'resourceSpans: expected an array (found an object)'],
  ['spans not a list', '{"resourceSpans":[{"scopeSpans":[{"spans":[]},{"spans":{}}]}]}', 'resourceSpans[0].scopeSpans[1].spans: expected an array (found an object)'],
  ['batch not an object', '{"batches":[3]}', 'batches[0]: expected an object (found a number)'],
  ['resource attributes', '{"resourceSpans":[{"resource":{"attributes":"x"}}]}', 'resourceSpans[0]: resource.attributes is not an array (found a string)'],
  ['scope name', '{"resourceSpans":[{"scopeSpans":[{"scope":{"name":5}}]}]}', 'resourceSpans[0].scopeSpans[0]: scope.name is not a string (found a number)'],
  ['span not an object', otlp(7), `${AT}the span is not an object (found a number)`],
  ['start not an integer', otlp({ ...ok, startTimeUnixNano: '12:00' }), `${AT}startTimeUnixNano is not an integer of unix nanoseconds (found the string "12:00")`],
  ['negative end', otlp({ ...ok, endTimeUnixNano: -5 }), `${AT}endTimeUnixNano is not an integer of unix nanoseconds (found the number -5)`],
  ['hex prefix is not decimal', otlp({ ...ok, startTimeUnixNano: '0x10' }), `${AT}startTimeUnixNano is not an integer of unix nanoseconds (found the string "0x10")`],
  ['trace id', otlp({ ...ok, traceId: 'not-an-id' }), `${AT}traceId is not a trace id of 32 hex or 24 base64 chars (found the string "not-an-id")`],
  ['missing span id', otlp({ ...ok, spanId: undefined }), `${AT}spanId is not a span id of 16 hex or 12 base64 chars (found nothing)`],
  ['parent id', otlp({ ...ok, parentSpanId: 12 }), `${AT}parentSpanId is not a span id of 16 hex or 12 base64 chars (found the number 12)`],
  ['kind name', otlp({ ...ok, kind: 'SERVER' }), `${AT}kind is not a span kind, 0-5 or SPAN_KIND_* (found the string "SERVER")`],
  ['status code', otlp({ ...ok, status: { code: 'ERROR' } }), `${AT}status.code is not a status code, 0-2 or STATUS_CODE_* (found the string "ERROR")`],
  ['name', otlp({ ...ok, name: ['x'] }), `${AT}name is not a string (found an array)`],
  ['attributes', otlp({ ...ok, attributes: {} }), `${AT}attributes is not an array (found an object)`],
  ['int attribute (value not quoted back)', otlp({ ...ok, attributes: [{ key: 'k', value: { stringValue: 'a' } }, { key: 'token', value: { intValue: 'secret-abc' } }] }), `${AT}attributes[1].value.intValue is not an integer (found a string)`],
  ['nested array attribute', otlp({ ...ok, attributes: [{ key: 'k', value: { arrayValue: { values: [{ boolValue: 'yes' }] } } }] }), `${AT}attributes[0].value.arrayValue.values[0].boolValue is not a boolean (found a string)`],
  ['event time', otlp({ ...ok, events: [{ timeUnixNano: 'soon' }] }), `${AT}events[0].timeUnixNano is not an integer of unix nanoseconds (found the string "soon")`],
  ['link span id', otlp({ ...ok, links: [{ traceId: TID }] }), `${AT}links[0].spanId is not a span id of hex or base64 (found nothing)`],
  ['v2 trace not an object', '{"trace":[]}', 'trace: expected an object'],
  ['jaeger spans', '{"data":[{"traceID":"1","spans":{}}]}', 'data[0].spans: expected an array (found an object)'],
  ['jaeger span id', '{"data":[{"traceID":"1","spans":[{"spanID":"zz"}]}]}', 'span 0 at data[0].spans[0]: spanID is not a span id of 16 hex (found the string "zz")'],
  ['jaeger start', '{"traceID":"1","spans":[{"spanID":"2","startTime":1.5}]}', 'span 0 at spans[0]: startTime is not an integer of unix microseconds (found the number 1.5)'],
  ['jaeger process', '{"traceID":"1","processes":{},"spans":[{"spanID":"2","startTime":1,"duration":1,"processID":"p9"}]}', 'span 0 at spans[0]: processID is not the key of an entry in "processes" (found the string "p9")'],
  ['jaeger tag type', '{"traceID":"1","spans":[{"spanID":"2","startTime":1,"tags":[{"key":"n","type":"int64","value":"many"}]}]}', 'span 0 at spans[0]: tags[0].value is not an integer (found a string)'],
  ['jaeger ref type', '{"traceID":"1","spans":[{"spanID":"2","startTime":1,"references":[{"refType":"PARENT","spanID":"3"}]}]}', 'span 0 at spans[0]: references[0].refType is not CHILD_OF or FOLLOWS_FROM (found the string "PARENT")'],
  ['zipkin timestamp', '[{"traceId":"abc","id":"1","timestamp":"x"}]', 'span 0: timestamp is not an integer of microseconds (found the string "x")'],
  ['zipkin kind', '[{"traceId":"abc","id":"1"},{"traceId":"abc","id":"2","kind":"client"}]', 'span 1: kind is not CLIENT, SERVER, PRODUCER or CONSUMER (found the string "client")'],
  ['zipkin id', '[{"traceId":"abc"}]', 'span 0: id is not a span id of 16 hex (found nothing)'],
  ['zipkin array of numbers', '[1]', 'span 0: the span is not a Zipkin v2 span object (found a number)'],
  ['zipkin v1', '[{"traceId":"a","id":"1","annotations":[{"timestamp":1,"value":"cs","endpoint":{"serviceName":"x"}}]}]', "Zipkin v1 JSON (annotations with endpoints, binaryAnnotations) is not supported; fetch the trace from Zipkin's v2 API (/api/v2/trace/{traceId})"],
];

for (const [what, input, message] of CASES) {
  test(`malformed: ${what}`, () => {
    assert.throws(
      () => parseTraceText(input),
      (e: unknown) => {
        assert.ok(e instanceof TraceFormatError, `not a TraceFormatError: ${String(e)}`);
        assert.equal(e.message, message);
        assert.ok(!e.message.includes('\n'), 'one line');
        return true;
      },
    );
  });
}

test('hostile nesting of attribute values is refused, not a stack overflow', () => {
  // Built as text: JSON.stringify itself would overflow on this nesting; JSON.parse does not.
  const value = `${'{"arrayValue":{"values":['.repeat(10_000)}{"stringValue":"x"}${']}}'.repeat(10_000)}`;
  const text = otlp({ ...ok, attributes: [{ key: 'deep', value: 'VALUE' }] }).replace('"VALUE"', value);
  assert.throws(() => parseTraceText(text), (e: unknown) => e instanceof TraceFormatError && /is not nested at most 64 deep/.test(e.message) && e.message.length < 250);
});

/** Replaces one randomly chosen value somewhere in `root` with a random wrong one. */
function mutate(root: unknown, r: Prng): unknown {
  const copy = structuredClone(root);
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (slots.push([v, i]), walk(x)));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) (slots.push([v as Record<string, unknown>, k]), walk(x));
  };
  walk(copy);
  const junk = [null, 0, -1, 1.5, '', 'x', 'NaN', '==', true, [], {}, [{}], { values: 3 }, '9'.repeat(30), undefined];
  for (let n = r.int(1, 3); n > 0 && slots.length; n--) {
    const [obj, key] = r.pick(slots);
    (obj as Record<string | number, unknown>)[key] = r.pick(junk);
  }
  return copy;
}

test('mutated real files give a model or a TraceFormatError, never another exception', () => {
  const r = new Prng(7);
  const sources = [
    'otlp/jaeger-memstore-otel_traces_01.json',
    'otlp/jaeger-integration-example_trace.otlp.json',
    'tempo/tempopb-trace-example-batches.json',
    'jaeger/jaeger-uimodel-ui_01.json',
    'jaeger/jaeger-ui-otlp2jaeger-out.api.json',
    'zipkin/zipkin-lens-yelp.json',
  ].map((f) => fixtureJson(f));
  let errors = 0;
  for (let i = 0; i < 3000; i++) {
    const input = mutate(r.pick(sources), r);
    try {
      parseTraceValue(input);
    } catch (e) {
      if (!(e instanceof TraceFormatError)) {
        assert.fail(`iteration ${i}: ${String(e)}\n${JSON.stringify(input).slice(0, 2000)}`);
      }
      errors++;
    }
  }
  assert.ok(errors > 100, `the mutations should hit faults (${errors})`);
});

test('the "not JSON" locator agrees with JSON.parse on corrupted real files', () => {
  const r = new Prng(11);
  const texts = ['zipkin/zipkin-lens-yelp.json', 'otlp/jaeger-memstore-otel_traces_01.json', 'jaeger/jaeger-uimodel-ui_01.json'].map(fixtureText);
  const junk = ['', '{', '}', '[', ']', ',', ':', '"', '\\', 'x', '0', '-', '.', 'e', ' ', '\u0001', 'tru', 'nul'];
  let broken = 0;
  for (let i = 0; i < 1500; i++) {
    const t = r.pick(texts);
    const at = r.int(0, t.length - 1);
    const mutated = t.slice(0, at) + r.pick(junk) + t.slice(at + r.int(0, 2));
    let valid = true;
    try {
      JSON.parse(mutated);
    } catch {
      valid = false;
      broken++;
    }
    assert.equal(findJsonFault(mutated) === undefined, valid, `iteration ${i}`);
  }
  assert.ok(broken > 500, `most mutations break the JSON (${broken})`);
});
