/**
 * Zipkin v2 JSON (a span array, `/api/v2/trace/{id}`) → model.
 *
 * Two Zipkin habits need care so that no data is lost:
 *
 * 1. Pieces of one span. A tracer may report a span in several pieces (late tags, a flush);
 *    they share traceId, id and endpoint. As zipkin-lens's span-cleaner does, pieces with the
 *    same `shared` flag and compatible endpoints merge (tags and annotations united). We also
 *    merge a piece that has neither kind nor timestamp into the half with the same endpoint:
 *    it cannot be drawn alone and says nothing else (smartthings has 84 such pieces, each a bare
 *    copy of a server half's name and endpoint).
 *
 * 2. Shared spans. B3 lets the client and server halves of one RPC use the SAME span id
 *    (server half `shared: true`). They hold different services, times, tags and annotations,
 *    so merging them would drop one side, and keeping both under one id would make the tree
 *    ambiguous. So, like Jaeger's SpanIDDeduper adjuster: the client keeps the id, each server
 *    half gets a fresh unused id (recorded in the attribute `zipkin.shared_span_id` = the
 *    original id) and becomes the client's child, and spans whose parent is the shared id move
 *    under the server half whose endpoint they share (the server's own work continues the span).
 */
import { spanIdToHex, traceIdToHex } from '../model/ids';
import { countOf, plural } from '../text/plural';
import type { Attribute, AttrValue, Resource, Span, SpanEvent, SpanKind } from '../model/trace';
import {
  bad,
  describe,
  fail,
  FieldError,
  isObject,
  kindOf,
  NO_ATTRIBUTES,
  NO_EVENTS,
  NO_LINKS,
  NO_SCOPE,
  STATUS_ERROR,
  STATUS_UNSET,
  MAX_UINT64,
  toUint64,
  UNKNOWN_SERVICE,
  type TraceCollector,
} from './common';

const KINDS = new Map<string, SpanKind>([
  ['CLIENT', 'client'],
  ['SERVER', 'server'],
  ['PRODUCER', 'producer'],
  ['CONSUMER', 'consumer'],
]);

interface Endpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

/** One input span (or several merged pieces of one), cleaned but not yet in the model. */
interface Piece {
  index: number;
  traceId: string;
  /** The trace id was written as 16 hex (64-bit), so it may be the low half of a 128-bit one. */
  short: boolean;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  timestamp?: bigint;
  duration?: bigint;
  local: Endpoint;
  remote?: Endpoint;
  tags: Map<string, AttrValue>;
  annotations: { time: bigint; value: string }[];
  /** `time/value` of the annotations, built on the first merge so uniting stays linear. */
  annotationKeys?: Set<string>;
  shared: boolean;
  /** Set when a shared server half is given a fresh id. */
  sharedId?: string;
}

/** Zipkin v1 (`binaryAnnotations`, annotations carrying endpoints): recognised to be refused. */
export function isZipkinV1(list: readonly unknown[]): boolean {
  const first: unknown = list[0];
  if (!isObject(first)) return false;
  if (first.binaryAnnotations !== undefined) return true;
  const a = Array.isArray(first.annotations) ? (first.annotations[0] as unknown) : undefined;
  return isObject(a) && a.endpoint !== undefined && first.localEndpoint === undefined;
}

function endpoint(v: unknown, field: string): Endpoint | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) return bad(field, 'an endpoint object', kindOf(v));
  const e: Endpoint = {};
  for (const k of ['serviceName', 'ipv4', 'ipv6'] as const) {
    const x = v[k];
    if (x === undefined || x === null || x === '') continue;
    if (typeof x !== 'string') return bad(`${field}.${k}`, 'a string', kindOf(x));
    e[k] = x;
  }
  if (v.port !== undefined && v.port !== null && v.port !== 0) {
    if (typeof v.port !== 'number' || !Number.isInteger(v.port)) return bad(`${field}.port`, 'an integer', kindOf(v.port));
    e.port = v.port;
  }
  return e;
}

