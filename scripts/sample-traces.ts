// Writes generated Dynamo-shaped traces (Tempo's v2 JSON encoding) into a folder, for the
// demo workspace. Usage: node --import tsx scripts/sample-traces.ts DIR
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTrace } from '../test/support/synth';
import { tempoEncode } from '../test/support/tempoEncode';

const dir = process.argv[2];
if (!dir) throw new Error('usage: sample-traces.ts DIR');
for (const [name, spans, seed] of [['dynamo-request-200-spans', 200, 7], ['dynamo-request-5k-spans', 5000, 11]] as const) {
  writeFileSync(join(dir, `${name}.tempo.json`), JSON.stringify(tempoEncode(generateTrace({ spans, seed }), { envelope: 'v2' })));
}
