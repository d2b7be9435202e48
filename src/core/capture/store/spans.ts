/**
 * The capture store's spans, column by column in segments of 16,384 rows: ids, times, interned
 * names and resources, kind/status in a byte, offsets into the segment's attribute, event and
 * link arenas. A trace is a record with the rows of its spans; traces leave in the order they
 * arrived (oldest first) and a segment is freed once none of its rows is live, so eviction never
 * copies. Indexes: trace id → trace, span id → row (open addressing over the id columns), span
 * name → traces, and through the codec and catalog, attribute pair and resource → traces.
 */
import type { Span, SpanEvent, SpanKind, SpanLink, StatusCode } from '../../model/trace';
import { AttrCodec, Words } from './attrs';
import type { StringPool } from './strings';
import { Catalog } from './tables';

export const SEG_BITS = 14;
export const SEG = 1 << SEG_BITS;
const MASK = SEG - 1;

const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const CODES: readonly StatusCode[] = ['unset', 'ok', 'error'];
const KIND_INDEX: Readonly<Record<SpanKind, number>> = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const CODE_INDEX: Readonly<Record<StatusCode, number>> = { unset: 0, ok: 1, error: 2 };
const U16 = 0xffff;

export class SpanSegment {
  readonly trace = new Uint32Array(SEG);
  readonly sidHi = new Uint32Array(SEG);
  readonly sidLo = new Uint32Array(SEG);
  readonly pidHi = new Uint32Array(SEG);
  readonly pidLo = new Uint32Array(SEG);
  readonly startHi = new Uint32Array(SEG);
  readonly startLo = new Uint32Array(SEG);
  readonly endHi = new Uint32Array(SEG);
  readonly endLo = new Uint32Array(SEG);
  readonly name = new Uint32Array(SEG);
  readonly res = new Uint32Array(SEG);
  readonly scope = new Uint32Array(SEG);
  readonly statusMsg = new Uint32Array(SEG);
  readonly traceState = new Uint32Array(SEG);
  readonly flags = new Uint32Array(SEG);
  readonly attrOff = new Uint32Array(SEG);
  readonly evOff = new Uint32Array(SEG);
  readonly linkOff = new Uint32Array(SEG);
  readonly attrCnt = new Uint16Array(SEG);
  readonly evCnt = new Uint16Array(SEG);
  readonly linkCnt = new Uint16Array(SEG);
  /** kind in bits 0-2, status code in bits 3-4, has-parent in bit 5, evicted in bit 7. */
  readonly kindStatus = new Uint8Array(SEG);
  readonly attrs = new Words(SEG * 8);
  /** Per event: time hi, time lo, name, attribute offset, attribute count | dropped << 16. */
  readonly events = new Words(256);
  /** Per link: trace id (4 words), span id (2), trace state, attribute offset, count | dropped << 16, flags. */
  readonly links = new Words(64);
  fill = 0;
  live = 0;

  static readonly FIXED_BYTES = SEG * (18 * 4 + 3 * 2 + 1);

  bytes(): number {
    return SpanSegment.FIXED_BYTES + this.attrs.data.byteLength + this.events.data.byteLength + this.links.data.byteLength;
  }

  seal(): void {
    this.attrs.trim();
    this.events.trim();
    this.links.trim();
  }
}

export interface TraceRec {
  readonly seq: number;
  readonly id: string;
  readonly rows: number[];
  start: bigint;
  end: bigint;
  /** Row of the earliest span without a parent, -1 while none arrived. */
  root: number;
  errors: number;
  /** Arrival ordinal of its first batch (logs and traces leave by it, oldest first). */
  readonly arrival: number;
}

const HEX = '0123456789abcdef';
function hex8(n: number): string {
  let s = '';
  for (let i = 28; i >= 0; i -= 4) s += HEX[(n >>> i) & 15];
  return s;
}

/** Hex digit value by char code (the decoders hand over lowercase hex). */
const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 16; i++) NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;
for (let i = 10; i < 16; i++) NIBBLE['ABCDEF'.charCodeAt(i - 10)] = i;

function hexWord(s: string, from: number): number {
  let v = 0;
  for (let i = from; i < from + 8; i++) v = (v << 4) | NIBBLE[s.charCodeAt(i) & 127]!;
  return v >>> 0;
}

