import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { lokiRoute } from '../../../src/core/capture/api/loki';
import { LogqlError, parseLogql } from '../../../src/core/capture/query/logql';
import { CaptureStore } from '../../../src/core/capture/store/store';
import { FRONTEND, WORKER, record } from './fixtures';

const T = 1_767_225_600_000_000_000n;
const TRACE = 'aa'.repeat(16);
const store = new CaptureStore();
store.ingestLogs((sink) => {
  // The OTLP shape: a plain message, fields as attributes.
  sink.add(record({ body: 'request received', time: T + 1n, traceId: TRACE, spanId: '00000000000000a1', attributes: [{ key: 'request_id', value: 'req-a' }, { key: 'x_request_id', value: 'xr-a' }] }));
  sink.add(record({ body: 'request completed', time: T + 2n, traceId: TRACE, spanId: '00000000000000a1', severityNumber: 17, severityText: 'ERROR', attributes: [{ key: 'elapsed_ms', value: 2500 }, { key: 'error.type', value: 'internal' }] }));
  // The JSONL shape, as a record whose body is Dynamo's stderr line.
  sink.add(record({ body: `{"time":"2026-01-01T00:00:00.000003Z","level":"INFO","target":"dynamo_runtime","message":"handle_payload started","x_request_id":"xr-b","trace_id":"${'bb'.repeat(16)}","nested":{"k":1}}`, time: T + 3n, resource: WORKER }));
  sink.add(record({ body: 'key=value other="two words" level=warn', time: T + 4n, resource: WORKER, severityNumber: 13 }));
});

function query(q: string, opts: { categorize?: boolean; limit?: number; direction?: string } = {}): { status: number; lines: string[]; body: string } {
  const params = new URLSearchParams({ query: q, start: String(T), end: String(T + 1000n), limit: String(opts.limit ?? 100), direction: opts.direction ?? 'forward' });
  const r = lokiRoute(store, { method: 'GET', path: '/loki/api/v1/query_range', params, headers: opts.categorize ? { 'x-loki-response-encoding-flags': 'categorize-labels' } : {} }, 'test')!;
  const body = String(r.body);
  if (r.status !== 200) return { status: r.status, lines: [], body };
  const v = JSON.parse(body) as { data: { result: { values: [string, string][] }[] } };
  const lines = v.data.result.flatMap((s) => s.values).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((x) => x[1]);
  return { status: r.status, lines, body };
}

const short = (l: string): string => (l.startsWith('{') ? 'jsonl' : l.startsWith('key=') ? 'logfmt' : l);

describe('LogQL subset: what each query returns', () => {
  const cases: [string, string[]][] = [
    ['{service_name="dynamo-frontend"}', ['request received', 'request completed']],
    ['{service_name=~"dynamo-.+"}', ['request received', 'request completed', 'jsonl', 'logfmt']],
    ['{service_name!="dynamo-frontend", service_name=~".+"}', ['jsonl', 'logfmt']],
    ['{service_name=~".+"} |= "request "', ['request received', 'request completed']],
    ['{service_name=~".+"} |= "request"', ['request received', 'request completed', 'jsonl']],
    ['{service_name=~".+"} |= "received" or "completed"', ['request received', 'request completed']],
    ['{service_name=~".+"} != "request "', ['jsonl', 'logfmt']],
    ['{service_name=~".+"} |~ "req.*ved"', ['request received']],
    ['{service_name=~".+"} !~ "request |key"', ['jsonl']],
    [`{service_name=~".+"} | trace_id="${TRACE}"`, ['request received', 'request completed']],
    [`{service_name=~".+"} | trace_id="${TRACE}" | span_id="00000000000000a1" | detected_level="error"`, ['request completed']],
    ['{service_name=~".+"} | x_request_id="xr-a"', ['request received']],
    ['{service_name=~".+"} | json | x_request_id="xr-b"', ['jsonl']],
    ['{service_name=~".+"} | json | x_request_id="xr-a"', ['request received']],
    ['{service_name=~".+"} | json | nested_k="1"', ['jsonl']],
    ['{service_name=~".+"} | json | __error__=""', ['jsonl']],
    ['{service_name=~".+"} | json | __error__="JSONParserErr"', ['request received', 'request completed', 'logfmt']],
    ['{service_name=~".+"} | logfmt | other="two words"', ['logfmt']],
    ['{service_name=~".+"} | elapsed_ms > 1000', ['request completed']],
    ['{service_name=~".+"} | elapsed_ms > 1000 or request_id="req-a"', ['request received', 'request completed']],
    ['{service_name=~".+"} | error_type="internal", severity_text="ERROR"', ['request completed']],
    ['{service_name=~".+"} | missing=""', ['request received', 'request completed', 'jsonl', 'logfmt']],
    ['{service_name="nobody"}', []],
  ];
  for (const [q, want] of cases) test(q, () => assert.deepEqual(query(q).lines.map(short), want));
});

test('limit and direction: backward gives the newest lines', () => {
  const r = query('{service_name=~".+"}', { limit: 2, direction: 'backward' });
  assert.deepEqual(r.lines.map(short), ['jsonl', 'logfmt']);
});

test('without categorize-labels structured metadata joins the stream; with it, the third element holds it', () => {
  const plain = JSON.parse(query(`{service_name="dynamo-frontend"} | trace_id="${TRACE}"`).body) as { data: { result: { stream: Record<string, string> }[] } };
  assert.equal(plain.data.result[0]!.stream.trace_id, TRACE);
  assert.equal(plain.data.result[0]!.stream.deployment_environment, 'dev');
  const cat = JSON.parse(query(`{service_name="dynamo-frontend"}`, { categorize: true }).body) as { data: { result: { stream: Record<string, string>; values: [string, string, { structuredMetadata: Record<string, string> }][] }[] } };
  assert.deepEqual(cat.data.result[0]!.stream, { deployment_environment: 'dev', service_name: 'dynamo-frontend' });
  assert.equal(cat.data.result[0]!.values[0]![2].structuredMetadata.request_id, 'req-a');
  assert.equal(cat.data.result[0]!.values[0]![0], String(T + 1n));
  assert.equal(FRONTEND.serviceName, 'dynamo-frontend');
});

describe('LogQL subset: refusals and Loki errors', () => {
  const cases: [string, RegExp][] = [
    ['count_over_time({a="b"}[5m])', /a metric query is not supported by the local capture/],
    ['{a="b"} | line_format "{{.a}}"', /line_format is not supported/],
    ['{a="b"} | json a="b.c"', /json with extraction expressions is not supported/],
    ['{a="b"} | unpack', /the parser unpack is not supported/],
    ['{a="b"} | drop x', /the stage drop is not supported/],
    ['{a="b"} |> "x <_>"', /the line filter .* is not supported/],
    ['{a=~".*"}', /queries require at least one regexp or equality matcher/],
    ['{a="b"', /parse error at line 1, col 7: syntax error: unexpected \$end/],
  ];
  for (const [q, re] of cases) {
    test(q, () => {
      assert.throws(() => parseLogql(q), (e: unknown) => e instanceof LogqlError && re.test(e.message));
      const r = query(q);
      assert.equal(r.status, 400);
      assert.match(r.body, re);
    });
  }
  test('a limit past max_entries_limit_per_query is refused with Loki\'s text', () => {
    const r = query('{service_name=~".+"}', { limit: 5001 });
    assert.equal(r.status, 400);
    assert.equal(r.body, 'max entries limit per query exceeded, limit > max_entries_limit_per_query (5001 > 5000)');
  });
});
