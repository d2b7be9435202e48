import type { Resource, Span, SpanKind, StatusCode, Trace } from '../../src/core/model/trace';

const resources = new Map<string, Resource>();
function resourceFor(service: string): Resource {
  let r = resources.get(service);
  if (!r) {
    r = { serviceName: service, attributes: [{ key: 'service.name', value: service }] };
    resources.set(service, r);
  }
  return r;
}

export interface SpanSpec {
  id: string;
  parent?: string;
  /** ms from an arbitrary epoch */
  start: number;
  end: number;
  name?: string;
  service?: string;
  status?: StatusCode;
  kind?: SpanKind;
}

const EPOCH = 1_700_000_000_000_000_000n;
const ms = (v: number) => EPOCH + BigInt(Math.round(v * 1e6));

/** Builds a model span from a terse spec, so layout tests read as a picture of the trace. */
export function span(spec: SpanSpec, traceId = 'a'.repeat(32)): Span {
  return {
    traceId,
    spanId: spec.id.padStart(16, '0'),
    ...(spec.parent ? { parentSpanId: spec.parent.padStart(16, '0') } : {}),
    name: spec.name ?? `op-${spec.id}`,
    kind: spec.kind ?? 'internal',
    start: ms(spec.start),
    end: ms(spec.end),
    status: { code: spec.status ?? 'unset' },
    attributes: [],
    events: [],
    links: [],
    resource: resourceFor(spec.service ?? 'svc'),
    scope: { name: '', attributes: [] },
  };
}

export function trace(specs: SpanSpec[]): Trace {
  return { traceId: 'a'.repeat(32), spans: specs.map((s) => span(s)) };
}