/** Splits 16 hex chars into two uint32s (the caller passes well-formed ids from the decoders). */
export function idHalves(hex16: string): [number, number] {
  return [hexWord(hex16, 0), hexWord(hex16, 8)];
}

function hi(v: bigint): number {
  return Number(v >> 32n) >>> 0;
}
function lo(v: bigint): number {
  return Number(v & 0xffffffffn) >>> 0;
}
function u64(h: number, l: number): bigint {
  return (BigInt(h) << 32n) | BigInt(l);
}

export class SpanTable {
  readonly segments: (SpanSegment | undefined)[] = [];
  readonly traces = new Map<string, TraceRec>();
  readonly bySeq = new Map<number, TraceRec>();
  /** Traces in arrival order; `head` is the oldest live one. */
  private order: TraceRec[] = [];
  private head = 0;
  /** Span name string id → trace sequence numbers. */
  readonly namePostings = new Map<number, number[]>();
  private nextSeq = 1;
  private nextRow = 0;
  liveSpans = 0;
  private dropped = new Map<number, [number, number, number]>();
  private idIndex = new SpanIdIndex(this);
  readonly catalog: Catalog;
  private lastName = -1;
  private lastNameTrace = -1;

  constructor(
    readonly pool: StringPool,
    readonly codec: AttrCodec,
  ) {
    this.catalog = new Catalog(codec);
  }

  get traceCount(): number {
    return this.traces.size;
  }

  /** The oldest live trace, or undefined. */
  oldest(): TraceRec | undefined {
    while (this.head < this.order.length && !this.bySeq.has(this.order[this.head]!.seq)) this.head++;
    return this.order[this.head];
  }

  /** Live traces, newest first. */
  *newestFirst(): Generator<TraceRec> {
    for (let i = this.order.length - 1; i >= this.head; i--) {
      const t = this.order[i]!;
      if (this.bySeq.has(t.seq)) yield t;
    }
  }

  segment(row: number): SpanSegment {
    return this.segments[row >>> SEG_BITS]!;
  }

  add(s: Span, arrival: number): void {
    let t = this.traces.get(s.traceId);
    if (!t) {
      t = { seq: this.nextSeq++, id: s.traceId, rows: [], start: s.start, end: s.end, root: -1, errors: 0, arrival };
      this.traces.set(s.traceId, t);
      this.bySeq.set(t.seq, t);
      this.order.push(t);
    }
    const row = this.nextRow++;
    const si = row >>> SEG_BITS;
    let seg = this.segments[si];
    if (!seg) {
      this.segments[si - 1]?.seal();
      seg = this.segments[si] = new SpanSegment();
    }
    const i = row & MASK;
    const pool = this.pool;
    const codec = this.codec;
    seg.trace[i] = t.seq;
    const [sh, sl] = idHalves(s.spanId);
    seg.sidHi[i] = sh;
    seg.sidLo[i] = sl;
    if (s.parentSpanId) {
      const [ph, pl] = idHalves(s.parentSpanId);
      seg.pidHi[i] = ph;
      seg.pidLo[i] = pl;
    }
    seg.startHi[i] = hi(s.start);
    seg.startLo[i] = lo(s.start);
    seg.endHi[i] = hi(s.end);
    seg.endLo[i] = lo(s.end);
    const name = pool.intern(s.name);
    seg.name[i] = name;
    if (name !== this.lastName || t.seq !== this.lastNameTrace) {
      let p = this.namePostings.get(name);
      if (!p) this.namePostings.set(name, (p = []));
      if (p[p.length - 1] !== t.seq) p.push(t.seq);
      this.lastName = name;
      this.lastNameTrace = t.seq;
    }
    seg.res[i] = this.catalog.resource(s.resource, t.seq);
    seg.scope[i] = this.catalog.scope(s.scope);
    const code = s.status.code;
    seg.kindStatus[i] = KIND_INDEX[s.kind] | (CODE_INDEX[code] << 3) | (s.parentSpanId ? 32 : 0);
    seg.statusMsg[i] = s.status.message ? pool.intern(s.status.message) : 0;
    seg.traceState[i] = s.traceState ? pool.intern(s.traceState) : 0;
    seg.flags[i] = s.flags ?? 0;
    seg.attrOff[i] = seg.attrs.length;
    seg.attrCnt[i] = codec.encode(s.attributes.length > U16 ? s.attributes.slice(0, U16) : s.attributes, seg.attrs, t.seq);
    seg.evOff[i] = seg.events.length;
    seg.evCnt[i] = this.writeEvents(s.events, seg, t.seq);
    seg.linkOff[i] = seg.links.length;
    seg.linkCnt[i] = this.writeLinks(s.links, seg, t.seq);
    const extraAttrs = Math.max(0, s.attributes.length - U16);
    if (s.droppedAttributesCount || s.droppedEventsCount || s.droppedLinksCount || extraAttrs || s.events.length > U16 || s.links.length > U16) {
      this.dropped.set(row, [
        (s.droppedAttributesCount ?? 0) + extraAttrs,
        (s.droppedEventsCount ?? 0) + Math.max(0, s.events.length - U16),
        (s.droppedLinksCount ?? 0) + Math.max(0, s.links.length - U16),
      ]);
    }
    seg.fill = i + 1;
    seg.live++;
    this.liveSpans++;
    t.rows.push(row);
    if (s.start < t.start) t.start = s.start;
    if (s.end > t.end) t.end = s.end;
    if (code === 'error') t.errors++;
    if (!s.parentSpanId && (t.root < 0 || s.start < this.start(t.root))) t.root = row;
    this.idIndex.insert(row, sh, sl);
  }

