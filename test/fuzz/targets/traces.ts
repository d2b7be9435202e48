/**
 * Trace parsers: text through parseTraceText (files, response bodies) and, when the text is JSON,
 * the parsed value through parseTraceValue (the Tempo client's path), which must also leave its
 * input as it was; Tempo protobuf bodies through the v1 and v2 decoders.
 */
import { parseTraceText, parseTraceValue, TraceFormatError } from '../../../src/core/formats';
import { parseJsonBytes } from '../../../src/core/formats/jsonBytes';
import { decodeTempoV1Proto, decodeTempoV2Proto, otlpProto } from '../../../src/core/formats/otlpProto';
import { decodeTraceBody } from '../../../src/core/formats/traceBody';
import { goJsonStringify } from '../../fakes/goJson';
import { fixtureText } from '../../support/fixtures';
import { tempoEncode } from '../../support/tempoEncode';
import type { FuzzInput, FuzzTarget } from '../harness';
import { checkParsedTraces, checkTempoProto } from '../invariants';
import { fixtureTexts, generatedTraces } from '../seeds';

const isTyped = (e: unknown): boolean => e instanceof TraceFormatError;

function text(input: FuzzInput): string {
  return typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
}

/** Both entry points; the value path must not modify what it was given. */
function parseBoth(input: FuzzInput): unknown {
  const t = text(input);
  const fromText = parseTraceText(t);
  let value: unknown;
  try {
    value = JSON.parse(t.charCodeAt(0) === 0xfeff ? t.slice(1) : t);
  } catch {
    throw new Error('parseTraceText accepted text that is not JSON');
  }
  const before = JSON.stringify(value);
  const fromValue = parseTraceValue(value);
  if (JSON.stringify(value) !== before) throw new Error('parseTraceValue modified its input');
  return [fromText, fromValue];
}

function checkBoth(m: unknown): void {
  const [a, b] = m as [unknown, unknown];
  checkParsedTraces(a);
  checkParsedTraces(b);
}

function jsonTarget(name: string, seeds: () => string[]): FuzzTarget {
  return { name, input: 'text', seeds: async () => seeds(), parse: parseBoth, typed: isTyped, check: checkBoth };
}

const spec = (): string[] => [...fixtureTexts('otlp'), ...generatedTraces().map((t) => JSON.stringify(t))];

/** What the Tempo fake serves: goJson (HTML-escaped) text of tempoEncode. */
const tempo = (envelope: 'v1' | 'v2', extra: object = {}): string[] =>
  generatedTraces().map((t, i) => goJsonStringify(tempoEncode(t, { envelope, inspectedBytes: 1000 + i, ...(i === 1 ? extra : {}) })));

export const otlpJsonTarget = jsonTarget('otlp-json', spec);

export const tempoJsonV1Target = jsonTarget('tempo-json-v1', () => [...tempo('v1'), fixtureText('tempo/tempopb-trace-example-batches.json')]);

export const tempoJsonV2Target = jsonTarget('tempo-json-v2', () => [
  ...tempo('v2', { partialMessage: 'Trace exceeds maximum size of 5000000 bytes, a partial trace is returned' }),
  '{"trace":{},"metrics":{}}',
  '{"trace":{},"metrics":{"inspectedBytes":"1024"}}',
]);

export const jaegerTarget = jsonTarget('jaeger', () => fixtureTexts('jaeger'));

export const zipkinTarget = jsonTarget('zipkin', () => [...fixtureTexts('zipkin'), '[]']);

function bytes(input: FuzzInput): Uint8Array {
  return typeof input === 'string' ? new Uint8Array(Buffer.from(input)) : input;
}

/** The bare Tempo JSON (jsonpb) of the generated traces: protobufjs's fromObject reads it. */
const bare = (): object[] => generatedTraces().map((t) => tempoEncode(t, { envelope: 'bare' }));

export const otlpProtoV1Target: FuzzTarget = {
  name: 'otlp-proto-v1',
  input: 'bytes',
  seeds: async () => bare().map((v) => otlpProto.Trace.encode(otlpProto.Trace.fromObject(v)).finish()),
  parse: (input) => decodeTempoV1Proto(bytes(input)),
  typed: isTyped,
  check: checkTempoProto,
  encode: (v) => otlpProto.Trace.encode(otlpProto.Trace.fromObject(v as object)).finish(),
  shapes: () => bare(),
};

const v2Objects = (): object[] =>
  generatedTraces().map((t, i) => {
    const v2 = tempoEncode(t, { envelope: 'v2', ...(i === 1 ? { partialMessage: 'Trace filtered, only a subset of spans matching the filter is returned' } : {}) });
    return { ...v2, status: i === 1 ? 'PARTIAL' : undefined };
  });

export const otlpProtoV2Target: FuzzTarget = {
  name: 'otlp-proto-v2',
  input: 'bytes',
  seeds: async () => [...v2Objects().map((v) => otlpProto.TraceByIDResponse.encode(otlpProto.TraceByIDResponse.fromObject(v)).finish()), new Uint8Array()],
  parse: (input) => decodeTempoV2Proto(bytes(input)),
  typed: isTyped,
  check: checkTempoProto,
  encode: (v) => otlpProto.TraceByIDResponse.encode(otlpProto.TraceByIDResponse.fromObject(v as object)).finish(),
  shapes: () => v2Objects(),
};

function deepText(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** Forces parseJsonBytes's split path (structural scan, batches, lazy arrays) on small inputs. */
const SPLIT = { maxTextBytes: 0, chunkBytes: 64 };

const bodySeeds = async (): Promise<FuzzInput[]> => [
  ...spec().map((t) => new Uint8Array(Buffer.from(t))),
  ...tempo('v1').map((t) => new Uint8Array(Buffer.from(t))),
  ...(await otlpProtoV1Target.seeds()),
];

/** A trace file as bytes: JSON (whole or split) or OTLP protobuf, told apart by the content. */
export const traceBodyTarget: FuzzTarget = {
  name: 'trace-body',
  input: 'bytes',
  seeds: bodySeeds,
  parse: (input) => {
    const b = bytes(input);
    return [decodeTraceBody(b).parsed, decodeTraceBody(b, { json: SPLIT }).parsed];
  },
  typed: isTyped,
  check: checkBoth,
};

/**
 * parseJsonBytes against JSON.parse as the oracle: on JSON it must give the same value (split
 * into batches and lazy arrays or not), on anything else a TraceFormatError. The parse step reads
 * every value (which parses the lazy batches, where a bad member is found); the comparison is in
 * `check`, outside the timed part.
 */
export const jsonBytesTarget: FuzzTarget = {
  name: 'json-bytes',
  input: 'text',
  seeds: async () => [...spec().slice(0, 3), ...tempo('v2'), '[1,"a",{"b":[null,true]}]', '{}'],
  parse: (input) => {
    const b = bytes(input);
    const value = parseJsonBytes(b, SPLIT);
    readAll(value);
    return { value, b };
  },
  typed: isTyped,
  check: (m) => {
    const { value, b } = m as { value: unknown; b: Uint8Array };
    let expected: unknown;
    try {
      expected = JSON.parse(new TextDecoder().decode(b));
    } catch {
      throw new Error('parseJsonBytes accepted bytes that are not JSON');
    }
    const got = deepText(value);
    // Past the depth JSON.stringify can recurse, only the acceptance itself is compared.
    if (got !== undefined && got !== deepText(expected)) throw new Error('parseJsonBytes and JSON.parse disagree');
  },
};

/** Visits every value without recursion (inputs nest 100,000 deep). */
function readAll(root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push(v[i]);
    else for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
}
