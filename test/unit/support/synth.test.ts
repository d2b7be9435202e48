/** The synthetic trace generator: exact sizes, reproducible bytes, ids known ahead of time, a sound tree. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTraceValue } from '../../../src/core/formats';
import { buildSpanTree } from '../../../src/core/model/spanTree';
import { summarizeTrace } from '../../../src/core/model/summary';
import { generateTrace, requestIdFor, spanIdFor, traceIdFor } from '../../support/synth';

test('exact span counts, one root, every parent present, ids from traceIdFor/spanIdFor', () => {
  for (const spans of [1, 2, 3, 7, 14, 15, 100, 2500]) {
    const p = parseTraceValue(generateTrace({ spans, seed: 9 }));
    assert.deepEqual(p.warnings, []);
    assert.equal(p.traces.length, 1);
    const t = p.traces[0]!;
    assert.equal(t.spans.length, spans, `spans=${spans}`);
    assert.equal(t.traceId, traceIdFor(9));
    const tree = buildSpanTree(t);
    assert.equal(tree.byId.size, spans, 'unique span ids');
    assert.equal(tree.roots.length, 1);
    const root = t.spans[tree.roots[0]!]!;
    assert.deepEqual([root.name, root.spanId, root.resource.serviceName], ['http-request', spanIdFor(9, 0), 'dynamo-frontend']);
    assert.equal(root.attributes.find((a) => a.key === 'x_request_id')?.value, requestIdFor(9));
    // Children lie within their parents, so the trace draws as a proper icicle.
    for (const s of t.spans) {
      const parent = t.spans[tree.parent[t.spans.indexOf(s)]!];
      if (parent) assert.ok(s.start >= parent.start && s.end <= parent.end, `${s.name} inside ${parent.name}`);
      assert.equal(s.kind, 'internal');
    }
  }
});

test('same seed, same bytes; another seed, another trace', () => {
  const a = JSON.stringify(generateTrace({ spans: 500, seed: 1 }));
  assert.equal(JSON.stringify(generateTrace({ spans: 500, seed: 1 })), a);
  assert.notEqual(JSON.stringify(generateTrace({ spans: 500, seed: 2 })), a);
  assert.notEqual(traceIdFor(1), traceIdFor(2));
  assert.match(traceIdFor(1), /^[0-9a-f]{32}$/);
  assert.match(spanIdFor(1, 123), /^[0-9a-f]{16}$/);
});

test('Dynamo shape: three services, deep and wide, a few errors with ERROR events, options honoured', () => {
  const t = parseTraceValue(
    generateTrace({ spans: 5000, seed: 3, startUnixNano: '1800000000000000000', services: { decode: 'dynamo-worker-vllm-decode' } }),
  ).traces[0]!;
  const s = summarizeTrace(t);
  assert.deepEqual(s.services, ['dynamo-frontend', 'dynamo-worker-prefill', 'dynamo-worker-vllm-decode']);
  assert.ok(s.maxDepth >= 10, `deep: ${s.maxDepth}`);
  assert.ok(s.errorCount >= 1 && s.errorCount <= 20, `a few errors: ${s.errorCount}`);
  const failed = t.spans.find((x) => x.status.code === 'error')!;
  assert.ok(failed.status.message);
  assert.ok(failed.events.some((e) => e.attributes.some((a) => a.key === 'level' && a.value === 'ERROR')));
  assert.equal(t.spans.reduce((m, x) => (x.start < m ? x.start : m), t.spans[0]!.start), 1800000000000000000n);
  const names = new Set(t.spans.map((x) => x.name));
  for (const n of ['http-request', 'completions', 'kv_router.route_request', 'handle_payload', 'engine.generate', 'prefill', 'decode', 'task_execution']) {
    assert.ok(names.has(n), n);
  }
  // Wide: some decode step has several concurrent task_execution children.
  const tree = buildSpanTree(t);
  let overlapping = 0;
  t.spans.forEach((x, i) => {
    if (x.name !== 'decode') return;
    const kids = [...tree.childList.subarray(tree.childStart[i]!, tree.childStart[i + 1]!)].map((k) => t.spans[k]!);
    if (kids.some((a, j) => kids.some((b, k) => j < k && a.start < b.end && b.start < a.end))) overlapping++;
  });
  assert.ok(overlapping > 10, `concurrent children: ${overlapping}`);
});
