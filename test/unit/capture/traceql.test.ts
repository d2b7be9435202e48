import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { searchTraces } from '../../../src/core/capture/query/search';
import { parseTraceql, TraceqlError } from '../../../src/core/capture/query/traceql';
import { CaptureStore } from '../../../src/core/capture/store/store';
import { threeTraces } from './fixtures';

const store = new CaptureStore();
store.ingestSpans((sink) => threeTraces().forEach((s) => sink.add(s)));

/** Query → the spans it matches, as "trace:name". */
function run(q: string): string[] {
  const r = searchTraces(store.spans, { expr: parseTraceql(q), limit: 100, spss: 100 });
  return r.traces.flatMap((t) => t.spans.map((s) => `${Number.parseInt(t.traceId, 16)}:${s.name}`)).sort();
}

describe('TraceQL subset: what each query matches', () => {
  const cases: [string, string[]][] = [
    ['{}', ['1:handle_payload', '1:http-request', '2:handle_payload', '2:http-request', '3:engine.generate']],
    ['{ span.x_request_id = "req-b" }', ['2:handle_payload', '2:http-request']],
    ['{ .x_request_id = "req-a" }', ['1:handle_payload', '1:http-request']],
    ['{ span.x_request_id = "nobody" }', []],
    ['{ span.x_request_id != "req-a" }', ['2:handle_payload', '2:http-request']],
    ['{ span.x_request_id =~ "req-.*" && name = "http-request" }', ['1:http-request', '2:http-request']],
    ['{ span.x_request_id !~ "req-a" }', ['2:handle_payload', '2:http-request']],
    ['{ span.x_request_id =~ "req" }', []],
    ['{ resource.service.name = "dynamo-worker" }', ['1:handle_payload', '2:handle_payload', '3:engine.generate']],
    ['{ .service.name = "dynamo-frontend" }', ['1:http-request', '2:http-request']],
    ['{ resource.deployment.environment = "dev" && span.http.status_code >= 500 }', ['2:http-request']],
    ['{ span.http.status_code > 200 }', ['2:http-request']],
    ['{ span.http.status_code < 500 }', ['1:http-request']],
    ['{ span.http.status_code = "200" }', []],
    ['{ span.ttft_ms > 12.4 && span.ttft_ms < 12.6 }', ['1:http-request']],
    ['{ span.streaming = true }', ['1:handle_payload']],
    ['{ span.streaming != true }', ['2:handle_payload']],
    ['{ resource.gpu = 0 }', ['1:handle_payload', '2:handle_payload', '3:engine.generate']],
    ['{ name = "handle_payload" || name = "engine.generate" }', ['1:handle_payload', '2:handle_payload', '3:engine.generate']],
    ['{ name =~ "http.*|engine.*" }', ['1:http-request', '2:http-request', '3:engine.generate']],
    ['{ status = error }', ['2:handle_payload', '2:http-request']],
    ['{ status != error }', ['1:handle_payload', '1:http-request', '3:engine.generate']],
    ['{ status = unset && kind = server }', ['1:http-request']],
    ['{ kind = server }', ['1:http-request', '2:http-request']],
    ['{ kind != internal }', ['1:http-request', '2:http-request']],
    ['{ duration > 1s }', ['2:handle_payload', '2:http-request']],
    ['{ duration < 50ms }', ['3:engine.generate']],
    ['{ span:duration >= 120ms && span:duration <= 120ms }', ['1:http-request']],
    ['{ statusMessage = "upstream closed" }', ['2:http-request']],
    ['{ rootServiceName = "dynamo-frontend" && name = "handle_payload" }', ['1:handle_payload', '2:handle_payload']],
    ['{ rootName = "http-request" && status = error }', ['2:handle_payload', '2:http-request']],
    ['{ traceDuration > 2s }', ['2:handle_payload', '2:http-request']],
    ['{ (name = "http-request" || name = "engine.generate") && resource.service.name = "dynamo-worker" }', ['3:engine.generate']],
    ['{ .missing = "x" }', []],
    [`{ span:id = "${'5'.padStart(16, '0')}" }`, ['3:engine.generate']],
    ['{ trace:id = "2" }', ['2:handle_payload', '2:http-request']],
    ['{ trace:id = "00000000000000000000000000000002" && name = "http-request" }', ['2:http-request']],
    ['{ .x_request_id = "req-a" || .request_id = "req-a" || .x_request_id = "nope" }', ['1:handle_payload', '1:http-request']],
    ['{ .missing != "x" }', []],
  ];
  for (const [q, want] of cases) test(q, () => assert.deepEqual(run(q), want));
});

