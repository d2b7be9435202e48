/**
 * The local capture's receiver against the real OpenTelemetry JS SDK: its OTLP exporters over
 * gRPC, HTTP/protobuf and HTTP/JSON send traces and logs, and everything comes back exact —
 * through the Tempo API (protobuf, compared field by field with what the SDK's own serializer
 * writes for the same spans) and through the Loki API and the store for log records.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace, TraceFlags, type Link } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { TraceState } from '@opentelemetry/core';
import { otlpTypes } from '../../../src/core/formats/otlpSchema';
import type { LogRecord } from '../../../src/core/model/logs';
import { CaptureServer } from '../../../src/core/capture/server';
import { hrTime, hrToNs, sdkSender, type Protocol } from '../../support/otelSdk';

let server: CaptureServer;

async function until(cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; !cond(); delay = Math.min(delay * 2, 200)) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the receiver');
    await new Promise((r) => setTimeout(r, delay));
  }
}

before(async () => {
  server = await CaptureServer.start({ ports: { grpc: 0, http: 0, query: 0 } });
});
after(async () => {
  await server.close();
});

/** Every span with its resource and scope, by span id, as protobufjs reads TracesData with all defaults. */
function flatSpans(bytes: Uint8Array): unknown[] {
  const o = otlpTypes.TracesData.toObject(otlpTypes.TracesData.decode(bytes), { longs: String, bytes: String, enums: Number, defaults: true, arrays: true }) as {
    resourceSpans: { resource: unknown; scopeSpans: { scope: unknown; spans: { spanId: string }[] }[] }[];
  };
  const out: { resource: unknown; scope: unknown; span: { spanId: string } }[] = [];
  for (const rs of o.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) out.push({ resource: rs.resource, scope: ss.scope, span });
  return out.sort((a, b) => (a.span.spanId < b.span.spanId ? -1 : 1));
}

const T0 = 1_767_225_600_123_456_789n; // 2026-01-01T00:00:00.123456789Z, ns not a multiple of 1000

function sendRichTrace(protocol: Protocol, sender: ReturnType<typeof sdkSender>, offsetNs: bigint): string {
  const tracer = sender.tracer.getTracer(`spanlens-test-${protocol}`, '1.2.3');
  const start = T0 + offsetNs;
  const linkTarget = { traceId: 'abcdef0123456789abcdef0123456789', spanId: '0123456789abcdef', traceFlags: TraceFlags.SAMPLED, traceState: new TraceState('vendor=x,other=y') };
  const links: Link[] = [{ context: linkTarget, attributes: { 'link.kind': 'follows', 'link.n': 7 } }];
  const root = tracer.startSpan(
    'http-request',
    {
      kind: SpanKind.SERVER,
      startTime: hrTime(start),
      links,
      attributes: {
        x_request_id: `req-${protocol}`,
        method: 'POST',
        'http.status_code': 200,
        ttft_ms: 12.625,
        streaming: true,
        big: Number.MAX_SAFE_INTEGER,
        negative: -42,
        tags: ['a', 'b'],
        counts: [1, 2, 3],
        flags: [true, false],
        'unicode.ключ': 'значение <&> "quoted"',
      },
    },
    context.active(),
  );
  root.addEvent('request received', { level: 'INFO', 'code.line.number': 1166 }, hrTime(start + 1_001n));
  const ctx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan('handle_payload', { kind: SpanKind.INTERNAL, startTime: hrTime(start + 10_007n), attributes: { component: 'backend', instance_id: 7587892345 } }, ctx);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'CUDA out of memory' });
  child.addEvent('exception', { 'exception.message': 'boom' }, hrTime(start + 20_009n));
  child.end(hrTime(start + 900_000_011n));
  for (const kind of [SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
    const s = tracer.startSpan(`kind-${kind}`, { kind, startTime: hrTime(start + BigInt(kind) * 3n) }, ctx);
    s.setStatus({ code: SpanStatusCode.OK });
    s.end(hrTime(start + BigInt(kind) * 1000n + 1n));
  }
  root.end(hrTime(start + 1_234_567_891n));
  return root.spanContext().traceId;
}

