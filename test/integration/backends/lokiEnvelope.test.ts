/** Loki answers the contract fake has no trigger for: top-level warnings, NaN/±Inf samples, an old Loki ignoring categorize-labels. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient } from '../../../src/core/backends/http';
import { LokiClient } from '../../../src/core/backends/loki/client';
import { statsJson } from '../../fakes/lokiStats';
import { startServer, type FakeServer, type Reply } from '../../fakes/server';

const JSON_CT = { 'content-type': 'application/json; charset=UTF-8' };
const STATS = statsJson({ execTimeSec: 0.001, entriesReturned: 1, bytesProcessed: 0, linesProcessed: 0 });
const RANGE = { startMs: 1_568_404_000_000, endMs: 1_568_405_000_000 };

describe('Loki envelope handling', () => {
  let server: FakeServer;
  let client: LokiClient;
  before(async () => {
    server = await startServer((_req, url): Reply => {
      const q = url.searchParams.get('query');
      if (q === 'rate({job="x"}[1m])')
        return {
          status: 200,
          headers: JSON_CT,
          body: `{"status":"success","warnings":["query was split into 3 shards"],"data":{"resultType":"matrix","result":[{"metric":{"job":"x"},"values":[[1568404331.324,"NaN"],[1568404332,"+Inf"],[1568404333.5,"-Inf"],[1568404334,"0.4"]]}],"stats":${STATS}}}\n`,
        };
      // Loki 2.x ignores the flag: [ts, line] pairs, metadata merged into the stream.
      return {
        status: 200,
        headers: JSON_CT,
        body: `{"status":"success","data":{"resultType":"streams","result":[{"stream":{"job":"x","trace_id":"0242ac120002"},"values":[["1568404331324000001","old \\u003cline\\u003e"]]}],"stats":${STATS}}}\n`,
      };
    });
    client = new LokiClient(new HttpClient({ backend: 'Loki', baseUrl: server.url, retry: { maxTries: 1 } }));
  });
  after(async () => {
    await client.http.close();
    await server.close();
  });

  it('surfaces top-level warnings; NaN and ±Inf samples and shortest-form seconds are kept', async () => {
    const r = await client.queryRange({ query: 'rate({job="x"}[1m])', range: RANGE, stepMs: 1000 });
    assert.equal(r.kind, 'matrix');
    assert.deepEqual(r.warnings, ['query was split into 3 shards']);
    if (r.kind !== 'matrix') return;
    const pts = r.series[0]!.points;
    assert.deepEqual(pts.map((p) => p.timeMs), [1568404331324, 1568404332000, 1568404333500, 1568404334000]);
    assert.ok(Number.isNaN(pts[0]!.value));
    assert.deepEqual(pts.slice(1).map((p) => p.value), [Infinity, -Infinity, 0.4]);
  });

  it('an old Loki without categorize-labels: two-element values, exact ns, empty metadata', async () => {
    const r = await client.queryRange({ query: '{job="x"}', range: RANGE });
    assert.equal(r.kind, 'streams');
    if (r.kind !== 'streams') return;
    assert.deepEqual(r.lines, [{ timestampNs: 1568404331324000001n, line: 'old <line>', labels: { job: 'x', trace_id: '0242ac120002' }, metadata: {}, parsed: {} }]);
  });
});
