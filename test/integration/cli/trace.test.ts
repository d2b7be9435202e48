/**
 * `spanlens trace` and `spanlens source` on files and on ids fetched from the Tempo fake.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTraceValue } from '../../../src/core/formats';
import { startTempoFake, type TempoFake } from '../../fakes/tempo';
import { cli } from '../../support/cli';
import { fixturePath } from '../../support/fixtures';
import { generateTrace } from '../../support/synth';

const HOTROD = fixturePath('otlp/jaeger-hotrod-dispatch-40spans-serial.otlp.json');

describe('spanlens trace / source', { timeout: 120_000 }, () => {
  let tempo: TempoFake;
  let ws: string;
  const otlp = generateTrace({ spans: 60, seed: 21 });
  const model = parseTraceValue(otlp).traces[0]!;

  before(async () => {
    tempo = await startTempoFake({ traces: [{ otlp }] });
    ws = realpathSync(mkdtempSync(join(tmpdir(), 'spanlens-src-')));
  });
  after(async () => {
    await tempo?.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('prints a file as a tree with durations, errors and depth limits', async () => {
    const r = await cli('trace', HOTROD, '--max-depth', '1');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^trace fe65c5beefbe4e96119efbba3da07e99 · 40 spans · 6 services · 3 errors · 1\.12 s$/);
    assert.match(lines[1]!, /^GET \/dispatch {2}frontend {2}1\.12 s {2}\+0 ns$/);
    assert.match(r.stdout, /├─ HTTP GET {2}frontend {2}312 ms/);
    assert.match(r.stdout, /└─ … 1 more below/);
    const full = await cli('trace', HOTROD);
    assert.equal(full.stdout.trim().split('\n').length, 41, 'a header and one line per span');
    assert.match(full.stdout, /GetDriver {2}redis-manual .* ERROR: An error occurred/);
  });

  it('--json is the summary; --critical-path --json lists spans with exact Unix ns, in time order', async () => {
    const s = JSON.parse((await cli('trace', HOTROD, '--json')).stdout);
    assert.deepEqual([s.spanCount, s.root.name, s.errorCount], [40, 'GET /dispatch', 3]);
    const cp = JSON.parse((await cli('trace', HOTROD, '--critical-path', '--json')).stdout) as Array<{ spanId: string; start: string; end: string }>;
    assert.ok(cp.length > 3);
    for (const seg of cp) {
      assert.match(seg.spanId, /^[0-9a-f]{16}$/);
      assert.match(seg.start, /^\d{19}$/);
      assert.ok(BigInt(seg.end) > BigInt(seg.start));
    }
    for (let i = 1; i < cp.length; i++) assert.equal(cp[i]!.start, cp[i - 1]!.end, 'segments follow each other');
    assert.equal(cp[0]!.spanId, '9c3834fb5a6fea99', 'it starts in the root');
  });

  it('fetches an id from Tempo with the connection flags', async () => {
    const r = await cli('trace', model.traceId, '--tempo', tempo.url, '--critical-path');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /http-request {2}dynamo-frontend/);
    const missing = await cli('trace', 'abcdef', '--tempo', tempo.url);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not found/i);
    const bad = await cli('trace', 'not-hex-and-not-a-file');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /neither a file nor a trace id/);
  });

  it('source: code.* paths from a container resolve by suffix inside --workspace; refusals are explained', async () => {
    // Every synthetic span names a file under the Dynamo tree; put those files in the workspace.
    const files = new Set<string>();
    for (const s of model.spans) for (const a of s.attributes) if (a.key === 'code.file.path' && typeof a.value === 'string') files.add(a.value);
    assert.ok(files.size > 0);
    for (const f of files) {
      const rel = f.replace(/^\/opt\/dynamo\//, '').replace(/^\/+/, '');
      mkdirSync(join(ws, rel, '..'), { recursive: true });
      writeFileSync(join(ws, rel), '// code\n'.repeat(400));
    }
    const span = model.spans.find((s) => s.attributes.some((a) => a.key === 'code.file.path'))!;
    const file = join(ws, 'trace.json');
    writeFileSync(file, JSON.stringify(otlp));
    const r = await cli('source', file, span.spanId, '--workspace', ws, '--json');
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout) as Array<{ path: string; line: number; from: string; name: string }>;
    assert.ok(got.length >= 1);
    assert.ok(got[0]!.path.startsWith(ws), got[0]!.path);
    assert.equal(got[0]!.from, 'span');
    assert.equal(got[0]!.name, span.name);
    assert.equal(typeof got[0]!.line, 'number');
    const text = await cli('source', model.traceId, span.spanId, '--workspace', ws, '--tempo', tempo.url);
    assert.match(text.stdout, new RegExp(`^${ws.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+:\\d+\n`));
    const empty = mkdtempSync(join(tmpdir(), 'spanlens-empty-'));
    try {
      const none = await cli('source', file, span.spanId, '--workspace', empty);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /no source for span .*\n  lib\/llm\/src\/http\/service\/openai.rs: no file in the workspace matches it\n$/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    assert.equal((await cli('source', file, 'zz', '--workspace', ws)).code, 2);
  });

  it('source --map: a build path maps into the workspace as the editor\'s pathMappings do, where the suffix alone is ambiguous', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanlens-map-'));
    try {
      const root = realpathSync(dir);
      for (const at of ['checkout', 'vendor/old-copy']) {
        mkdirSync(join(root, at, 'lib/llm/src'), { recursive: true });
        writeFileSync(join(root, at, 'lib/llm/src/engine.rs'), '// engine\n'.repeat(40));
      }
      const one = {
        resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'dynamo-worker' } }] }, scopeSpans: [{ spans: [{
          traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'generate', startTimeUnixNano: '1', endTimeUnixNano: '2',
          attributes: [{ key: 'code.file.path', value: { stringValue: '/opt/dynamo/lib/llm/src/engine.rs' } }, { key: 'code.line.number', value: { intValue: '12' } }],
        }] }] }],
      };
      const file = join(root, 'one.json');
      writeFileSync(file, JSON.stringify(one));
      const bySuffix = await cli('source', file, 'b7ad6b7169203331', '--workspace', root);
      assert.equal(bySuffix.code, 0, bySuffix.stderr);
      assert.deepEqual(bySuffix.stdout.trim().split('\n').sort(), [`${root}/checkout/lib/llm/src/engine.rs:12`, `${root}/vendor/old-copy/lib/llm/src/engine.rs:12`]);
      const mapped = await cli('source', file, 'b7ad6b7169203331', '--workspace', root, '--map', '/opt/dynamo=${workspaceFolder}/checkout', '--json');
      assert.equal(mapped.code, 0, mapped.stderr);
      assert.deepEqual(JSON.parse(mapped.stdout), [{ path: `${root}/checkout/lib/llm/src/engine.rs`, line: 12, from: 'span', name: 'generate' }]);
      const bad = await cli('source', file, 'b7ad6b7169203331', '--workspace', root, '--map', '/opt/dynamo');
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--map: expected FROM=TO/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
