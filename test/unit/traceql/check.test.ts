import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkTraceql, describeProblem } from '../../../src/core/traceql/check';
import { DYNAMO_EXAMPLES, serviceQuery } from '../../../src/core/traceql/queries';

describe('TraceQL syntax check (Grafana lezer grammar)', () => {
  for (const q of [
    '{}',
    '{ }',
    '{ resource.service.name = "dynamo-frontend" }',
    '{ name = "http-request" && duration > 2s }',
    '{ span.http.status_code >= 500 || status = error }',
    '{ .model =~ "Qwen.*" } | count() > 2',
    '{ status = error } >> { name = "handle_payload" }',
    '{ kind = server } | select(span.request_id)',
    '{ span:name = "http-request" && trace:rootService = "dynamo-frontend" }',
    '{ span."x request id" = "abc" }',
    '{ .ttft_ms > 12.5 }\n&& { .a = true }',
  ]) {
    it(`accepts ${JSON.stringify(q)}`, () => assert.equal(checkTraceql(q), undefined));
  }

  it('accepts every query Spanlens writes itself', () => {
    for (const e of DYNAMO_EXAMPLES) if (!/=\s*$/.test(e.query)) assert.equal(checkTraceql(e.query), undefined, e.query);
    assert.equal(checkTraceql(serviceQuery('dynamo-frontend')), undefined);
    assert.equal(checkTraceql(serviceQuery('we"ird\\svc', true)), undefined);
  });

  it('points at the token it did not expect, by line and column as Tempo counts them', () => {
    assert.deepEqual(checkTraceql('{ .a = }'), { from: 7, to: 8, line: 1, column: 8, message: "unexpected '}'" });
    assert.deepEqual(checkTraceql('foo'), { from: 0, to: 3, line: 1, column: 1, message: "unexpected 'foo'" });
    const multi = checkTraceql('{ .a = 1 }\n| coun(');
    assert.equal(multi?.line, 2);
    assert.equal(multi?.column, 3);
    assert.equal(describeProblem(multi!), "line 2, col 3: unexpected 'coun'");
  });

  it('says when the query ends too early', () => {
    for (const q of ['{ .a = "x"', '{ .a =', '{ resource.service.name = "x" &&', '{']) {
      assert.equal(checkTraceql(q)?.message, 'unexpected end of query', q);
    }
  });

  it('rejects an unknown scope and a stray brace', () => {
    assert.ok(checkTraceql('{ .a = 1 }}'));
    assert.ok(checkTraceql('{ .a == 1 }'));
  });
});
