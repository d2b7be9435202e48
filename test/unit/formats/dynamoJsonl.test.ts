import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLevel, parseLogFileLine, parseRfc3339Ns, splitPrefix } from '../../../src/core/formats/dynamoJsonl';
import { toLogEntry } from '../../../src/core/formats/logEntry';
import { NO_LABELS } from '../../../src/core/model/logs';

const TRACE = '9f2c61d0e4b8473a8c15d7e90a3b2f46';
const SPAN = 'a41c07e2b9d35f60';
/** A record as Dynamo's JSONL logger writes it, verbatim in shape. */
const RECORD =
  '{"time":"2026-04-21T18:02:11.514203Z","level":"INFO","file":"/opt/dynamo/lib/llm/src/http/service/metrics.rs","line":1166,"target":"dynamo_llm::http::service::metrics","message":"request completed","avg_itl_ms":"7.91","elapsed_ms":"842","endpoint":"chat_completions","input_tokens":"31","method":"POST","model":"Qwen/Qwen3-0.6B","output_tokens":"100","request_id":"5b0e7c44-1d2a-4f7e-9a61-0c2d9e3f8b17","request_type":"stream","span_id":"a41c07e2b9d35f60","span_name":"http-request","status":"success","trace_id":"9f2c61d0e4b8473a8c15d7e90a3b2f46","ttft_ms":"58.40","uri":"/v1/chat/completions","version":"HTTP/1.1","x_request_id":"vscode-demo-0042"}';
const NS = 1_776_794_531_514_203_000n;

describe('RFC 3339 times', () => {
  const cases: Array<[string, bigint | undefined]> = [
    ['2026-04-21T18:02:11.514203Z', NS],
    ['2026-04-21T18:02:11.514203123Z', NS + 123n],
    ['2026-04-21T18:02:11Z', NS - 514_203_000n],
    ['2026-04-21T20:02:11.514203+02:00', NS],
    ['2026-04-21T13:32:11.514203-04:30', NS],
    ['2026-04-21T18:02:11.514203+0000', NS],
    ['2026-04-21 18:02:11.514203', NS],
    ['2026-04-21T18:02:11,514203Z', NS],
    ['2026-13-01T00:00:00Z', undefined],
    ['2026-04-21T25:00:00Z', undefined],
    ['yesterday', undefined],
  ];
  for (const [s, want] of cases) it(s, () => assert.equal(parseRfc3339Ns(s), want));
});

describe('levels', () => {
  const cases: Array<[unknown, string | undefined]> = [
    ['INFO', 'info'], ['WARN', 'warn'], ['warning', 'warn'], ['ERROR', 'error'], ['err', 'error'], ['DEBUG', 'debug'],
    ['TRACE', 'trace'], ['critical', 'fatal'], ['FATAL', 'fatal'], [9, 'info'], [17, 'error'], ['13', 'warn'], [24, 'fatal'],
    [0, undefined], [25, undefined], ['loud', undefined], [undefined, undefined],
  ];
  for (const [v, want] of cases) it(String(v), () => assert.equal(normalizeLevel(v), want));
});

describe('prefixes', () => {
  const cases: Array<[string, string, Record<string, string>, bigint | undefined]> = [
    ['bare', RECORD, {}, undefined],
    ['docker compose v2', `frontend-1  | ${RECORD}`, { container: 'frontend-1' }, undefined],
    ['docker compose v1', `dynamo_decode_1 | ${RECORD}`, { container: 'dynamo_decode_1' }, undefined],
    ['docker compose, coloured', `\u001b[36mfrontend-1  |\u001b[0m ${RECORD}`, { container: 'frontend-1' }, undefined],
    ['docker compose --timestamps', `frontend-1  | 2026-04-21T18:02:12.000000001Z ${RECORD}`, { container: 'frontend-1' }, NS + 485_797_001n],
    ['kubectl logs --prefix', `[pod/vllm-frontend-7d9c5/main] ${RECORD}`, { pod: 'vllm-frontend-7d9c5', container: 'main' }, undefined],
    ['kubectl logs --prefix --timestamps', `[pod/p/c] 2026-04-21T18:02:11.514203000Z ${RECORD}`, { pod: 'p', container: 'c' }, NS],
    ['kubectl logs --timestamps', `2026-04-21T18:02:11.514203Z ${RECORD}`, {}, NS],
    ['CRLF line end', `${RECORD}\r`, {}, undefined],
  ];
  for (const [name, line, labels, ts] of cases) {
    it(name, () => {
      const p = splitPrefix(line);
      assert.deepEqual({ ...p.labels }, labels);
      assert.equal(p.timestampNs, ts);
      assert.equal(p.rest, RECORD);
    });
  }

  it('a plain "a | b" line is not a compose prefix', () => {
    assert.deepEqual(splitPrefix('grep foo | wc -l').labels, NO_LABELS);
    assert.equal(splitPrefix('grep foo | wc -l').rest, 'grep foo | wc -l');
  });
});

