/** Shared shapes for CLI subcommands. */

export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface CliCommand {
  /** The words that select it, e.g. ['trace', 'summary']. */
  readonly words: readonly string[];
  /** One-line synopsis after `spanlens `. */
  readonly usage: string;
  readonly summary: string;
  /** Returns the exit code: 0 ok, 1 failure, 2 bad input or usage. */
  run(args: readonly string[], io: CliIO): Promise<number>;
}

/** Bad arguments or bad input: exit code 2 with a one-line message. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
