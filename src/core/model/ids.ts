/**
 * Trace and span ids in one spelling: lowercase hex, trace ids 32 characters, span ids 16.
 *
 * Inputs seen in the wild: OTLP/JSON hex in either case; Tempo's base64 (24 chars ending `==`
 * for trace ids, 12 ending `=` for span ids); Jaeger and Zipkin 16-hex
 * trace ids; Tempo search ids with leading zeros stripped. Base64 always ends in `=` for 16- and
 * 8-byte ids, and hex never contains `=`, so the last character decides the encoding.
 *
 * These run per span on 100k-span traces, so they decode through lookup tables into one flat
 * string. Measured on Node 20 (300k random ids): base64 span id 66 ns vs 186 ns for
 * `Buffer.from(id, 'base64').toString('hex')` (a Buffer per call), and the flat result is
 * cheaper to use as a Map key afterwards (379 vs 575 ns per decode + insert).
 */

/** Hex digit value by char code, -1 if not a hex digit. */
const HEX_VALUE = new Int8Array(128).fill(-1);
/** Standard base64 alphabet value by char code, -1 otherwise. */
const B64_VALUE = new Int8Array(128).fill(-1);
const HEX_CHARS = '0123456789abcdef';

for (let i = 0; i < 16; i++) {
  HEX_VALUE[HEX_CHARS.charCodeAt(i)] = i;
  HEX_VALUE[HEX_CHARS.toUpperCase().charCodeAt(i)] = i;
}
const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < 64; i++) B64_VALUE[B64_ALPHABET.charCodeAt(i)] = i;

const ZEROS = '00000000000000000000000000000000';
const EQ = 61; // '='

/** 0 = not all hex digits, 1 = hex with some uppercase, 2 = lowercase hex. */
function hexKind(s: string): 0 | 1 | 2 {
  let kind: 1 | 2 = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || HEX_VALUE[c]! < 0) return 0;
    if (c >= 65 && c <= 70) kind = 1;
  }
  return kind;
}

function hexToId(s: string, width: 16 | 32): string | undefined {
  if (s.length > width) return undefined;
  const kind = hexKind(s);
  if (kind === 0) return undefined;
  const lower = kind === 2 ? s : s.toLowerCase();
  return lower.length === width ? lower : ZEROS.slice(0, width - lower.length) + lower;
}

/** Char codes of the id being built; ids are flat strings made in one String.fromCharCode call,
 * which Map lookups later hash faster than strings concatenated pair by pair. */
const CODES: number[] = new Array<number>(32).fill(48);
const HEX_CODE = new Uint8Array(16);
for (let i = 0; i < 16; i++) HEX_CODE[i] = HEX_CHARS.charCodeAt(i);

/** Decodes standard padded base64 to lowercase hex of `width` chars, left-padded with zeros. */
function base64ToId(s: string, width: 16 | 32): string | undefined {
  const n = s.length;
  if (n % 4 !== 0) return undefined;
  const pad = s.charCodeAt(n - 2) === EQ ? 2 : 1; // caller saw s end in '='
  const bytes = (n / 4) * 3 - pad;
  if (bytes * 2 > width) return undefined;
  let o = width - bytes * 2;
  for (let k = 0; k < o; k++) CODES[k] = 48;
  for (let i = 0; i < n; i += 4) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    const last = i + 4 === n;
    const v0 = c0 < 128 ? B64_VALUE[c0]! : -1;
    const v1 = c1 < 128 ? B64_VALUE[c1]! : -1;
    const v2 = last && pad === 2 ? 0 : c2 < 128 ? B64_VALUE[c2]! : -1;
    const v3 = last ? 0 : c3 < 128 ? B64_VALUE[c3]! : -1;
    if ((v0 | v1 | v2 | v3) < 0) return undefined;
    const triple = (v0 << 18) | (v1 << 12) | (v2 << 6) | v3;
    const take = last ? 3 - pad : 3;
    for (let k = 0; k < take; k++) {
      const b = (triple >>> (16 - 8 * k)) & 255;
      CODES[o++] = HEX_CODE[b >> 4]!;
      CODES[o++] = HEX_CODE[b & 15]!;
    }
  }
  const c = CODES;
  if (width === 16) {
    return String.fromCharCode(
      c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!,
      c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!,
    );
  }
  return String.fromCharCode(
    c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!,
    c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!,
    c[16]!, c[17]!, c[18]!, c[19]!, c[20]!, c[21]!, c[22]!, c[23]!,
    c[24]!, c[25]!, c[26]!, c[27]!, c[28]!, c[29]!, c[30]!, c[31]!,
  );
}

function toId(s: string, width: 16 | 32): string | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  if (s.charCodeAt(n - 1) === EQ) return base64ToId(s, width);
  // Unpadded base64 of a full-width id (22 or 11 chars) is ambiguous with short hex; jsonpb
  // always pads, so anything without `=` is read as hex.
  return hexToId(s, width);
}

/** A trace id as 32 lowercase hex, or undefined if `s` is neither hex (≤ 32) nor base64 (≤ 16 bytes). */
export function traceIdToHex(s: string): string | undefined {
  return toId(s, 32);
}

/** A span id as 16 lowercase hex, or undefined if `s` is neither hex (≤ 16) nor base64 (≤ 8 bytes). */
export function spanIdToHex(s: string): string | undefined {
  return toId(s, 16);
}

/** The all-zero span id: OTLP's "no parent". */
export const ZERO_SPAN_ID = '0000000000000000';

/**
 * `v` as a trace (32) or span (16) id when it is exactly that many hex digits and not all zeros,
 * lowercased; undefined otherwise. For ids read from log records and labels, where a shorter or
 * padded value is more likely junk than an id with its zeros stripped.
 */
export function exactHexId(v: unknown, width: 16 | 32): string | undefined {
  if (typeof v !== 'string' || v.length !== width) return undefined;
  const kind = hexKind(v);
  if (kind === 0) return undefined;
  const id = kind === 2 ? v : v.toLowerCase();
  return id === ZEROS.slice(0, width) ? undefined : id;
}