  private writeEvents(list: readonly SpanEvent[], seg: SpanSegment, seq: number): number {
    const n = Math.min(list.length, U16);
    for (let k = 0; k < n; k++) {
      const e = list[k]!;
      seg.events.push(hi(e.time));
      seg.events.push(lo(e.time));
      seg.events.push(this.pool.intern(e.name));
      seg.events.push(seg.attrs.length);
      const count = this.codec.encode(e.attributes.length > U16 ? e.attributes.slice(0, U16) : e.attributes, seg.attrs, seq);
      seg.events.push(count | (Math.min(U16, (e.droppedAttributesCount ?? 0) + Math.max(0, e.attributes.length - U16)) << 16));
    }
    return n;
  }

  private writeLinks(list: readonly SpanLink[], seg: SpanSegment, seq: number): number {
    const n = Math.min(list.length, U16);
    for (let k = 0; k < n; k++) {
      const l = list[k]!;
      for (let q = 0; q < 32; q += 8) seg.links.push(hexWord(l.traceId, q));
      const [h, lw] = idHalves(l.spanId);
      seg.links.push(h);
      seg.links.push(lw);
      seg.links.push(l.traceState ? this.pool.intern(l.traceState) : 0);
      seg.links.push(seg.attrs.length);
      const count = this.codec.encode(l.attributes.length > U16 ? l.attributes.slice(0, U16) : l.attributes, seg.attrs, seq);
      seg.links.push(count | (Math.min(U16, (l.droppedAttributesCount ?? 0) + Math.max(0, l.attributes.length - U16)) << 16));
      seg.links.push(l.flags ?? 0);
    }
    return n;
  }

  start(row: number): bigint {
    const seg = this.segment(row);
    const i = row & MASK;
    return u64(seg.startHi[i]!, seg.startLo[i]!);
  }

  /** Start and end as float nanoseconds (exact to 2^53 ns, ~104 days: enough to compare durations). */
  durationNs(row: number): number {
    const seg = this.segment(row);
    const i = row & MASK;
    return (seg.endHi[i]! - seg.startHi[i]!) * 4294967296 + (seg.endLo[i]! - seg.startLo[i]!);
  }

  spanIdHex(row: number): string {
    const seg = this.segment(row);
    const i = row & MASK;
    return hex8(seg.sidHi[i]!) + hex8(seg.sidLo[i]!);
  }

  /** The row of a span by its id, or -1 (the first of several spans sharing an id). */
  rowOfSpanId(hex16: string): number {
    const [h, l] = idHalves(hex16);
    return this.idIndex.find(h, l);
  }

  /** Removes the oldest trace; returns its span count (0 when the store holds none). */
  evictOldest(): number {
    const t = this.oldest();
    if (!t) return 0;
    this.head++;
    this.remove(t);
    return t.rows.length;
  }

