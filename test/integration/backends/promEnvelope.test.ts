/** Envelope cases a stock Prometheus 2.42 won't produce on demand: warnings/infos, 422, 503 timeout. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient } from '../../../src/core/backends/http';
import { PrometheusClient } from '../../../src/core/backends/prometheus/client';
import { BadResponseError, QueryRejectedError, ServerError } from '../../../src/core/backends/errors';
import { startServer, type FakeServer, type Reply } from '../../fakes/server';

const JSON_CT = { 'content-type': 'application/json' };

describe('Prometheus envelope handling', () => {
  let server: FakeServer;
  let client: PrometheusClient;
  before(async () => {
    server = await startServer((_req, url): Reply => {
      const q = url.searchParams.get('query');
      if (q === 'warn')
        return {
          status: 200,
          headers: JSON_CT,
          body: '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1435781451.781,"1"]}]},"warnings":["results truncated due to limit"],"infos":["PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \\"x\\""]}',
        };
      if (q === 'exec') return { status: 422, headers: JSON_CT, body: '{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}' };
      if (q === 'slow') return { status: 503, headers: JSON_CT, body: '{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}' };
      return { status: 200, headers: JSON_CT, body: '{"data":{}}' };
    });
    client = new PrometheusClient(new HttpClient({ backend: 'Prometheus', baseUrl: server.url, retry: { maxTries: 1 } }));
  });
  after(async () => {
    await client.http.close();
    await server.close();
  });

  it('surfaces warnings and infos with the data', async () => {
    const r = await client.query('warn');
    assert.deepEqual(r.warnings, ['results truncated due to limit']);
    assert.match(r.infos[0]!, /^PromQL info: metric might not be a counter/);
    assert.equal(r.series[0]!.points[0]!.timeMs, 1435781451781);
  });

  it('422 execution → QueryRejected; 503 timeout → ServerError, both with the error text', async () => {
    await assert.rejects(client.query('exec'), (e: unknown) => e instanceof QueryRejectedError && e.status === 422 && /too many samples/.test(e.message));
    await assert.rejects(client.query('slow'), (e: unknown) => e instanceof ServerError && e.status === 503 && e.message.endsWith('HTTP 503: query timed out in expression evaluation'));
  });

  it('JSON without an envelope status is a BadResponse', async () => {
    await assert.rejects(client.query('other'), BadResponseError);
  });
});
