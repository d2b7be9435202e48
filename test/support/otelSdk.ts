/**
 * The real OpenTelemetry JS SDK as a test sender: a tracer provider and a logger provider whose
 * exporters are the SDK's own OTLP exporters (gRPC, HTTP/protobuf or HTTP/JSON) pointed at a
 * receiver, plus in-memory copies of everything exported, so a test can compare what the SDK sent
 * with what came back.
 */
import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as TracesGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TracesJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TracesProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export type Protocol = 'grpc' | 'http/protobuf' | 'http/json';

export interface SdkSender {
  readonly tracer: BasicTracerProvider;
  readonly logger: LoggerProvider;
  readonly sentSpans: InMemorySpanExporter;
  readonly sentLogs: InMemoryLogRecordExporter;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function sdkSender(protocol: Protocol, ports: { grpc: number; http: number }, resource: Record<string, string | number | boolean>): SdkSender {
  const res = resourceFromAttributes(resource);
  const grpcUrl = `http://127.0.0.1:${ports.grpc}`;
  const http = `http://127.0.0.1:${ports.http}`;
  const traces =
    protocol === 'grpc'
      ? new TracesGrpc({ url: grpcUrl })
      : protocol === 'http/protobuf'
        ? new TracesProto({ url: `${http}/v1/traces` })
        : new TracesJson({ url: `${http}/v1/traces` });
  const logs =
    protocol === 'grpc' ? new LogsGrpc({ url: grpcUrl }) : protocol === 'http/protobuf' ? new LogsProto({ url: `${http}/v1/logs` }) : new LogsJson({ url: `${http}/v1/logs` });
  const sentSpans = new InMemorySpanExporter();
  const sentLogs = new InMemoryLogRecordExporter();
  const tracer = new BasicTracerProvider({ resource: res, spanProcessors: [new SimpleSpanProcessor(traces), new SimpleSpanProcessor(sentSpans)] });
  const logger = new LoggerProvider({ resource: res, processors: [new SimpleLogRecordProcessor({ exporter: logs }), new SimpleLogRecordProcessor({ exporter: sentLogs })] });
  return {
    tracer,
    logger,
    sentSpans,
    sentLogs,
    async flush() {
      await tracer.forceFlush();
      await logger.forceFlush();
    },
    async shutdown() {
      await tracer.shutdown();
      await logger.shutdown();
    },
  };
}

/** [seconds, nanoseconds] for an exact Unix ns time (the SDK's HrTime). */
export function hrTime(ns: bigint): [number, number] {
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

export function hrToNs(t: readonly [number, number]): bigint {
  return BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
}
