/**
 * OTLP protobuf traces → the model the JSON path builds (formats/otlpJson.ts), with the same
 * rules: hex ids left-padded, an all-zero parent is no parent, ints beyond 2^53 kept as decimal
 * strings, bytes as base64, an end before its start clamped with a warning. Three wire messages
 * carry the same `resource_spans = 1`: OTLP TracesData (a .pb file), the collector's
 * ExportTraceServiceRequest (what the receiver gets) and Tempo's v1 `tempopb.Trace`; Tempo's v2
 * answer wraps it in `TraceByIDResponse { trace = 1; status = 3; message = 4 }`. The bytes are
 * read straight into the model (otlpWire.ts); protobufjs' types (otlpSchema.ts) stay the encoders.
 */
import type { ParsedTraces, SpanSink } from '../model/trace';
import { TraceCollector } from './common';
import { otlpTypes } from './otlpSchema';
import { readTraceByIdResponse, readTraces } from './otlpWire';

/** The message types, for encoders (the Tempo fake) as well as the decoders below. */
export const otlpProto = {
  Trace: otlpTypes.TempoTrace,
  TraceByIDResponse: otlpTypes.TraceByIDResponse,
};

/** What a Tempo protobuf body decodes to. */
export interface TempoProtoResult {
  readonly parsed: ParsedTraces;
  /** v2 `status: PARTIAL`. */
  readonly partial: boolean;
  readonly message?: string;
}

/** A v2 body (TraceByIDResponse) → model. Throws TraceFormatError on bytes that are not one. */
export function decodeTempoV2Proto(body: Uint8Array): TempoProtoResult {
  const out = new TraceCollector();
  const { partial, message } = readTraceByIdResponse(body, out);
  if (partial) out.warn(`Tempo returned a partial trace${message ? `: ${message}` : ''}`);
  return { parsed: out.finish('tempo-v2', partial ? (message ? { message } : {}) : undefined), partial, message };
}

/** A v1 body (tempopb.Trace, wire-compatible with OTLP TracesData, so also a .pb trace file) → model. */
export function decodeTempoV1Proto(body: Uint8Array, format: 'tempo-v1' | 'otlp-proto' = 'tempo-v1'): TempoProtoResult {
  const out = new TraceCollector();
  readTraces(body, out);
  return { parsed: out.finish(format), partial: false };
}

/**
 * An OTLP ExportTraceServiceRequest (or TracesData) → `sink`, keeping the wire's types and
 * fields when `keepWire`. Throws TraceFormatError when the bytes are not the message; a span
 * that cannot be read goes to `sink.reject` when the sink has one.
 */
export function decodeTracesProto(body: Uint8Array, sink: SpanSink, opts: { readonly keepWire?: boolean } = {}): void {
  readTraces(body, sink, opts);
}
