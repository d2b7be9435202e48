/** `spanlens trace summary` through the real CLI entry: in process via main(), and as a child process. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fixturePath } from '../../support/fixtures';
import { cli } from '../../support/cli';

const ROOT = resolve(__dirname, '..', '..', '..');


// Read off the file: 40 spans; root GET /dispatch 1787132458639880223 → 1787132459756847510 ns.
const HOTROD_JSON = `[
  {
    "traceId": "fe65c5beefbe4e96119efbba3da07e99",
    "spanCount": 40,
    "services": [
      "customer",
      "driver",
      "frontend",
      "mysql",
      "redis-manual",
      "route"
    ],
    "root": {
      "name": "GET /dispatch",
      "service": "frontend"
    },
    "rootCount": 1,
    "durationMs": 1116.967287,
    "errorCount": 3,
    "maxDepth": 3
  }
]
`;

test('--json prints exactly one object per trace', async () => {
  const r = await cli('trace', 'summary', fixturePath('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json'), '--json');
  assert.deepEqual(r, { code: 0, stdout: HOTROD_JSON, stderr: '' });
});

test('--json: several traces in start order; warnings on stderr only', async () => {
  const r = await cli('trace', 'summary', '--json', fixturePath('otlp/jaeger-memstore-otel_traces_01.json'));
  assert.equal(r.code, 0);
  const rows = JSON.parse(r.stdout) as { traceId: string; spanCount: number }[];
  assert.deepEqual(rows.map((x) => [x.traceId, x.spanCount]), [
    ['00000000000000010000000000000000', 2],
    ['00000000000000020000000000000000', 2],
  ]);
  const j = await cli('trace', 'summary', '--json', fixturePath('jaeger/jaeger-uimodel-ui_01.json'));
  assert.equal(j.stderr, 'spanlens: warning: Jaeger: some trace warning\nspanlens: warning: Jaeger: 2 spans carry warnings (first: some span warning)\n');
  assert.equal(JSON.parse(j.stdout).length, 1);
});

test('the table is aligned, one row per trace', async () => {
  const r = await cli('trace', 'summary', fixturePath('zipkin/zipkin-lens-yelp.json'));
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    'TRACE ID                          SPANS  SERVICES  ERRORS  DEPTH  ROOTS  DURATION  ROOT\n' +
      '0000000000000000a03ee8fff1dcd9b9     16         6       0      4      1    132 ms  routing: post /location/update/v4\n',
  );
});

test('bad input exits 2 with one line on stderr', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-cli-'));
  try {
    const notJson = join(dir, 'notes.txt');
    writeFileSync(notJson, 'hello\n');
    const cases: [string[], RegExp][] = [
      [['trace', 'summary', join(dir, 'missing.json')], /^spanlens: cannot read .*missing\.json: no such file\n$/],
      [['trace', 'summary', dir], /^spanlens: cannot read .*: it is a directory\n$/],
      [['trace', 'summary', notJson], /^spanlens: .*notes\.txt: not JSON at line 1, column 1 \(offset 0\): expected a value, found 'h'\n$/],
      [['trace', 'summary', fixturePath('jaeger/jaeger-ui-flamegraph-testTrace.json')], /^spanlens: .*: this is jaeger-ui's internal store state/],
      [['trace', 'summary'], /^spanlens: expected one FILE, got 0 \(usage: spanlens trace summary FILE \[--json\]\)\n$/],
      [['trace', 'summary', 'a', 'b'], /^spanlens: expected one FILE, got 2/],
      [['trace', 'summary', '--yaml', 'a'], /^spanlens: unknown option '--yaml'/],
    ];
    for (const [argv, stderr] of cases) {
      const r = await cli(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, stderr);
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('as a child process: node --import tsx src/cli/main.ts', async () => {
  const run = promisify(execFile);
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'trace', 'summary'];
  const ok = await run(process.execPath, [...args, fixturePath('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json'), '--json'], { cwd: ROOT });
  assert.equal(ok.stdout, HOTROD_JSON);
  assert.equal(ok.stderr, '');
  await assert.rejects(run(process.execPath, [...args, fixturePath('otlp/otel-proto-example-logs.json')], { cwd: ROOT }), (e: unknown) => {
    const err = e as { code: number; stdout: string; stderr: string };
    assert.equal(err.code, 2);
    assert.equal(err.stdout, '');
    assert.match(err.stderr, /^spanlens: .*otel-proto-example-logs\.json: this is OTLP logs, not traces \(expected "resourceSpans"\)\n$/);
    return true;
  });
});
