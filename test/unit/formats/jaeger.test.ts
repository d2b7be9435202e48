/** Jaeger query-API JSON → model. Expected figures were read off the files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTraceText, parseTraceValue, TraceFormatError } from '../../../src/core/formats';
import { summarizeTrace } from '../../../src/core/model/summary';
import type { Span } from '../../../src/core/model/trace';
import { fixtureJson, fixtureText } from '../../support/fixtures';

test('ui_01 (one trace object, 64-bit ids): references, typed tags, logs, warnings', () => {
  const p = parseTraceText(fixtureText('jaeger/jaeger-uimodel-ui_01.json'));
  assert.equal(p.format, 'jaeger');
  assert.deepEqual(p.warnings, ['Jaeger: some trace warning', 'Jaeger: 2 spans carry warnings (first: some span warning)']);
  const t = p.traces[0]!;
  assert.equal(t.traceId, '00000000000000000000000000000001');
  const [first, second, third, fourth, fifth] = t.spans as Span[];
  // logs → events: the `event` field names the event.
  assert.deepEqual(first!.events, [
    { time: 1485467191639875000n, name: 'some-event', attributes: [] },
    { time: 1485467191639875000n, name: '', attributes: [{ key: 'x', value: 'y' }] },
  ]);
  assert.equal(first!.end - first!.start, 5000n); // duration 5 µs
  // error=true → error status, and the tag leaves the attributes; int64 beyond 2^53 stays text.
  assert.deepEqual(second!.status, { code: 'error' });
  assert.deepEqual(second!.attributes, [
    { key: 'peer.service', value: 'service-y' },
    { key: 'peer.ipv4', value: 23456 },
    { key: 'temperature', value: 72.5 },
    { key: 'javascript_limit', value: '9223372036854775222' },
    { key: 'blob', value: 'AAAwOQ==' },
  ]);
  assert.equal(third!.parentSpanId, '0000000000000002');
  assert.equal(third!.resource.serviceName, 'service-y');
  // The first CHILD_OF points into another trace (…00ff), so the parent is the next CHILD_OF in
  // this trace; the other two references become links.
  assert.equal(fourth!.parentSpanId, '0000000000000002');
  assert.deepEqual(fourth!.links, [
    { traceId: '000000000000000000000000000000ff', spanId: '00000000000000ff', attributes: [{ key: 'opentracing.ref_type', value: 'child_of' }] },
    { traceId: '00000000000000000000000000000001', spanId: '0000000000000002', attributes: [{ key: 'opentracing.ref_type', value: 'follows_from' }] },
  ]);
  assert.equal(fifth!.parentSpanId, '0000000000000004');
  assert.deepEqual(summarizeTrace(t), {
    traceId: '00000000000000000000000000000001',
    spanCount: 5,
    services: ['service-x', 'service-y'],
    // Two spans carry id …0002 and no references; all start together, so the first wins.
    root: { name: 'test-general-conversion', service: 'service-x' },
    rootCount: 2,
    durationMs: 0.005,
    errorCount: 1,
    maxDepth: 2, // …0002 → …0004 → …0005
  });
});

test('generated GenAI trace: 57 spans, 10 services, 7 deep, one error', () => {
  const t = parseTraceText(fixtureText('jaeger/jaeger-ui-genaiTestTrace.generated.json')).traces[0]!;
  assert.deepEqual(summarizeTrace(t), {
    traceId: '4a1b2c3d4e5f60718293a4b5c6d7e8f9',
    spanCount: 57,
    services: ['api-edge', 'auth-service', 'coding-agent', 'graphql-gateway', 'k8s-api', 'mcp-gateway', 'metrics-backend', 'summarizer-agent', 'trace-store', 'vector-store'],
    root: { name: 'POST /api/graphql', service: 'api-edge' },
    rootCount: 1,
    durationMs: 44000, // the root: duration 44000000 µs
    errorCount: 1, // GET /api/v1/pods (…11), error=true
    // POST /api/graphql → Query.assistantReply → invoke_agent → execute_tool summarize_findings
    // → POST /mcp/tools/call → invoke_agent summarizer → chat model-b → POST /v1/messages
    maxDepth: 7,
  });
  assert.equal(t.spans[0]!.kind, 'server');
});

test('Jaeger API output reads like the OTLP it was converted from (jaeger-ui fixture pairs)', () => {
  const pairs = [
    ['otlp/jaeger-ui-otlp2jaeger-in.otlp.json', 'jaeger/jaeger-ui-otlp2jaeger-out.api.json'],
    ['otlp/jaeger-ui-otlp2jaeger-multi-in-combined.otlp.json', 'jaeger/jaeger-ui-oltp2jaeger-multi-out.api.json'],
  ];
  // Jaeger keeps microseconds and does not repeat service.name among process tags.
  const comparable = (s: Span) => ({ ...s, end: s.end / 1000n, resource: s.resource.serviceName });
  for (const [otlp, jaeger] of pairs) {
    const a = parseTraceText(fixtureText(otlp!)).traces;
    const b = parseTraceText(fixtureText(jaeger!)).traces;
    assert.equal(a.length, 1);
    assert.deepStrictEqual(b.map((t) => t.spans.map(comparable)), a.map((t) => t.spans.map(comparable)), jaeger);
  }
});

test('a multi-trace envelope yields one trace per id, ordered by start; Jaeger errors become warnings', () => {
  const data = [
    'jaeger/jaeger-ui-genaiTestTrace.generated.json', // starts 2026-02
    'jaeger/jaeger-ui-oltp2jaeger-multi-out.api.json', // 2024-03
    'jaeger/jaeger-ui-otlp2jaeger-out.api.json', // 2024-01
    'jaeger/jaeger-uimodel-ui_01.json', // 2017-01
  ].flatMap((f) => {
    const j = fixtureJson(f) as { data?: unknown[] };
    return j.data ?? [j];
  });
  const p = parseTraceValue({ data, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found', traceID: 'abc' }] });
  assert.deepEqual(
    p.traces.map((t) => [t.traceId, t.spans.length]),
    [
      ['00000000000000000000000000000001', 5],
      ['83a9efd15c1c98a977e0711cc93ee28b', 2],
      ['c620759e5d60fafb8ee0922b30e06bc6', 4],
      ['4a1b2c3d4e5f60718293a4b5c6d7e8f9', 57],
    ],
  );
  assert.ok(p.warnings.includes('Jaeger reported an error for trace abc: trace not found (code 404)'));
});

test('jaeger-ui store state is refused with a message that says what to use instead', () => {
  assert.throws(
    () => parseTraceText(fixtureText('jaeger/jaeger-ui-flamegraph-testTrace.json')),
    (e: unknown) =>
      e instanceof TraceFormatError &&
      e.message ===
        'this is jaeger-ui\'s internal store state ({"data":{"traceID","spans",…},"id","state"}), not a Jaeger API response; ' +
          'save the trace from Jaeger\'s /api/traces/{traceId} or the UI\'s "Download JSON"',
  );
});

test('otel.status_code / description, span.kind, scope and tracestate tags become fields', () => {
  const t = parseTraceValue({
    traceID: '1',
    processes: { p1: { serviceName: 'svc', tags: [{ key: 'host', type: 'string', value: 'h1' }] } },
    spans: [
      {
        spanID: '2',
        operationName: 'op',
        startTime: 10,
        duration: 3,
        processID: 'p1',
        references: [{ refType: 'FOLLOWS_FROM', traceID: '1', spanID: '9' }],
        tags: [
          { key: 'span.kind', type: 'string', value: 'producer' },
          { key: 'otel.status_code', type: 'string', value: 'ERROR' },
          { key: 'otel.status_description', type: 'string', value: 'timeout' },
          { key: 'otel.scope.name', type: 'string', value: 'lib' },
          { key: 'otel.scope.version', type: 'string', value: '2' },
          { key: 'w3c.tracestate', type: 'string', value: 'k=v' },
          { key: 'ok', type: 'bool', value: 'true' },
        ],
      },
      // A span with its own process object (Jaeger's JSON allows it instead of processID).
      { spanID: '3', startTime: 11, duration: 1, process: { serviceName: 'inline' } },
    ],
  }).traces[0]!;
  const s = t.spans[0]!;
  assert.equal(s.kind, 'producer');
  assert.deepEqual(s.status, { code: 'error', message: 'timeout' });
  assert.deepEqual(s.scope, { name: 'lib', version: '2', attributes: [] });
  assert.equal(s.traceState, 'k=v');
  assert.deepEqual(s.attributes, [{ key: 'ok', value: true }]);
  // Only a FOLLOWS_FROM in the same trace: it is the parent (Jaeger's ParentSpanID rule).
  assert.equal(s.parentSpanId, '0000000000000009');
  assert.deepEqual(s.links, []);
  assert.deepEqual([s.start, s.end], [10000n, 13000n]);
  assert.deepEqual(s.resource, { serviceName: 'svc', attributes: [{ key: 'host', value: 'h1' }] });
  assert.equal(t.spans[1]!.resource.serviceName, 'inline');
});

test('a negative duration is clamped to zero with a warning', () => {
  const p = parseTraceText('{"traceID":"1","spans":[{"spanID":"2","startTime":7,"duration":-1}]}');
  const s = p.traces[0]!.spans[0]!;
  assert.deepEqual([s.start, s.end], [7000n, 7000n]);
  assert.deepEqual(p.warnings, ['span 0 at spans[0] ends before it starts; its end was set to its start']);
});

test('a span with no duration is drawn with zero length, and the warning says it has no end', () => {
  const p = parseTraceText('{"traceID":"1","spans":[{"spanID":"2","startTime":7},{"spanID":"3","startTime":8,"duration":2}]}');
  assert.deepEqual(p.traces[0]!.spans.map((s) => [s.start, s.end]), [[7000n, 7000n], [8000n, 10000n]]);
  assert.deepEqual(p.warnings, ['span 0 at spans[0] has no end time (unfinished, or sent before it ended); it is drawn with zero length']);
});

test('an error answer with no data ("trace not found") is refused with Jaeger\'s own words', () => {
  for (const data of ['null', undefined]) {
    const body = `{${data ? `"data":${data},` : ''}"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}`;
    assert.throws(
      () => parseTraceText(body),
      (e: unknown) => e instanceof TraceFormatError && e.message.includes('this is an error answer, not a trace: Jaeger reported an error: trace not found (code 404)'),
      body,
    );
  }
});
