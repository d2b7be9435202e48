import type { AttrValue, Trace } from '../model/trace';
import type { FlameLayout } from './layout';

/** True when `needle` (already lowercase) occurs in the value or, for structured values, any part of it. */
function valueMatches(v: AttrValue, needle: string): boolean {
  if (typeof v === 'string') return v.toLowerCase().includes(needle);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).includes(needle);
  if (v === null) return false;
  if (Array.isArray(v)) return v.some((x) => valueMatches(x, needle));
  return Object.values(v).some((x) => valueMatches(x, needle));
}

/**
 * Boxes whose span name, service, or an attribute value (span, resource, event) contains `text`,
 * case-insensitively, in box order. Empty text matches nothing.
 */
export function searchBoxes(trace: Trace, layout: FlameLayout, text: string): Uint32Array {
  const needle = text.trim().toLowerCase();
  if (!needle) return new Uint32Array(0);
  const out: number[] = [];
  // Resources are shared by their spans: decide each once.
  const resourceHit = new Map<object, boolean>();
  for (let b = 0; b < layout.count; b++) {
    const s = trace.spans[layout.spanIndex[b]!]!;
    let hit = s.name.toLowerCase().includes(needle);
    if (!hit) {
      let r = resourceHit.get(s.resource);
      if (r === undefined) {
        r = s.resource.serviceName.toLowerCase().includes(needle) || s.resource.attributes.some((a) => valueMatches(a.value, needle));
        resourceHit.set(s.resource, r);
      }
      hit = r;
    }
    if (!hit) hit = s.attributes.some((a) => valueMatches(a.value, needle));
    if (!hit) hit = s.events.some((e) => e.name.toLowerCase().includes(needle) || e.attributes.some((a) => valueMatches(a.value, needle)));
    if (hit) out.push(b);
  }
  return Uint32Array.from(out);
}
