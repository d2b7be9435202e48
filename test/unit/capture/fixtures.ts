/** Small hand-made spans and log records for the capture's query tables. */
import type { LogRecord } from '../../../src/core/model/logs';
import type { Attribute, Resource, Span } from '../../../src/core/model/trace';

export const FRONTEND: Resource = { serviceName: 'dynamo-frontend', attributes: [{ key: 'service.name', value: 'dynamo-frontend' }, { key: 'deployment.environment', value: 'dev' }] };
export const WORKER: Resource = { serviceName: 'dynamo-worker', attributes: [{ key: 'service.name', value: 'dynamo-worker' }, { key: 'gpu', value: 0 }] };
const SCOPE = { name: 'dynamo', attributes: [] };
const T = 1_767_225_600_000_000_000n;

let n = 0;
export function span(traceNo: number, name: string, o: { parent?: boolean; resource?: Resource; attrs?: Attribute[]; ms?: number; at?: number; status?: Span['status']; kind?: Span['kind'] } = {}): Span {
  n++;
  const start = T + BigInt(traceNo) * 60_000_000_000n + BigInt(o.at ?? 0) * 1_000_000n;
  return {
    traceId: traceNo.toString(16).padStart(32, '0'),
    spanId: n.toString(16).padStart(16, '0'),
    parentSpanId: o.parent ? 'ffffffffffffffff' : undefined,
    name,
    kind: o.kind ?? 'internal',
    start,
    end: start + BigInt(Math.round((o.ms ?? 1) * 1e6)),
    status: o.status ?? { code: 'unset' },
    attributes: o.attrs ?? [],
    events: [],
    links: [],
    resource: o.resource ?? FRONTEND,
    scope: SCOPE,
  };
}

/** Three traces: a fast OK request, a slow failing one, and one whose root never arrived. */
export function threeTraces(): Span[] {
  return [
    span(1, 'http-request', { kind: 'server', ms: 120, attrs: [{ key: 'x_request_id', value: 'req-a' }, { key: 'http.status_code', value: 200 }, { key: 'ttft_ms', value: 12.5 }] }),
    span(1, 'handle_payload', { parent: true, resource: WORKER, ms: 80, at: 10, attrs: [{ key: 'x_request_id', value: 'req-a' }, { key: 'streaming', value: true }] }),
    span(2, 'http-request', { kind: 'server', ms: 2500, status: { code: 'error', message: 'upstream closed' }, attrs: [{ key: 'x_request_id', value: 'req-b' }, { key: 'http.status_code', value: 500 }, { key: 'ttft_ms', value: 1800 }] }),
    span(2, 'handle_payload', { parent: true, resource: WORKER, ms: 2400, at: 5, status: { code: 'error' }, attrs: [{ key: 'x_request_id', value: 'req-b' }, { key: 'streaming', value: false }] }),
    span(3, 'engine.generate', { parent: true, resource: WORKER, ms: 40, attrs: [{ key: 'model', value: 'Qwen/Qwen3-0.6B' }] }),
  ];
}

export function record(o: Partial<LogRecord> & { body: LogRecord['body'] }): LogRecord {
  return {
    time: T,
    observedTime: 0n,
    severityNumber: 9,
    severityText: 'INFO',
    attributes: [],
    flags: 0,
    droppedAttributesCount: 0,
    resource: FRONTEND,
    scope: SCOPE,
    ...o,
  };
}
