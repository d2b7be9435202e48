/**
 * The Loki fake against Loki's HTTP API as it answers, byte for byte: raw HTTP (no client), so the fake is
 * checked on its own and can't drift towards what the client happens to accept.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startLokiFake, type LokiFake } from '../../fakes/loki';

const STATS_KEYS =
  'summary.bytesProcessedPerSecond,summary.linesProcessedPerSecond,summary.totalBytesProcessed,summary.totalLinesProcessed,summary.execTime,summary.queueTime,summary.subqueries,summary.totalEntriesReturned,summary.splits,summary.shards,summary.totalPostFilterLines,summary.totalStructuredMetadataBytesProcessed';

function keyPaths(v: unknown, prefix = ''): string[] {
  if (typeof v !== 'object' || v === null) return [prefix];
  return Object.entries(v).flatMap(([k, x]) => keyPaths(x, prefix ? `${prefix}.${k}` : k));
}

describe('Loki fake: wire format', () => {
  let fake: LokiFake;
  let authed: LokiFake;
  async function get(path: string, headers: Record<string, string> = {}, f = fake) {
    const r = await request(`${f.url}${path}`, { headers });
    return { status: r.statusCode, headers: r.headers, body: await r.body.text() };
  }

  before(async () => {
    fake = await startLokiFake({
      authEnabled: false,
      entries: [
        { labels: { test: 'test' }, ts: 123456789012345n, line: 'super line' },
        { labels: { test: 'test' }, ts: 123456789012346n, line: 'super line with labels', metadata: { foo: 'a', bar: 'b' } },
        { labels: { test: 'test' }, ts: 123456789012347n, line: 'super line msg=text', metadata: { foo: 'a', bar: 'b' } },
        { labels: { job: 'html', note: 'a<b>&c' }, ts: 1_568_404_331_324_000_000n, line: 'x <b> & "q"\u0001\u2028' },
        { labels: { job: 'html', note: 'a<b>&c' }, ts: 1_568_404_331_824_000_000n, line: 'second' },
      ],
    });
    authed = await startLokiFake({ entries: [], authEnabled: true });
  });
  after(async () => {
    await fake.close();
    await authed.close();
  });

  it('categorize-labels: 3-element values, {} when empty, encodingFlags in data, insertion-ordered metadata', async () => {
    const r = await get('/loki/api/v1/query_range?query=%7Btest%3D%22test%22%7D%20%7C%20logfmt&start=123456789012345&end=123456789012348&direction=forward', {
      'X-Loki-Response-Encoding-Flags': 'categorize-labels',
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=UTF-8');
    const expected =
      '{"status":"success","data":{"resultType":"streams","encodingFlags":["categorize-labels"],"result":[{"stream":{"test":"test"},' +
      '"values":[["123456789012345","super line",{}],["123456789012346","super line with labels",{"structuredMetadata":{"foo":"a","bar":"b"}}],' +
      '["123456789012347","super line msg=text",{"structuredMetadata":{"foo":"a","bar":"b"},"parsed":{"msg":"text"}}]]}],"stats":';
    assert.ok(r.body.startsWith(expected), r.body.slice(0, expected.length + 40));
    assert.ok(r.body.endsWith('}}}\n'));
    const stats = (JSON.parse(r.body) as { data: { stats: unknown } }).data.stats;
    const paths = keyPaths(stats);
    assert.equal(paths.slice(0, 12).join(','), STATS_KEYS);
    // 12 summary + 2 × 31 store (querier, ingester) + querierExecTime + 4 ingester counters + 10 caches × 8 + 7 index.
    assert.equal(paths.length, 166);
    assert.deepEqual(paths.filter((p) => p.startsWith('cache.')).length, 80);
  });

  it('without the flag, metadata and parsed labels are merged into stream labels', async () => {
    const r = await get('/loki/api/v1/query_range?query=%7Btest%3D%22test%22%7D&start=123456789012345&end=123456789012348&direction=backward');
    const data = (JSON.parse(r.body) as { data: { encodingFlags?: unknown; result: { stream: unknown; values: unknown[][] }[] } }).data;
    assert.equal(data.encodingFlags, undefined);
    assert.deepEqual(
      data.result.map((s) => s.stream),
      [{ bar: 'b', foo: 'a', test: 'test' }, { test: 'test' }],
    );
    assert.deepEqual(data.result[0]!.values, [['123456789012347', 'super line msg=text'], ['123456789012346', 'super line with labels']]);
  });

  it('HTML-escapes lines (not labels) like json-iterator', async () => {
    const r = await get('/loki/api/v1/query_range?query=%7Bjob%3D%22html%22%7D&start=1568404331&end=1568404332');
    assert.ok(r.body.includes('{"stream":{"job":"html","note":"a<b>&c"},"values":[["1568404331824000000","second"],["1568404331324000000","x \\u003cb\\u003e \\u0026 \\"q\\"\\u0001\\u2028"]]}'), r.body.slice(0, 300));
  });

  it('matrix samples use shortest-form seconds and string values', async () => {
    const r = await get('/loki/api/v1/query_range?query=count_over_time(%7Bjob%3D%22html%22%7D%5B1s%5D)&start=1568404331.324&end=1568404331.824&step=0.5');
    const expected = '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"html","note":"a<b>&c"},"values":[[1568404331.324,"1"],[1568404331.824,"2"]]}],"stats":{"summary":';
    assert.equal(r.body.slice(0, expected.length), expected);
  });

  it('errors are text/plain, nosniff, no trailing newline; 401 is http.Error with one', async () => {
    const bad = await get('/loki/api/v1/query_range?query=foo');
    assert.equal(bad.status, 400);
    assert.equal(bad.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(bad.headers['x-content-type-options'], 'nosniff');
    assert.equal(bad.body, 'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER');
    const limit = await get('/loki/api/v1/query_range?query=%7Bjob%3D%22html%22%7D&limit=10000');
    assert.equal(limit.body, 'max entries limit per query exceeded, limit > max_entries_limit_per_query (10000 > 5000)');
    const instant = await get('/loki/api/v1/query?query=%7Bjob%3D%22html%22%7D');
    assert.equal(instant.body, 'log queries are not supported as an instant query type, please change your query to a range query type');
    const noOrg = await get('/loki/api/v1/labels', {}, authed);
    assert.equal(noOrg.status, 401);
    assert.equal(noOrg.body, 'no org id\n');
  });

  it('labels: empty list omits data; buildinfo and ready are bare', async () => {
    const empty = await get('/loki/api/v1/labels?start=1&end=2');
    assert.equal(empty.body, '{"status":"success"}\n');
    const labels = await get('/loki/api/v1/labels?start=1568404331&end=1568404332');
    assert.equal(labels.body, '{"status":"success","data":["job","note"]}\n');
    const info = await get('/loki/api/v1/status/buildinfo');
    assert.deepEqual(Object.keys(JSON.parse(info.body) as object), ['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion']);
    assert.equal((await get('/ready')).body, 'ready\n');
  });
});
