/**
 * The benchmark's synthetic Dynamo JSONL log file, written once and reused: blocks of the
 * generator's JSONL lines for a 10k-span trace, each block under its own trace id (so the
 * worker's trace index is as large as a real file's), until the size is reached. It lives in the
 * system temp folder, named by size and a hash of the generator's source.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTraceValue } from '../src/core/formats';
import { generateTrace } from '../test/support/synth';
import { generateLogs } from '../test/support/synth/logs';
import { traceIdFor } from '../test/support/synth/prng';
import { ROOT } from './lib';

function generatorHash(): string {
  const h = createHash('sha256');
  for (const f of ['test/support/synth/dynamo.ts', 'test/support/synth/logs.ts', 'test/support/synth/prng.ts', 'bench/syntheticLogs.ts']) h.update(readFileSync(join(ROOT, f)));
  return h.digest('hex').slice(0, 12);
}

export async function syntheticLogFile(bytes: number, log: (line: string) => void): Promise<string> {
  const dir = join(tmpdir(), 'spanlens-bench-logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `dynamo-${bytes}-${generatorHash()}.jsonl`);
  if (existsSync(file)) return file;
  log(`writing a ${(bytes / 2 ** 30).toFixed(1)} GiB JSONL log file (once; reused from ${dir})`);
  const model = parseTraceValue(generateTrace({ spans: 10_000, seed: 20260101 })).traces[0]!;
  const block = `${generateLogs([model], { shape: 'jsonl', seed: 3 }).map((l) => l.line).join('\n')}\n`;
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  let written = 0;
  for (let k = 0; written < bytes; k++) {
    const text = block.replaceAll(model.traceId, traceIdFor(1_000_000 + k));
    const buf = Buffer.from(text);
    if (!out.write(buf)) await once(out, 'drain');
    written += buf.length;
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, file);
  return file;
}
