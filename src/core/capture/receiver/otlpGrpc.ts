/**
 * OTLP/gRPC: the collector's TraceService and LogsService `Export` methods on @grpc/grpc-js.
 * Requests arrive as bytes (grpc-js decompresses gzip and enforces the size limit, answering
 * RESOURCE_EXHAUSTED past it); a body that is not the message is INVALID_ARGUMENT, as the OTLP
 * specification prescribes, and a partial success is an OK answer naming what was rejected.
 */
import * as grpc from '@grpc/grpc-js';
import { OTLP_GRPC_PATHS } from '../../formats/otlpSchema';
import type { CaptureStore } from '../store/store';
import { GRPC_CODE, ingestRequest, type Signal } from './otlpIngest';

export interface GrpcReceiverOptions {
  readonly maxRequestBytes: number;
  readonly onIngest?: (signal: Signal, accepted: number, traceIds: readonly string[], body: Uint8Array) => void;
}

const identity = (b: Buffer): Buffer => b;

function method(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

export function createGrpcServer(store: CaptureStore, opts: GrpcReceiverOptions): grpc.Server {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxRequestBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  const handler =
    (signal: Signal): grpc.handleUnaryCall<Buffer, Buffer> =>
    (call, callback) => {
      try {
        const out = ingestRequest(store, signal, 'protobuf', call.request);
        if (!out.ok) {
          callback({ code: GRPC_CODE.INVALID_ARGUMENT, details: out.message });
          return;
        }
        opts.onIngest?.(signal, out.result.accepted, out.result.traceIds, call.request);
        callback(null, Buffer.from(out.response as Uint8Array));
      } catch (err) {
        callback({ code: GRPC_CODE.INTERNAL, details: `internal error: ${err instanceof Error ? err.message : String(err)}` });
      }
    };
  server.addService({ Export: method(OTLP_GRPC_PATHS.traces) }, { Export: handler('traces') });
  server.addService({ Export: method(OTLP_GRPC_PATHS.logs) }, { Export: handler('logs') });
  return server;
}
