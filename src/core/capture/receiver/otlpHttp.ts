/**
 * OTLP/HTTP (`POST /v1/traces`, `POST /v1/logs`), as the OTLP specification prescribes: binary
 * protobuf (`application/x-protobuf`) or JSON (`application/json`), optionally gzip-compressed;
 * the answer in the request's encoding — the export response (200, with partial success when
 * some items were rejected) or a google.rpc.Status: 400 for a body that is not the message, 413
 * past the size limit (compressed or not), 415 for another content type or encoding, 405 for
 * another method, 404 for another path. A bad request never reaches the store.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { CaptureStore } from '../store/store';
import { GRPC_CODE, ingestRequest, statusBody, type Encoding, type Signal } from './otlpIngest';

export interface HttpReceiverOptions {
  /** Largest body accepted, before and after decompression. */
  readonly maxRequestBytes: number;
  readonly onIngest?: (signal: Signal, accepted: number, traceIds: readonly string[], encoding: Encoding, body: Uint8Array) => void;
}

const PATHS: Readonly<Record<string, Signal>> = { '/v1/traces': 'traces', '/v1/logs': 'logs' };

class TooLarge extends Error {}

function encodingOf(contentType: string | undefined): Encoding | undefined {
  const t = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (t === 'application/x-protobuf' || t === 'application/protobuf') return 'protobuf';
  if (t === 'application/json') return 'json';
  return undefined;
}

async function readAll(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    const b = c as Buffer;
    n += b.length;
    if (n > max) throw new TooLarge();
    chunks.push(b);
  }
  return Buffer.concat(chunks, n);
}

export function otlpHttpHandler(store: CaptureStore, opts: HttpReceiverOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(store, opts, req, res).catch((err: unknown) => {
      // Nothing a sender does should end the process; what is unexpected is answered as 500.
      if (!res.headersSent) reply(res, 500, 'protobuf', GRPC_CODE.INTERNAL, `internal error: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    });
  };
}

function reply(res: ServerResponse, status: number, encoding: Encoding, code: number, message: string, extra: Record<string, string> = {}): void {
  const body = statusBody(encoding, code, message);
  res.writeHead(status, { 'content-type': encoding === 'json' ? 'application/json' : 'application/x-protobuf', ...extra });
  res.end(body);
}

async function handle(store: CaptureStore, opts: HttpReceiverOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const signal = PATHS[path];
  const encoding = encodingOf(req.headers['content-type']);
  const answerIn: Encoding = encoding ?? 'protobuf';
  if (!signal) {
    req.resume();
    return reply(res, 404, answerIn, GRPC_CODE.UNIMPLEMENTED, `${path} is not an OTLP/HTTP path here (traces: /v1/traces, logs: /v1/logs)`);
  }
  if (req.method !== 'POST') {
    req.resume();
    return reply(res, 405, answerIn, GRPC_CODE.INVALID_ARGUMENT, `${req.method} is not allowed; OTLP/HTTP exports with POST`, { allow: 'POST' });
  }
  if (!encoding) {
    req.resume();
    return reply(res, 415, 'protobuf', GRPC_CODE.INVALID_ARGUMENT, `unsupported Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')}: use application/x-protobuf or application/json`);
  }
  const coding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let source: Readable = req;
  if (coding === 'gzip') source = req.pipe(createGunzip());
  else if (coding === 'deflate') source = req.pipe(createInflate());
  else if (coding !== 'identity' && coding !== '') {
    req.resume();
    return reply(res, 415, encoding, GRPC_CODE.INVALID_ARGUMENT, `unsupported Content-Encoding ${JSON.stringify(coding)}: use gzip or none`);
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > opts.maxRequestBytes) {
    req.resume();
    return reply(res, 413, encoding, GRPC_CODE.RESOURCE_EXHAUSTED, `request of ${declared} bytes exceeds the limit of ${opts.maxRequestBytes} bytes`, { connection: 'close' });
  }
  let body: Buffer;
  try {
    body = await readAll(source, opts.maxRequestBytes);
  } catch (err) {
    req.resume();
    if (err instanceof TooLarge) return reply(res, 413, encoding, GRPC_CODE.RESOURCE_EXHAUSTED, `request exceeds the limit of ${opts.maxRequestBytes} bytes${coding === 'gzip' ? ' (decompressed)' : ''}`, { connection: 'close' });
    return reply(res, 400, encoding, GRPC_CODE.INVALID_ARGUMENT, `the ${coding} body could not be decompressed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const out = ingestRequest(store, signal, encoding, body);
  if (!out.ok) return reply(res, 400, encoding, GRPC_CODE.INVALID_ARGUMENT, out.message);
  opts.onIngest?.(signal, out.result.accepted, out.result.traceIds, encoding, body);
  res.writeHead(200, { 'content-type': encoding === 'json' ? 'application/json' : 'application/x-protobuf' });
  res.end(out.response);
}
