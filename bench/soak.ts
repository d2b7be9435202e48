/**
 * Soak area: a two-minute version of `npm run soak` (test/soak) in a child process — the
 * clients under faults, cancellations and rebuilds against the fakes and a real Prometheus.
 * Figures: soak.heapGrowth.pct (after GC, end vs after warm-up), soak.requestsSettled.pct
 * (target 100), soak.leakedHandles.count (sockets, timers, listeners left after closing; target
 * 0). SPANLENS_SOAK_SECONDS changes the length.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT, type BenchArea, type Figures } from './lib';

async function run(log: (line: string) => void): Promise<Figures> {
  const seconds = Number(process.env.SPANLENS_SOAK_SECONDS ?? 120);
  log(`soak: ${seconds} s against the fakes with injected faults`);
  const stdout = await new Promise<string>((done, fail) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', resolve(ROOT, 'test/soak/run.ts'), '--seconds', String(seconds)],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      // A failed criterion exits 1 but still prints its figures: those are the result.
      (err, out, errOut) => (out.includes('RESULT ') ? done(out) : fail(new Error(`soak failed: ${errOut || err?.message}`))),
    );
    child.stderr?.on('data', (d: Buffer) => {
      for (const l of d.toString().split('\n')) if (l.trim()) log(l);
    });
  });
  const r = JSON.parse(stdout.split('\n').find((l) => l.startsWith('RESULT '))!.slice(7)) as { heapGrowthPct: number; requestsSettledPct: number; leakedHandlesCount: number };
  return { 'heapGrowth.pct': r.heapGrowthPct, 'requestsSettled.pct': r.requestsSettledPct, 'leakedHandles.count': r.leakedHandlesCount };
}

export const soakArea: BenchArea = {
  name: 'soak',
  description: 'two minutes of searches, trace fetches and log/metric queries under faults: heap, settled requests, leaked handles',
  run,
};
