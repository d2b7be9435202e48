import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LINK_NONE, LINK_SPAN_ID, LINK_TIME, linkLogs, linkSpansOf, mergeLogs, type LinkSpans } from '../../../src/core/correlate/link';
import { toLogEntry } from '../../../src/core/formats/logEntry';
import { NO_LABELS, type LogEntry } from '../../../src/core/model/logs';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import type { Span, Trace } from '../../../src/core/model/trace';

const RESOURCE = { serviceName: 'svc', attributes: [] };
function span(s: { traceId: string; spanId: string; parentSpanId?: string; name: string; start: bigint; end: bigint }): Span {
  return { ...s, kind: 'internal', status: { code: 'unset' }, attributes: [], events: [], links: [], resource: RESOURCE, scope: { name: '', attributes: [] } };
}
const trace = (spans: Span[]): Trace => ({ traceId: spans[0]!.traceId, spans });

const T1 = 'a'.repeat(32);
const T2 = 'b'.repeat(32);
const ID = (n: number) => n.toString(16).padStart(16, '0');

/**
 * Trace T1 (times in ns after 1000):
 *   root   [0, 100]           depth 0
 *   ├─ a   [10, 60]           depth 1
 *   │  └─ a1 [20, 30]         depth 2
 *   └─ b   [50, 90]           depth 1 (overlaps a on [50, 60])
 */
function t1(): LinkSpans {
  const base = 1000n;
  const s = (i: number, parent: number | undefined, start: number, end: number) =>
    span({ traceId: T1, spanId: ID(i), parentSpanId: parent === undefined ? undefined : ID(parent), name: `s${i}`, start: base + BigInt(start), end: base + BigInt(end) });
  const t = trace([s(1, undefined, 0, 100), s(2, 1, 10, 60), s(3, 2, 20, 30), s(4, 1, 50, 90)]);
  return linkSpansOf(t, buildSpanTree(t));
}

function t2(): LinkSpans {
  const t = trace([span({ traceId: T2, spanId: ID(1), name: 'other', start: 5000n, end: 6000n })]);
  return linkSpansOf(t, buildSpanTree(t));
}

const line = (ts: number, traceId?: string, spanId?: string) => ({ timestampNs: BigInt(ts), traceId, spanId });

