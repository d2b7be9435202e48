import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLokiStreams, sortLogLines } from '../../../src/core/formats/lokiStreams';
import { TraceFormatError } from '../../../src/core/model/errors';

describe('Loki streams', () => {
  it('decodes categorize-labels triples and plain pairs with exact ns', () => {
    const lines = decodeLokiStreams([
      {
        stream: { test: 'test' },
        values: [
          ['123456789012345', 'super line', {}],
          ['123456789012346', 'with sm', { structuredMetadata: { foo: 'a', bar: 'b' } }],
          ['1776794400123456789', 'parsed', { structuredMetadata: { foo: 'a' }, parsed: { msg: 'text' } }],
        ],
      },
      { stream: { job: 'x' }, values: [['1', 'pair']] },
    ]);
    assert.equal(lines.length, 4);
    assert.equal(lines[2]!.timestampNs, 1776794400123456789n);
    assert.deepEqual(lines[1]!.metadata, { foo: 'a', bar: 'b' });
    assert.deepEqual(lines[2]!.parsed, { msg: 'text' });
    assert.deepEqual(lines[3]!.metadata, {});
    assert.equal(lines[0]!.labels, lines[1]!.labels, 'stream labels shared by reference');
  });

  it('sorts across streams in either direction', () => {
    const lines = decodeLokiStreams([
      { stream: { a: '1' }, values: [['3', 'c'], ['1', 'a']] },
      { stream: { a: '2' }, values: [['2', 'b']] },
    ]);
    assert.deepEqual(sortLogLines([...lines], 'forward').map((l) => l.line), ['a', 'b', 'c']);
    assert.deepEqual(sortLogLines([...lines], 'backward').map((l) => l.line), ['c', 'b', 'a']);
  });

  it('says where a malformed response is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [{}, /data\.result: an array of streams/],
      [[{ stream: { a: 1 }, values: [] }], /data\.result\[0\]\.stream\.a: a string label value/],
      [[{ stream: {}, values: [[1568234281726420425, 'x']] }], /values\[0\]\[0\]: a timestamp in nanoseconds as a decimal string/],
      [[{ stream: {}, values: [['1', 'x', 'nope']] }], /values\[0\]\[2\]: an object of categorized labels/],
    ];
    for (const [input, re] of cases) assert.throws(() => decodeLokiStreams(input), (e: unknown) => e instanceof TraceFormatError && re.test(e.message));
  });
});
