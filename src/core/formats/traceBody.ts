/**
 * A trace as bytes → model, whatever carried it: a file (JSON or OTLP protobuf, told apart by
 * the content), or a Tempo response (by its content type and the API version that answered). The
 * Tempo client and the trace worker both decode through here, so a trace reads the same whether
 * the CLI fetched it or a panel did.
 */
import { TraceFormatError } from '../model/errors';
import type { ParsedTraces } from '../model/trace';
import { parseTraceBytes } from './index';
import type { JsonBytesOptions } from './jsonBytes';
import { decodeTempoV1Proto, decodeTempoV2Proto } from './otlpProto';

export interface TraceBodyHint {
  /** The response's Content-Type; absent for a file. */
  readonly contentType?: string;
  /** Which Tempo trace-by-id API answered; decides the protobuf message. */
  readonly api?: 'v1' | 'v2';
  readonly json?: JsonBytesOptions;
}

export interface DecodedTraceBody {
  readonly parsed: ParsedTraces;
  readonly encoding: 'protobuf' | 'json';
}

export const PROTOBUF_CONTENT_TYPE = /^application\/(x-)?protobuf\b/i;

/** JSON starts with `{` or `[` after optional whitespace and a byte-order mark; protobuf never with `{`. */
export function startsLikeJson(b: Uint8Array): boolean {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  return b[i] === 0x7b || b[i] === 0x5b;
}

/** Empty input goes to the JSON parser too, which says it is empty. */
const looksLikeJson = (b: Uint8Array): boolean => startsLikeJson(b) || b.every((c) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09);

export function decodeTraceBody(body: Uint8Array, hint: TraceBodyHint = {}): DecodedTraceBody {
  if (hint.contentType !== undefined) {
    if (PROTOBUF_CONTENT_TYPE.test(hint.contentType)) {
      const r = hint.api === 'v2' ? decodeTempoV2Proto(body) : decodeTempoV1Proto(body);
      return { parsed: r.parsed, encoding: 'protobuf' };
    }
    return { parsed: parseTraceBytes(body, hint.json), encoding: 'json' };
  }
  if (looksLikeJson(body)) return { parsed: parseTraceBytes(body, hint.json), encoding: 'json' };
  try {
    return { parsed: decodeTempoV1Proto(body, 'otlp-proto').parsed, encoding: 'protobuf' };
  } catch (e) {
    const why = e instanceof TraceFormatError ? e.expected : String(e);
    throw new TraceFormatError('', `neither JSON nor an OTLP protobuf TracesData message (${why})`);
  }
}
