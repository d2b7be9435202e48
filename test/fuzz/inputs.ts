/**
 * What the fuzzer feeds a parser, all from fast-check so a seed replays and a failure shrinks:
 * - mutated: a real body (fixture or generator output) changed at a few places of its JSON tree
 *   (a node replaced by a hostile value, deleted, retyped, wrapped deep, an array blown up to
 *   thousands of copies, a subtree grafted from another seed) or of its text/bytes (truncated,
 *   spliced, flipped);
 * - generated: new values that follow the seeds' shape (the keys and kinds seen at each place)
 *   with hostile values mixed in, and for protobuf random but well-formed wire fields;
 * - hostile: text that is barely JSON at all (deep nesting, huge numbers, lone surrogates).
 * Every input stays under MAX_INPUT_BYTES.
 */
import fc from 'fast-check';
import { MAX_INPUT_BYTES, type FuzzInput, type FuzzTarget } from './harness';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Strings that have broken parsers before: number look-alikes, id edge cases, prototype keys, odd Unicode. */
const HOSTILE_STRINGS = [
  '', ' ', 'NaN', '+Inf', '-Inf', 'Inf', 'Infinity', '-Infinity', '1e400', '-1', '-0', '0x1f', ' 1', '1 ', '1.5', '١٢٣',
  '18446744073709551615', '18446744073709551616', '99999999999999999999', '-9223372036854775809', '9007199254740993',
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty',
  '0000000000000000', '00000000000000000000000000000000', 'ffffffffffffffffffffffffffffffff', 'FFFFFFFFFFFFFFFF',
  '0123456789abcdef0123456789abcdef0', 'zz', 'AAAA', 'A===', '====', '=', 'W47/95gDgQPSabYzgT/HAA==', '7uGbfsPBsQA=', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'SPAN_KIND_SERVER', 'STATUS_CODE_ERROR', 'PARTIAL', 'CHILD_OF', 'FOLLOWS_FROM', 'CLIENT', 'SERVER', 'streams', 'matrix', 'vector', 'scalar', 'string', 'success', 'error',
  '\u202e\u2066evil', '\u200b\u200c\u200d', '\ud800', '\udfff', '\u0000', '\r\n', '\u001b[31m', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)', '${x}', '%s%n', '\\u0000',
];

const HOSTILE_NUMBERS = [0, -0, -1, 1, 1.5, -1.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 1e21, 1e300, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 1e-7];

const KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', '', 'length'];

/** An object with an own "__proto__" key, as JSON.parse makes one (an object literal would set the prototype). */
function withOwn(key: string, value: Json, base: Record<string, Json> = {}): Record<string, Json> {
  Object.defineProperty(base, key, { value, enumerable: true, writable: true, configurable: true });
  return base;
}

const hostileLeaf: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Json>(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom<Json>(...HOSTILE_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [null], [[]], [{}]) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...KEYS).chain((k) =>
      fc.constantFrom<Json>(1, 'x', {}, [], null).map((v) => withOwn(k, v)),
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

/** A hostile value, sometimes nested a little. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 5, arbitrary: hostileLeaf },
  { weight: 1, arbitrary: fc.array(hostileLeaf, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
);

// ---------------------------------------------------------------- mutating a JSON tree

interface TreeOp {
  /** Descent: at each level, child index = n mod children; stops at a leaf or the end. */
  readonly path: readonly number[];
  readonly kind: 'replace' | 'delete' | 'retype' | 'insertKey' | 'replicate' | 'replicateVaried' | 'wrap' | 'graft' | 'swapKeys';
  readonly value: Json;
  readonly key: string;
  readonly count: number;
  readonly other: number;
}

function treeOp(vocabKeys: readonly string[]): fc.Arbitrary<TreeOp> {
  return fc.record({
    path: fc.array(fc.nat(), { maxLength: 14 }),
    kind: fc.constantFrom<TreeOp['kind']>('replace', 'replace', 'delete', 'retype', 'insertKey', 'replicate', 'replicateVaried', 'wrap', 'graft', 'swapKeys'),
    value: hostileValue,
    key: fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom(...(vocabKeys.length ? vocabKeys : KEYS)), fc.string({ maxLength: 8 })),
    count: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 2, max: 50 }) }, { weight: 1, arbitrary: fc.integer({ min: 50, max: 20_000 }) }),
    other: fc.nat(),
  });
}

