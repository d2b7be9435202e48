/**
 * OTLP/JSON files → model. Expected figures were read off the files (counts of spans per
 * resource, parentSpanId links, start/end strings), not produced by the code under test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTraceText, parseTraceValue } from '../../../src/core/formats';
import { summarizeTrace } from '../../../src/core/model/summary';
import type { ParsedTraces, Span } from '../../../src/core/model/trace';
import { fixtureJson, fixtureText } from '../../support/fixtures';
import { tempoEncode } from '../../support/tempoEncode';

const HOTROD_SERVICES = ['customer', 'driver', 'frontend', 'mysql', 'redis-manual', 'route'];

function only(p: ParsedTraces) {
  assert.equal(p.traces.length, 1);
  return p.traces[0]!;
}

function spanById(spans: readonly Span[], id: string): Span {
  const s = spans.find((x) => x.spanId === id);
  assert.ok(s, `span ${id}`);
  return s;
}

test('HotROD serial: 40 spans, 6 services, one GET /dispatch root, 3 errors', () => {
  const p = parseTraceText(fixtureText('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json'));
  assert.equal(p.format, 'otlp-json');
  assert.deepEqual(p.warnings, []);
  const t = only(p);
  assert.deepEqual(summarizeTrace(t), {
    traceId: 'fe65c5beefbe4e96119efbba3da07e99',
    spanCount: 40,
    services: HOTROD_SERVICES,
    root: { name: 'GET /dispatch', service: 'frontend' },
    rootCount: 1,
    // root 1787132458639880223 → 1787132459756847510
    durationMs: 1116.967287,
    // GetDriver spans 0efad7b97a83e062, 2d2ba26e271b1dae, 4460a3067fc42610
    errorCount: 3,
    // GET /dispatch → HTTP GET → GET /customer → SQL SELECT
    maxDepth: 3,
  });
  const driver = spanById(t.spans, 'f6e63a82f4597e0e');
  assert.equal(driver.parentSpanId, 'f7cf0c8385e66ace');
  assert.equal(driver.name, 'driver.DriverService/FindNearest');
  assert.equal(driver.kind, 'server');
  assert.equal(driver.start, 1787132458952894897n);
  assert.equal(driver.end, 1787132459196379005n);
  assert.equal(driver.resource.serviceName, 'driver');
  assert.equal(driver.events.length, 5);
  assert.equal(driver.events[0]!.name, 'Retrying GetDriver after error');
  assert.equal(driver.events[0]!.time, 1787132459019652095n);
  assert.deepEqual(driver.attributes.find((a) => a.key === 'server.port'), { key: 'server.port', value: 8082 });
  const failed = spanById(t.spans, '0efad7b97a83e062');
  assert.deepEqual(failed.status, { code: 'error', message: 'An error occurred' });
  // Spans of one resource share one Resource object.
  const redis = t.spans.filter((s) => s.resource.serviceName === 'redis-manual');
  assert.equal(redis.length, 14);
  assert.ok(redis.every((s) => s.resource === redis[0]!.resource));
});

test('HotROD concurrent: same call graph, overlapping timings', () => {
  const t = only(parseTraceText(fixtureText('otlp/jaeger-hotrod-dispatch-40spans-concurrent.otlp.json')));
  assert.deepEqual(summarizeTrace(t), {
    traceId: '1a4e4a7b270e9f2a0f716e3ee115218a',
    spanCount: 40,
    services: HOTROD_SERVICES,
    root: { name: 'GET /dispatch', service: 'frontend' },
    rootCount: 1,
    durationMs: 693.999329, // 1787132404504889477 → 1787132405198888806
    errorCount: 3,
    maxDepth: 3,
  });
});

test('OTel proto example and Tempo v1 hand-made batches: one server span with a missing parent', () => {
  for (const [file, format] of [
    ['otlp/otel-proto-example-trace.json', 'otlp-json'],
    ['tempo/tempopb-trace-example-batches.json', 'tempo-v1'],
  ] as const) {
    const p = parseTraceText(fixtureText(file));
    assert.equal(p.format, format);
    const t = only(p);
    const s = t.spans[0]!;
    // Uppercase hex in the file, lowercase in the model.
    assert.equal(s.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(s.spanId, 'eee19b7ec3c1b174');
    // Its parent eee19b7ec3c1b173 is not in the file: the span is kept as a root.
    assert.equal(s.parentSpanId, 'eee19b7ec3c1b173');
    assert.equal(s.kind, 'server');
    assert.deepEqual(s.scope, { name: 'my.library', version: '1.0.0', attributes: [{ key: 'my.scope.attribute', value: 'some scope attribute' }] });
    assert.deepEqual(summarizeTrace(t), {
      traceId: '5b8efff798038103d269b633813fc60c',
      spanCount: 1,
      services: ['my.service'],
      root: { name: "I'm a server span", service: 'my.service' },
      rootCount: 1,
      durationMs: 1000,
      errorCount: 0,
      maxDepth: 0,
    });
  }
});

test('Jaeger memstore OTLP: two trace ids in one file become two traces; every AnyValue kind in it decodes', () => {
  const p = parseTraceText(fixtureText('otlp/jaeger-memstore-otel_traces_01.json'));
  assert.deepEqual(
    p.traces.map((t) => [t.traceId, t.spans.map((s) => s.spanId)]),
    [
      ['00000000000000010000000000000000', ['0000000000000002', '0000000000000004']],
      ['00000000000000020000000000000000', ['0000000000000003', '0000000000000005']],
    ],
  );
  const s = p.traces[0]!.spans[0]!;
  assert.equal(s.traceState, 'state.2');
  assert.equal(s.kind, 'server');
  assert.deepEqual(s.status, { code: 'error' });
  assert.deepEqual(s.attributes, [
    { key: 'peer.service', value: 'service-y' },
    { key: 'peer.ipv4', value: 23456 },
    { key: 'blob', value: 'AAAwOQ==' }, // bytes stay base64 text
    { key: 'temperature', value: 72.5 },
  ]);
  // The second event has no name in the file.
  assert.deepEqual(s.events.map((e) => [e.name, e.time]), [
    ['testing-event', 1485467191639875000n],
    ['', 1485467191639875000n],
  ]);
  assert.deepEqual(s.links.map((l) => [l.traceId, l.spanId, l.attributes[0]!.value]), [
    ['00000000000000010000000000000000', '0000000000000004', 'follows_from'],
    ['00000000000000ff0000000000000000', '00000000000000ff', 'child_of'],
  ]);
  // Every span's parent is outside its trace: all are roots, none dropped.
  for (const t of p.traces) assert.equal(summarizeTrace(t).rootCount, 2);
});

test('Jaeger integration example: missing kind (zero omitted) is unspecified; five roots', () => {
  const t = only(parseTraceText(fixtureText('otlp/jaeger-integration-example_trace.otlp.json')));
  assert.deepEqual(t.spans.map((s) => [s.spanId, s.resource.serviceName, s.kind]), [
    ['0000000000000004', 'example-service-2', 'unspecified'],
    ['0000000000000005', 'example-service-3', 'unspecified'],
    ['0000000000000003', 'example-service-1', 'unspecified'],
    ['0000000000000006', 'example-service-1', 'server'],
    ['0000000000000007', 'example-service-1', 'client'],
  ]);
  assert.deepEqual(t.spans[0]!.scope, { name: '', version: undefined, attributes: [] });
  const sum = summarizeTrace(t);
  assert.equal(sum.rootCount, 5);
  // All start at the same instant: the first in the file is the root.
  assert.deepEqual(sum.root, { name: 'example-operation-2', service: 'example-service-2' });
  assert.equal(sum.durationMs, 0.1);
});

test('telemetrygen input: a span repeated twice in the file is kept twice', () => {
  const t = only(parseTraceText(fixtureText('otlp/jaeger-ui-otlp2jaeger-in.otlp.json')));
  assert.equal(t.spans.length, 2);
  assert.deepEqual(t.spans[0], t.spans[1]);
});

test('multi-resource input: an empty parentSpanId means root', () => {
  const t = only(parseTraceText(fixtureText('otlp/jaeger-ui-otlp2jaeger-multi-in-combined.otlp.json')));
  const main = spanById(t.spans, 'eff3153be6b1fb93');
  assert.equal(main.parentSpanId, undefined);
  assert.deepEqual(summarizeTrace(t), {
    traceId: 'c620759e5d60fafb8ee0922b30e06bc6',
    spanCount: 4,
    services: ['example-trace'],
    root: { name: 'main', service: 'example-trace' },
    rootCount: 1,
    durationMs: 176.321958, // main: 1711138246940000000 → 1711138247116321958
    errorCount: 0,
    maxDepth: 2, // main → info → ohboy.do
  });
});

const OTLP_FIXTURES = [
  'otlp/otel-proto-example-trace.json',
  'otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json',
  'otlp/jaeger-hotrod-dispatch-40spans-concurrent.otlp.json',
  'otlp/jaeger-memstore-otel_traces_01.json',
  'otlp/jaeger-integration-example_trace.otlp.json',
  'otlp/jaeger-ui-otlp2jaeger-in.otlp.json',
  'otlp/jaeger-ui-otlp2jaeger-multi-in-combined.otlp.json',
];

test('every OTLP fixture decodes identically in spec and Tempo encodings (v1, v2, bare)', () => {
  for (const file of OTLP_FIXTURES) {
    const spec = parseTraceValue(fixtureJson(file));
    for (const envelope of ['v1', 'v2', 'bare'] as const) {
      const encoded = tempoEncode(fixtureJson(file), { envelope, inspectedBytes: 1234 });
      // Through text, as a response body arrives.
      const tempo = parseTraceText(JSON.stringify(encoded));
      assert.equal(tempo.format, envelope === 'v1' ? 'tempo-v1' : envelope === 'v2' ? 'tempo-v2' : 'otlp-json');
      assert.deepStrictEqual(tempo.traces, spec.traces, `${file} as ${envelope}`);
      assert.deepEqual(tempo.warnings, spec.warnings);
    }
  }
});

test('Tempo v2: PARTIAL surfaces as a warning; not found ({"trace":{}}) is zero traces', () => {
  const partial = tempoEncode(fixtureJson('otlp/otel-proto-example-trace.json'), {
    partialMessage: 'Trace exceeds maximum size of 5000000 bytes, a partial trace is returned',
  });
  const p = parseTraceValue(partial);
  assert.equal(p.traces.length, 1);
  assert.deepEqual(p.warnings, ['Tempo returned a partial trace: Trace exceeds maximum size of 5000000 bytes, a partial trace is returned']);

  const notFound = parseTraceText('{"trace":{},"metrics":{}}');
  assert.deepEqual(notFound, { format: 'tempo-v2', traces: [], warnings: [] });
  assert.equal(parseTraceText('{"trace":{},"metrics":{"inspectedBytes":"292781"}}').traces.length, 0);
});

test('deprecated instrumentationLibrarySpans / instrumentationLibrary still read', () => {
  const spec = fixtureJson('otlp/otel-proto-example-trace.json') as { resourceSpans: { scopeSpans: { scope: unknown }[] }[] };
  const old = {
    resourceSpans: spec.resourceSpans.map(({ scopeSpans, ...rs }) => ({
      ...rs,
      instrumentationLibrarySpans: scopeSpans.map(({ scope, ...ss }) => ({ ...ss, instrumentationLibrary: scope })),
    })),
  };
  assert.deepStrictEqual(parseTraceValue(old).traces, parseTraceValue(spec).traces);
});

function oneSpan(span: Record<string, unknown>) {
  return { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==', spanId: 'AAAAAAAAAAE=', ...span }] }] }] };
}

test('AnyValue: every kind, Tempo and spec spellings', () => {
  const t = only(
    parseTraceValue(
      oneSpan({
        attributes: [
          { key: 's', value: { stringValue: 'x' } },
          { key: 'b', value: { boolValue: false } },
          { key: 'i-str', value: { intValue: '200' } },
          { key: 'i-num', value: { intValue: 200 } },
          { key: 'i-neg', value: { intValue: '-7' } },
          { key: 'i-big', value: { intValue: '9223372036854775807' } },
          { key: 'd', value: { doubleValue: 1.5 } },
          { key: 'd-nan', value: { doubleValue: 'NaN' } },
          { key: 'd-inf', value: { doubleValue: 'Infinity' } },
          { key: 'd-ninf', value: { doubleValue: '-Infinity' } },
          { key: 'bytes', value: { bytesValue: 'AQID' } },
          { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } } },
          { key: 'arr-empty', value: { arrayValue: {} } },
          { key: 'kv', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }, { key: '__proto__', value: { boolValue: true } }] } } },
          { key: 'kv-empty', value: { kvlistValue: {} } },
          { key: 'empty', value: {} },
          { value: { stringValue: 'no key' } },
        ],
      }),
    ),
  );
  const a = t.spans[0]!.attributes;
  const get = (k: string) => a.find((x) => x.key === k)!.value;
  assert.equal(get('s'), 'x');
  assert.equal(get('b'), false);
  assert.equal(get('i-str'), 200);
  assert.equal(get('i-num'), 200);
  assert.equal(get('i-neg'), -7);
  assert.equal(get('i-big'), '9223372036854775807'); // beyond 2^53: kept exact as text
  assert.equal(get('d'), 1.5);
  assert.ok(Number.isNaN(get('d-nan')));
  assert.equal(get('d-inf'), Infinity);
  assert.equal(get('d-ninf'), -Infinity);
  assert.equal(get('bytes'), 'AQID');
  assert.deepEqual(get('arr'), ['a', 1]);
  assert.deepEqual(get('arr-empty'), []);
  const kv = get('kv') as Record<string, unknown>;
  assert.equal(kv.k, 'v');
  assert.equal(Object.getPrototypeOf(kv), Object.prototype); // "__proto__" stayed data
  assert.equal(Object.getOwnPropertyDescriptor(kv, '__proto__')?.value, true);
  assert.deepEqual(get('kv-empty'), {});
  assert.equal(get('empty'), null);
  assert.equal(get(''), 'no key');
});

test('Tempo zero-value omissions: no kind, status, times, name or attributes is still a span', () => {
  const t = only(parseTraceValue(oneSpan({})));
  const s = t.spans[0]!;
  assert.equal(s.traceId, '00000000000000000000000000000001');
  assert.equal(s.spanId, '0000000000000001');
  assert.equal(s.name, '');
  assert.equal(s.kind, 'unspecified');
  assert.deepEqual(s.status, { code: 'unset' });
  assert.equal(s.start, 0n);
  assert.equal(s.end, 0n);
  assert.deepEqual([s.attributes, s.events, s.links], [[], [], []]);
  assert.equal(s.resource.serviceName, 'unknown_service');
});

test('times: numbers or strings; end before start is clamped with one warning', () => {
  const p = parseTraceValue({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              { traceId: 'a'.repeat(32), spanId: '1', startTimeUnixNano: 1000, endTimeUnixNano: '2000' },
              { traceId: 'a'.repeat(32), spanId: '2', startTimeUnixNano: '5000', endTimeUnixNano: '4000' },
              { traceId: 'a'.repeat(32), spanId: '3', startTimeUnixNano: '5000', endTimeUnixNano: 10 },
            ],
          },
        ],
      },
    ],
  });
  const spans = only(p).spans;
  assert.deepEqual(spans.map((s) => [s.start, s.end]), [[1000n, 2000n], [5000n, 5000n], [5000n, 5000n]]);
  assert.deepEqual(p.warnings, ['2 spans end before they start (first: span 1 at resourceSpans[0].scopeSpans[0].spans[1]); their ends were set to their starts']);
});

test('traces ordered by earliest start; a child that starts before its parent is kept as is', () => {
  const mk = (traceId: string, spanId: string, start: string, parentSpanId?: string) => ({
    traceId, spanId, parentSpanId, startTimeUnixNano: start, endTimeUnixNano: String(BigInt(start) + 10n),
  });
  const p = parseTraceValue({
    resourceSpans: [{ scopeSpans: [{ spans: [
      mk('b'.repeat(32), '1', '500'),
      mk('a'.repeat(32), '1', '900'),
      mk('a'.repeat(32), '2', '100', '1'), // child starts before its parent
      mk('b'.repeat(32), '2', '600', '0000000000000000'), // all-zero parent = root
    ] }] }],
  });
  assert.deepEqual(p.traces.map((t) => t.traceId), ['a'.repeat(32), 'b'.repeat(32)]);
  const child = p.traces[0]!.spans[1]!;
  assert.deepEqual([child.start, child.parentSpanId], [100n, '0000000000000001']);
  assert.equal(p.traces[1]!.spans[1]!.parentSpanId, undefined);
});

test('a byte-order mark before the JSON is ignored', () => {
  const text = fixtureText('otlp/otel-proto-example-trace.json');
  assert.deepStrictEqual(parseTraceText(`\uFEFF${text}`), parseTraceText(text));
});

test('parseTraceValue leaves the caller\'s value untouched (only parseTraceText reuses its own parse)', () => {
  for (const file of ['otlp/jaeger-memstore-otel_traces_01.json', 'tempo/tempopb-trace-example-batches.json']) {
    const value = fixtureJson(file);
    const before = structuredClone(value);
    const p = parseTraceValue(value);
    assert.deepStrictEqual(value, before);
    assert.deepStrictEqual(parseTraceText(fixtureText(file)).traces, p.traces);
  }
});

test('a span with no start time (jsonpb omits a zero) is drawn at its nearest timed ancestor\'s start, not in 1970', () => {
  const T = 'AAAAAAAAAAAAAAAAAAAAAQ==';
  const p = parseTraceValue({
    resourceSpans: [{
      scopeSpans: [{
        spans: [
          { traceId: T, spanId: 'AAAAAAAAAAE=', name: 'root', startTimeUnixNano: '1689969302000000000', endTimeUnixNano: '1689969302000000500' },
          // No start, an end: placed at the root's start, keeps its end.
          { traceId: T, spanId: 'AAAAAAAAAAI=', parentSpanId: 'AAAAAAAAAAE=', name: 'child', endTimeUnixNano: '1689969302000000090' },
          // No start, no end, under the untimed child: the root's start, zero length.
          { traceId: T, spanId: 'AAAAAAAAAAM=', parentSpanId: 'AAAAAAAAAAI=', name: 'grandchild' },
          // A parent that never arrived: the trace's earliest start.
          { traceId: T, spanId: 'AAAAAAAAAAQ=', parentSpanId: 'AAAAAAAAAAk=', name: 'orphan', endTimeUnixNano: '1689969302000000300' },
          { traceId: T, spanId: 'AAAAAAAAAAU=', parentSpanId: 'AAAAAAAAAAE=', name: 'timed', startTimeUnixNano: '1689969302000000100', endTimeUnixNano: '1689969302000000140' },
        ],
      }],
    }],
  });
  const t = only(p);
  const times = t.spans.map((s) => [s.name, String(s.start), String(s.end)]);
  assert.deepEqual(times, [
    ['root', '1689969302000000000', '1689969302000000500'],
    ['child', '1689969302000000000', '1689969302000000090'],
    ['grandchild', '1689969302000000000', '1689969302000000000'],
    ['orphan', '1689969302000000000', '1689969302000000300'],
    ['timed', '1689969302000000100', '1689969302000000140'],
  ]);
  assert.equal(summarizeTrace(t).durationMs, 0.0005);
  assert.deepEqual(p.warnings, [
    'span 2 at resourceSpans[0].scopeSpans[0].spans[2] has no end time (unfinished, or sent before it ended); it is drawn with zero length',
    "3 spans have no start time; each is drawn at its parent's start, or the trace's when it has no timed parent",
  ]);
});

test('a trace whose spans all lack a start keeps their ends; an untimed cycle ends the walk', () => {
  const T = 'AAAAAAAAAAAAAAAAAAAAAQ==';
  const p = parseTraceValue({
    resourceSpans: [{
      scopeSpans: [{
        spans: [
          { traceId: T, spanId: 'AAAAAAAAAAE=', parentSpanId: 'AAAAAAAAAAI=', name: 'a', endTimeUnixNano: '1689969302000000900' },
          { traceId: T, spanId: 'AAAAAAAAAAI=', parentSpanId: 'AAAAAAAAAAE=', name: 'b', endTimeUnixNano: '1689969302000000800' },
        ],
      }],
    }],
  });
  const times = only(p).spans.map((s) => [String(s.start), String(s.end)]);
  assert.deepEqual(times, [
    ['1689969302000000900', '1689969302000000900'],
    // b's parent a was placed first: b starts there, after its own end, so it is zero length.
    ['1689969302000000900', '1689969302000000900'],
  ]);
  assert.deepEqual(p.warnings, ["2 spans have no start time; each is drawn at its parent's start, or the trace's when it has no timed parent"]);
});

test('a trace with no timed span sorts by where its spans were drawn, not before every other as 1970', () => {
  const p = parseTraceValue({
    resourceSpans: [{
      scopeSpans: [{
        spans: [
          { traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==', spanId: 'AAAAAAAAAAE=', name: 'untimed', endTimeUnixNano: '9000' },
          { traceId: 'AAAAAAAAAAAAAAAAAAAAAg==', spanId: 'AAAAAAAAAAI=', name: 'timed', startTimeUnixNano: '2000', endTimeUnixNano: '3000' },
        ],
      }],
    }],
  });
  assert.deepEqual(p.traces.map((t) => t.spans[0]!.name), ['timed', 'untimed']);
});

test('an end before a start is clamped, and named apart from a missing end', () => {
  const p = parseTraceValue(oneSpan({ startTimeUnixNano: '1000', endTimeUnixNano: '900' }));
  assert.deepEqual(p.warnings, ['span 0 at resourceSpans[0].scopeSpans[0].spans[0] ends before it starts; its end was set to its start']);
  const q = parseTraceValue(oneSpan({ startTimeUnixNano: '1000' }));
  assert.deepEqual(q.warnings, ['span 0 at resourceSpans[0].scopeSpans[0].spans[0] has no end time (unfinished, or sent before it ended); it is drawn with zero length']);
});

test('Tempo v2 status as the enum number (1 = PARTIAL) is partial too', () => {
  const body = tempoEncode(fixtureJson('otlp/otel-proto-example-trace.json'), { partialMessage: 'cut' }) as Record<string, unknown>;
  const p = parseTraceValue({ ...body, status: 1 });
  assert.deepEqual(p.partial, { message: 'cut' });
  assert.deepEqual(p.warnings, ['Tempo returned a partial trace: cut']);
  assert.equal(parseTraceValue({ ...body, status: 0 }).partial, undefined);
});

test('an empty or null scopeSpans does not hide spans under the pre-1.0 key', () => {
  const spec = fixtureJson('otlp/otel-proto-example-trace.json') as { resourceSpans: { scopeSpans: { scope: unknown }[] }[] };
  const want = parseTraceValue(spec).traces;
  for (const empty of [[], null]) {
    const both = {
      resourceSpans: spec.resourceSpans.map(({ scopeSpans, ...rs }) => ({
        ...rs,
        scopeSpans: empty,
        instrumentationLibrarySpans: scopeSpans.map(({ scope, ...ss }) => ({ ...ss, scope: null, instrumentationLibrary: scope })),
      })),
    };
    assert.deepStrictEqual(parseTraceValue(both).traces, want, JSON.stringify(empty));
  }
});