describe('Dynamo JSONL records', () => {
  it('the fixed fields, the flattened ones, span context and the source', () => {
    const e = parseLogFileLine(RECORD, 0, 0n);
    assert.equal(e.timestampNs, NS);
    assert.equal(e.timeInferred, undefined);
    assert.equal(e.level, 'info');
    assert.equal(e.message, 'request completed');
    assert.equal(e.target, 'dynamo_llm::http::service::metrics');
    assert.equal(e.traceId, TRACE);
    assert.equal(e.spanId, SPAN);
    assert.deepEqual(e.source, { path: '/opt/dynamo/lib/llm/src/http/service/metrics.rs', line: 1166, from: 'log', name: 'dynamo_llm::http::service::metrics' });
    assert.equal(e.fields.x_request_id, 'vscode-demo-0042');
    assert.equal(e.fields.span_name, 'http-request');
    assert.equal(e.fields.time, undefined, 'fixed keys are not fields');
    assert.equal(e.fields.message, undefined);
    assert.equal(e.fileLine, 0);
  });

  it('a line in a prefix keeps the prefix as labels and the record as the line', () => {
    const e = parseLogFileLine(`[pod/frontend-0/main] ${RECORD}`, 7, 0n);
    assert.deepEqual({ ...e.labels }, { pod: 'frontend-0', container: 'main' });
    assert.equal(e.line, RECORD);
    assert.equal(e.traceId, TRACE);
    assert.equal(e.fileLine, 7);
  });

  it('typed fields stay typed; JSON in a field stays JSON', () => {
    const e = parseLogFileLine('{"time":"2026-04-21T18:02:11.514203Z","level":"DEBUG","target":"x","message":"m","blocks":12,"ok":true,"cfg":{"a":[1,2]}}', 0, 0n);
    assert.deepEqual(e.fields, { blocks: 12, ok: true, cfg: { a: [1, 2] } });
  });

  it('Python-origin records: log.file, log.line, log.target', () => {
    const e = parseLogFileLine(
      '{"time":"2026-04-21T18:02:11.600000Z","level":"WARN","target":"log","message":"KV cache nearly full","log.file":"/opt/dynamo/components/src/dynamo/vllm/handlers.py","log.line":212,"log.target":"dynamo.vllm.handlers.generate","request_id":"r"}',
      0,
      0n,
    );
    assert.equal(e.level, 'warn');
    assert.equal(e.target, 'log');
    assert.deepEqual(e.source, { path: '/opt/dynamo/components/src/dynamo/vllm/handlers.py', line: 212, from: 'log', name: 'dynamo.vllm.handlers.generate' });
    assert.equal(e.traceId, undefined);
  });

  it('SPAN_FIRST_ENTRY and SPAN_CLOSED', () => {
    const open = parseLogFileLine(`{"time":"2026-04-21T18:02:11.000000Z","level":"INFO","target":"request_span","message":"SPAN_FIRST_ENTRY","span_id":"${SPAN}","span_name":"http-request","trace_id":"${TRACE}"}`, 0, 0n);
    assert.deepEqual(open.lifecycle, { kind: 'enter', spanName: 'http-request' });
    const close = parseLogFileLine(
      `{"time":"2026-04-21T18:02:11.900000Z","level":"INFO","target":"request_span","message":"SPAN_CLOSED","span_id":"${SPAN}","span_name":"http-request","time.busy_us":1200,"time.duration_us":900000,"time.idle_us":898800,"trace_id":"${TRACE}"}`,
      1,
      0n,
    );
    assert.deepEqual(close.lifecycle, { kind: 'close', spanName: 'http-request', busyUs: 1200, idleUs: 898800, durationUs: 900000 });
    assert.equal(close.spanId, SPAN);
  });

  it('ids that are not ids are left out', () => {
    const e = parseLogFileLine('{"time":"2026-04-21T18:02:11Z","level":"INFO","message":"m","trace_id":"123","span_id":"0000000000000000"}', 0, 0n);
    assert.equal(e.traceId, undefined);
    assert.equal(e.spanId, undefined);
  });

  it('a record without a time takes its neighbour\'s; one with a prefix stamp takes that', () => {
    const e = parseLogFileLine('{"level":"INFO","message":"m"}', 3, 42n);
    assert.equal(e.timestampNs, 42n);
    assert.equal(e.timeInferred, true);
    const f = parseLogFileLine('frontend-1  | 2026-04-21T18:02:11.514203Z {"level":"INFO","message":"m"}', 3, 42n);
    assert.equal(f.timestampNs, NS);
  });

  it('a panic in the message names its source', () => {
    const e = parseLogFileLine(`{"time":"2026-04-21T18:02:11Z","level":"ERROR","target":"log","message":"thread 'tokio' panicked at lib/runtime/src/pipeline.rs:42:13:\\nboom"}`, 0, 0n);
    assert.deepEqual(e.source, { path: 'lib/runtime/src/pipeline.rs', line: 42, column: 13, from: 'stack', name: 'lib/runtime/src/pipeline.rs' });
  });
});

