import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const json = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8')) as Record<string, unknown>;

/** Every `l10n.t('…')` literal in the extension sources. */
function runtimeStrings(): Set<string> {
  const dir = join(root, 'src/extension');
  const out = new Set<string>();
  for (const f of readdirSync(dir, { recursive: true }).map(String)) {
    if (!f.endsWith('.ts')) continue;
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/l10n\.t\(\s*(['"`])((?:\\.|(?!\1).)*)\1/gs)) {
      out.add(m[2]!.replace(/\\(['"`\\])/g, '$1'));
    }
  }
  return out;
}

test('every runtime string has a zh-cn translation', () => {
  const zh = json('l10n/bundle.l10n.zh-cn.json');
  const strings = runtimeStrings();
  assert.ok(strings.size > 20, `found only ${strings.size} strings: the scanner is broken`);
  const missing = [...strings].filter((s) => typeof zh[s] !== 'string' || !(zh[s] as string).trim());
  assert.deepEqual(missing, []);
});

test('every package.json %key% is in package.nls.json and package.nls.zh-cn.json', () => {
  const pkg = readFileSync(join(root, 'package.json'), 'utf8');
  const keys = [...pkg.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
  assert.ok(keys.length >= 3);
  const en = json('package.nls.json');
  const zh = json('package.nls.zh-cn.json');
  assert.deepEqual(keys.filter((k) => !(k in en)), [], 'missing in package.nls.json');
  assert.deepEqual(Object.keys(en).filter((k) => !(k in zh)), [], 'missing in package.nls.zh-cn.json');
});

test('placeholders survive translation', () => {
  const zh = json('l10n/bundle.l10n.zh-cn.json');
  for (const [en, cn] of Object.entries(zh)) {
    const ph = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort().join();
    assert.equal(ph(cn as string), ph(en), `placeholders differ for "${en}"`);
  }
});
