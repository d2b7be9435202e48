/**
 * `spanlens validate-stack DIR [--json]`: checks a stack folder (rendered or hand-edited) with the
 * pure checks and with promtool / amtool. Prints `file:line:col: severity: message`; exit 1 when
 * any error is found, 0 otherwise (warnings, such as a missing tool, do not fail).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readStackDir } from '../../core/stack/folder';
import { validateFiles, type StackProblem } from '../../core/stack/validate';
import { validateWithTools } from '../../core/stack/validateTools';
import { countOf } from '../../core/text/plural';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';

const USAGE = 'validate-stack DIR [--json]';

/** Tool output and file names must not drive the terminal. */
const printable = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');

export function formatProblem(p: StackProblem): string {
  const where = `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}`;
  return printable(`${where}: ${p.severity}: ${p.message} [${p.source}]`);
}

export async function validateStackDir(dir: string): Promise<StackProblem[]> {
  const files = await readStackDir(dir);
  if (!files.length) throw new CliUsageError(`no stack files (YAML, JSON, Alloy) under ${dir}`);
  return [...validateFiles(files), ...(await validateWithTools(dir, files))];
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown) throw new CliUsageError(`unknown option '${printable(unknown)}' (usage: spanlens ${USAGE})`);
  if (rest.length !== 1) throw new CliUsageError(`give one folder (usage: spanlens ${USAGE})`);
  const dir = resolve(rest[0]!);
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new CliUsageError(`${rest[0]} is not a folder`);
  const problems = await validateStackDir(dir);
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (json) io.stdout.write(`${JSON.stringify(problems, null, 2)}\n`);
  else {
    for (const p of problems) io.stdout.write(`${formatProblem(p)}\n`);
    io.stderr.write(`${countOf(errors, 'error', 'errors')}, ${countOf(problems.length - errors, 'warning', 'warnings')}\n`);
  }
  return errors ? 1 : 0;
}

export const validateStackCommand: CliCommand = {
  words: ['validate-stack'],
  usage: USAGE,
  summary: 'Check a stack folder: YAML/JSON, Compose schema, ports, datasource uids, promtool (config, rules, unit tests, dashboard PromQL) and amtool.',
  run,
};