type Parent = { node: Json[] | Record<string, Json>; key: string | number } | undefined;

function children(n: Json): (string | number)[] {
  if (Array.isArray(n)) return n.map((_, i) => i);
  if (n !== null && typeof n === 'object') return Object.keys(n);
  return [];
}

function childOf(n: Json, k: string | number): Json {
  return (n as Record<string | number, Json>)[k]!;
}

function descend(root: Json, path: readonly number[]): { node: Json; parent: Parent } {
  let node = root;
  let parent: Parent;
  for (const step of path) {
    const ks = children(node);
    if (ks.length === 0) break;
    const k = ks[step % ks.length]!;
    parent = { node: node as Json[] | Record<string, Json>, key: k };
    node = childOf(node, k);
  }
  return { node, parent };
}

function put(parent: Parent, value: Json): Json | undefined {
  if (!parent) return value; // the root itself
  if (Array.isArray(parent.node)) parent.node[parent.key as number] = value;
  else withOwn(String(parent.key), value, parent.node);
  return undefined;
}

function retype(n: Json): Json {
  if (typeof n === 'string') return /^-?\d+(\.\d+)?$/.test(n) ? Number(n) : n.length;
  if (typeof n === 'number') return String(n);
  if (typeof n === 'boolean') return n ? 'true' : 1;
  if (Array.isArray(n)) return Object.fromEntries(n.map((v, i) => [String(i), v]));
  if (n && typeof n === 'object') return Object.values(n);
  return {};
}

/** Applies one op; returns the new root when the root itself was replaced. */
function applyTreeOp(root: Json, op0: TreeOp, others: readonly Json[]): Json {
  // fast-check hands out constants ({} and [] among them) by reference: inserting one and then
  // mutating inside it would change it for every later input, and could close a cycle.
  const op = { ...op0, value: structuredClone(op0.value) };
  const { node, parent } = descend(root, op.path);
  switch (op.kind) {
    case 'replace':
      return put(parent, op.value) ?? root;
    case 'delete':
      if (!parent) return root;
      if (Array.isArray(parent.node)) parent.node.splice(parent.key as number, 1);
      else delete parent.node[parent.key as string];
      return root;
    case 'retype':
      return put(parent, retype(node)) ?? root;
    case 'insertKey':
      if (node !== null && typeof node === 'object' && !Array.isArray(node)) withOwn(op.key, op.value, node);
      else if (Array.isArray(node)) node.splice(op.other % (node.length + 1), 0, op.value);
      return root;
    case 'replicate': {
      if (!Array.isArray(node) || node.length === 0) return root;
      // Copies share structure: a later op on one copy shows in all, which is fine for input shapes.
      const item = node[op.other % node.length]!;
      const size = Buffer.byteLength(JSON.stringify(item) ?? '') + 1;
      const n = Math.min(op.count, Math.floor(MAX_INPUT_BYTES / 2 / Math.max(size, 1)));
      for (let i = 0; i < n; i++) node.push(item);
      return root;
    }
    case 'replicateVaried': {
      // Copies that differ in one leaf (a service name, a time): identical copies often take a
      // parser's fast path, distinct ones its worst case.
      if (!Array.isArray(node) || node.length === 0) return root;
      const item = node[op.other % node.length]!;
      const size = Buffer.byteLength(JSON.stringify(item) ?? '') + 8;
      const n = Math.min(op.count, Math.floor(MAX_INPUT_BYTES / 2 / size));
      for (let i = 0; i < n; i++) {
        const copy = structuredClone(item);
        const leaf = descend(copy, op.path.slice(1));
        const v = leaf.node;
        const varied = typeof v === 'string' ? `${v}${i}` : typeof v === 'number' ? v + i : i;
        node.push(put(leaf.parent, varied) ?? copy);
      }
      return root;
    }
    case 'wrap': {
      let v: Json = node;
      const depth = Math.min(op.count, 300);
      for (let i = 0; i < depth; i++) v = i % 2 ? [v] : withOwn(op.key || 'values', v);
      return put(parent, v) ?? root;
    }
    case 'graft': {
      const donor = others[op.other % others.length];
      if (donor === undefined) return root;
      const { node: piece } = descend(donor, [...op.path].reverse());
      return put(parent, structuredClone(piece)) ?? root;
    }
    case 'swapKeys': {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return root;
      const ks = Object.keys(node);
      if (ks.length < 2) return root;
      const a = ks[op.other % ks.length]!;
      const b = ks[(op.other + 1) % ks.length]!;
      const va = node[a]!;
      withOwn(a, node[b]!, node);
      withOwn(b, va, node);
      return root;
    }
  }
}

