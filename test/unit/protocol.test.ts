import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromWebview } from '../../src/core/protocol';

const limits = { boxes: 40, traces: 2 };

test('well-formed webview messages pass the gate unchanged', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }, limits), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'reload', extra: 1 }, limits), { type: 'reload' });
  assert.deepEqual(parseFromWebview({ type: 'selectTrace', index: 1 }, limits), { type: 'selectTrace', index: 1 });
  assert.deepEqual(parseFromWebview({ type: 'spanDetails', id: 7, trace: 1, box: 39 }, limits), { type: 'spanDetails', id: 7, trace: 1, box: 39 });
});

test('anything else is refused: unknown types, wrong shapes, out-of-range indices', () => {
  const bad: unknown[] = [
    null,
    'ready',
    42,
    [],
    {},
    { type: 'openFile', path: '/etc/passwd' },
    { type: 'selectTrace', index: 2 },
    { type: 'selectTrace', index: -1 },
    { type: 'selectTrace', index: 0.5 },
    { type: 'selectTrace', index: '1' },
    { type: 'spanDetails', id: 1, trace: 0, box: 40 },
    { type: 'spanDetails', id: 1, trace: 0, box: NaN },
    { type: 'spanDetails', id: -3, trace: 0, box: 0 },
    { type: 'spanDetails', trace: 0, box: 0 },
    { type: 'spanDetails', id: 1, trace: 0, box: 1e300 },
    { type: 'spanDetails', id: 1, box: 0 },
    { type: 'spanDetails', id: 1, trace: 2, box: 0 },
  ];
  for (const m of bad) assert.equal(parseFromWebview(m, limits), null, JSON.stringify(m));
});

test('with no trace loaded, no index is valid', () => {
  assert.equal(parseFromWebview({ type: 'spanDetails', id: 1, trace: 0, box: 0 }, { boxes: 0, traces: 0 }), null);
  assert.equal(parseFromWebview({ type: 'selectTrace', index: 0 }, { boxes: 0, traces: 0 }), null);
});
