/**
 * `spanlens trace summary FILE [--json]`: one line per trace in a trace file (OTLP/JSON, Tempo
 * v1/v2, Jaeger, Zipkin; the format is recognised from the content). `--json` prints an array
 * for scripts; otherwise an aligned table for people. Warnings go to stderr so stdout stays data.
 */
import { readFile } from 'node:fs/promises';
import { parseTraceText, TraceFormatError } from '../../core/formats';
import { formatDuration } from '../../core/format/duration';
import { summarizeTrace, type TraceSummary } from '../../core/model/summary';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';

const USAGE = 'trace summary FILE [--json]';

/** Names and services come from the file: control characters must not reach the terminal. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** JSON.stringify leaves DEL and C1 controls raw; escaping them keeps the same JSON value. */
function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}


export function summaryTable(summaries: readonly TraceSummary[]): string {
  const header = ['TRACE ID', 'SPANS', 'SERVICES', 'ERRORS', 'DEPTH', 'ROOTS', 'DURATION', 'ROOT'];
  const rows = summaries.map((s) => [
    s.traceId,
    String(s.spanCount),
    String(s.services.length),
    String(s.errorCount),
    String(s.maxDepth),
    String(s.rootCount),
    formatDuration(s.durationMs * 1e6),
    s.root ? printable(`${s.root.service}: ${s.root.name}`) : '(no spans)',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = new Set([1, 2, 3, 4, 5, 6]);
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

function parseArgs(args: readonly string[]): { file: string; json: boolean } {
  let json = false;
  const files: string[] = [];
  let options = true;
  for (const a of args) {
    if (options && a === '--') options = false;
    else if (options && a === '--json') json = true;
    else if (options && a.startsWith('-') && a !== '-') throw new CliUsageError(`unknown option '${printable(a)}' (usage: spanlens ${USAGE})`);
    else files.push(a);
  }
  if (files.length !== 1) throw new CliUsageError(`expected one FILE, got ${files.length} (usage: spanlens ${USAGE})`);
  return { file: files[0]!, json };
}

async function readText(file: string): Promise<string> {
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' :
      code === 'EISDIR' ? 'it is a directory' :
      code === 'EACCES' || code === 'EPERM' ? 'permission denied' :
      code === 'ERR_STRING_TOO_LONG' ? 'the file is too large to read as text' :
      (e as Error).message.split('\n')[0];
    throw new CliUsageError(`cannot read ${printable(file)}: ${why}`);
  }
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const { file, json } = parseArgs(args);
  const text = await readText(file);
  let parsed;
  try {
    parsed = parseTraceText(text);
  } catch (e) {
    if (e instanceof TraceFormatError) throw new CliUsageError(`${printable(file)}: ${printable(e.message)}`);
    throw e;
  }
  for (const w of parsed.warnings) io.stderr.write(`spanlens: warning: ${printable(w)}\n`);
  const summaries = parsed.traces.map((t) => summarizeTrace(t));
  if (json) io.stdout.write(`${safeJson(summaries)}\n`);
  else io.stdout.write(summaries.length ? summaryTable(summaries) : `no traces in ${printable(file)}\n`);
  return 0;
}

export const traceSummaryCommand: CliCommand = {
  words: ['trace', 'summary'],
  usage: USAGE,
  summary: 'Summarise the traces in an OTLP/Tempo/Jaeger/Zipkin JSON file (- for stdin): spans, services, root, duration, errors, depth',
  run,
};
