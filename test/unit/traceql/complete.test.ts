import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applySuggestion, completionContext, identifier, suggestions, type CompletionContext } from '../../../src/core/traceql/complete';
import type { TagScope, TagValue } from '../../../src/core/model/traceSearch';

// As Tempo's /api/v2/search/tags answers for a Dynamo deployment.
const scopes: TagScope[] = [
  { name: 'resource', tags: ['service.name', 'host.name'] },
  { name: 'span', tags: ['http.method', 'model', 'request_id', 'x request id'] },
  { name: 'intrinsic', tags: ['duration', 'kind', 'name', 'rootName', 'rootServiceName', 'status', 'statusMessage', 'traceDuration'] },
];
const models: TagValue[] = [
  { type: 'string', value: 'Qwen/Qwen3-0.6B' },
  { type: 'string', value: 'meta-llama/Llama-3.1-8B' },
];

/** Context, labels and what choosing the first suggestion makes of the text. */
function at(text: string, data: { scopes?: TagScope[]; values?: TagValue[] } = { scopes }): { ctx: CompletionContext; labels: string[]; first?: string } {
  const ctx = completionContext(text);
  const s = suggestions(ctx, data);
  return { ctx, labels: s.map((x) => x.label), first: s[0] && applySuggestion(text, ctx, s[0]) };
}

describe('TraceQL completion', () => {
  it('an empty query starts a spanset', () => {
    const r = at('');
    assert.equal(r.ctx.kind, 'start');
    assert.equal(r.first, '{ ');
  });

  it('inside a spanset: intrinsics first, then resource and span tags, scoped as TraceQL writes them', () => {
    const r = at('{ ');
    assert.equal(r.ctx.kind, 'tagName');
    assert.deepEqual(r.labels.slice(0, 3), ['duration', 'kind', 'name']);
    assert.ok(r.labels.includes('resource.service.name'));
    assert.ok(r.labels.includes('span.model'));
    assert.ok(r.labels.includes('span."x request id"'), 'a tag with spaces is quoted');
    assert.ok(r.labels.indexOf('status') < r.labels.indexOf('resource.service.name'));
  });

  it('a partly typed tag narrows the list and is replaced, prefix matches first', () => {
    const r = at('{ resource.se');
    assert.equal(r.ctx.kind, 'tagName');
    assert.deepEqual(r.labels, ['resource.service.name']);
    assert.equal(r.first, '{ resource.service.name ');
    const s = at('{ name = "x" && mod');
    assert.deepEqual(s.labels, ['span.model']);
    assert.equal(s.first, '{ name = "x" && span.model ');
    // "name" prefixes "name" but only appears inside the others.
    assert.equal(at('{ name').labels[0], 'name');
  });

  it('after a tag: operators; status and kind only compare for equality', () => {
    assert.deepEqual(at('{ span.model ').labels, ['=', '!=', '=~', '!~', '>', '>=', '<', '<=']);
    assert.deepEqual(at('{ status ').labels, ['=', '!=']);
    const bang = at('{ status !');
    assert.deepEqual(bang.labels, ['!=']);
    assert.equal(bang.first, '{ status != ');
  });

  it('after an operator: the tag and the spanset\'s other conditions go to Tempo, values quoted by type', () => {
    const r = at('{ name = "http-request" && span.model = ', { values: models });
    assert.equal(r.ctx.kind, 'value');
    assert.equal(r.ctx.tag, 'span.model');
    assert.equal(r.ctx.filter, '{ name = "http-request" }');
    assert.deepEqual(r.labels, ['"Qwen/Qwen3-0.6B"', '"meta-llama/Llama-3.1-8B"']);
    assert.equal(r.first, '{ name = "http-request" && span.model = "Qwen/Qwen3-0.6B" ');
    // The first condition of a spanset has nothing to filter by.
    assert.equal(at('{ span.model = ').ctx.filter, '{}');
  });

  it('an operator right before the cursor still completes a value, with a space between', () => {
    const r = at('{ span.model =', { values: models });
    assert.equal(r.ctx.kind, 'value');
    assert.equal(r.first, '{ span.model = "Qwen/Qwen3-0.6B" ');
  });

  it('a partly typed value narrows and is replaced, quote included', () => {
    const r = at('{ span.model = "met', { values: models });
    assert.equal(r.ctx.partial, 'met');
    assert.deepEqual(r.labels, ['"meta-llama/Llama-3.1-8B"']);
    assert.equal(r.first, '{ span.model = "meta-llama/Llama-3.1-8B" ');
    const num = at('{ span.http.status_code = 5', { values: [{ type: 'int', value: '200' }, { type: 'int', value: '503' }] });
    assert.deepEqual(num.labels, ['503']);
    assert.equal(num.first, '{ span.http.status_code = 503 ');
  });

  it('keywords and numbers go in bare; a value with quotes or backslashes is escaped', () => {
    assert.deepEqual(at('{ status = ', { values: [{ type: 'keyword', value: 'error' }] }).labels, ['error']);
    assert.deepEqual(at('{ .q = ', { values: [{ type: 'string', value: 'say "hi" \\o/' }] }).labels, ['"say \\"hi\\" \\\\o/"']);
  });

  it('durations have examples when Tempo has no values for them', () => {
    assert.deepEqual(at('{ duration > ', { values: [] }).labels.slice(0, 3), ['100ms', '500ms', '1s']);
  });

  it('after a value: combine or close', () => {
    assert.deepEqual(at('{ span.model = "Qwen" ').labels, ['&&', '||', '}']);
    const closing = at('{ span.model = "Qwen"');
    assert.equal(closing.ctx.kind, 'afterValue');
    assert.equal(closing.first, '{ span.model = "Qwen" && ');
    assert.equal(at('{ (.a = 1) ').ctx.kind, 'afterValue');
  });

  it('after a spanset: combine spansets or start a pipeline', () => {
    const r = at('{ status = error }');
    assert.equal(r.ctx.kind, 'afterSpanset');
    assert.equal(r.first, '{ status = error } && { ');
    assert.equal(at('{ status = error } | ').ctx.kind, 'pipeline');
    assert.equal(at('{ status = error } && ').first, '{ status = error } && { ');
  });

  it('filters that do not stand alone are not sent (an open parenthesis)', () => {
    assert.equal(at('{ .a = 1 && ( .b = 2 || .c = ').ctx.filter, '{}');
    assert.equal(at('{ (.a = 1 || .b = 2) && .c = ').ctx.filter, '{ (.a = 1 || .b = 2) }');
  });

  it('completes the spanset the cursor is in, not an earlier one', () => {
    const r = at('{ status = error } && { span.model = ', { values: models });
    assert.equal(r.ctx.tag, 'span.model');
    assert.equal(r.ctx.filter, '{}');
  });

  it('completes at a cursor inside the text, keeping what follows', () => {
    const text = '{ resource.se } | count() > 1';
    const ctx = completionContext(text, '{ resource.se'.length);
    const s = suggestions(ctx, { scopes });
    assert.equal(applySuggestion(text, ctx, s[0]!), '{ resource.service.name  } | count() > 1');
  });

  it('writes identifiers per scope', () => {
    assert.equal(identifier('intrinsic', 'status'), 'status');
    assert.equal(identifier('unscoped', 'service.name'), '.service.name');
    assert.equal(identifier('event', 'exception.message'), 'event.exception.message');
    assert.equal(identifier('span', 'a"b'), 'span."a\\"b"');
  });
});