  private remove(t: TraceRec): void {
    this.traces.delete(t.id);
    this.bySeq.delete(t.seq);
    const codec = this.codec;
    const pool = this.pool;
    for (const row of t.rows) {
      const si = row >>> SEG_BITS;
      const seg = this.segments[si]!;
      const i = row & MASK;
      pool.release(seg.name[i]!);
      pool.release(seg.statusMsg[i]!);
      pool.release(seg.traceState[i]!);
      this.catalog.releaseResource(seg.res[i]!);
      this.catalog.releaseScope(seg.scope[i]!);
      codec.release(seg.attrs.data, seg.attrOff[i]!, seg.attrCnt[i]!);
      const ev = seg.events.data;
      for (let k = 0, p = seg.evOff[i]!; k < seg.evCnt[i]!; k++, p += 5) {
        pool.release(ev[p + 2]!);
        codec.release(seg.attrs.data, ev[p + 3]!, ev[p + 4]! & U16);
      }
      const ln = seg.links.data;
      for (let k = 0, p = seg.linkOff[i]!; k < seg.linkCnt[i]!; k++, p += 10) {
        pool.release(ln[p + 6]!);
        codec.release(seg.attrs.data, ln[p + 7]!, ln[p + 8]! & U16);
      }
      this.idIndex.remove(row, seg.sidHi[i]!, seg.sidLo[i]!);
      this.dropped.delete(row);
      seg.kindStatus[i]! |= 128;
      seg.live--;
      this.liveSpans--;
      // A segment no live row needs any more is dropped whole, unless rows are still being added to it.
      if (seg.live === 0 && si !== (this.nextRow - 1) >>> SEG_BITS) this.segments[si] = undefined;
    }
    // Keep the arrival list from growing without end under steady eviction.
    if (this.head > 4096 && this.head > this.order.length / 2) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  /** Drops postings of evicted traces; run after a round of evictions. */
  trimPostings(): void {
    const minSeq = this.oldest()?.seq ?? this.nextSeq;
    this.codec.trimPostings(minSeq);
    this.catalog.trimPostings(minSeq);
    for (const [name, p] of this.namePostings) {
      let k = 0;
      while (k < p.length && p[k]! < minSeq) k++;
      if (k === p.length) this.namePostings.delete(name);
      else if (k) p.splice(0, k);
    }
  }

  /** The model span of a row, with the wire's types and fields. */
  span(row: number, traceId: string): Span {
    const seg = this.segment(row);
    const i = row & MASK;
    const pool = this.pool;
    const codec = this.codec;
    const ks = seg.kindStatus[i]!;
    const code = CODES[(ks >> 3) & 3]!;
    const msg = seg.statusMsg[i]!;
    const events: SpanEvent[] = [];
    const ev = seg.events.data;
    for (let k = 0, p = seg.evOff[i]!; k < seg.evCnt[i]!; k++, p += 5) {
      const dropped = ev[p + 4]! >>> 16;
      const e: SpanEvent = { time: u64(ev[p]!, ev[p + 1]!), name: pool.get(ev[p + 2]!), attributes: codec.decode(seg.attrs.data, ev[p + 3]!, ev[p + 4]! & U16) };
      events.push(dropped ? { ...e, droppedAttributesCount: dropped } : e);
    }
    const links: SpanLink[] = [];
    const ln = seg.links.data;
    for (let k = 0, p = seg.linkOff[i]!; k < seg.linkCnt[i]!; k++, p += 10) {
      const dropped = ln[p + 8]! >>> 16;
      const flags = ln[p + 9]!;
      const l: SpanLink = {
        traceId: hex8(ln[p]!) + hex8(ln[p + 1]!) + hex8(ln[p + 2]!) + hex8(ln[p + 3]!),
        spanId: hex8(ln[p + 4]!) + hex8(ln[p + 5]!),
        traceState: ln[p + 6] ? pool.get(ln[p + 6]!) : undefined,
        attributes: codec.decode(seg.attrs.data, ln[p + 7]!, ln[p + 8]! & U16),
      };
      links.push(dropped || flags ? { ...l, flags: flags || undefined, droppedAttributesCount: dropped || undefined } : l);
    }
    const base: Span = {
      traceId,
      spanId: hex8(seg.sidHi[i]!) + hex8(seg.sidLo[i]!),
      parentSpanId: ks & 32 ? hex8(seg.pidHi[i]!) + hex8(seg.pidLo[i]!) : undefined,
      name: pool.get(seg.name[i]!),
      kind: KINDS[ks & 7] ?? 'unspecified',
      start: u64(seg.startHi[i]!, seg.startLo[i]!),
      end: u64(seg.endHi[i]!, seg.endLo[i]!),
      status: msg ? { code, message: pool.get(msg) } : { code },
      attributes: codec.decode(seg.attrs.data, seg.attrOff[i]!, seg.attrCnt[i]!),
      events,
      links,
      resource: this.catalog.resourceModel(seg.res[i]!),
      scope: this.catalog.scopeModel(seg.scope[i]!),
      traceState: seg.traceState[i] ? pool.get(seg.traceState[i]!) : undefined,
    };
    const d = this.dropped.get(row);
    const flags = seg.flags[i]!;
    if (!d && !flags) return base;
    return {
      ...base,
      flags: flags || undefined,
      droppedAttributesCount: d?.[0] || undefined,
      droppedEventsCount: d?.[1] || undefined,
      droppedLinksCount: d?.[2] || undefined,
    };
  }

  /** The spans of a trace in arrival order. */
  traceSpans(t: TraceRec): Span[] {
    return t.rows.map((r) => this.span(r, t.id));
  }

  bytes(): number {
    let n = 0;
    for (const s of this.segments) if (s) n += s.bytes();
    // Trace records: the object, its id, the rows array (8 bytes a row), three map entries.
    n += this.traces.size * 260 + this.liveSpans * 8 + this.idIndex.bytes();
    for (const p of this.namePostings.values()) n += 40 + p.length * 8;
    return n + this.catalog.bytes();
  }
}

/** Span id → row: linear probing over (row + 1), 0 empty, -1 removed; ids compared in the columns. */
class SpanIdIndex {
  private slots = new Float64Array(1 << 12);
  private used = 0;
  private live = 0;