/** Microseconds, kept as such; they must fit the model's 64-bit nanoseconds once multiplied. */
function micros(v: unknown, field: string): bigint | undefined {
  if (v === undefined || v === null) return undefined;
  const t = toUint64(v);
  if (t === undefined || t * 1000n > MAX_UINT64) return bad(field, 'an integer of microseconds', describe(v));
  return t;
}

function clean(s: Record<string, unknown>, index: number): Piece {
  const rawTid = s.traceId;
  const traceId = typeof rawTid === 'string' ? traceIdToHex(rawTid) : undefined;
  if (traceId === undefined) return bad('traceId', 'a trace id of 16 or 32 hex', describe(rawTid));
  const id = typeof s.id === 'string' ? spanIdToHex(s.id) : undefined;
  if (id === undefined) return bad('id', 'a span id of 16 hex', describe(s.id));
  let parentId: string | undefined;
  if (s.parentId !== undefined && s.parentId !== null && s.parentId !== '') {
    parentId = typeof s.parentId === 'string' ? spanIdToHex(s.parentId) : undefined;
    if (parentId === undefined) return bad('parentId', 'a span id of 16 hex', describe(s.parentId));
    // A span cannot be its own parent (zipkin-lens drops such a parentId too).
    if (parentId === id || parentId === '0000000000000000') parentId = undefined;
  }
  const name = s.name ?? '';
  if (typeof name !== 'string') return bad('name', 'a string', kindOf(name));
  let kind: string | undefined;
  if (s.kind !== undefined && s.kind !== null) {
    if (typeof s.kind !== 'string' || !KINDS.has(s.kind)) return bad('kind', 'CLIENT, SERVER, PRODUCER or CONSUMER', describe(s.kind));
    kind = s.kind;
  }
  const tags = new Map<string, AttrValue>();
  if (s.tags !== undefined && s.tags !== null) {
    if (!isObject(s.tags)) return bad('tags', 'an object', kindOf(s.tags));
    for (const [k, v] of Object.entries(s.tags)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return bad(`tags[${JSON.stringify(k)}]`, 'a string', kindOf(v));
      tags.set(k, v);
    }
  }
  const annotations: Piece['annotations'] = [];
  if (s.annotations !== undefined && s.annotations !== null) {
    if (!Array.isArray(s.annotations)) return bad('annotations', 'an array', kindOf(s.annotations));
    s.annotations.forEach((a: unknown, i) => {
      if (!isObject(a)) return bad(`annotations[${i}]`, 'an object', kindOf(a));
      if (typeof a.value !== 'string') return bad(`annotations[${i}].value`, 'a string', kindOf(a.value));
      annotations.push({ time: micros(a.timestamp, `annotations[${i}].timestamp`) ?? 0n, value: a.value });
    });
  }
  const timestamp = micros(s.timestamp, 'timestamp') || undefined; // 0 means unset in Zipkin
  // A negative duration is clamped to zero (end = start) and reported, as the other formats do.
  const duration = typeof s.duration === 'number' && s.duration < 0 ? 0n : micros(s.duration, 'duration');
  if (timestamp !== undefined && duration !== undefined && (timestamp + duration) * 1000n > MAX_UINT64) {
    return bad('duration', 'a duration ending within 64-bit nanoseconds', describe(s.duration));
  }
  return {
    index,
    traceId,
    short: typeof rawTid === 'string' && rawTid.length <= 16,
    id,
    parentId,
    name,
    kind,
    timestamp,
    duration,
    local: endpoint(s.localEndpoint, 'localEndpoint') ?? {},
    remote: endpoint(s.remoteEndpoint, 'remoteEndpoint'),
    tags,
    annotations,
    // `shared` belongs to the server side; zipkin-lens ignores it on a client span.
    shared: s.shared === true && kind !== 'CLIENT',
  };
}

