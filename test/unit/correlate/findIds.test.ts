import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findIds, findModeFor } from '../../../src/core/correlate/findIds';

const TRACE = '9f2c61d0e4b8473a8c15d7e90a3b2f46';
const SPAN = 'a41c07e2b9d35f60';
const UUID = '5b0e7c44-1d2a-4f7e-9a61-0c2d9e3f8b17';
const RECORD = `{"time":"2026-04-21T18:02:11.514203Z","level":"INFO","message":"request completed","request_id":"${UUID}","span_id":"${SPAN}","trace_id":"${TRACE}","x_request_id":"vscode-demo-0042"}`;

/** The matched texts with their kinds, checking each range holds exactly its text. */
function found(line: string, mode?: 'all' | 'keyed'): string[] {
  return findIds(line, mode).map((m) => {
    assert.equal(line.slice(m.start, m.end), m.text, 'range and text agree');
    return `${m.kind}:${m.text}`;
  });
}

describe('findIds', () => {
  const cases: Array<[string, string, string[]]> = [
    ['a Dynamo JSONL record: every id key', RECORD, [`uuid:${UUID}`, `span:${SPAN}`, `trace:${TRACE}`, 'text:vscode-demo-0042']],
    ['docker compose logs prefix', `frontend-1  | ${RECORD}`, [`uuid:${UUID}`, `span:${SPAN}`, `trace:${TRACE}`, 'text:vscode-demo-0042']],
    ['kubectl logs --prefix', `[pod/frontend-7d9c/main] ${RECORD}`, [`uuid:${UUID}`, `span:${SPAN}`, `trace:${TRACE}`, 'text:vscode-demo-0042']],
    ['a bare trace id in text', `failed trace ${TRACE}; retrying`, [`trace:${TRACE}`]],
    ['a bare UUID', `request ${UUID} done`, [`uuid:${UUID}`]],
    ['a traceparent header', `traceparent: 00-${TRACE}-${SPAN}-01`, [`trace:00-${TRACE}-${SPAN}-01`]],
    ['a bare traceparent', `sent 00-${TRACE}-${SPAN}-01 upstream`, [`trace:00-${TRACE}-${SPAN}-01`]],
    ['logfmt', `level=info x_request_id=abc-123 request_id="${UUID}" msg=done`, ['text:abc-123', `uuid:${UUID}`]],
    ['an HTTP header', 'X-Request-Id: Req-9 and more', ['text:Req-9']],
    ['a bare span id is not linked', `span ${SPAN} here`, []],
    ['a keyed span id is', `span_id=${SPAN}`, [`span:${SPAN}`]],
    ['hex inside a longer token is not an id', `sha=${TRACE}ff and x${TRACE}`, []],
    ['a 40-hex git hash is not a trace id', 'commit 1f3870be274f6c49b3e31a0c6728957f1f3870be', []],
    ['JSON escapes inside the value', String.raw`{"x_request_id":"a\"b"}`, [String.raw`text:a\"b`]],
    ['nothing', 'plain words only', []],
  ];
  for (const [name, line, want] of cases) {
    it(name, () => {
      const got = findIds(line).map((m) => `${m.kind}:${line.slice(m.start, m.end)}`);
      assert.deepEqual(got, want);
    });
  }

  it('keyed mode (JSON documents) links only values of id keys', () => {
    assert.deepEqual(found(`{"traceId":"${TRACE}","hash":"${TRACE}","x":"${UUID}"}`, 'keyed'), [`trace:${TRACE}`]);
    assert.deepEqual(found(`text ${TRACE}`, 'keyed'), []);
  });

  it('a match gives the value a lookup is given (escapes undone)', () => {
    const [m] = findIds(String.raw`{"x_request_id":"a\"b"}`);
    assert.equal(m!.text, 'a"b');
  });

  it('the mode a document gets: keyed in JSON, everything in logs, JSONL and text', () => {
    const cases: Array<[string, string, string]> = [
      ['json', '/w/package-lock.json', 'keyed'],
      ['jsonc', '/w/.vscode/settings.json', 'keyed'],
      ['json', '/w/dynamo.jsonl', 'all'],
      ['jsonl', '/w/dynamo.jsonl', 'all'],
      ['log', '/w/frontend.log', 'all'],
      ['plaintext', '/w/bug-report.txt', 'all'],
    ];
    for (const [lang, file, want] of cases) assert.equal(findModeFor(lang, file), want, `${lang} ${file}`);
  });

  it('matches never overlap and come in order', () => {
    const ms = findIds(`request_id=${UUID} ${UUID} trace_id=${TRACE} ${TRACE}`);
    assert.equal(ms.length, 4);
    for (let i = 1; i < ms.length; i++) assert.ok(ms[i]!.start >= ms[i - 1]!.end);
  });
});
