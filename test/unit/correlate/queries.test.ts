/**
 * The queries a lookup sends, as text, from tables of cases; LogQL is also parsed with Grafana's
 * LogQL grammar (the one its Loki editor uses), since no real Loki runs here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { lokiFieldName, logQueries, logQuery, regexEscape, type LogTarget } from '../../../src/core/correlate/logql';
import { exemplarQuery, keyMetricExpr, mentionsMetric, metricsWindow } from '../../../src/core/correlate/promql';
import { DEFAULT_SETTINGS, lookupSettings } from '../../../src/core/correlate/settings';
import { LOOKUP_PANELS, panelTitleText } from '../../../src/core/metrics/panels';
import { lookBackWindows, quoteString, requestIdTraceql, spanIdTraceql, traceqlAttribute } from '../../../src/core/correlate/traceql';

const TRACE = '9f2c61d0e4b8473a8c15d7e90a3b2f46';
const UUID = '5b0e7c44-1d2a-4f7e-9a61-0c2d9e3f8b17';

function logqlError(q: string): string | undefined {
  let at: number | undefined;
  logqlParser.parse(q).iterate({
    enter: (n) => {
      if (n.type.isError && at === undefined) at = n.from;
    },
  });
  return at === undefined ? undefined : `error at ${at}: ${q.slice(0, at)}⟨here⟩${q.slice(at)}`;
}

describe('TraceQL', () => {
  it('quotes values as Go string literals', () => {
    const cases: Array<[string, string]> = [
      ['plain', '"plain"'],
      ['say "hi"', '"say \\"hi\\""'],
      ['back\\slash', '"back\\\\slash"'],
      ['tab\tnew\nline', '"tab\\tnew\\nline"'],
      ['bell\u0007', '"bell\\u0007"'],
      ['日本語', '"日本語"'],
    ];
    for (const [v, want] of cases) assert.equal(quoteString(v), want, v);
  });

  it('scopes and quotes attribute names', () => {
    const cases: Array<[string, string]> = [
      ['x_request_id', '.x_request_id'],
      ['http.request.header.x-request-id', '.http.request.header.x-request-id'],
      ['span.x_request_id', 'span.x_request_id'],
      ['resource.service.name', 'resource.service.name'],
      ['.request_id', '.request_id'],
      ['odd(name)', '."odd(name)"'],
      ['a|b', '."a|b"'],
    ];
    for (const [name, want] of cases) assert.equal(traceqlAttribute(name), want, name);
  });

  it('searches every attribute for every value', () => {
    assert.equal(
      requestIdTraceql(['vscode-demo-0042'], DEFAULT_SETTINGS.attributes),
      '{ .x_request_id = "vscode-demo-0042" || .request_id = "vscode-demo-0042" || .http.request.header.x-request-id = "vscode-demo-0042" }',
    );
    assert.equal(requestIdTraceql([UUID, UUID.toUpperCase()], ['request_id']), `{ .request_id = "${UUID}" || .request_id = "${UUID.toUpperCase()}" }`);
    assert.equal(requestIdTraceql(['a"b'], ['x_request_id']), '{ .x_request_id = "a\\"b" }');
    assert.throws(() => requestIdTraceql([], ['x']));
    assert.throws(() => requestIdTraceql(['v'], []));
  });

  it('finds the trace of a span by its id', () => {
    assert.equal(spanIdTraceql('a41c07e2b9d35f60'), '{ span:id = "a41c07e2b9d35f60" }');
    assert.throws(() => spanIdTraceql('" || true'));
  });

  it('widens the look-back window step by step', () => {
    const now = Date.UTC(2026, 3, 21, 18, 0, 0) - 400; // windows end on the next whole second
    const end = now + 400;
    assert.deepEqual(lookBackWindows(DEFAULT_SETTINGS.lookBackMs, now), [
      { startMs: end - 3_600_000, endMs: end },
      { startMs: end - 86_400_000, endMs: end },
      { startMs: end - 7 * 86_400_000, endMs: end },
    ]);
    // Configured out of order, with a repeat and a zero: sorted, unique, positive, whole seconds.
    assert.deepEqual(lookBackWindows([86_400_000, 0, 3_600_000, 86_400_000, 1500.4], now).map((w) => end - w.startMs), [2000, 3_600_000, 86_400_000]);
  });
});

describe('LogQL, both log shapes', () => {
  const sel = { otlp: '{service_name=~".+"}', jsonl: '{namespace=~".+"}' };
  const table: Array<[string, LogTarget, string, string]> = [
    [
      'by trace id',
      { kind: 'trace', traceId: TRACE },
      `{service_name=~".+"} | trace_id = "${TRACE}"`,
      `{namespace=~".+"} |= "${TRACE}" | json | trace_id = "${TRACE}"`,
    ],
    [
      'by span id',
      { kind: 'span', spanId: 'a41c07e2b9d35f60' },
      '{service_name=~".+"} | span_id = "a41c07e2b9d35f60"',
      '{namespace=~".+"} |= "a41c07e2b9d35f60" | json | span_id = "a41c07e2b9d35f60"',
    ],
    [
      'by request id over the default attributes',
      { kind: 'request', values: ['vscode-demo-0042'], fields: DEFAULT_SETTINGS.attributes },
      '{service_name=~".+"} | x_request_id = "vscode-demo-0042" or request_id = "vscode-demo-0042" or http_request_header_x_request_id = "vscode-demo-0042"',
      '{namespace=~".+"} |= "vscode-demo-0042" | json | x_request_id = "vscode-demo-0042" or request_id = "vscode-demo-0042" or http_request_header_x_request_id = "vscode-demo-0042"',
    ],
    [
      'a UUID in two spellings: a regex line filter, every pair in the label filter',
      { kind: 'request', values: [UUID, UUID.toUpperCase()], fields: ['request_id'] },
      `{service_name=~".+"} | request_id = "${UUID}" or request_id = "${UUID.toUpperCase()}"`,
      `{namespace=~".+"} |~ "${UUID}|${UUID.toUpperCase()}" | json | request_id = "${UUID}" or request_id = "${UUID.toUpperCase()}"`,
    ],
    [
      'a value with quotes: the line filter looks for it as the JSON line spells it',
      { kind: 'request', values: ['a"b'], fields: ['x_request_id'] },
      '{service_name=~".+"} | x_request_id = "a\\"b"',
      '{namespace=~".+"} |= "a\\\\\\"b" | json | x_request_id = "a\\"b"',
    ],
    [
      'scoped TraceQL names become Loki field names',
      { kind: 'request', values: ['r.1'], fields: ['span.x_request_id', 'resource.request.id', 'x_request_id'] },
      '{service_name=~".+"} | x_request_id = "r.1" or request_id = "r.1"',
      '{namespace=~".+"} |= "r.1" | json | x_request_id = "r.1" or request_id = "r.1"',
    ],
    [
      'regex metacharacters are escaped in a regex line filter',
      { kind: 'request', values: ['a.b', 'a+(b)'], fields: ['x_request_id'] },
      '{service_name=~".+"} | x_request_id = "a.b" or x_request_id = "a+(b)"',
      '{namespace=~".+"} |~ "a\\\\.b|a\\\\+\\\\(b\\\\)" | json | x_request_id = "a.b" or x_request_id = "a+(b)"',
    ],
  ];
  for (const [name, target, otlp, jsonl] of table) {
    it(name, () => {
      assert.deepEqual(logQueries(sel, target), [
        { shape: 'otlp', query: otlp },
        { shape: 'jsonl', query: jsonl },
      ]);
      assert.equal(logqlError(otlp), undefined);
      assert.equal(logqlError(jsonl), undefined);
    });
  }

  it('custom selectors are used as given', () => {
    const q = logQuery('jsonl', '  {namespace="dynamo", nvidia_com_dynamo_component_type=~"frontend|worker"}  ', { kind: 'trace', traceId: TRACE });
    assert.equal(q, `{namespace="dynamo", nvidia_com_dynamo_component_type=~"frontend|worker"} |= "${TRACE}" | json | trace_id = "${TRACE}"`);
    assert.equal(logqlError(q), undefined);
  });

  it('field names are Loki label names', () => {
    const cases: Array<[string, string]> = [
      ['x_request_id', 'x_request_id'],
      ['http.request.header.x-request-id', 'http_request_header_x_request_id'],
      ['span.request_id', 'request_id'],
      ['.weird name', 'weird_name'],
      ['9lives', '_9lives'],
    ];
    for (const [name, want] of cases) assert.equal(lokiFieldName(name), want);
    assert.equal(regexEscape('a.b*c[d]'), 'a\\.b\\*c\\[d\\]');
  });

  it('the grammar check does catch broken LogQL', () => {
    assert.notEqual(logqlError('{service_name=~".+"} | trace_id = '), undefined);
  });
});

describe('PromQL around a trace', () => {
  const start = BigInt(Date.UTC(2026, 3, 21, 18, 0, 0)) * 1_000_000n + 123_456n;

  it('pads the trace by five minutes each side and picks a readable step', () => {
    const cases: Array<[string, bigint, number, string]> = [
      // [trace duration, end, step, rate window]
      ['a 2 s request', start + 2_000_000_000n, 5_000, '60s'],
      ['a 40 min request', start + 2_400_000_000_000n, 15_000, '60s'],
      ['a 3 h request', start + 3n * 3_600_000_000_000n, 60_000, '240s'],
      ['a 5 d span of traces', start + 5n * 86_400_000_000_000n, 3_600_000, '14400s'],
    ];
    for (const [name, end, step, rate] of cases) {
      const w = metricsWindow(start, end);
      assert.equal(w.range.startMs, Number(start / 1_000_000n) - 300_000, name);
      assert.ok(w.range.endMs >= Number(end / 1_000_000n) + 300_000, name);
      assert.equal(w.stepMs, step, name);
      assert.equal(w.rateInterval, rate, name);
      assert.ok((w.range.endMs - w.range.startMs) / w.stepMs <= 250, `${name}: about a sparkline's worth of points`);
    }
  });

  it('a zero-length trace still gets a window', () => {
    const w = metricsWindow(start, start);
    assert.equal(w.range.endMs - w.range.startMs, 600_001);
  });

  it('fills in the rate interval and the model', () => {
    const ttft = LOOKUP_PANELS.find((m) => m.defaultId === 'ttftP95')!;
    assert.equal(
      keyMetricExpr(ttft, { rateInterval: '60s', model: 'Qwen/Qwen3-0.6B' }),
      'histogram_quantile(0.95, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{model=~"Qwen/Qwen3-0\\\\.6B"}[60s])))',
    );
    assert.equal(keyMetricExpr(ttft, { rateInterval: '120s' }), 'histogram_quantile(0.95, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{model=~".+"}[120s])))');
    assert.equal(keyMetricExpr({ query: 'rate(x{m="${model}"}[${__rate_interval}])' }, { rateInterval: '60s', model: 'a"b' }), 'rate(x{m="a\\"b"}[60s])');
  });

  it('the defaults cover the issue\'s key metrics with their units', () => {
    assert.deepEqual(
      LOOKUP_PANELS.map((m) => [panelTitleText(m), m.unit, m.exemplars ?? false]),
      [
        ['Request rate by status', 'perSecond', false],
        ['Time to first token p50', 'seconds', true],
        ['Time to first token p95', 'seconds', true],
        ['Inter-token latency p95', 'seconds', true],
        ['Requests in flight', 'count', false],
        ['Requests queued', 'count', false],
        ['GPU utilisation', 'percent', false],
      ],
    );
  });

  it('one exemplar query serves every histogram query', () => {
    assert.equal(exemplarQuery([]), undefined);
    assert.equal(exemplarQuery(['a', 'a']), 'a');
    assert.equal(exemplarQuery(['a', 'b', 'a']), '(a) or (b)');
    assert.ok(mentionsMetric('histogram_quantile(0.5, rate(dynamo_frontend_time_to_first_token_seconds_bucket[1m]))', 'dynamo_frontend_time_to_first_token_seconds_bucket'));
    assert.ok(!mentionsMetric('rate(dynamo_frontend_time_to_first_token_seconds_bucket_x[1m])', 'dynamo_frontend_time_to_first_token_seconds_bucket'));
  });
});

describe('lookup settings', () => {
  it('defaults when nothing is set', () => {
    assert.deepEqual(lookupSettings(), { settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('takes good values and replaces bad ones by the default, saying which', () => {
    const { settings, problems } = lookupSettings({
      attributes: ['span.req', ' trace_request '],
      lookBack: ['24h', '2h'],
      otlpSelector: '{service_name="dynamo-frontend"}',
      jsonlSelector: 'namespace=dynamo',
      metrics: [{ title: 'Up', query: 'up', unit: 'count', exemplars: true }, { nope: 1 }],
      maxTraces: 0,
    });
    assert.deepEqual(settings.attributes, ['span.req', 'trace_request']);
    assert.deepEqual(settings.lookBackMs, [7_200_000, 86_400_000]);
    assert.equal(settings.otlpSelector, '{service_name="dynamo-frontend"}');
    assert.equal(settings.jsonlSelector, DEFAULT_SETTINGS.jsonlSelector);
    assert.deepEqual(settings.metrics.map((m) => m.query), ['up']);
    assert.equal(settings.maxTraces, DEFAULT_SETTINGS.maxTraces);
    assert.deepEqual(settings.metrics[0], { id: 'custom:0', title: 'Up', query: 'up', unit: 'count', exemplars: true });
    assert.deepEqual(problems.map((p) => p.split(/[:[ ]/)[0]), ['spanlens.lookup.logs.jsonlSelector', 'spanlens.lookup.metrics', 'spanlens.lookup.maxTraces']);
    assert.deepEqual(lookupSettings({ lookBack: ['8d'] }).problems.length, 1, 'longer than Tempo searches');
    assert.deepEqual(lookupSettings({ attributes: ['a b'] }).problems.length, 1);
  });
});
