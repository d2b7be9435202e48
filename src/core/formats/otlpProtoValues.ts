/**
 * The pieces of OTLP protobuf that traces and logs share, from protobufjs' decoded messages to
 * the model: ids, 64-bit times and ints, AnyValue, attributes, resources and scopes. The rules
 * are those of the JSON path (otlpJson.ts): hex ids left-padded, ints beyond 2^53 kept as
 * decimal strings, bytes as base64, hostile nesting refused.
 */
import { TraceFormatError } from '../model/errors';
import type { Attribute, AttrValue, Resource, Scope } from '../model/trace';
import { NO_ATTRIBUTES, NO_SCOPE, UNKNOWN_SERVICE } from './common';

// Decoded message shapes (protobufjs: camelCase fields, Long for 64-bit, Uint8Array for bytes,
// unset fields absent or at their zero value).
export type Long64 = { low: number; high: number } | number;
export interface PAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Long64;
  doubleValue?: number;
  arrayValue?: { values?: PAnyValue[] };
  kvlistValue?: { values?: PKeyValue[] };
  bytesValue?: Uint8Array;
  /** protobufjs marks the set member of a oneof in this virtual property. */
  value?: string;
}
export interface PKeyValue {
  key?: string;
  value?: PAnyValue;
}
export interface PScope {
  name?: string;
  version?: string;
  attributes?: PKeyValue[];
}
export interface PResource {
  attributes?: PKeyValue[];
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const MAX_VALUE_DEPTH = 64;

/**
 * True while decoding for a reader that must give back what it received (the capture store):
 * attributes then carry the OTLP type where the value alone loses it (model Attribute.type).
 */
let keepWire = false;

export function withWire<T>(on: boolean, fn: () => T): T {
  const before = keepWire;
  keepWire = on;
  try {
    return fn();
  } finally {
    keepWire = before;
  }
}

export function wireKept(): boolean {
  return keepWire;
}

/** Bytes → lowercase hex of `width` chars, left-padded (ids shorter than their width happen). */
export function hexId(b: Uint8Array | undefined, width: 16 | 32): string | undefined {
  if (!b || b.length === 0 || b.length * 2 > width) return undefined;
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_PAIRS[b[i]!];
  return s.length === width ? s : s.padStart(width, '0');
}

export function u64(v: Long64 | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'number') return BigInt(v);
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

function i64(v: Long64): AttrValue {
  if (typeof v === 'number') return v;
  const big = BigInt.asIntN(64, (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0));
  const n = Number(big);
  // Same rule as the JSON path: a number when exact, else the decimal string.
  return Number.isSafeInteger(n) ? n : big.toString();
}

export function anyValue(v: PAnyValue | undefined, depth: number): AttrValue {
  if (!v) return null;
  switch (v.value) {
    case 'stringValue':
      return v.stringValue ?? '';
    case 'boolValue':
      return v.boolValue ?? false;
    case 'intValue':
      return i64(v.intValue ?? 0);
    case 'doubleValue':
      return v.doubleValue ?? 0;
    case 'bytesValue':
      return Buffer.from(v.bytesValue ?? []).toString('base64');
    case 'arrayValue': {
      if (depth >= MAX_VALUE_DEPTH) throw new TraceFormatError('protobuf body', `AnyValue nested deeper than ${MAX_VALUE_DEPTH}`);
      return (v.arrayValue?.values ?? []).map((x) => anyValue(x, depth + 1));
    }
    case 'kvlistValue': {
      if (depth >= MAX_VALUE_DEPTH) throw new TraceFormatError('protobuf body', `AnyValue nested deeper than ${MAX_VALUE_DEPTH}`);
      const out: { [key: string]: AttrValue } = {};
      for (const kv of v.kvlistValue?.values ?? []) {
        const key = kv.key ?? '';
        const value = anyValue(kv.value, depth + 1);
        if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
      return out;
    }
    default:
      return null;
  }
}

/** The OTLP type a value's model form does not show (see Attribute.type), when wire types are kept. */
export function wireType(v: PAnyValue | undefined, value: AttrValue): Attribute['type'] {
  if (!keepWire || !v) return undefined;
  if (v.value === 'intValue') return typeof value === 'string' ? 'int' : undefined;
  if (v.value === 'doubleValue') return Number.isInteger(value) ? 'double' : undefined;
  if (v.value === 'bytesValue') return 'bytes';
  return undefined;
}

export function attributes(list: PKeyValue[] | undefined): readonly Attribute[] {
  if (!list || list.length === 0) return NO_ATTRIBUTES;
  const out: Attribute[] = new Array<Attribute>(list.length);
  for (let i = 0; i < list.length; i++) {
    const kv = list[i]!;
    const v = kv.value;
    if (v && v.value === 'stringValue') {
      out[i] = { key: kv.key ?? '', value: v.stringValue ?? '' };
      continue;
    }
    const value = anyValue(v, 0);
    const type = wireType(v, value);
    out[i] = type ? { key: kv.key ?? '', value, type } : { key: kv.key ?? '', value };
  }
  return out;
}

export function scopeOf(s: PScope | undefined): Scope {
  if (!s) return NO_SCOPE;
  const name = s.name ?? '';
  const version = s.version || undefined;
  const attrs = attributes(s.attributes);
  return name === '' && version === undefined && attrs.length === 0 ? NO_SCOPE : { name, version, attributes: attrs };
}

export function resourceOf(r: PResource | undefined): Resource {
  if (!r) return { serviceName: UNKNOWN_SERVICE, attributes: NO_ATTRIBUTES };
  const rattrs = attributes(r.attributes);
  let serviceName = UNKNOWN_SERVICE;
  for (const a of rattrs) {
    if (a.key === 'service.name' && typeof a.value === 'string' && a.value !== '') {
      serviceName = a.value;
      break;
    }
  }
  return { serviceName, attributes: rattrs };
}

export function decodeOrFail<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new TraceFormatError('protobuf body', `not ${what} (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The message of whatever a span or record's decoding threw, for a partial-success answer. */
export function problemOf(e: unknown): string {
  if (e instanceof TraceFormatError) return e.expected;
  return e instanceof Error ? e.message : String(e);
}
