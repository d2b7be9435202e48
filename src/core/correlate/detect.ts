/**
 * What kind of id someone holds, read the way people paste it: from a bug report, a log line, a
 * terminal, a response header. Rules, in order, after trimming (whitespace, zero-width
 * characters, matching quotes of any kind, a trailing `,`/`;` from a JSON copy) and taking the
 * value out of `key=value`, `key: value` or `"key":"value"` when the key is a known id key:
 *
 * | input                                           | kind    | canonical value                  |
 * |-------------------------------------------------|---------|----------------------------------|
 * | `traceparent` `00-<32 hex>-<16 hex>-<2 hex>`      | trace   | the trace id (its span id kept)  |
 * | UUID 8-4-4-4-12 (any case, `{…}`, `urn:uuid:`)   | uuid    | lowercase                        |
 * | 32 hex digits (any case, optional `0x`)          | trace   | lowercase                        |
 * | 16 hex digits                                   | span    | lowercase                        |
 * | standard base64 of 16 bytes (24 chars, `==`)     | trace   | hex (Tempo's JSON writes ids so) |
 * | standard base64 of 8 bytes (12 chars, `=`)       | span    | hex                              |
 * | anything else (≤ 512 chars, no control chars)   | text    | as typed                         |
 *
 * Base64 is decided by its padding: hex never holds `=`, and an unpadded 22-char string is read
 * as text. An all-zero id is not an id (W3C), so it is text. Dynamo prints its `request_id` from
 * a parsed UUID, i.e. lowercase; a UUID typed in capitals is searched in both spellings.
 */
import { spanIdToHex, traceIdToHex } from '../model/ids';

export type IdKind = 'trace' | 'span' | 'uuid' | 'text';

export interface DetectedId {
  readonly kind: IdKind;
  /** trace: 32 lowercase hex; span: 16; uuid: lowercase 8-4-4-4-12; text: as typed (trimmed, unquoted). */
  readonly value: string;
  /** How the input spelled it. */
  readonly form: 'hex' | 'traceparent' | 'base64' | 'uuid' | 'text';
  /** The parent span a `traceparent` names. */
  readonly spanId?: string;
  /** What a request-id search compares with: the value, plus the typed spelling when that differs. */
  readonly searchValues: readonly string[];
}

export type DetectFailure = 'empty' | 'tooLong' | 'control';
export type DetectResult = { readonly ok: true; readonly id: DetectedId } | { readonly ok: false; readonly reason: DetectFailure };

/** Longest free-form id accepted; request ids are short, and a paste of a whole log is not one. */
export const MAX_ID_LENGTH = 512;

/** Keys whose value is an id, in the spellings Dynamo, OTLP, Grafana and HTTP headers use. */
export const ID_KEY = /^(?:x[_-]request[_-]id|request[_-]id|x[_-]dynamo[_-]request[_-]id|trace[_-]?id|span[_-]?id|traceparent)$/i;

const QUOTES: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['\u201c', '\u201d'],
  ['\u2018', '\u2019'],
  ['\u00ab', '\u00bb'],
  ['<', '>'],
  ['[', ']'],
  ['(', ')'],
];
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^(?:0x)?([0-9a-f]{32})$/i;
const HEX16 = /^(?:0x)?([0-9a-f]{16})$/i;
const B64_TRACE = /^[A-Za-z0-9+/]{22}==$/;
const B64_SPAN = /^[A-Za-z0-9+/]{11}=$/;
const KEY_VALUE = /^"?([A-Za-z][\w.-]*)"?\s*[:=]\s*(.+)$/s;
const ZERO = /^0+$/;

function unwrap(s: string): string {
  let t = s;
  for (let i = 0; i < 4; i++) {
    const before = t;
    t = t.trim().replace(/[,;]+$/, '').trim();
    for (const [open, close] of QUOTES) {
      if (t.length >= 2 && t.startsWith(open) && t.endsWith(close)) {
        t = t.slice(open.length, t.length - close.length);
        break;
      }
    }
    if (t === before) break;
  }
  return t;
}

/** `x_request_id=abc`, `traceparent: 00-…`, `"trace_id":"…"` → the value, when the key is an id key. */
function valueOfKnownKey(s: string): string | undefined {
  const m = KEY_VALUE.exec(s);
  return m && ID_KEY.test(m[1]!) ? unwrap(m[2]!) : undefined;
}


function text(value: string): DetectedId {
  return { kind: 'text', value, form: 'text', searchValues: [value] };
}

export function detectId(input: string): DetectResult {
  const raw = input.replace(ZERO_WIDTH, '').trim().replace(/[,;]+$/, '');
  const t = valueOfKnownKey(raw) ?? unwrap(raw);
  if (!t) return { ok: false, reason: 'empty' };
  if (t.length > MAX_ID_LENGTH) return { ok: false, reason: 'tooLong' };
  if (CONTROL.test(t)) return { ok: false, reason: 'control' };

  const tp = TRACEPARENT.exec(t);
  if (tp && tp[1]!.toLowerCase() !== 'ff' && !ZERO.test(tp[2]!) && !ZERO.test(tp[3]!)) {
    return { ok: true, id: { kind: 'trace', value: tp[2]!.toLowerCase(), form: 'traceparent', spanId: tp[3]!.toLowerCase(), searchValues: [tp[2]!.toLowerCase()] } };
  }
  const uuid = t.replace(/^urn:uuid:/i, '').replace(/^\{(.*)\}$/, '$1');
  if (UUID.test(uuid)) {
    const lower = uuid.toLowerCase();
    return { ok: true, id: { kind: 'uuid', value: lower, form: 'uuid', searchValues: lower === uuid ? [lower] : [lower, uuid] } };
  }
  let m = HEX32.exec(t);
  if (m) return { ok: true, id: ZERO.test(m[1]!) ? text(t) : { kind: 'trace', value: m[1]!.toLowerCase(), form: 'hex', searchValues: [m[1]!.toLowerCase()] } };
  m = HEX16.exec(t);
  if (m) return { ok: true, id: ZERO.test(m[1]!) ? text(t) : { kind: 'span', value: m[1]!.toLowerCase(), form: 'hex', searchValues: [m[1]!.toLowerCase()] } };
  if (B64_TRACE.test(t)) {
    const hex = traceIdToHex(t);
    if (hex && !ZERO.test(hex)) return { ok: true, id: { kind: 'trace', value: hex, form: 'base64', searchValues: [hex] } };
  }
  if (B64_SPAN.test(t)) {
    const hex = spanIdToHex(t);
    if (hex && !ZERO.test(hex)) return { ok: true, id: { kind: 'span', value: hex, form: 'base64', searchValues: [hex] } };
  }
  return { ok: true, id: text(t) };
}
