/**
 * The benchmark's synthetic traces as files, written once per size and reused: a Dynamo-shaped
 * trace (test/support/synth) in Tempo's v2 JSON encoding, as rich at 1M spans as at 1k. The 1M
 * file (~800 MB) is longer than one JavaScript string, so it is written span by span in a child
 * process with a large heap. Files live in the system temp folder, named by size, seed and a
 * hash of the generator's source, so a changed generator writes new ones.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runChild } from './lib';

export const BENCH_SEED = 20260101;

function generatorHash(): string {
  const h = createHash('sha256');
  for (const f of ['test/support/synth/dynamo.ts', 'test/support/synth/prng.ts', 'test/support/tempoEncode.ts']) h.update(readFileSync(join(ROOT, f)));
  return h.digest('hex').slice(0, 12);
}

/** The path of the trace file of `spans` spans, writing it first when it is not there yet. */
export async function syntheticTraceFile(spans: number, log: (line: string) => void): Promise<string> {
  const dir = join(tmpdir(), 'spanlens-bench-traces');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `dynamo-${spans}-${BENCH_SEED}-${generatorHash()}.json`);
  if (existsSync(file)) return file;
  log(`writing a synthetic trace of ${spans} spans`);
  const partial = `${file}.partial`;
  await runChild('bench/writeTraceChild.ts', [String(spans), String(BENCH_SEED), partial], ['--max-old-space-size=16384']);
  renameSync(partial, file);
  return file;
}
