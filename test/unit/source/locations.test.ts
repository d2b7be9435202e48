import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spanCodeLocations } from '../../../src/core/source/locations';
import { span } from '../../support/spans';

test('code.* on the span and on its events (current and older names), then stack frames', () => {
  const s = {
    ...span({ id: '1', start: 0, end: 1, name: 'handle_payload' }),
    attributes: [
      { key: 'code.filepath', value: '/opt/dynamo/lib/runtime/src/pipeline.rs' },
      { key: 'code.lineno', value: 88 },
      { key: 'code.namespace', value: 'dynamo_runtime::pipeline' },
      { key: 'code.function', value: 'handle_payload' },
      { key: 'exception.stacktrace', value: '  File "/opt/dynamo/x.py", line 3, in f' },
    ],
    events: [
      { time: 0n, name: 'prefill done', attributes: [{ key: 'code.file.path', value: 'lib/llm/src/engine.rs' }, { key: 'code.line.number', value: '41' }, { key: 'code.function.name', value: 'dynamo_llm::engine::step' }] },
      // The same place again is offered once.
      { time: 0n, name: 'again', attributes: [{ key: 'code.file.path', value: 'lib/llm/src/engine.rs' }, { key: 'code.line.number', value: 41 }, { key: 'code.function.name', value: 'dynamo_llm::engine::step' }] },
      { time: 0n, name: 'no code', attributes: [{ key: 'level', value: 'INFO' }] },
    ],
  };
  assert.deepEqual(spanCodeLocations(s), [
    { path: '/opt/dynamo/lib/runtime/src/pipeline.rs', line: 88, function: 'dynamo_runtime::pipeline::handle_payload', from: 'span', name: 'handle_payload' },
    { path: 'lib/llm/src/engine.rs', line: 41, function: 'dynamo_llm::engine::step', from: 'event', name: 'prefill done' },
    { path: '/opt/dynamo/x.py', line: 3, function: 'f', from: 'stack', name: 'f' },
  ]);
});

test('a function without a file is kept (for a symbol search); junk values are not locations', () => {
  const s = { ...span({ id: '1', start: 0, end: 1, name: 'x' }), attributes: [{ key: 'code.function.name', value: 'serveRequest' }, { key: 'code.line.number', value: -4 }] };
  assert.deepEqual(spanCodeLocations(s), [{ path: '', function: 'serveRequest', from: 'span', name: 'x' }]);
  const junk = { ...span({ id: '1', start: 0, end: 1 }), attributes: [{ key: 'code.file.path', value: '' }, { key: 'code.filepath', value: 12 }] };
  assert.deepEqual(spanCodeLocations(junk), []);
});

test('a hostile span with 100k events yields a bounded list', () => {
  const events = Array.from({ length: 100_000 }, (_, i) => ({ time: 0n, name: `e${i}`, attributes: [{ key: 'code.file.path', value: `/f${i}.py` }] }));
  assert.ok(spanCodeLocations({ ...span({ id: '1', start: 0, end: 1 }), events }).length <= 50);
});
