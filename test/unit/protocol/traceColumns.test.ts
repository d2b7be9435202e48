import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toTraceData } from '../../../src/core/flame/traceData';
import { layoutTrace } from '../../../src/core/flame/layout';
import { parseTraceText } from '../../../src/core/formats';
import { ColumnStash, columnBytes, detachColumns, postInColumns, TRACE_COLUMNS } from '../../../src/core/protocol/traceColumns';
import { fixtureText } from '../../support/fixtures';

const t = parseTraceText(fixtureText('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json')).traces[0]!;
const data = () => toTraceData(t, layoutTrace(t));

test('a small trace goes whole; a large one sends each column alone, ahead of the rest', () => {
  const d = data();
  assert.deepEqual(detachColumns(d, 1), { before: [], trace: d });
  const { before, trace } = detachColumns(d, 7, columnBytes(d) - 1);
  assert.deepEqual(before.map((m) => [m.type, m.token, Object.keys(m.columns)]), TRACE_COLUMNS.map((c) => ['traceColumns', 7, [c]]));
  for (const c of TRACE_COLUMNS) assert.equal(c in trace, false, c);
  assert.equal(trace.detached, 7);
  assert.equal(trace.count, 40);
  assert.deepEqual(trace.services, d.services);
});

test('the view puts the columns back: the same trace as sent whole; a missing column is an error, not a blank view', () => {
  const d = data();
  const stash = new ColumnStash();
  const { before, trace } = detachColumns(d, 3, 0);
  for (const m of before) stash.add(m);
  assert.deepStrictEqual(stash.attach(trace), d);
  // A whole trace passes through.
  assert.equal(stash.attach(d), d);
  const again = detachColumns(data(), 4, 0);
  for (const m of again.before.filter((m) => !('rowBoxes' in m.columns))) stash.add(m);
  assert.throws(() => stash.attach(again.trace), /column rowBoxes of trace message 4 never arrived/);
});

test('columns of a trace that was superseded before its message came are let go', () => {
  const stash = new ColumnStash();
  const old = detachColumns(data(), 1, 0);
  const fresh = detachColumns(data(), 2, 0);
  for (const m of [...old.before, ...fresh.before]) stash.add(m);
  stash.attach(fresh.trace);
  assert.throws(() => stash.attach(old.trace), /never arrived/);
});

test('the columns are posted one per task, so each copy VS Code makes inside postMessage is a stall of its own', async () => {
  const posted: string[] = [];
  const done = postInColumns({ type: 'load', trace: data() }, 1, (m) => void posted.push(m.type), 0);
  // Only the first column was posted before the thread was let go.
  assert.deepEqual(posted, ['traceColumns']);
  await done;
  assert.deepEqual(posted, [...TRACE_COLUMNS.map(() => 'traceColumns'), 'load']);
  const whole: string[] = [];
  await postInColumns({ type: 'load', trace: data() }, 2, (m) => void whole.push(m.type));
  assert.deepEqual(whole, ['load'], 'a small trace is one message');
});
