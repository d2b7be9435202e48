/**
 * Logs area (keys under `logs.`, shared with the log list's own figures):
 *   logs.link.100k.ms             linking 100k log lines to the spans of a 10k-span trace
 *                                 (half by span_id, half by trace id and time); target ≤ 100 ms
 *   logs.openFile.1gb.ms          opening a 1 GB Dynamo JSONL file through the log worker
 *                                 (dist/logWorker.js as shipped) until its first lines are on the
 *                                 host's thread; target ≤ 1,000 ms
 *   logs.openFileHostBlocked.1gb.ms  the longest stall of the host's thread from that open until
 *                                 the whole file is indexed; target ≤ 50 ms
 *   logs.busyWorkerHostBlocked.1gb.ms  the same stall while a worker does nothing but burn CPU
 *                                 for as long: what the machine's other load alone costs the host
 *   logs.indexFile.1gb.ms         until the whole file is indexed (search and "lines of a trace"
 *                                 are complete from then on)
 *   logs.fileLines.1gb.count      lines in the file
 * The 1 GB file is written once into the system temp folder and reused.
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runChild, type BenchArea, type Figures } from './lib';
import { syntheticLogFile } from './syntheticLogs';

const GB = 1024 ** 3;

async function run(log: (line: string) => void): Promise<Figures> {
  log('logs: linking 100k lines to 10k spans');
  const link = (await runChild('bench/logsChild.ts', ['link'], ['--max-old-space-size=4096'])).result;
  const file = await syntheticLogFile(GB, log);
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-bench-'));
  try {
    const workerJs = join(dir, 'logWorker.js');
    buildSync({ entryPoints: [join(ROOT, 'src/extension/logs/logWorker.ts')], outfile: workerJs, bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
    log('logs: opening the 1 GB file through the log worker');
    const open = (await runChild('bench/logsChild.ts', ['open', workerJs, file])).result;
    return {
      'logs.link.100k.ms': link.link!,
      'logs.openFile.1gb.ms': open.firstLines!,
      'logs.openFileHostBlocked.1gb.ms': open.hostBlocked!,
      'logs.busyWorkerHostBlocked.1gb.ms': open.baseline!,
      'logs.indexFile.1gb.ms': open.indexed!,
      'logs.fileLines.1gb.count': open.lines!,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const logsArea: BenchArea = {
  name: 'logsCore',
  keyAreas: ['logs'],
  sharesKeyAreas: true,
  description: 'log ↔ span linking at 100k lines, and a 1 GB JSONL file opened through the log worker',
  run,
};
