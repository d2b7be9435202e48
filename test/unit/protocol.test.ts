import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromWebview } from '../../src/core/protocol/trace';

const limits = { boxes: 40, traces: 2 };
const req = (method: string, params: unknown, id: unknown = 7) => ({ type: 'request', id, method, params });

test('well-formed webview messages pass the gate unchanged', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }, limits).message, { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'reload', extra: 1 }, limits).message, { type: 'reload' });
  assert.deepEqual(parseFromWebview({ type: 'selectTrace', index: 1 }, limits).message, { type: 'selectTrace', index: 1 });
  assert.deepEqual(parseFromWebview({ type: 'errorAction', action: 'retry' }, limits).message, { type: 'errorAction', action: 'retry' });
  assert.deepEqual(parseFromWebview(req('spanDetails', { trace: 1, box: 39 }), limits).message, { type: 'request', id: 7, method: 'spanDetails', params: { trace: 1, box: 39 } });
  assert.deepEqual(parseFromWebview(req('search', { trace: 0, text: 'GET', extra: 1 }), limits).message, { type: 'request', id: 7, method: 'search', params: { trace: 0, text: 'GET' } });
  assert.deepEqual(parseFromWebview(req('criticalPath', { trace: 0 }), limits).message?.type, 'request');
  assert.deepEqual(parseFromWebview(req('openSource', { trace: 0, box: 3, location: 2 }), limits).message, { type: 'request', id: 7, method: 'openSource', params: { trace: 0, box: 3, location: 2 } });
  assert.deepEqual(parseFromWebview(req('openTrace', { traceId: 'ab'.repeat(16) }), limits).message?.type, 'request');
  assert.deepEqual(parseFromWebview(req('copy', { text: 'value' }), limits).message?.type, 'request');
});

test('anything else is refused: unknown types, wrong shapes, out-of-range indices — a refused request keeps its id', () => {
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
    { type: 'errorAction', action: 'rm -rf' },
    req('spanDetails', { trace: 0, box: 40 }),
    req('spanDetails', { trace: 0, box: NaN }),
    req('spanDetails', { trace: 0, box: 1e300 }),
    req('spanDetails', { box: 0 }),
    req('spanDetails', { trace: 2, box: 0 }),
    req('spanDetails', [0, 0]),
    req('spanDetails', null),
    req('search', { trace: 0, text: 'x'.repeat(1001) }),
    req('openSource', { trace: 0, box: 1, location: -1 }),
    req('openFile', { path: '/etc/passwd' }),
    req('openTrace', { traceId: '../../etc' }),
    req('openTrace', { traceId: 'AB'.repeat(16) }),
    req('copy', { text: 42 }),
    req('toString', {}),
    req('__proto__', {}),
  ];
  for (const m of bad) {
    const r = parseFromWebview(m, limits);
    assert.equal(r.message, null, JSON.stringify(m));
    if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'request') assert.equal((r as { refusedId?: number }).refusedId, 7);
  }
  // No usable id: nothing to answer.
  for (const id of [undefined, -3, 1.5, '7']) assert.equal((parseFromWebview(req('spanDetails', { trace: 0, box: 0 }, id), limits) as { refusedId?: number }).refusedId, id === undefined || typeof id !== 'number' || id < 0 || !Number.isInteger(id) ? undefined : id);
});

test('openSource names a span the host holds, never a path: extra fields are dropped', () => {
  assert.deepEqual(parseFromWebview(req('openSource', { trace: 0, box: 1, path: '/etc/passwd' }), limits).message, { type: 'request', id: 7, method: 'openSource', params: { trace: 0, box: 1 } });
});

test('with no trace loaded, no index is valid', () => {
  assert.equal(parseFromWebview(req('spanDetails', { trace: 0, box: 0 }), { boxes: 0, traces: 0 }).message, null);
  assert.equal(parseFromWebview({ type: 'selectTrace', index: 0 }, { boxes: 0, traces: 0 }).message, null);
});