describe('plain lines', () => {
  it('are kept, with a level word and a leading time when they have them', () => {
    const e = parseLogFileLine('2026-04-21T18:02:11.514203Z ERROR engine died', 5, 1n);
    assert.equal(e.timestampNs, NS);
    assert.equal(e.level, 'error');
    assert.equal(e.message, 'ERROR engine died');
    assert.deepEqual(e.fields, {});
    assert.equal(e.source, null);
  });

  it('take the previous entry\'s time when they have none', () => {
    const e = parseLogFileLine('Traceback (most recent call last):', 6, 99n);
    assert.equal(e.timestampNs, 99n);
    assert.equal(e.timeInferred, true);
    assert.equal(e.level, undefined);
  });

  it('a traceback frame line names its file', () => {
    const e = parseLogFileLine('  File "/opt/dynamo/components/src/dynamo/vllm/handlers.py", line 88, in generate', 7, 0n);
    assert.deepEqual(e.source, { path: '/opt/dynamo/components/src/dynamo/vllm/handlers.py', line: 88, function: 'generate', from: 'stack', name: 'generate' });
  });

  it('broken JSON is a plain line', () => {
    const e = parseLogFileLine('{"time":"2026-04-21T18:02:11Z","level":"INFO",', 0, 0n);
    assert.equal(e.message, '{"time":"2026-04-21T18:02:11Z","level":"INFO",');
    assert.deepEqual(e.fields, {});
  });
});

describe('Loki lines → entries', () => {
  it('OTLP-fed: ids, level and code.* from structured metadata, the line as the message', () => {
    const e = toLogEntry({
      timestampNs: NS,
      line: 'request completed',
      labels: { service_name: 'dynamo-frontend' },
      metadata: { trace_id: TRACE, span_id: SPAN, severity_text: 'INFO', code_file_path: '/opt/dynamo/lib/llm/src/http/service/openai.rs', code_line_number: '311', request_id: 'r' },
      parsed: NO_LABELS,
    });
    assert.equal(e.traceId, TRACE);
    assert.equal(e.spanId, SPAN);
    assert.equal(e.level, 'info');
    assert.equal(e.message, 'request completed');
    assert.deepEqual(e.source, { path: '/opt/dynamo/lib/llm/src/http/service/openai.rs', line: 311, from: 'log', name: 'log' });
    assert.deepEqual(e.fields, {});
  });

  it('OTLP code.* under their dotted names too; severity_number when there is no text', () => {
    const e = toLogEntry({ timestampNs: 1n, line: 'm', labels: NO_LABELS, metadata: { 'code.filepath': 'a.py', 'code.lineno': '3', severity_number: '17' }, parsed: NO_LABELS });
    assert.deepEqual(e.source, { path: 'a.py', line: 3, from: 'log', name: 'log' });
    assert.equal(e.level, 'error');
  });

  it('Alloy-shipped JSONL: the record is read from the line', () => {
    const e = toLogEntry({ timestampNs: NS, line: RECORD, labels: { namespace: 'dynamo', nvidia_com_dynamo_component_type: 'frontend' }, metadata: { pod: 'frontend-0' }, parsed: { trace_id: TRACE } });
    assert.equal(e.traceId, TRACE);
    assert.equal(e.spanId, SPAN);
    assert.equal(e.level, 'info');
    assert.equal(e.message, 'request completed');
    assert.equal(e.source?.line, 1166);
    assert.equal(e.fields.x_request_id, 'vscode-demo-0042');
    assert.equal(e.timestampNs, NS, "Loki's timestamp is kept");
  });

  it('a plain line without ids stays a plain entry', () => {
    const e = toLogEntry({ timestampNs: 5n, line: 'hello', labels: { level: 'warn' }, metadata: NO_LABELS, parsed: NO_LABELS });
    assert.deepEqual([e.traceId, e.spanId, e.level, e.message, e.source], [undefined, undefined, 'warn', 'hello', null]);
  });
});
