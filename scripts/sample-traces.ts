// Writes the demo workspace's sample data into a folder: generated Dynamo-shaped traces (Tempo's
// v2 JSON encoding) under traces/, and under dynamo/ a stand-in for the Dynamo checkout holding
// every source file the generated spans name (code.file.path), so span → source opens a real file
// at the span's line. Usage: node --import tsx scripts/sample-traces.ts WORKSPACE
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateTrace } from '../test/support/synth';
import { tempoEncode } from '../test/support/tempoEncode';

const ws = process.argv[2];
if (!ws) throw new Error('usage: sample-traces.ts WORKSPACE');
mkdirSync(join(ws, 'traces'), { recursive: true });
const files = new Set<string>();
for (const [name, spans, seed] of [['dynamo-request-200-spans', 200, 7], ['dynamo-request-5k-spans', 5000, 11]] as const) {
  const otlp = generateTrace({ spans, seed });
  writeFileSync(join(ws, 'traces', `${name}.tempo.json`), JSON.stringify(tempoEncode(otlp, { envelope: 'v2' })));
  for (const rs of otlp.resourceSpans as Array<{ scopeSpans: Array<{ spans: Array<{ attributes: Array<{ key: string; value: { stringValue?: string } }> }> }> }>) {
    for (const ss of rs.scopeSpans) for (const s of ss.spans) for (const a of s.attributes) if (a.key === 'code.file.path' && a.value.stringValue) files.add(a.value.stringValue);
  }
}
for (const f of files) {
  const path = join(ws, 'dynamo', f);
  if (existsSync(path)) continue; // the user may have edited it in the demo
  mkdirSync(dirname(path), { recursive: true });
  const comment = f.endsWith('.py') ? '#' : '//';
  const lines = [`${comment} ${f}: a stand-in for the Dynamo source file that the demo's spans name.`, `${comment} Spanlens opened it at the line the span's code.line.number gives.`];
  for (let i = lines.length + 1; i <= 1000; i++) lines.push(`${comment} line ${i}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}