function mutatedJson(texts: readonly string[], values: readonly Json[], vocabKeys: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({ seed: fc.nat({ max: texts.length - 1 }), ops: fc.array(treeOp(vocabKeys), { minLength: 1, maxLength: 6 }) })
    .map(({ seed, ops }) => {
      let root = JSON.parse(texts[seed]!) as Json;
      for (const op of ops) root = applyTreeOp(root, op, values);
      return stringify(root) ?? texts[seed]!;
    });
}

// ---------------------------------------------------------------- mutating text and bytes

interface FlatOp {
  readonly kind: 'truncate' | 'delete' | 'insert' | 'flip' | 'duplicate';
  readonly at: number;
  readonly len: number;
  readonly bytes: Uint8Array;
}

const flatOp: fc.Arbitrary<FlatOp> = fc.record({
  kind: fc.constantFrom<FlatOp['kind']>('truncate', 'delete', 'insert', 'insert', 'flip', 'flip', 'duplicate'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 64 }),
  bytes: fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 12 }),
    fc.constantFrom(...['{', '}', '[', ']', '"', ',', ':', '\\', '\\u', 'null', '-', '1e999', '\u0000', '\ud800'].map((s) => new Uint8Array(Buffer.from(s)))),
  ),
});

function applyFlat(b: Uint8Array, op: FlatOp): Uint8Array {
  const at = b.length ? op.at % (b.length + 1) : 0;
  switch (op.kind) {
    case 'truncate':
      return b.subarray(0, at);
    case 'delete':
      return concat(b.subarray(0, at), b.subarray(at + op.len));
    case 'insert':
      return concat(b.subarray(0, at), op.bytes, b.subarray(at));
    case 'flip': {
      if (!b.length) return op.bytes;
      const c = new Uint8Array(b);
      c[at % c.length]! ^= op.bytes[0]! || 1;
      return c;
    }
    case 'duplicate': {
      const piece = b.subarray(at, at + op.len * 16);
      return concat(b.subarray(0, at), piece, piece, b.subarray(at));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function mutatedFlat(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .record({ seed: fc.nat({ max: seeds.length - 1 }), ops: fc.array(flatOp, { minLength: 1, maxLength: 5 }) })
    .map(({ seed, ops }) => ops.reduce((b, op) => applyFlat(b, op), seeds[seed]!));
}

// ---------------------------------------------------------------- generating from the seeds' shape

interface Shape {
  strings: string[];
  numbers: number[];
  bools: boolean;
  nulls: boolean;
  object?: Map<string, Shape>;
  array?: Shape;
}

const newShape = (): Shape => ({ strings: [], numbers: [], bools: false, nulls: false });
const SAMPLES = 12;

function learn(shape: Shape, v: unknown, depth = 0): void {
  if (depth > 40) return;
  if (v === null) shape.nulls = true;
  else if (typeof v === 'boolean') shape.bools = true;
  else if (typeof v === 'number') {
    if (shape.numbers.length < SAMPLES && !shape.numbers.includes(v)) shape.numbers.push(v);
  } else if (typeof v === 'string') {
    if (shape.strings.length < SAMPLES && !shape.strings.includes(v)) shape.strings.push(v.length > 200 ? v.slice(0, 200) : v);
  } else if (Array.isArray(v)) {
    shape.array ??= newShape();
    for (const x of v.slice(0, 50)) learn(shape.array, x, depth + 1);
  } else if (typeof v === 'object') {
    shape.object ??= new Map();
    for (const [k, x] of Object.entries(v as object)) {
      let s = shape.object.get(k);
      if (!s) shape.object.set(k, (s = newShape()));
      learn(s, x, depth + 1);
    }
  }
}

function keysOf(shape: Shape, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 40) return out;
  for (const [k, s] of shape.object ?? []) {
    out.add(k);
    keysOf(s, out, depth + 1);
  }
  if (shape.array) keysOf(shape.array, out, depth + 1);
  return out;
}

/** Values that follow `shape`, with a hostile value now and then in place of the expected one. */
function fromShape(shape: Shape, depth = 0): fc.Arbitrary<Json> {
  const alts: fc.Arbitrary<Json>[] = [];
  if (shape.strings.length) alts.push(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...shape.strings) }, { weight: 1, arbitrary: fc.string({ maxLength: 24 }) }));
  if (shape.numbers.length) alts.push(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...shape.numbers) }, { weight: 1, arbitrary: fc.integer() }));
  if (shape.bools) alts.push(fc.boolean());
  if (shape.nulls) alts.push(fc.constant(null));
  // Fan-out shrinks with depth: 4 at the top, 2, then 1, so a deep shape stays kilobytes, not gigabytes.
  if (depth < 12 && shape.array) alts.push(fc.array(fromShape(shape.array, depth + 1), { maxLength: depth < 2 ? 4 : depth < 6 ? 2 : 1 }));
  if (depth < 12 && shape.object) {
    const entries = [...shape.object].map(([k, s]) => [k, fc.option(fromShape(s, depth + 1), { freq: 4 })] as const);
    alts.push(
      fc.tuple(...entries.map(([, a]) => a)).map((vals) => {
        const o: Record<string, Json> = {};
        vals.forEach((v, i) => {
          if (v !== null) withOwn(entries[i]![0], v, o);
        });
        return o;
      }),
    );
  }
  if (!alts.length) return hostileValue;
  return fc.oneof({ weight: 12, arbitrary: fc.oneof(...alts) }, { weight: 1, arbitrary: hostileValue });
}

