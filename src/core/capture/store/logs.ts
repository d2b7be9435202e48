/**
 * The capture store's OTLP log records, in columns like the spans (spans.ts): times, severity,
 * interned body and attributes in a segment arena, the resource and scope from the shared
 * catalog, the trace id interned (many records share one) and indexed, the span id in two words.
 * Records leave oldest first.
 */
import type { LogRecord } from '../../model/logs';
import type { Attribute } from '../../model/trace';
import { AttrCodec, Words } from './attrs';
import { idHalves, SEG, SEG_BITS } from './spans';
import type { StringPool } from './strings';
import type { Catalog } from './tables';

const MASK = SEG - 1;
const U16 = 0xffff;

export class LogSegment {
  readonly timeHi = new Uint32Array(SEG);
  readonly timeLo = new Uint32Array(SEG);
  readonly obsHi = new Uint32Array(SEG);
  readonly obsLo = new Uint32Array(SEG);
  readonly sevText = new Uint32Array(SEG);
  readonly res = new Uint32Array(SEG);
  readonly scope = new Uint32Array(SEG);
  readonly traceId = new Uint32Array(SEG);
  readonly sidHi = new Uint32Array(SEG);
  readonly sidLo = new Uint32Array(SEG);
  readonly flags = new Uint32Array(SEG);
  readonly dropped = new Uint32Array(SEG);
  readonly eventName = new Uint32Array(SEG);
  readonly arrival = new Uint32Array(SEG);
  /** The body is the first attribute (key ""), then the record's own attributes. */
  readonly attrOff = new Uint32Array(SEG);
  readonly attrCnt = new Uint16Array(SEG);
  /** Severity number in bits 0-4, has-span-id in bit 5. */
  readonly sev = new Uint8Array(SEG);
  readonly attrs = new Words(SEG * 6);
  fill = 0;
  live = 0;

  static readonly FIXED_BYTES = SEG * (15 * 4 + 2 + 1);

  bytes(): number {
    return LogSegment.FIXED_BYTES + this.attrs.data.byteLength;
  }
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
const HEX = '0123456789abcdef';
function hex8(n: number): string {
  let s = '';
  for (let i = 28; i >= 0; i -= 4) s += HEX[(n >>> i) & 15];
  return s;
}

export class LogTable {
  readonly segments: (LogSegment | undefined)[] = [];
  /** Trace id string id → rows of the records made in that trace. */
  readonly byTrace = new Map<number, number[]>();
  private nextRow = 0;
  /** The oldest live row. */
  headRow = 0;
  live = 0;

  constructor(
    readonly pool: StringPool,
    readonly codec: AttrCodec,
    readonly catalog: Catalog,
  ) {}

  get endRow(): number {
    return this.nextRow;
  }

  segment(row: number): LogSegment | undefined {
    return this.segments[row >>> SEG_BITS];
  }

  add(r: LogRecord, arrival: number): void {
    const row = this.nextRow++;
    const si = row >>> SEG_BITS;
    let seg = this.segments[si];
    if (!seg) {
      this.segments[si - 1]?.attrs.trim();
      seg = this.segments[si] = new LogSegment();
    }
    const i = row & MASK;
    const pool = this.pool;
    seg.timeHi[i] = hi(r.time);
    seg.timeLo[i] = lo(r.time);
    seg.obsHi[i] = hi(r.observedTime);
    seg.obsLo[i] = lo(r.observedTime);
    seg.sev[i] = (r.severityNumber & 31) | (r.spanId ? 32 : 0);
    seg.sevText[i] = pool.intern(r.severityText);
    seg.res[i] = this.catalog.resource(r.resource, -1);
    seg.scope[i] = this.catalog.scope(r.scope);
    if (r.traceId) {
      const t = pool.intern(r.traceId);
      seg.traceId[i] = t;
      let rows = this.byTrace.get(t);
      if (!rows) this.byTrace.set(t, (rows = []));
      rows.push(row);
    }
    if (r.spanId) {
      const [h, l] = idHalves(r.spanId);
      seg.sidHi[i] = h;
      seg.sidLo[i] = l;
    }
    seg.flags[i] = r.flags;
    seg.eventName[i] = r.eventName ? pool.intern(r.eventName) : 0;
    seg.arrival[i] = arrival;
    seg.attrOff[i] = seg.attrs.length;
    const attrs = r.attributes.length >= U16 ? r.attributes.slice(0, U16 - 1) : r.attributes;
    const body: Attribute = r.bodyType ? { key: '', value: r.body, type: r.bodyType } : { key: '', value: r.body };
    seg.attrCnt[i] = this.codec.encode([body, ...attrs], seg.attrs, -1);
    seg.dropped[i] = r.droppedAttributesCount + (r.attributes.length - attrs.length);
    seg.fill = i + 1;
    seg.live++;
    this.live++;
  }