function endpointsAgree(a: Endpoint, b: Endpoint): boolean {
  return (
    (!a.serviceName || !b.serviceName || a.serviceName === b.serviceName) &&
    (!a.ipv4 || !b.ipv4 || a.ipv4 === b.ipv4) &&
    (!a.ipv6 || !b.ipv6 || a.ipv6 === b.ipv6) &&
    (!a.port || !b.port || a.port === b.port)
  );
}

function canMerge(into: Piece, p: Piece): boolean {
  if (!endpointsAgree(into.local, p.local)) return false;
  if (into.kind && p.kind && into.kind !== p.kind) return false;
  if (into.shared === p.shared) return true;
  // A bare piece (no kind, no time) cannot say whether it is shared; its endpoint decides.
  return (p.kind === undefined && p.timestamp === undefined) || (into.kind === undefined && into.timestamp === undefined);
}

function merge(into: Piece, p: Piece): void {
  into.parentId ??= p.parentId;
  if (!into.name) into.name = p.name;
  into.kind ??= p.kind;
  into.timestamp ??= p.timestamp;
  into.duration ??= p.duration;
  into.local = { ...p.local, ...into.local };
  if (p.remote) into.remote = { ...p.remote, ...into.remote };
  for (const [k, v] of p.tags) into.tags.set(k, v);
  const seen = (into.annotationKeys ??= new Set(into.annotations.map(annotationKey)));
  for (const a of p.annotations) {
    const k = annotationKey(a);
    if (seen.has(k)) continue;
    seen.add(k);
    into.annotations.push(a);
  }
  into.shared ||= p.shared;
}

function annotationKey(a: { time: bigint; value: string }): string {
  return `${a.time}/${a.value}`;
}

/**
 * How many earlier pieces of one span a piece is compared with. Tracers report a span in a few
 * pieces (client, server, a late flush); thousands with one id come only from a broken or
 * hostile file, where comparing each with all would take quadratic time. Past the limit a piece
 * stays separate and, like any duplicate id, gets a fresh id with a warning: nothing is lost.
 */
const MAX_MERGE_CANDIDATES = 64;

function mergeTarget(same: readonly Piece[], p: Piece): Piece | undefined {
  const n = Math.min(same.length, MAX_MERGE_CANDIDATES);
  for (let i = 0; i < n; i++) if (canMerge(same[i]!, p)) return same[i];
  return undefined;
}

/** Spans with a 64-bit trace id join the 128-bit trace whose low half it is (Zipkin's non-strict ids). */
function widenTraceIds(pieces: Piece[]): void {
  const byLow = new Map<string, string>();
  for (const p of pieces) if (!p.short && p.traceId.startsWith('0000000000000000') === false) byLow.set(p.traceId.slice(16), p.traceId);
  if (byLow.size === 0) return;
  for (const p of pieces) if (p.short) p.traceId = byLow.get(p.traceId.slice(16)) ?? p.traceId;
}

const MASK64 = (1n << 64n) - 1n;

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * The next unused id after `base`. `cursor` remembers where the last search for that base
 * stopped, so n halves sharing one id cost n probes in all, not n²/2.
 */
function freshId(base: string, used: Set<string>, cursor: Map<string, bigint>): string {
  let n = cursor.get(base) ?? BigInt(`0x${base}`);
  for (;;) {
    n = (n + 1n) & MASK64;
    const id = n.toString(16).padStart(16, '0');
    if (n !== 0n && !used.has(id)) {
      used.add(id);
      cursor.set(base, n);
      return id;
    }
  }
}

/** An endpoint field as a map key; absent is its own key, distinct from every string. */
function endpointKey(v: string | undefined): string {
  return v === undefined ? '\u0000' : `=${v}`;
}

