/**
 * One measurement of the trace area in a fresh process (spawned by bench/trace.ts):
 *   time FILE    medians of JSON.parse, decode (parseTraceText) and layoutTrace
 *   memory FILE  heap from reading the text through decode and layout (run with --trace-gc)
 * Prints `RESULT {json}` on its last line.
 */
import { readFileSync } from 'node:fs';
import { layoutTrace } from '../src/core/flame/layout';
import { parseTraceText } from '../src/core/formats';
import { gc, median, timeOnce } from './lib';

const MiB = 1024 * 1024;
const [mode, file] = process.argv.slice(2);
if (!file || (mode !== 'time' && mode !== 'memory')) throw new Error('usage: traceChild.ts time|memory FILE');

if (mode === 'time') {
  const text = readFileSync(file, 'utf8');
  const bytes = Buffer.byteLength(text);
  // Fewer repetitions for big inputs keep a run under a minute; medians damp the outliers.
  const runs = bytes > 20e6 ? 9 : bytes > 2e6 ? 15 : 41;
  const parse: number[] = [];
  const decode: number[] = [];
  const layout: number[] = [];
  for (let i = -2; i < runs; i++) {
    // Interleaved, so drift in the machine's state hits every figure alike.
    const [p] = timeOnce(() => JSON.parse(text));
    const [d, parsed] = timeOnce(() => parseTraceText(text));
    const trace = parsed.traces[0]!;
    const [l] = timeOnce(() => layoutTrace(trace));
    if (i < 0) continue; // warm-up
    parse.push(p);
    decode.push(d);
    layout.push(l);
  }
  console.log(`RESULT ${JSON.stringify({ bytes, jsonParse: median(parse), decode: median(decode), layout: median(layout) })}`);
} else {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let text: string | undefined = readFileSync(file, 'utf8');
  const parsed = parseTraceText(text);
  const layout = layoutTrace(parsed.traces[0]!);
  const atEnd = process.memoryUsage().heapUsed;
  text = undefined; // what stays once the response text is dropped: the model and its layout
  gc();
  const retained = process.memoryUsage().heapUsed;
  if (!layout.count || !parsed.traces.length) throw new Error('empty trace'); // also keeps both alive through the GC
  console.log(`RESULT ${JSON.stringify({ baselineMiB: baseline / MiB, atEndMiB: atEnd / MiB, retainedMiB: (retained - baseline) / MiB })}`);
}