describe('TraceQL subset: refusals name the construct', () => {
  const cases: [string, RegExp][] = [
    ['{ .a = 1 } | count() > 2', /a pipeline \(\| …\) is not supported/],
    ['{ .a = 1 } >> { .b = 2 }', /the spanset operator >> is not supported/],
    ['{ .a = 1 } && { .b = 2 }', /the spanset operator && is not supported/],
    ['{ .a = 1 } ~ { .b = 2 }', /the spanset operator ~ is not supported/],
    ['{ !(.a = 1) }', /negation with ! is not supported/],
    ['{ .a }', /the bare field \.a \(an existence test\) is not supported/],
    ['{ .a = nil }', /the value nil is not supported/],
    ['{ event.x = 1 }', /the event\. scope is not supported/],
    ['{ link.x = 1 }', /the link\. scope is not supported/],
    ['{ event:name = "ab" }', /the intrinsic event:name is not supported/],
    ['{ span:id > "ab" }', /> on spanId is not supported/],
    ['{ .a + 1 = 2 }', /arithmetic \(\+\) is not supported/],
    ['{ status = 3 }', /comparing status with a number is not supported/],
    ['{ kind > server }', /> on kind is not supported/],
    ['{ .a =~ 3 }', /=~ with a number/],
    ['{ .x = 1 } with (most_recent=true)', /a query hint \(with …\) is not supported/],
    ['{ .a = 1 } | select(.b)', /a pipeline/],
    ['{ .a = 1 ', /parse error at line 1, col 10: syntax error: unexpected \$end/],
    ['foo', /parse error at line 1, col 1: syntax error: unexpected foo/],
    ['{ .a =~ "(" }', /invalid regular expression/],
  ];
  for (const [q, re] of cases) {
    test(q, () => {
      assert.throws(() => parseTraceql(q), (e: unknown) => e instanceof TraceqlError && re.test(e.message));
    });
  }
});

test('an equality search reads only the traces the index names', () => {
  const r = searchTraces(store.spans, { expr: parseTraceql('{ span.x_request_id = "req-b" }'), limit: 20, spss: 3 });
  assert.equal(r.inspectedTraces, 1);
  const all = searchTraces(store.spans, { expr: parseTraceql('{ duration > 1s }'), limit: 20, spss: 3 });
  assert.equal(all.inspectedTraces, 3);
});

test('results: newest first, the root, matched counts, service stats; a missing root is said so', () => {
  const r = searchTraces(store.spans, { expr: parseTraceql('{}'), limit: 20, spss: 1 });
  assert.deepEqual(r.traces.map((t) => Number.parseInt(t.traceId, 16)), [3, 2, 1]);
  const [t3, t2] = r.traces;
  assert.equal(t3!.rootServiceName, undefined);
  assert.equal(t2!.rootServiceName, 'dynamo-frontend');
  assert.equal(t2!.rootName, 'http-request');
  assert.equal(t2!.matched, 2);
  assert.equal(t2!.spans.length, 1);
  assert.deepEqual(Object.fromEntries(t2!.serviceStats), { 'dynamo-frontend': { spanCount: 1, errorCount: 1 }, 'dynamo-worker': { spanCount: 1, errorCount: 1 } });
  const limited = searchTraces(store.spans, { expr: parseTraceql('{}'), limit: 2, spss: 3 });
  assert.equal(limited.traces.length, 2);
});
