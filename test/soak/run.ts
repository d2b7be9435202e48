/**
 * `npm run soak [-- --minutes 60 | --seconds N] [--concurrency 4] [--seed S] [--json]`: the soak
 * of soak.ts, an hour by default (not part of npm test). Passes when every request settled,
 * none failed with an untyped error, the heap after GC grew less than 10 %, and nothing was
 * left alive; prints `RESULT {json}` for bench/soak.ts. Exit 1 on a failed criterion.
 */
import { parseArgs } from 'node:util';
import { runSoak } from './soak';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { minutes: { type: 'string' }, seconds: { type: 'string' }, concurrency: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } } });
  const seconds = values.seconds !== undefined ? Number(values.seconds) : Number(values.minutes ?? 60) * 60;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    process.stderr.write('usage: npm run soak -- [--minutes M | --seconds S] [--concurrency N] [--seed S]\n');
    return 2;
  }
  const r = await runSoak({
    durationMs: seconds * 1000,
    concurrency: values.concurrency === undefined ? undefined : Number(values.concurrency),
    seed: values.seed === undefined ? undefined : Number(values.seed),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const { heapGrowthPct, requestsSettledPct, leakedHandlesCount } = r.figures;
  process.stderr.write(
    `soak: ${Math.round(r.durationMs / 1000)} s, ${r.started} requests (${requestsSettledPct.toFixed(2)} % settled), ${r.faults} faults, ${r.rebuilds} client rebuilds\n` +
      `soak: heap ${(r.heapStartBytes / 1048576).toFixed(1)} → ${(r.heapEndBytes / 1048576).toFixed(1)} MB after GC (${heapGrowthPct.toFixed(1)} %), leftover ${JSON.stringify(r.leftover)}, listener warnings ${r.maxListenerWarnings}\n` +
      `soak: by operation ${JSON.stringify(r.byOperation)}\n`,
  );
  for (const u of r.unexpected.slice(0, 20)) process.stderr.write(`soak: UNTYPED ${u}\n`);
  process.stdout.write(`RESULT ${JSON.stringify({ ...r.figures, started: r.started, unexpected: r.unexpected.length })}\n`);
  const failed: string[] = [];
  if (requestsSettledPct < 100) failed.push('not every request settled');
  if (r.unexpected.length) failed.push(`${r.unexpected.length} untyped failures`);
  if (Math.abs(heapGrowthPct) > 10) failed.push(`heap changed ${heapGrowthPct.toFixed(1)} %`);
  if (leakedHandlesCount > 0) failed.push(`${leakedHandlesCount} leaked handles/listeners`);
  process.stderr.write(failed.length ? `soak: FAILED: ${failed.join('; ')}\n` : 'soak: passed\n');
  return failed.length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
