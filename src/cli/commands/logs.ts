/**
 * `spanlens logs <file> [--workspace DIR] [--json]`: a log file read the way the editor's log
 * list reads it — Dynamo JSONL, bare or behind `docker compose logs` / `kubectl logs --prefix`
 * prefixes, other lines kept as plain entries. Readable by default; `--json` prints an array of
 * log entries in file order (see logOutput.ts), streamed, so a file of any size fits.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { parseLogFileLine } from '../../core/formats/dynamoJsonl';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';
import { parseArgs } from 'node:util';
import { printable } from './connection';
import { logJson, logText, safeJson, workspaceSources } from './logOutput';

const USAGE = 'logs <FILE> [--workspace DIR] [--json]';
const OPTIONS = { workspace: { type: 'string' }, json: { type: 'boolean' } } as const;

export async function workspaceRoot(dir: string | undefined): Promise<string> {
  try {
    return await realpath(resolvePath(dir ?? '.'));
  } catch {
    throw new CliUsageError(`--workspace: no such folder: ${printable(dir ?? '.')}`);
  }
}

/** Writes and waits when the stream is full, so a 1 GB file does not pile up in memory. */
async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((r) => out.once('drain', r));
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliUsageError(`${(err as Error).message.split('\n')[0]} (usage: spanlens ${USAGE})`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new CliUsageError(`expected one log file (usage: spanlens ${USAGE})`);
  const file = positionals[0]!;
  const st = await stat(file).catch(() => undefined);
  if (!st) throw new CliUsageError(`cannot read ${printable(file)}: no such file`);
  if (!st.isFile()) throw new CliUsageError(`cannot read ${printable(file)}: it is not a file`);
  const root = await workspaceRoot(values.workspace);
  const sources = workspaceSources(root);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let previous = 0n;
  let n = 0;
  if (values.json) await write(io.stdout, '[');
  try {
    for await (const raw of lines) {
      const e = parseLogFileLine(raw, n, previous);
      previous = e.timestampNs;
      if (values.json) await write(io.stdout, `${n ? ',' : ''}\n  ${safeJson(await logJson(e, sources))}`);
      else await write(io.stdout, `${logText(e, await sources(e.source))}\n`);
      n++;
    }
  } catch (err) {
    throw new CliUsageError(`cannot read ${printable(file)}: ${(err as Error).message}`);
  }
  if (values.json) await write(io.stdout, `${n ? '\n' : ''}]\n`);
  return 0;
}

export const logsCommand: CliCommand = {
  words: ['logs'],
  usage: USAGE,
  summary: 'Read a log file (Dynamo JSONL, docker compose / kubectl logs output): time, level, message, source',
  run,
};