// ---------------------------------------------------------------- hostile text, random protobuf wire

const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 100_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.integer({ min: 1, max: 100_000 }).map((n) => `{"resourceSpans":[${'{"scopeSpans":[{"spans":[{}]}]},'.repeat(n)}{}]}`),
  fc.constantFrom('', ' ', '\ufeff', '\ufeff{}', 'null', 'true', '0', '""', '[]', '{}', '{"data":null}', '{"status":"success"}', '1e999999', '-', '{"a":1}}', '<html>', '\u0000'),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
);

/** Protobuf wire fields: varint, 64-bit, length-delimited (sometimes nested fields), 32-bit. */
type Wire = { field: number; type: 0 | 1 | 2 | 5; varint: bigint; bytes: Uint8Array; nested: Wire[] | null };

const wire: fc.Arbitrary<Wire[]> = fc.letrec<{ fields: Wire[]; field: Wire }>((tie) => ({
  fields: fc.array(tie('field'), { maxLength: 8, depthIdentifier: 'wire' }),
  field: fc.record({
    field: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 1000 }), fc.constant(1000)),
    type: fc.constantFrom<Wire['type']>(0, 1, 2, 2, 2, 5),
    varint: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 300n })),
    bytes: fc.uint8Array({ maxLength: 40 }),
    nested: fc.option(tie('fields'), { freq: 2, depthIdentifier: 'wire' }),
  }),
})).fields;

function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

function encodeWire(fields: readonly Wire[]): Uint8Array {
  const out: number[] = [];
  for (const f of fields) {
    out.push(...varint(BigInt((f.field << 3) | f.type)));
    if (f.type === 0) out.push(...varint(f.varint));
    else if (f.type === 1) for (let i = 0; i < 8; i++) out.push(f.bytes[i] ?? 0);
    else if (f.type === 5) for (let i = 0; i < 4; i++) out.push(f.bytes[i] ?? 0);
    else {
      const body = f.nested ? encodeWire(f.nested) : f.bytes;
      out.push(...varint(BigInt(body.length)), ...body);
    }
  }
  return new Uint8Array(out);
}

