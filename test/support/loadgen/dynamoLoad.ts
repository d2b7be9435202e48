/**
 * A Dynamo-shaped load generator on the real OpenTelemetry JS SDK: each request is a generated
 * Dynamo trace (test/support/synth: frontend http-request → router → prefill and decode workers,
 * with Dynamo's attributes, events and failures) replayed span by span through one tracer
 * provider per service (each its own resource, as each Dynamo process is), and its log events
 * emitted through the logs SDK inside their spans — so ids, times and attributes are exactly
 * those of the synthetic trace, and a request id named in advance (requestIdFor(seed)) resolves.
 * The SDK's own OTLP exporters send everything: gRPC (what Dynamo's Rust exporter speaks) or
 * HTTP/protobuf.
 */
import { context, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type Context } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as TracesGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TracesProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import { parseTraceValue } from '../../../src/core/formats';
import { generateTrace } from '../synth/dynamo';
import { generateLogs } from '../synth/logs';
import { requestIdFor } from '../synth/prng';

export interface LoadTarget {
  /** OTLP/gRPC endpoint, e.g. http://127.0.0.1:4317. */
  readonly grpc?: string;
  /** OTLP/HTTP base, e.g. http://127.0.0.1:4318 (used when `protocol` is http/protobuf). */
  readonly http?: string;
  readonly protocol?: 'grpc' | 'http/protobuf';
}

export interface SentRequest {
  readonly seed: number;
  readonly traceId: string;
  readonly rootSpanId: string;
  /** The root span's x_request_id. */
  readonly requestId: string;
  readonly spans: number;
  readonly logs: number;
  /** Of those, the records emitted inside a span (they carry its trace id; Python ones outside any span do not). */
  readonly tracedLogs: number;
  /** The root span's ttft_ms in seconds, for a metric exemplar. */
  readonly ttftSeconds: number;
  readonly startNs: bigint;
}

type Json = Record<string, unknown>;

/** Hands the SDK the ids of the span being replayed. */
class ReplayIds implements IdGenerator {
  traceId = '';
  spanId = '';
  generateTraceId(): string {
    return this.traceId;
  }
  generateSpanId(): string {
    return this.spanId;
  }
}

function attrs(list: unknown): Attributes {
  const out: Attributes = {};
  for (const kv of (list as { key: string; value: Json }[] | undefined) ?? []) {
    const v = kv.value;
    if (v.stringValue !== undefined) out[kv.key] = v.stringValue as string;
    else if (v.intValue !== undefined) out[kv.key] = Number(v.intValue);
    else if (v.doubleValue !== undefined) out[kv.key] = v.doubleValue as number;
    else if (v.boolValue !== undefined) out[kv.key] = v.boolValue as boolean;
  }
  return out;
}

function hr(ns: bigint | string): [number, number] {
  const n = BigInt(ns);
  return [Number(n / 1_000_000_000n), Number(n % 1_000_000_000n)];
}

const API_KIND = [SpanKind.INTERNAL, SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER];

export class DynamoLoad {
  private readonly ids = new ReplayIds();
  private readonly services = new Map<string, { tracer: BasicTracerProvider; logger: LoggerProvider }>();

  constructor(private readonly target: LoadTarget) {}

