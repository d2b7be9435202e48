/** writeTraceChild.ts SPANS SEED OUT: writes one synthetic trace in Tempo's v2 JSON, span by span. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { generateTrace } from '../test/support/synth';
import { writeTempoEncoded } from '../test/support/tempoEncode';

const [spans, seed, out] = process.argv.slice(2);
if (!spans || !seed || !out) throw new Error('usage: writeTraceChild.ts SPANS SEED OUT');
const fd = openSync(out, 'w');
let buffered: string[] = [];
let size = 0;
const flush = () => {
  writeSync(fd, buffered.join(''));
  buffered = [];
  size = 0;
};
writeTempoEncoded(generateTrace({ spans: Number(spans), seed: Number(seed) }), (chunk) => {
  buffered.push(chunk);
  size += chunk.length;
  if (size > 8 * 1024 * 1024) flush();
}, { envelope: 'v2', inspectedBytes: 1 });
flush();
closeSync(fd);
console.log('RESULT {}');
