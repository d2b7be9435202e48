#!/usr/bin/env node
/**
 * `spanlens`: the command line over the same core as the extension (no `vscode` import).
 * Each subcommand lives in its own module under commands/ and registers in the table below.
 */
import { CliUsageError, type CliCommand, type CliIO } from './cli';
import { traceSummaryCommand } from './commands/traceSummary';
import { renderStackCommand } from './commands/renderStack';
import { validateStackCommand } from './commands/validateStack';
import { checkCommand } from './commands/check';
import { queryCommand } from './commands/query';
import { sourceCommand } from './commands/source';
import { traceCommand } from './commands/trace';
import { searchCommand } from './commands/search';
import { alertsCommand } from './commands/alerts';
import { targetsCommand } from './commands/targets';
import { healthCommand } from './commands/health';
import { lookupCommand } from './commands/lookup';
import { logsCommand } from './commands/logs';
import { serveCommand } from './commands/serve';

const commands: readonly CliCommand[] = [
  // one entry per subcommand, e.g. traceSummaryCommand
  traceSummaryCommand,
  traceCommand,
  sourceCommand,
  renderStackCommand,
  validateStackCommand,
  checkCommand,
  queryCommand,
  searchCommand,
  alertsCommand,
  targetsCommand,
  healthCommand,
  lookupCommand,
  logsCommand,
  serveCommand,
];

function usage(): string {
  const lines = commands.map((c) => `  spanlens ${c.usage}\n      ${c.summary}`);
  return `usage:\n${lines.join('\n')}\n`;
}

/** `io` defaults to the process streams; tests pass their own to read the output. */
export async function main(
  argv: readonly string[],
  io: CliIO = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(usage());
    return argv.length === 0 ? 2 : 0;
  }
  // Longest matching word prefix wins, so `trace summary` and `trace` can coexist.
  const match = [...commands]
    .sort((a, b) => b.words.length - a.words.length)
    .find((c) => c.words.every((w, i) => argv[i] === w));
  if (!match) {
    io.stderr.write(`spanlens: unknown command '${argv.join(' ')}'\n${usage()}`);
    return 2;
  }
  try {
    return await match.run(argv.slice(match.words.length), io);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    io.stderr.write(`spanlens: ${msg.split('\n')[0]}\n`);
    return err instanceof CliUsageError ? 2 : 1;
  }
}

/** What a shell reports for a process that SIGPIPE ended: 128 + 13. */
export const CLOSED_PIPE_STATUS = 141;

/**
 * `spanlens … | head -3`: once the reader has gone, every write fails with EPIPE. Node ignores
 * SIGPIPE, so without this the failed write surfaces as an unhandled 'error' event and a stack
 * trace. Stop at once instead, with the status a program ended by SIGPIPE has, as `cat` or `seq`
 * would: the shell prints nothing, and `set -o pipefail` still sees the cut-short writer.
 */
export function stopQuietlyOnClosedPipe(stream: NodeJS.WriteStream, exit: (code: number) => never = process.exit): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exit(CLOSED_PIPE_STATUS);
    throw err;
  });
}

if (require.main === module) {
  stopQuietlyOnClosedPipe(process.stdout);
  stopQuietlyOnClosedPipe(process.stderr);
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`spanlens: ${String(err)}\n`); process.exitCode = 1; },
  );
}
