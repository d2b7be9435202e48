import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spanDetails, toFlameData } from '../../../src/core/flame/flameData';
import { layoutTrace } from '../../../src/core/flame/layout';
import { parseTraceText } from '../../../src/core/formats';
import { FLAG_ERROR, FLAG_MISSING_PARENT } from '../../../src/core/protocol';
import { fixtureText } from '../../support/fixtures';
import { trace } from '../../support/spans';

test('the HotROD trace crosses as columns with interned services and names', () => {
  const t = parseTraceText(fixtureText('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json')).traces[0]!;
  const d = toFlameData(t, layoutTrace(t));
  assert.equal(d.count, 40);
  for (const col of [d.start, d.end, d.row, d.parent, d.service, d.name, d.flags]) assert.equal(col.length, 40);
  assert.deepEqual([...d.services].sort(), ['customer', 'driver', 'frontend', 'mysql', 'redis-manual', 'route']);
  assert.equal(d.names[d.name[0]!], 'GET /dispatch');
  assert.equal(d.services[d.service[0]!], 'frontend');
  assert.equal(d.start[0], 0);
  assert.equal(d.errorCount, d.flags.filter((f) => f & FLAG_ERROR).length);
  // Plain JSON: survives postMessage's structured clone and JSON alike.
  assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
});

test('span details carry what the pane shows, with the missing parent called out', () => {
  const t = trace([
    { id: '1', start: 0, end: 100, name: 'root', status: 'error', kind: 'server' },
    { id: '2', parent: '1', start: 10, end: 40, name: 'child' },
    { id: '3', parent: 'dead', start: 50, end: 60, name: 'orphan' },
  ]);
  const l = layoutTrace(t);
  const d = toFlameData(t, l);
  const orphanBox = d.name.indexOf(d.names.indexOf('orphan'));
  assert.equal(d.flags[orphanBox]! & FLAG_MISSING_PARENT, FLAG_MISSING_PARENT);
  assert.equal(d.flags[0]! & FLAG_ERROR, FLAG_ERROR);
  const root = spanDetails(t, l, 0);
  assert.equal(root.name, 'root');
  assert.equal(root.status, 'error');
  assert.equal(root.kind, 'server');
  assert.equal(root.durationNs, 100e6);
  assert.equal(root.selfNs, 70e6);
  const orphan = spanDetails(t, l, orphanBox);
  assert.equal(orphan.parentMissing, true);
  assert.equal(orphan.parentSpanId, 'dead'.padStart(16, '0'));
  assert.equal(orphan.startOffsetNs, 50e6);
});