  /** Arrival ordinal of the oldest live record, or Infinity. */
  oldestArrival(): number {
    if (this.headRow >= this.nextRow) return Infinity;
    return this.segment(this.headRow)!.arrival[this.headRow & MASK]!;
  }

  evictOldest(): boolean {
    if (this.headRow >= this.nextRow) return false;
    const row = this.headRow++;
    const si = row >>> SEG_BITS;
    const seg = this.segments[si]!;
    const i = row & MASK;
    const pool = this.pool;
    pool.release(seg.sevText[i]!);
    this.catalog.releaseResource(seg.res[i]!);
    this.catalog.releaseScope(seg.scope[i]!);
    const t = seg.traceId[i]!;
    if (t) {
      const rows = this.byTrace.get(t);
      if (rows) {
        // Rows of one trace id are appended in order, so the evicted one is the first.
        if (rows[0] === row) rows.shift();
        else rows.splice(rows.indexOf(row), 1);
        if (rows.length === 0) this.byTrace.delete(t);
      }
      pool.release(t);
    }
    pool.release(seg.eventName[i]!);
    this.codec.release(seg.attrs.data, seg.attrOff[i]!, seg.attrCnt[i]!);
    seg.live--;
    this.live--;
    if (seg.live === 0 && si !== (this.nextRow - 1) >>> SEG_BITS) this.segments[si] = undefined;
    return true;
  }

  timeNs(row: number): bigint {
    const seg = this.segment(row)!;
    const i = row & MASK;
    const t = u64(seg.timeHi[i]!, seg.timeLo[i]!);
    return t !== 0n ? t : u64(seg.obsHi[i]!, seg.obsLo[i]!);
  }

  /** The model record of a live row. */
  record(row: number): LogRecord {
    const seg = this.segment(row)!;
    const i = row & MASK;
    const pool = this.pool;
    const attrs = this.codec.decode(seg.attrs.data, seg.attrOff[i]!, seg.attrCnt[i]!);
    const body = attrs.shift()!;
    const sev = seg.sev[i]!;
    return {
      time: u64(seg.timeHi[i]!, seg.timeLo[i]!),
      observedTime: u64(seg.obsHi[i]!, seg.obsLo[i]!),
      severityNumber: sev & 31,
      severityText: pool.get(seg.sevText[i]!),
      body: body.value,
      ...(body.type ? { bodyType: body.type } : {}),
      attributes: attrs,
      traceId: seg.traceId[i] ? pool.get(seg.traceId[i]!) : undefined,
      spanId: sev & 32 ? hex8(seg.sidHi[i]!) + hex8(seg.sidLo[i]!) : undefined,
      flags: seg.flags[i]!,
      droppedAttributesCount: seg.dropped[i]!,
      eventName: seg.eventName[i] ? pool.get(seg.eventName[i]!) : undefined,
      resource: this.catalog.resourceModel(seg.res[i]!),
      scope: this.catalog.scopeModel(seg.scope[i]!),
    };
  }

  bytes(): number {
    let n = 0;
    for (const s of this.segments) if (s) n += s.bytes();
    for (const r of this.byTrace.values()) n += 60 + r.length * 8;
    return n;
  }
}
