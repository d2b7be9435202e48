/** One plural rule for every count a user reads, and no "(s)" left in the texts that show counts. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { countOf, plural } from '../../../src/core/text/plural';
import { cli } from '../../support/cli';

const root = resolve(__dirname, '../../..');

describe('plural', () => {
  it('picks the singular for exactly one, the plural for everything else', () => {
    const forms = { one: 'one', other: 'other' };
    assert.deepEqual([0, 1, 2, 11, 21, 1.5, -1].map((n) => plural(n, forms)), ['other', 'one', 'other', 'other', 'other', 'other', 'one']);
    assert.equal(countOf(1, 'error', 'errors'), '1 error');
    assert.equal(countOf(0, 'error', 'errors'), '0 errors');
    assert.equal(countOf(2, 'file differs', 'files differ'), '2 files differ');
  });

  it('works for any value, e.g. already localized thunks', () => {
    assert.equal(plural(1, { one: () => 'a', other: () => 'b' })(), 'a');
  });

  it('the CLI counts in words: "1 error, 0 warnings"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spanlens-plural-'));
    try {
      await writeFile(join(dir, 'broken.json'), '{,}');
      const r = await cli('validate-stack', dir);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, '1 error, 0 warnings\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('no string in the CLI, the extension host or the core writes "(s)"', () => {
    // The trace view's folders are being rewritten elsewhere; they adopt plural() there.
    const skip = ['src/extension/panels/', 'src/core/flame/', 'src/core/traceWorker/'];
    const offenders: string[] = [];
    for (const dir of ['src/cli', 'src/extension', 'src/core']) {
      for (const f of readdirSync(join(root, dir), { recursive: true }).map(String)) {
        const path = `${dir}/${f}`;
        if (!f.endsWith('.ts') || skip.some((s) => path.startsWith(s))) continue;
        readFileSync(join(root, path), 'utf8')
          .split('\n')
          .forEach((line, i) => {
            for (const m of line.matchAll(/(['"`])((?:\\.|(?!\1).)*)\1/g)) {
              // Text only: a template's ${…} is code; "http(s)" is a scheme, not a count.
              if (/[a-z]\(s\)/i.test(m[2]!.replace(/\$\{[^}]*\}/g, '').replaceAll('http(s)', ''))) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
            }
          });
      }
    }
    assert.deepEqual(offenders, []);
  });
});
