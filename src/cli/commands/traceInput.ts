/**
 * The trace a CLI command works on: a file (any format Spanlens reads, `-` for stdin) or a trace
 * id fetched from Tempo with the connection flags. A file is tried first, so a file whose name
 * looks like hex still opens as a file.
 */
import { readFile, stat } from 'node:fs/promises';
import { decodeTraceBody } from '../../core/formats/traceBody';
import { TraceFormatError } from '../../core/model/errors';
import { normalizeTraceIdInput } from '../../core/model/traceIdInput';
import type { Trace } from '../../core/model/trace';
import { CliUsageError, type CliIO } from '../cli';
import { clientOf, connectionFrom, printable, withBackends, type ConnValues } from './connection';

export interface LoadedTrace {
  readonly trace: Trace;
  readonly from: 'file' | 'tempo';
  /** Traces the file held (the first, or the one --trace-id names, is used). */
  readonly count: number;
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    }
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message.split('\n')[0];
    throw new CliUsageError(`cannot read ${printable(path)}: ${why}`);
  }
}

async function isFile(path: string): Promise<boolean> {
  if (path === '-') return true;
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

export async function loadTraceArg(arg: string, values: ConnValues & { 'trace-id'?: string }, io: CliIO): Promise<LoadedTrace> {
  const warn = (w: string) => void io.stderr.write(`spanlens: warning: ${printable(w)}\n`);
  if (await isFile(arg)) {
    let parsed;
    try {
      parsed = decodeTraceBody(await readInput(arg)).parsed;
    } catch (e) {
      if (e instanceof TraceFormatError) throw new CliUsageError(`${printable(arg)}: ${printable(e.message)}`);
      throw e;
    }
    for (const w of parsed.warnings) warn(w);
    if (!parsed.traces.length) throw new CliUsageError(`no traces in ${printable(arg)}`);
    const want = values['trace-id'] === undefined ? undefined : normalizeTraceIdInput(values['trace-id']);
    if (values['trace-id'] !== undefined && !want) throw new CliUsageError(`--trace-id: not a trace id: ${printable(values['trace-id'])}`);
    const trace = want ? parsed.traces.find((t) => t.traceId === want) : parsed.traces[0];
    if (!trace) throw new CliUsageError(`${printable(arg)} holds no trace ${want}`);
    if (!want && parsed.traces.length > 1) warn(`${printable(arg)} holds ${parsed.traces.length} traces; showing the first (${trace.traceId}); choose another with --trace-id`);
    return { trace, from: 'file', count: parsed.traces.length };
  }
  const id = normalizeTraceIdInput(arg);
  if (!id) throw new CliUsageError(`${printable(arg)} is neither a file nor a trace id (1–32 hex digits)`);
  const got = await withBackends(connectionFrom(values), warn, async (b, signal) => clientOf(b, 'tempo').trace(id, { signal }));
  for (const w of got.warnings) warn(w);
  if (got.partial) warn(`Tempo returned only part of this trace${got.message ? `: ${got.message}` : ''}`);
  return { trace: got.trace, from: 'tempo', count: 1 };
}