  private service(name: string): { tracer: BasicTracerProvider; logger: LoggerProvider } {
    let s = this.services.get(name);
    if (s) return s;
    const resource = resourceFromAttributes({ 'service.name': name });
    const grpc = (this.target.protocol ?? 'grpc') === 'grpc';
    const traces = grpc ? new TracesGrpc({ url: this.target.grpc ?? 'http://127.0.0.1:4317' }) : new TracesProto({ url: `${this.target.http ?? 'http://127.0.0.1:4318'}/v1/traces` });
    const logs = grpc ? new LogsGrpc({ url: this.target.grpc ?? 'http://127.0.0.1:4317' }) : new LogsProto({ url: `${this.target.http ?? 'http://127.0.0.1:4318'}/v1/logs` });
    s = {
      tracer: new BasicTracerProvider({
        resource,
        idGenerator: this.ids,
        spanProcessors: [new BatchSpanProcessor(traces, { maxExportBatchSize: 1000, maxQueueSize: 100_000, scheduledDelayMillis: 200 })],
      }),
      logger: new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: logs, maxExportBatchSize: 1000, maxQueueSize: 100_000, scheduledDelayMillis: 200 })] }),
    };
    this.services.set(name, s);
    return s;
  }

  /** One request: the trace generated from `seed` with `spans` spans starting at `startNs`, and its logs. */
  send(seed: number, spans: number, startNs: bigint): SentRequest {
    const otlp = generateTrace({ spans, seed, startUnixNano: startNs });
    const model = parseTraceValue(otlp).traces[0]!;
    const contexts = new Map<string, Context>();
    let rootSpanId = '';
    let ttft = 0;
    for (const rs of otlp.resourceSpans as Json[]) {
      const service = String(((rs.resource as Json).attributes as { value: Json }[])[0]!.value.stringValue);
      const { tracer } = this.service(service);
      for (const ss of rs.scopeSpans as Json[]) {
        const scope = (ss.scope as { name: string }).name;
        const t = tracer.getTracer(scope);
        for (const s of ss.spans as Json[]) {
          const traceId = String(s.traceId).toLowerCase();
          const spanId = String(s.spanId).toLowerCase();
          const parent = s.parentSpanId ? String(s.parentSpanId).toLowerCase() : undefined;
          this.ids.traceId = traceId;
          this.ids.spanId = spanId;
          const ctx = parent ? trace.setSpanContext(context.active(), { traceId, spanId: parent, traceFlags: TraceFlags.SAMPLED }) : context.active();
          const a = attrs(s.attributes);
          const span = t.startSpan(String(s.name), { kind: API_KIND[Number(s.kind ?? 1)] ?? SpanKind.INTERNAL, startTime: hr(s.startTimeUnixNano as string), attributes: a }, ctx);
          for (const e of (s.events as Json[] | undefined) ?? []) span.addEvent(String(e.name ?? ''), attrs(e.attributes), hr(e.timeUnixNano as string));
          const st = s.status as { code?: number; message?: string } | undefined;
          if (st?.code === 2) span.setStatus({ code: SpanStatusCode.ERROR, message: st.message });
          span.end(hr(s.endTimeUnixNano as string));
          contexts.set(spanId, trace.setSpan(context.active(), span));
          if (!parent) {
            rootSpanId = spanId;
            ttft = typeof a.ttft_ms === 'number' ? a.ttft_ms / 1000 : 0.05;
          }
        }
      }
    }
    const entries = generateLogs([model], { shape: 'otlp', seed });
    let traced = 0;
    for (const e of entries) {
      const md = { ...(e.metadata ?? {}) };
      const spanCtx = contexts.get(md.span_id ?? '');
      if (spanCtx) traced++;
      delete md.trace_id;
      delete md.span_id;
      const failed = md.status === 'error' || md.error_type !== undefined || md.status === '500';
      const attributes: Attributes = {};
      for (const [k, v] of Object.entries(md)) attributes[k] = /^-?\d+$/.test(v) ? Number(v) : v;
      this.service(e.labels.service_name ?? 'dynamo').logger.getLogger('dynamo_runtime::logging').emit({
        timestamp: hr(e.ts),
        observedTimestamp: hr(e.ts),
        severityNumber: failed ? SeverityNumber.ERROR : SeverityNumber.INFO,
        severityText: failed ? 'ERROR' : 'INFO',
        body: e.line,
        attributes,
        context: spanCtx,
      });
    }
    return { seed, traceId: model.traceId, rootSpanId, requestId: requestIdFor(seed), spans: model.spans.length, logs: entries.length, tracedLogs: traced, ttftSeconds: ttft, startNs };
  }

  async flush(): Promise<void> {
    await Promise.all([...this.services.values()].flatMap((s) => [s.tracer.forceFlush(), s.logger.forceFlush()]));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.services.values()].flatMap((s) => [s.tracer.shutdown(), s.logger.shutdown()]));
  }
}