/** Applies the shared-span rule (module comment, point 2) within one trace. */
function splitShared(pieces: Piece[], out: TraceCollector): void {
  const used = new Set(pieces.map((p) => p.id));
  const cursor = new Map<string, bigint>();
  const byId = new Map<string, Piece[]>();
  for (const p of pieces) {
    const g = byId.get(p.id);
    if (g) g.push(p);
    else byId.set(p.id, [p]);
  }
  // Shared id → its halves, the servers also indexed by endpoint so re-parenting stays linear.
  const moved = new Map<string, { holder: Piece; servers: Piece[]; byServiceIp: Map<string, Piece>; byService: Map<string, Piece> }>();
  let unpaired = 0;
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    // Some tracers omit `shared` on the server half; a SERVER beside a CLIENT is one (zipkin-lens backfills it too).
    const hasClient = group.some((p) => p.kind === 'CLIENT');
    const isServer = (p: Piece): boolean => p.shared || (hasClient && p.kind === 'SERVER');
    const holder = group.find((p) => !isServer(p)) ?? group[0]!;
    const servers: Piece[] = [];
    for (const p of group) {
      if (p === holder) continue;
      p.sharedId = id;
      p.id = freshId(id, used, cursor);
      if (isServer(p) && !isServer(holder)) {
        p.parentId = id;
        servers.push(p);
      } else {
        // The same id without a client/server pairing: keep it as a sibling under a new id.
        p.parentId = holder.parentId;
        unpaired++;
      }
    }
    if (servers.length) {
      const byServiceIp = new Map<string, Piece>();
      const byService = new Map<string, Piece>();
      for (const sv of servers) {
        const k = endpointKey(sv.local.serviceName);
        if (!byService.has(k)) byService.set(k, sv);
        const ki = `${k}\n${endpointKey(sv.local.ipv4)}`;
        if (!byServiceIp.has(ki)) byServiceIp.set(ki, sv);
      }
      moved.set(id, { holder, servers, byServiceIp, byService });
    }
  }
  if (unpaired > 0) {
    out.warn(`${countOf(unpaired, 'Zipkin span shares', 'Zipkin spans share')} an id with another span without being its server half; ${plural(unpaired, { one: 'it was given a new id', other: 'they were given new ids' })}`);
  }
  if (moved.size === 0) return;
  for (const p of pieces) {
    const m = p.parentId === undefined || p.sharedId === p.parentId ? undefined : moved.get(p.parentId);
    if (!m) continue;
    const svc = p.local.serviceName;
    const target =
      m.byServiceIp.get(`${endpointKey(svc)}\n${endpointKey(p.local.ipv4)}`) ??
      m.byService.get(endpointKey(svc)) ??
      // Work done on the client's side of the call stays under the client half.
      (svc !== undefined && m.holder.local.serviceName === svc ? m.holder : m.servers[0]!);
    p.parentId = target.id;
  }
}

function toSpan(p: Piece, start: bigint, resources: Map<string, Resource>): Span {
  const l = p.local;
  const rkey = `${l.serviceName ?? ''}\n${l.ipv4 ?? ''}\n${l.ipv6 ?? ''}\n${l.port ?? ''}`;
  let resource = resources.get(rkey);
  if (!resource) {
    const attrs: Attribute[] = [{ key: 'service.name', value: l.serviceName ?? UNKNOWN_SERVICE }];
    if (l.ipv4 || l.ipv6) attrs.push({ key: 'net.host.ip', value: (l.ipv4 ?? l.ipv6)! });
    if (l.port) attrs.push({ key: 'net.host.port', value: l.port });
    resource = { serviceName: l.serviceName ?? UNKNOWN_SERVICE, attributes: attrs };
    resources.set(rkey, resource);
  }
  const attributes: Attribute[] = [];
  for (const [key, value] of p.tags) attributes.push({ key, value });
  const r = p.remote;
  if (r?.serviceName) attributes.push({ key: 'peer.service', value: r.serviceName });
  if (r?.ipv4 || r?.ipv6) attributes.push({ key: 'net.peer.ip', value: (r.ipv4 ?? r.ipv6)! });
  if (r?.port) attributes.push({ key: 'net.peer.port', value: r.port });
  if (p.sharedId) attributes.push({ key: 'zipkin.shared_span_id', value: p.sharedId });
  const error = p.tags.get('error');
  const events: SpanEvent[] = p.annotations
    .slice()
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))
    .map((a) => ({ time: a.time * 1000n, name: a.value, attributes: NO_ATTRIBUTES }));
  return {
    traceId: p.traceId,
    spanId: p.id,
    parentSpanId: p.parentId,
    name: p.name,
    kind: (p.kind && KINDS.get(p.kind)) || 'unspecified',
    start,
    // An untimed span borrows its parent's start, which its own duration may carry past 64 bits.
    end: min(start + (p.duration ?? 0n) * 1000n, MAX_UINT64),
    // Zipkin marks failure by the presence of an `error` tag whose value is the message.
    status: error === undefined ? STATUS_UNSET : error === '' ? STATUS_ERROR : { code: 'error', message: String(error) },
    attributes: attributes.length ? attributes : NO_ATTRIBUTES,
    events: events.length ? events : NO_EVENTS,
    links: NO_LINKS,
    resource,
    scope: NO_SCOPE,
    traceState: undefined,
  };
}

