import type { Attribute, AttrValue, Trace } from '../model/trace';
import { FLAG_ERROR, FLAG_MISSING_PARENT, type FlameData, type KeyValueText, type SpanDetails } from '../protocol';
import type { FlameLayout } from './layout';
import { selfTimeNs } from './selfTime';

/** Interns strings so each box carries a small index instead of a repeated name. */
function interner(): { table: string[]; id(s: string): number } {
  const table: string[] = [];
  const ids = new Map<string, number>();
  return {
    table,
    id(s) {
      let i = ids.get(s);
      if (i === undefined) {
        i = table.length;
        table.push(s);
        ids.set(s, i);
      }
      return i;
    },
  };
}

/** The columns the webview draws from; one entry per box, in layout order. */
export function toFlameData(trace: Trace, layout: FlameLayout): FlameData {
  const n = layout.count;
  const services = interner();
  const names = interner();
  const service = new Array<number>(n);
  const name = new Array<number>(n);
  const flags = new Array<number>(n);
  const present = new Set<string>();
  for (const s of trace.spans) present.add(s.spanId);
  let errorCount = 0;
  for (let b = 0; b < n; b++) {
    const s = trace.spans[layout.spanIndex[b]!]!;
    service[b] = services.id(s.resource.serviceName);
    name[b] = names.id(s.name);
    let f = 0;
    if (s.status.code === 'error') {
      f |= FLAG_ERROR;
      errorCount++;
    }
    if (s.parentSpanId !== undefined && !present.has(s.parentSpanId)) f |= FLAG_MISSING_PARENT;
    flags[b] = f;
  }
  return {
    traceId: trace.traceId,
    startUnixMs: Number(layout.traceStart / 1_000_000n),
    durationNs: layout.durationNs,
    count: n,
    rowCount: layout.rowCount,
    maxDepth: layout.maxDepth,
    errorCount,
    services: services.table,
    names: names.table,
    start: Array.from(layout.start),
    end: Array.from(layout.end),
    row: Array.from(layout.row),
    parent: Array.from(layout.parent),
    service,
    name,
    flags,
  };
}

export function attrValueText(v: AttrValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const kv = (attrs: readonly Attribute[]): KeyValueText[] => attrs.map((a) => ({ key: a.key, value: attrValueText(a.value) }));

/** What the details pane shows for one box. */
export function spanDetails(trace: Trace, layout: FlameLayout, box: number): SpanDetails {
  const s = trace.spans[layout.spanIndex[box]!]!;
  const parentMissing = s.parentSpanId !== undefined && layout.parent[box] === -1;
  const scope = s.scope.name ? (s.scope.version ? `${s.scope.name} ${s.scope.version}` : s.scope.name) : '';
  return {
    box,
    name: s.name,
    service: s.resource.serviceName,
    kind: s.kind,
    status: s.status.code,
    ...(s.status.message ? { statusMessage: s.status.message } : {}),
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    parentMissing,
    traceId: s.traceId,
    startOffsetNs: layout.start[box]!,
    durationNs: layout.end[box]! - layout.start[box]!,
    selfNs: selfTimeNs(layout, box),
    attributes: kv(s.attributes),
    resourceAttributes: kv(s.resource.attributes),
    scope,
    events: s.events.map((e) => ({ offsetNs: Number(e.time - layout.traceStart), name: e.name, attributes: kv(e.attributes) })),
    links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: kv(l.attributes) })),
  };
}
