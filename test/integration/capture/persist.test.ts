/**
 * spanlens.capture.persist: what a capture received survives a restart on the same folder — the
 * traces and log records come back through the query API as before — and Clear empties both.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CaptureServer } from '../../../src/core/capture/server';
import { generateTrace } from '../../support/synth/dynamo';

test('captures survive a restart on the same folder, within the limits, and Clear removes them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-persist-'));
  try {
    const limits = { maxSpans: 250, maxLogRecords: 100, maxBytes: 1e9 };
    let s = await CaptureServer.start({ ports: { grpc: 0, http: 0, query: 0 }, persistDir: dir, limits });
    const ids: string[] = [];
    for (const seed of [1, 2, 3]) {
      const otlp = generateTrace({ spans: 100, seed });
      const r = await fetch(`http://127.0.0.1:${s.ports.http}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlp) });
      assert.equal(r.status, 200);
      ids.push((otlp.resourceSpans[0] as { scopeSpans: { spans: { traceId: string }[] }[] }).scopeSpans[0]!.spans[0]!.traceId.toLowerCase());
    }
    const logs = { resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'p' } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: '1767225600000000001', body: { stringValue: 'kept' }, traceId: ids[2] }] }] }] };
    assert.equal((await fetch(`http://127.0.0.1:${s.ports.http}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(logs) })).status, 200);
    const before = s.stats();
    assert.equal(before.traces, 2); // the first trace left under the 250-span limit
    await s.close();
    assert.ok(readdirSync(dir).some((f) => f.endsWith('.otlplog')));

    s = await CaptureServer.start({ ports: { grpc: 0, http: 0, query: 0 }, persistDir: dir, limits });
    const after = s.stats();
    assert.equal(after.traces, 2);
    assert.equal(after.spans, 200);
    assert.equal(after.logRecords, 1);
    assert.equal(s.store.trace(ids[0]!), undefined);
    const v2 = (await (await fetch(`${s.queryUrl}/api/v2/traces/${ids[2]}`)).json()) as { trace: { resourceSpans: unknown[] } };
    assert.ok(v2.trace.resourceSpans.length > 0);
    const q = new URLSearchParams({ query: `{service_name="p"} | trace_id="${ids[2]}"`, start: '1767225600000000000', end: '1767225601000000000' });
    const lines = (await (await fetch(`${s.queryUrl}/loki/api/v1/query_range?${q}`)).json()) as { data: { result: { values: string[][] }[] } };
    assert.equal(lines.data.result[0]!.values[0]![1], 'kept');
    s.clear();
    await s.close();
    s = await CaptureServer.start({ ports: { grpc: 0, http: 0, query: 0 }, persistDir: dir, limits });
    assert.equal(s.stats().spans, 0);
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