describe('linkLogs', () => {
  const traces = [t1(), t2()];
  const cases: Array<[string, ReturnType<typeof line>, [number, number, number]]> = [
    // [trace index, span index, how]
    ['by span id', line(1095, T1, ID(3)), [0, 2, LINK_SPAN_ID]],
    ['by span id even outside the span\'s time', line(9999, T1, ID(3)), [0, 2, LINK_SPAN_ID]],
    ['by time: the deepest span holding it', line(1025, T1), [0, 2, LINK_TIME]],
    ['by time: inclusive start', line(1020, T1), [0, 2, LINK_TIME]],
    ['by time: inclusive end', line(1030, T1), [0, 2, LINK_TIME]],
    ['by time: back to the parent after a child ends', line(1031, T1), [0, 1, LINK_TIME]],
    ['by time: overlapping siblings → the one that started last', line(1055, T1), [0, 3, LINK_TIME]],
    ['by time: only the root holds it', line(1095, T1), [0, 0, LINK_TIME]],
    ['by time: outside every span', line(1101, T1), [-1, -1, LINK_NONE]],
    ['by time: before the trace', line(999, T1), [-1, -1, LINK_NONE]],
    ['an unknown span id falls back to time', line(1025, T1, 'ffffffffffffffff'), [0, 2, LINK_TIME]],
    ['a span id of another trace here is not trusted', line(1025, T2, ID(3)), [-1, -1, LINK_NONE]],
    ['a trace that is not here', line(1025, 'c'.repeat(32), ID(3)), [-1, -1, LINK_NONE]],
    ['a span id alone, no trace id', line(1, undefined, ID(4)), [0, 3, LINK_SPAN_ID]],
    ['no ids at all', line(1025), [-1, -1, LINK_NONE]],
    ['the second trace by time', line(5500, T2), [1, 0, LINK_TIME]],
  ];
  for (const [name, entry, want] of cases) {
    it(name, () => {
      const links = linkLogs(traces, [entry]);
      assert.deepEqual([links.trace[0], links.span[0], links.how[0]], want);
    });
  }

  it('many lines at once give the same answers as one at a time, in any order', () => {
    const entries = cases.map(([, e]) => e);
    const shuffled = [...entries].reverse();
    const all = linkLogs(traces, shuffled);
    shuffled.forEach((e, i) => {
      const one = linkLogs(traces, [e]);
      assert.deepEqual([all.trace[i], all.span[i], all.how[i]], [one.trace[0], one.span[0], one.how[0]]);
    });
  });

  it('agrees with a brute-force scan on a generated trace', () => {
    const n = 300;
    const spans = [];
    // A random-ish tree: each span inside its parent.
    const bounds: Array<[number, number]> = [[0, 1_000_000]];
    spans.push(span({ traceId: T1, spanId: ID(1), name: 'root', start: 0n, end: 1_000_000n }));
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 1; i < n; i++) {
      const p = Math.floor(rnd() * i);
      const [ps, pe] = bounds[p]!;
      const s = ps + Math.floor(rnd() * (pe - ps));
      const e = s + Math.floor(rnd() * (pe - s));
      bounds.push([s, e]);
      spans.push(span({ traceId: T1, spanId: ID(i + 1), parentSpanId: ID(p + 1), name: `s${i}`, start: BigInt(s), end: BigInt(e) }));
    }
    const t = trace(spans);
    const tree = buildSpanTree(t);
    const ls = linkSpansOf(t, tree);
    const lines = Array.from({ length: 2000 }, () => line(Math.floor(rnd() * 1_000_000), T1));
    const got = linkLogs([ls], lines);
    lines.forEach((l, i) => {
      let best = -1;
      for (let s = 0; s < n; s++) {
        const ts = Number(l.timestampNs);
        if (tree.start[s]! > ts || tree.end[s]! < ts) continue;
        if (best < 0 || tree.depth[s]! > tree.depth[best]! || (tree.depth[s] === tree.depth[best] && (tree.start[s]! > tree.start[best]! || (tree.start[s] === tree.start[best] && s < best)))) best = s;
      }
      assert.equal(got.span[i], best, `line at ${l.timestampNs}`);
    });
  });
});

describe('mergeLogs', () => {
  const entry = (ts: bigint, text: string, labels = { service_name: 'dynamo-frontend' }, metadata = NO_LABELS, parsed = NO_LABELS): LogEntry =>
    toLogEntry({ timestampNs: ts, line: text, labels, metadata, parsed });

  it('lists a line returned by two queries once, oldest first, merging what each query saw', () => {
    const a = entry(3n, 'c');
    const byTrace = [entry(1n, 'a', undefined, { trace_id: T1 }), a];
    const byRequest = [entry(2n, 'b'), entry(1n, 'a', undefined, { trace_id: T1 }, { request_id: 'r' })];
    const out = mergeLogs(byTrace, byRequest);
    assert.deepEqual(out.map((e) => e.line), ['a', 'b', 'c']);
    assert.deepEqual({ ...out[0]!.parsed }, { request_id: 'r' });
    assert.deepEqual({ ...out[0]!.metadata }, { trace_id: T1 });
    assert.equal(out[2], a, 'an entry seen once is kept as it is');
  });

  it('keeps lines that differ in their stream, time or text', () => {
    const out = mergeLogs([entry(1n, 'a'), entry(1n, 'a', { service_name: 'dynamo-worker-decode' }), entry(2n, 'a'), entry(1n, 'a ')]);
    assert.equal(out.length, 4);
  });

  it('labels are compared by value, not by object or key order', () => {
    const out = mergeLogs([entry(1n, 'a', { a: '1', b: '2' } as never)], [entry(1n, 'a', { b: '2', a: '1' } as never)]);
    assert.equal(out.length, 1);
  });

  it('ties keep the order they came in', () => {
    const out = mergeLogs([entry(5n, 'x'), entry(5n, 'y'), entry(1n, 'z'), entry(5n, 'w')]);
    assert.deepEqual(out.map((e) => e.line), ['z', 'x', 'y', 'w']);
  });
});