export function decodeZipkinSpans(list: readonly unknown[], out: TraceCollector): void {
  const pieces: Piece[] = [];
  let i = 0;
  try {
    for (; i < list.length; i++) {
      const s: unknown = list[i];
      if (!isObject(s)) bad('the span', 'a Zipkin v2 span object', kindOf(s));
      pieces.push(clean(s, i));
      if (typeof s.duration === 'number' && s.duration < 0) out.noteClamped(`span ${i}`);
    }
  } catch (e) {
    if (e instanceof FieldError) return fail(`span ${i}`, e.problem);
    throw e;
  }
  widenTraceIds(pieces);

  // Merge pieces of one span (module comment, point 1), keeping the first piece's place.
  const kept: Piece[] = [];
  const byKey = new Map<string, Piece[]>();
  for (const p of pieces) {
    const key = `${p.traceId}/${p.id}`;
    const same = byKey.get(key);
    const into = same && mergeTarget(same, p);
    if (into) {
      merge(into, p);
      continue;
    }
    if (same) same.push(p);
    else byKey.set(key, [p]);
    kept.push(p);
  }

  const byTrace = new Map<string, Piece[]>();
  for (const p of kept) {
    const g = byTrace.get(p.traceId);
    if (g) g.push(p);
    else byTrace.set(p.traceId, [p]);
  }
  const resources = new Map<string, Resource>();
  let untimed = 0;
  let noDuration = 0;
  for (const group of byTrace.values()) splitShared(group, out);
  for (const group of byTrace.values()) {
    const starts = new Map<string, bigint>();
    let min: bigint | undefined;
    for (const p of group) {
      p.timestamp ??= p.annotations.reduce<bigint | undefined>((m, a) => (m === undefined || a.time < m ? a.time : m), undefined);
      if (p.timestamp !== undefined) {
        starts.set(p.id, p.timestamp);
        if (min === undefined || p.timestamp < min) min = p.timestamp;
      }
    }
    for (const p of group) {
      if (p.duration === undefined) noDuration++;
      if (p.timestamp === undefined) {
        untimed++;
        p.timestamp = (p.parentId !== undefined ? starts.get(p.parentId) : undefined) ?? min ?? 0n;
      }
    }
  }
  for (const p of kept) out.add(toSpan(p, p.timestamp! * 1000n, resources));
  if (untimed > 0) out.warn(`${countOf(untimed, 'Zipkin span has', 'Zipkin spans have')} no timestamp; ${plural(untimed, { one: 'it is', other: 'each is' })} drawn at its parent's start`);
  if (noDuration > 0) out.warn(`${countOf(noDuration, 'Zipkin span has', 'Zipkin spans have')} no duration (unfinished or flushed early); drawn with zero length`);
}