  constructor(private readonly table: SpanTable) {}

  private static hash(h: number, l: number): number {
    let x = Math.imul(h ^ (l >>> 16), 0x85ebca6b) ^ Math.imul(l, 0xc2b2ae35);
    x ^= x >>> 15;
    return x >>> 0;
  }

  insert(row: number, h: number, l: number): void {
    if ((this.used + 1) * 2 > this.slots.length) this.rehash(this.live * 4 > this.slots.length ? this.slots.length * 2 : this.slots.length);
    const mask = this.slots.length - 1;
    let p = SpanIdIndex.hash(h, l) & mask;
    while (this.slots[p]! > 0) p = (p + 1) & mask;
    if (this.slots[p] === 0) this.used++;
    this.slots[p] = row + 1;
    this.live++;
  }

  find(h: number, l: number): number {
    const mask = this.slots.length - 1;
    for (let p = SpanIdIndex.hash(h, l) & mask; ; p = (p + 1) & mask) {
      const v = this.slots[p]!;
      if (v === 0) return -1;
      if (v > 0) {
        const row = v - 1;
        const seg = this.table.segment(row);
        const i = row & MASK;
        if (seg.sidHi[i] === h && seg.sidLo[i] === l) return row;
      }
    }
  }

  remove(row: number, h: number, l: number): void {
    const mask = this.slots.length - 1;
    for (let p = SpanIdIndex.hash(h, l) & mask; ; p = (p + 1) & mask) {
      const v = this.slots[p]!;
      if (v === 0) return;
      if (v === row + 1) {
        this.slots[p] = -1;
        this.live--;
        return;
      }
    }
  }

  private rehash(size: number): void {
    const old = this.slots;
    this.slots = new Float64Array(size);
    this.used = 0;
    this.live = 0;
    const mask = size - 1;
    for (let k = 0; k < old.length; k++) {
      const v = old[k]!;
      if (v <= 0) continue;
      const row = v - 1;
      const seg = this.table.segment(row);
      const i = row & MASK;
      let p = SpanIdIndex.hash(seg.sidHi[i]!, seg.sidLo[i]!) & mask;
      while (this.slots[p] !== 0) p = (p + 1) & mask;
      this.slots[p] = v;
      this.used++;
      this.live++;
    }
  }

  bytes(): number {
    return this.slots.byteLength;
  }
}