// ---------------------------------------------------------------- per target

/**
 * JSON text of a generated value, or undefined when it cannot be one within the size cap
 * (copies of copies can multiply past V8's string limit).
 */
function stringify(v: Json): string | undefined {
  try {
    const t = JSON.stringify(v);
    return t !== undefined && t.length <= MAX_INPUT_BYTES ? t : undefined;
  } catch {
    return undefined;
  }
}

function capText(s: string): string {
  return s.length > MAX_INPUT_BYTES / 2 && Buffer.byteLength(s) > MAX_INPUT_BYTES ? s.slice(0, MAX_INPUT_BYTES / 4) : s;
}

function capBytes(b: Uint8Array): Uint8Array {
  return b.byteLength > MAX_INPUT_BYTES ? b.subarray(0, MAX_INPUT_BYTES) : b;
}

function asJson(t: string): Json | undefined {
  try {
    return JSON.parse(t) as Json;
  } catch {
    return undefined;
  }
}

/**
 * Text that is no JSON (a query language): the seeds spliced, cut and flipped, recombined from
 * their own tokens, and random text.
 */
function plainText(texts: readonly string[]): fc.Arbitrary<FuzzInput> {
  const tokens = [...new Set(texts.flatMap((t) => t.match(/"(?:[^"\\]|\\.)*"|[\w.:]+|\S/g) ?? []))];
  const bytes = texts.map((t) => new Uint8Array(Buffer.from(t)));
  return fc.oneof(
    { weight: 4, arbitrary: mutatedFlat(bytes).map((b) => Buffer.from(b).toString('utf8')) },
    { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...tokens), fc.constantFrom(...HOSTILE_STRINGS)), { maxLength: 60 }).map((ts) => ts.join(' ')) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((n) => `${'{ '.repeat(n)}${'}'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.constantFrom(...texts) },
  );
}

export function inputArbitrary(target: FuzzTarget, seeds: readonly FuzzInput[]): fc.Arbitrary<FuzzInput> {
  if (target.input === 'text') {
    const texts = seeds.map((s) => (typeof s === 'string' ? s : Buffer.from(s).toString('utf8')));
    const parsed = texts.map((t) => asJson(t));
    if (parsed.some((v) => v === undefined)) return plainText(texts);
    const values = parsed as Json[];
    const shape = newShape();
    for (const v of values) learn(shape, v);
    const vocab = [...keysOf(shape)];
    const bytes = texts.map((t) => new Uint8Array(Buffer.from(t)));
    return fc
      .oneof(
        { weight: 5, arbitrary: mutatedJson(texts, values, vocab) },
        { weight: 2, arbitrary: mutatedFlat(bytes).map((b) => Buffer.from(b).toString('utf8')) },
        { weight: 3, arbitrary: fromShape(shape).map((v) => stringify(v) ?? 'null') },
        { weight: 1, arbitrary: fc.constantFrom(...texts) },
        { weight: 1, arbitrary: hostileText },
      )
      .map(capText);
  }
  const bytes = seeds.map((s) => (typeof s === 'string' ? new Uint8Array(Buffer.from(s)) : s));
  const alts: fc.WeightedArbitrary<Uint8Array>[] = [
    { weight: 5, arbitrary: mutatedFlat(bytes) },
    { weight: 2, arbitrary: wire.map(encodeWire) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }) },
    { weight: 1, arbitrary: fc.constantFrom(...bytes) },
  ];
  const { encode, shapes } = target;
  if (encode && shapes) {
    const shape = newShape();
    for (const v of shapes(seeds)) learn(shape, v);
    alts.push({
      weight: 3,
      arbitrary: fromShape(shape).map((v) => {
        try {
          return encode(v);
        } catch {
          return new Uint8Array(); // not encodable as the message: the mutations cover such bytes
        }
      }),
    });
  }
  return fc.oneof(...alts).map(capBytes);
}
