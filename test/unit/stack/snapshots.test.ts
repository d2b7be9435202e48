/**
 * Snapshot tests: the rendered files of three configurations, committed under __snapshots__/ as
 * plain files so a reviewer sees every change a template edit makes. To accept a change:
 *   UPDATE_STACK_SNAPSHOTS=1 node scripts/run-tests.mjs unit test/unit/stack/snapshots.test.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { renderStack } from '../../../src/core/stack/render';
import type { StackOptionsInput } from '../../../src/core/stack/options';
import { unifiedDiff } from '../../../src/core/stack/write';

const ROOT = join(__dirname, '__snapshots__');
const UPDATE = process.env['UPDATE_STACK_SNAPSHOTS'] === '1';

const CASES: Record<string, StackOptionsInput> = {
  'compose-default': { profile: 'compose' },
  'compose-alloy-gpu': { profile: 'compose', components: { collector: 'alloy', dcgm: true }, ports: { grafana: 3300 }, retention: { tempo: '24h' } },
  'k8s-default': { profile: 'k8s' },
};

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }).map(String);
  } catch {
    return out;
  }
  for (const n of names.sort()) {
    const abs = join(dir, n);
    try {
      out.set(relative(dir, abs).split(sep).join('/'), readFileSync(abs, 'utf8'));
    } catch {
      // a directory
    }
  }
  return out;
}

describe('stack snapshots', () => {
  for (const [name, input] of Object.entries(CASES)) {
    it(name, () => {
      const dir = join(ROOT, name);
      const files = renderStack(input);
      if (UPDATE) {
        rmSync(dir, { recursive: true, force: true });
        for (const f of files) {
          mkdirSync(dirname(join(dir, f.path)), { recursive: true });
          writeFileSync(join(dir, f.path), f.content);
        }
      }
      const stored = readTree(dir);
      assert.ok(stored.size > 0, `no snapshot for ${name}: run with UPDATE_STACK_SNAPSHOTS=1`);
      assert.deepEqual(files.map((f) => f.path), [...stored.keys()], 'the set of files changed');
      for (const f of files) {
        const before = stored.get(f.path)!;
        assert.ok(before === f.content, `${f.path} changed (UPDATE_STACK_SNAPSHOTS=1 to accept):\n${unifiedDiff(f.path, before, f.content)}`);
      }
    });
  }
});
