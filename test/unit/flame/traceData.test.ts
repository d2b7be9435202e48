import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spanDetails } from '../../../src/core/flame/spanDetails';
import { toTraceData } from '../../../src/core/flame/traceData';
import { traceDataBuffers } from '../../../src/core/protocol/traceColumns';
import { layoutTrace } from '../../../src/core/flame/layout';
import { parseTraceText } from '../../../src/core/formats';
import { FLAG_ERROR, FLAG_MISSING_PARENT, FLAG_SOURCE } from '../../../src/core/protocol/trace';
import { fixtureText } from '../../support/fixtures';
import { span, trace } from '../../support/spans';

test('the HotROD trace crosses as typed columns with interned services and names, and a row index', () => {
  const t = parseTraceText(fixtureText('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json')).traces[0]!;
  const d = toTraceData(t, layoutTrace(t));
  assert.equal(d.count, 40);
  assert.ok(d.start instanceof Float64Array && d.row instanceof Uint32Array && d.parent instanceof Int32Array && d.flags instanceof Uint8Array);
  for (const col of [d.start, d.end, d.row, d.parent, d.depth, d.subtreeEnd, d.service, d.name, d.flags, d.statusMessage, d.rowBoxes]) assert.equal(col.length, 40);
  assert.deepEqual([...d.services].sort(), ['customer', 'driver', 'frontend', 'mysql', 'redis-manual', 'route']);
  assert.equal(d.names[d.name[0]!], 'GET /dispatch');
  assert.equal(d.rootBox, 0);
  assert.equal(d.start[0], 0);
  assert.equal(d.errorCount, [...d.flags].filter((f) => f & FLAG_ERROR).length);
  // The row index lists every box once, each row by start, rows in order.
  assert.equal(d.rowStart.length, d.rowCount + 1);
  assert.deepEqual([...d.rowBoxes].sort((a, b) => a - b), [...Array(40).keys()]);
  for (let r = 0; r < d.rowCount; r++) {
    for (let k = d.rowStart[r]! + 1; k < d.rowStart[r + 1]!; k++) {
      const a = d.rowBoxes[k - 1]!;
      const b = d.rowBoxes[k]!;
      assert.equal(d.row[b], r);
      assert.ok(d.end[a]! <= d.start[b]!, 'boxes of a row never overlap');
    }
  }
  // Parents come before their children (depth-first order), one level up, their subtree holding the child's.
  for (let b = 0; b < d.count; b++) {
    const p = d.parent[b]!;
    assert.ok(p < b);
    assert.equal(d.depth[b], p >= 0 ? d.depth[p]! + 1 : 0);
    if (p >= 0) assert.ok(d.subtreeEnd[b]! <= d.subtreeEnd[p]!);
    assert.ok(d.subtreeEnd[b]! > b);
  }
  // Structured clone (worker → host → webview) keeps it exact, typed arrays included.
  assert.deepEqual(structuredClone(d), d);
  assert.equal(new Set(traceDataBuffers(d)).size, 12, 'twelve distinct buffers to transfer');
});

test('span details carry what the pane shows, with the missing parent called out', () => {
  const t = trace([
    { id: '1', start: 0, end: 100, name: 'root', status: 'error', kind: 'server' },
    { id: '2', parent: '1', start: 10, end: 40, name: 'child' },
    { id: '3', parent: 'dead', start: 50, end: 60, name: 'orphan' },
  ]);
  const l = layoutTrace(t);
  const d = toTraceData(t, l);
  const orphanBox = [...d.name].indexOf(d.names.indexOf('orphan'));
  assert.equal(d.flags[orphanBox]! & FLAG_MISSING_PARENT, FLAG_MISSING_PARENT);
  assert.equal(d.flags[0]! & FLAG_ERROR, FLAG_ERROR);
  assert.equal(d.flags[0]! & FLAG_MISSING_PARENT, 0);
  const root = spanDetails(t, l, 0);
  assert.equal(root.name, 'root');
  assert.equal(root.status, 'error');
  assert.equal(root.kind, 'server');
  assert.equal(root.durationNs, 100e6);
  assert.equal(root.selfNs, 70e6);
  assert.deepEqual(root.locations, []);
  const orphan = spanDetails(t, l, orphanBox);
  assert.equal(orphan.parentMissing, true);
  assert.equal(orphan.parentSpanId, 'dead'.padStart(16, '0'));
  assert.equal(orphan.startOffsetNs, 50e6);
});

test('status messages of failed spans and code locations are flagged for the views', () => {
  const base = span({ id: '1', start: 0, end: 10, name: 'boom', status: 'error' });
  const t = {
    traceId: base.traceId,
    spans: [
      { ...base, status: { code: 'error' as const, message: 'CUDA out of memory' }, attributes: [{ key: 'code.file.path', value: '/opt/dynamo/x.py' }, { key: 'code.line.number', value: 12 }] },
    ],
  };
  const l = layoutTrace(t);
  const d = toTraceData(t, l);
  assert.equal(d.statusMessages[d.statusMessage[0]! - 1], 'CUDA out of memory');
  assert.equal(d.flags[0]! & FLAG_SOURCE, FLAG_SOURCE);
  assert.deepEqual(spanDetails(t, l, 0).locations, [{ path: '/opt/dynamo/x.py', line: 12, from: 'span', name: 'boom' }]);
});
