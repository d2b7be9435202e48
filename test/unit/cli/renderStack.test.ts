/** `spanlens render-stack` through the CLI entry: writes, refuses to overwrite, forces, rejects bad choices. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseRenderArgs } from '../../../src/cli/commands/renderStack';
import { renderStack } from '../../../src/core/stack/render';
import { cli } from '../../support/cli';


let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'spanlens-cli-stack-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('spanlens render-stack', () => {
  it('writes the compose stack, then reports it unchanged', async () => {
    const out = join(root, 'a');
    const first = await cli('render-stack', '--out', out, '--profile', 'compose');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^new +docker-compose\.yml$/m);
    assert.equal(await readFile(join(out, 'docker-compose.yml'), 'utf8'), renderStack({ profile: 'compose' }).find((f) => f.path === 'docker-compose.yml')!.content);
    const again = await cli('render-stack', '--out', out, '--profile', 'compose');
    assert.equal(again.code, 0);
    assert.doesNotMatch(again.stdout, /^(new|changed) /m);
  });

  it('lists changed files and exits 1 without --force, writing nothing; --force overwrites', async () => {
    const out = join(root, 'b');
    await cli('render-stack', '--out', out, '--profile', 'compose');
    await writeFile(join(out, 'tempo/tempo.yaml'), 'edited: true\n');
    const refused = await cli('render-stack', '--out', out, '--profile', 'compose', '--retention', 'tempo=24h', '--diff');
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /^changed +tempo\/tempo\.yaml$/m);
    assert.match(refused.stdout, /^-edited: true$/m);
    assert.match(refused.stderr, /^spanlens: 3 existing files differ and were not overwritten; nothing was written\.$/m);
    assert.match(refused.stderr, /--force/);
    assert.equal(await readFile(join(out, 'tempo/tempo.yaml'), 'utf8'), 'edited: true\n');
    const forced = await cli('render-stack', '--out', out, '--profile', 'compose', '--retention', 'tempo=24h', '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /^wrote 3 files to .*, 15 unchanged$/m);
    assert.equal(parse(await readFile(join(out, 'tempo/tempo.yaml'), 'utf8')).compactor.compaction.block_retention, '24h');
  });

  it('counts in words: one changed file "differs", one written "file"', async () => {
    const out = join(root, 'one');
    await cli('render-stack', '--out', out, '--profile', 'compose');
    await writeFile(join(out, 'tempo/tempo.yaml'), 'edited: true\n');
    const refused = await cli('render-stack', '--out', out, '--profile', 'compose');
    assert.equal(refused.stderr, 'spanlens: 1 existing file differs and was not overwritten; nothing was written.\n  Review with --diff, then re-run with --force to overwrite it.\n');
    const forced = await cli('render-stack', '--out', out, '--profile', 'compose', '--force');
    assert.equal(forced.stderr, `wrote 1 file to ${out}, 17 unchanged\n`);
  });

  it('--dry-run plans without writing', async () => {
    const out = join(root, 'c');
    const r = await cli('render-stack', '--out', out, '--profile', 'k8s', '--dry-run');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^new +manifests\/podmonitors\.yaml$/m);
    await assert.rejects(readFile(join(out, 'README.md')));
  });

  it('maps the flags onto the options', () => {
    const a = parseRenderArgs(['--out', 'x', '--profile', 'compose', '--components', 'prometheus,grafana,tempo', '--collector', 'none', '--gpu', '--port', 'grafana=3300', '--retention', 'loki=14d', '--system-ports', '8081,8082', '--dynamo-host', 'dynamo.local']);
    assert.deepEqual(a.input.components, { prometheus: true, alertmanager: false, grafana: true, tempo: true, loki: false, nats: false, etcd: false, dcgm: true, collector: 'none' });
    assert.deepEqual(a.input.ports, { grafana: 3300 });
    assert.deepEqual(a.input.retention, { loki: '14d' });
    assert.deepEqual(a.input.dynamo, { host: 'dynamo.local', systemPorts: [8081, 8082] });
  });

  const bad: [string[], RegExp, number][] = [
    [['--profile', 'compose'], /--out DIR is required/, 2],
    [['--out', 'x', '--profile', 'swarm'], /--profile must be compose or k8s/, 2],
    [['--out', 'x', '--profile', 'compose', '--components', 'jaeger'], /unknown component 'jaeger'/, 2],
    [['--out', 'x', '--profile', 'compose', '--port', 'grafana=abc'], /not a port number/, 2],
    [['--out', 'x', '--profile', 'compose', '--frobnicate'], /Unknown option '--frobnicate'/, 2],
    [['--out', 'x', '--profile', 'compose', '--port', 'loki=3000'], /host port 3000 is used by both grafana and loki/, 2],
  ];
  for (const [args, re, code] of bad) {
    it(`refuses ${args.slice(-2).join(' ')}`, async () => {
      const r = await cli('render-stack', ...args);
      assert.equal(r.code, code);
      assert.match(r.stderr, re);
    });
  }
});