async function traceProto(traceId: string, api: 'v1' | 'v2'): Promise<Uint8Array> {
  const r = await fetch(`${server.queryUrl}/api${api === 'v2' ? '/v2' : ''}/traces/${traceId}`, { headers: { accept: 'application/protobuf' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/protobuf');
  return new Uint8Array(await r.arrayBuffer());
}

describe('real OTel SDK exporters → the capture receiver', () => {
  for (const [i, protocol] of (['grpc', 'http/protobuf', 'http/json'] as Protocol[]).entries()) {
    test(`${protocol}: every span, attribute, event and link comes back exact through the Tempo API`, async () => {
      const sender = sdkSender(protocol, server.ports, { 'service.name': `svc-${protocol}`, 'service.version': '1.0.0', 'host.cores': 2 });
      const traceId = sendRichTrace(protocol, sender, BigInt(i) * 10_000_000_000n);
      await sender.flush();
      const sent = sender.sentSpans.getFinishedSpans();
      assert.equal(sent.length, 5);
      const expected = flatSpans(ProtobufTraceSerializer.serializeRequest(sent)!);
      const v1 = await traceProto(traceId, 'v1');
      assert.deepEqual(flatSpans(v1), expected);
      // v2 wraps the same trace; field 1 is the Trace.
      const v2 = otlpTypes.TraceByIDResponse.decode(await traceProto(traceId, 'v2')) as unknown as { trace: unknown };
      assert.deepEqual(flatSpans(otlpTypes.TempoTrace.encode(otlpTypes.TempoTrace.fromObject(v2.trace as object)).finish()), expected);
      // The JSON answer is Tempo's: base64 ids, enum names, int64 as strings, exact nanoseconds.
      const json = (await (await fetch(`${server.queryUrl}/api/v2/traces/${traceId}`)).json()) as { trace: { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] } };
      const root = json.trace.resourceSpans[0]!.scopeSpans[0]!.spans.find((s) => s.name === 'http-request')!;
      assert.equal(root.traceId, Buffer.from(traceId, 'hex').toString('base64'));
      assert.equal(root.kind, 'SPAN_KIND_SERVER');
      assert.equal(root.startTimeUnixNano, String(hrToNs(sent.find((s) => s.name === 'http-request')!.startTime)));
      assert.ok((root.attributes as { key: string; value: unknown }[]).some((a) => a.key === 'big' && JSON.stringify(a.value) === `{"intValue":"${Number.MAX_SAFE_INTEGER}"}`));
      await sender.shutdown();
    });

    test(`${protocol}: every log record comes back exact (store) and as Loki shows OTLP logs`, async () => {
      const sender = sdkSender(protocol, server.ports, { 'service.name': `logs-${protocol}`, 'k8s.namespace.name': 'dynamo', 'host.name': 'box' });
      const logger = sender.logger.getLogger('dynamo_runtime::logging', '0.4.0');
      const traceId = `${'0'.repeat(31)}${i + 1}`.replace(/^0/, 'f');
      const spanId = `00000000000000a${i}`;
      const spanCtx = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: TraceFlags.SAMPLED });
      const base = T0 + BigInt(i) * 1_000_000n;
      logger.emit({ timestamp: hrTime(base), observedTimestamp: hrTime(base + 5n), severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'request received', attributes: { request_id: `r-${i}`, elapsed_ms: 12, ok: true, ratio: 0.25 }, context: spanCtx });
      logger.emit({ timestamp: hrTime(base + 1_000_003n), severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: { message: 'worker <decode-1> dropped the stream & the retry failed', code: 500 }, attributes: { 'error.type': 'internal' }, context: spanCtx, eventName: 'request.failed' });
      logger.emit({ timestamp: hrTime(base + 2_000_000n), severityNumber: SeverityNumber.DEBUG, body: 'no span here' });
      const before = server.stats().received.logRecords;
      await sender.flush();
      const sent = sender.sentLogs.getFinishedLogRecords();
      assert.equal(sent.length, 3);
      // The logs SDK's flush returns before its exporter's request has been answered.
      await until(() => server.stats().received.logRecords >= before + 3);
      // The store holds each record as sent.
      const table = server.store.logs;
      const held: LogRecord[] = [];
      for (let r = table.headRow; r < table.endRow; r++) if (table.segment(r)) held.push(table.record(r));
      for (const s of sent) {
        const got = held.find((h) => h.time === hrToNs(s.hrTime) && h.resource.serviceName === `logs-${protocol}`);
        assert.ok(got, `record at ${hrToNs(s.hrTime)}`);
        assert.equal(got.observedTime, hrToNs(s.hrTimeObserved));
        assert.equal(got.severityNumber, s.severityNumber ?? 0);
        assert.equal(got.severityText, s.severityText ?? '');
        assert.deepEqual(got.body, s.body);
        assert.deepEqual(Object.fromEntries(got.attributes.map((a) => [a.key, a.value])), s.attributes);
        assert.equal(got.traceId, s.spanContext?.traceId);
        assert.equal(got.spanId, s.spanContext?.spanId);
        assert.equal(got.flags, s.spanContext ? 1 : 0);
        assert.equal(got.eventName, s.eventName);
        assert.equal(got.scope.name, 'dynamo_runtime::logging');
        assert.equal(got.scope.version, '0.4.0');
        assert.deepEqual(
          Object.fromEntries(got.resource.attributes.map((a) => [a.key, a.value])),
          Object.fromEntries(Object.entries(s.resource.attributes)),
        );
      }
      // Loki's view: service_name and the indexed k8s label as the stream, the rest as structured metadata.
      const q = new URLSearchParams({ query: `{service_name="logs-${protocol}"} | trace_id="${traceId}"`, start: String(T0 - 1_000_000_000n), end: String(T0 + 60_000_000_000n), direction: 'forward' });
      const r = await fetch(`${server.queryUrl}/loki/api/v1/query_range?${q}`, { headers: { 'x-loki-response-encoding-flags': 'categorize-labels' } });
      assert.equal(r.status, 200);
      const body = (await r.json()) as { data: { encodingFlags: string[]; result: { stream: Record<string, string>; values: [string, string, { structuredMetadata?: Record<string, string> }][] }[] } };
      assert.deepEqual(body.data.encodingFlags, ['categorize-labels']);
      assert.equal(body.data.result.length, 1);
      assert.deepEqual(body.data.result[0]!.stream, { k8s_namespace_name: 'dynamo', service_name: `logs-${protocol}` });
      const [first, second] = body.data.result[0]!.values;
      assert.equal(first![0], String(base));
      assert.equal(first![1], 'request received');
      assert.equal(first![2].structuredMetadata!.trace_id, traceId);
      assert.equal(first![2].structuredMetadata!.span_id, spanId);
      assert.equal(first![2].structuredMetadata!.request_id, `r-${i}`);
      assert.equal(first![2].structuredMetadata!.elapsed_ms, '12');
      assert.equal(first![2].structuredMetadata!.host_name, 'box');
      assert.equal(first![2].structuredMetadata!.severity_text, 'INFO');
      assert.equal(first![2].structuredMetadata!.detected_level, 'info');
      assert.equal(second![0], String(base + 1_000_003n));
      assert.deepEqual(JSON.parse(second![1]), { message: 'worker <decode-1> dropped the stream & the retry failed', code: 500 });
      assert.equal(second![2].structuredMetadata!.detected_level, 'error');
      assert.equal(second![2].structuredMetadata!.event_name, 'request.failed');
      await sender.shutdown();
    });
  }

  test('64-bit values the JS SDK cannot make are exact too: int64 past 2^53, integral doubles, bytes, maps, times near 2^64', async () => {
    const tid = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');
    const sid = Buffer.from('1112131415161718', 'hex');
    const req = otlpTypes.ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'wire' } }] },
          scopeSpans: [
            {
              scope: { name: 'raw' },
              spans: [
                {
                  traceId: tid,
                  spanId: sid,
                  name: 'exact',
                  status: {},
                  flags: 0x301,
                  startTimeUnixNano: '18446744073709551000',
                  endTimeUnixNano: '18446744073709551615',
                  droppedAttributesCount: 3,
                  droppedEventsCount: 1,
                  droppedLinksCount: 2,
                  attributes: [
                    { key: 'i64', value: { intValue: '4611686018427387907' } },
                    { key: 'neg64', value: { intValue: '-9223372036854775808' } },
                    { key: 'd', value: { doubleValue: 3 } },
                    { key: 'b', value: { bytesValue: Buffer.from([0, 1, 2, 255]) } },
                    { key: 'kv', value: { kvlistValue: { values: [{ key: 'x', value: { stringValue: 'y' } }] } } },
                    { key: 'empty', value: {} },
                  ],
                  events: [{ timeUnixNano: '18446744073709551001', name: 'e', droppedAttributesCount: 4 }],
                },
              ],
            },
          ],
        },
      ],
    });
    const body = otlpTypes.ExportTraceServiceRequest.encode(req).finish();
    const r = await fetch(`http://127.0.0.1:${server.ports.http}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(body) });
    assert.equal(r.status, 200);
    const back = flatSpans(await traceProto(tid.toString('hex'), 'v1'));
    assert.deepEqual(back, flatSpans(otlpTypes.TracesData.encode(otlpTypes.TracesData.fromObject(req.toJSON())).finish()));
  });
});
