/** `spanlens render-stack` then `spanlens validate-stack` as child processes, with the real tools. */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireBinary } from './harness';

const ROOT = resolve(__dirname, '..', '..', '..');
let dir: string;

function spanlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

before(async () => {
  requireBinary('promtool', 'prometheus');
  requireBinary('amtool', 'prometheus-alertmanager');
  dir = await mkdtemp(join(tmpdir(), 'spanlens-cli-validate-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a rendered stack validates clean; a broken one fails with file:line', async () => {
  const out = join(dir, 'stack');
  const r = await spanlens('render-stack', '--out', out, '--profile', 'compose', '--gpu');
  assert.equal(r.code, 0, r.stderr);
  const ok = await spanlens('validate-stack', out);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stderr, /^0 errors, 0 warnings$/m);

  const rules = join(out, 'prometheus/rules/dynamo-alerts.yml');
  await writeFile(rules, (await readFile(rules, 'utf8')).replace('severity: critical', 'severity: [critical'));
  const bad = await spanlens('validate-stack', out);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /^prometheus\/rules\/dynamo-alerts\.yml:\d+:\d+: error: .* \[yaml\]$/m);

  const json = await spanlens('validate-stack', out, '--json');
  assert.ok((JSON.parse(json.stdout) as { severity: string }[]).some((p) => p.severity === 'error'));
});
