/**
 * One OTLP export request (either signal, protobuf or JSON, already decompressed) into the
 * store, with the answer the OTLP specification prescribes: the Export*ServiceResponse, with a
 * partial success naming how many items were rejected and why the first one was; or, when the
 * bytes are not the message, an error saying so (HTTP 400 / gRPC INVALID_ARGUMENT).
 */
import { TraceFormatError } from '../../model/errors';
import { decodeLogsJson } from '../../formats/otlpLogsJson';
import { decodeLogsProto } from '../../formats/otlpLogsProto';
import { decodeTracesJson } from '../../formats/otlpJson';
import { decodeTracesProto } from '../../formats/otlpProto';
import { otlpTypes } from '../../formats/otlpSchema';
import type { CaptureStore, IngestResult } from '../store/store';

export type Signal = 'traces' | 'logs';
export type Encoding = 'protobuf' | 'json';

export type IngestOutcome =
  | { readonly ok: true; readonly result: IngestResult; readonly response: Uint8Array | string }
  | { readonly ok: false; readonly message: string };

/** What the receiver does with a request's bytes; `persist` keeps a copy of what was stored. */
export function ingestRequest(store: CaptureStore, signal: Signal, encoding: Encoding, body: Uint8Array): IngestOutcome {
  let result: IngestResult;
  try {
    if (encoding === 'protobuf') {
      result =
        signal === 'traces'
          ? store.ingestSpans((sink) => decodeTracesProto(body, sink, { keepWire: true }))
          : store.ingestLogs((sink) => decodeLogsProto(body, sink, { keepWire: true }));
    } else {
      let value: unknown;
      try {
        value = body.length ? JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')) : {};
      } catch {
        return { ok: false, message: 'the request body is not JSON' };
      }
      result =
        signal === 'traces'
          ? store.ingestSpans((sink) => decodeTracesJson(value, sink, { keepWire: true }))
          : store.ingestLogs((sink) => decodeLogsJson(value, sink, { keepWire: true }));
    }
  } catch (err) {
    if (err instanceof TraceFormatError) return { ok: false, message: err.message };
    throw err;
  }
  return { ok: true, result, response: exportResponse(signal, encoding, result) };
}

/** ExportTraceServiceResponse / ExportLogsServiceResponse, with partial_success when anything was rejected. */
export function exportResponse(signal: Signal, encoding: Encoding, r: IngestResult): Uint8Array | string {
  const rejectedKey = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  const partial = r.rejected > 0 ? { [rejectedKey]: String(r.rejected), errorMessage: r.firstProblem ?? '' } : undefined;
  if (encoding === 'json') return JSON.stringify(partial ? { partialSuccess: partial } : {});
  const type = signal === 'traces' ? otlpTypes.ExportTraceServiceResponse : otlpTypes.ExportLogsServiceResponse;
  return type.encode(type.fromObject(partial ? { partialSuccess: partial } : {})).finish();
}

/** google.rpc.Status, the body of every OTLP/HTTP 4xx and 5xx answer. */
export function statusBody(encoding: Encoding, code: number, message: string): Uint8Array | string {
  if (encoding === 'json') return JSON.stringify({ code, message });
  return otlpTypes.Status.encode(otlpTypes.Status.fromObject({ code, message })).finish();
}

/** gRPC status codes the receiver uses (also the `code` of an HTTP Status body). */
export const GRPC_CODE = { INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14 } as const;
