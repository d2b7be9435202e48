import type { Attribute, AttrValue, Trace } from '../model/trace';
import type { KeyValueText, SpanDetails } from '../protocol/trace';
import { spanCodeLocations } from '../source/locations';
import type { FlameLayout } from './layout';
import { selfTimeNs } from './selfTime';

export function attrValueText(v: AttrValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The details pane shows this many attributes of one list at most; the rest is counted. */
export const MAX_DETAIL_ATTRIBUTES = 2000;

const kv = (attrs: readonly Attribute[]): KeyValueText[] => {
  const out = attrs.slice(0, MAX_DETAIL_ATTRIBUTES).map((a) => ({ key: a.key, value: attrValueText(a.value) }));
  if (attrs.length > MAX_DETAIL_ATTRIBUTES) out.push({ key: '…', value: `+${attrs.length - MAX_DETAIL_ATTRIBUTES}` });
  return out;
};

/** What the details pane shows for one box. */
export function spanDetails(trace: Trace, layout: FlameLayout, box: number): SpanDetails {
  const si = layout.spanIndex[box]!;
  const s = trace.spans[si]!;
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
    parentMissing: layout.tree.missingParent[si] === 1,
    traceId: s.traceId,
    startOffsetNs: layout.start[box]!,
    durationNs: layout.end[box]! - layout.start[box]!,
    selfNs: selfTimeNs(layout.tree, si),
    attributes: kv(s.attributes),
    resourceAttributes: kv(s.resource.attributes),
    scope,
    events: s.events.slice(0, MAX_DETAIL_ATTRIBUTES).map((e) => ({ offsetNs: Number(e.time - layout.traceStart), name: e.name, attributes: kv(e.attributes) })),
    links: s.links.slice(0, MAX_DETAIL_ATTRIBUTES).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: kv(l.attributes) })),
    locations: spanCodeLocations(s),
  };
}
