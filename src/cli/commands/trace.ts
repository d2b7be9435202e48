/**
 * `spanlens trace <id|file>`: the span tree with durations, for a terminal; `--json` prints the
 * summary; `--critical-path` prints the chain of spans that made the request as slow as it was
 * (with `--json`: `[{"spanId","start","end"}]`, Unix ns as decimal strings, in time order).
 */
import { criticalPath } from '../../core/flame/criticalPath';
import { formatDuration } from '../../core/format/duration';
import { buildSpanTree, childrenOf, type SpanTree } from '../../core/model/spanTree';
import { summarizeTrace } from '../../core/model/summary';
import type { Trace } from '../../core/model/trace';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';
import { CONNECTION_USAGE, parse, printable } from './connection';
import { loadTraceArg } from './traceInput';

const USAGE = `trace <trace-id|FILE> [--critical-path] [--max-depth N] [--trace-id ID] ${CONNECTION_USAGE}`;
const EXTRA = { 'critical-path': { type: 'boolean' }, 'max-depth': { type: 'string' }, 'trace-id': { type: 'string' } } as const;

function line(trace: Trace, tree: SpanTree, i: number): string {
  const s = trace.spans[i]!;
  const dur = formatDuration(tree.end[i]! - tree.start[i]!);
  const at = `+${formatDuration(tree.start[i]!)}`;
  const error = s.status.code === 'error' ? `  ERROR${s.status.message ? `: ${s.status.message}` : ''}` : '';
  const orphan = tree.missingParent[i] ? '  (parent not in this trace)' : '';
  return printable(`${s.name || '(no name)'}  ${s.resource.serviceName}  ${dur}  ${at}${error}${orphan}`);
}

/** The tree, drawn with box characters, iteratively (traces nest thousands deep). */
export function treeText(trace: Trace, tree: SpanTree, maxDepth = Infinity): string {
  const out: string[] = [];
  const stack: Array<{ span: number; prefix: string; last: boolean; depth: number }> = [];
  for (let r = tree.roots.length - 1; r >= 0; r--) stack.push({ span: tree.roots[r]!, prefix: '', last: true, depth: 0 });
  while (stack.length) {
    const { span, prefix, last, depth } = stack.pop()!;
    const branch = depth === 0 ? '' : last ? '└─ ' : '├─ ';
    out.push(`${prefix}${branch}${line(trace, tree, span)}`);
    const kids = childrenOf(tree, span);
    if (!kids.length) continue;
    const childPrefix = depth === 0 ? '' : `${prefix}${last ? '   ' : '│  '}`;
    if (depth + 1 > maxDepth) {
      out.push(`${childPrefix}└─ … ${kids.length} more below`);
      continue;
    }
    for (let k = kids.length - 1; k >= 0; k--) stack.push({ span: kids[k]!, prefix: childPrefix, last: k === kids.length - 1, depth: depth + 1 });
  }
  return `${out.join('\n')}\n`;
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, EXTRA, USAGE);
  if (positionals.length !== 1) throw new CliUsageError(`expected one trace id or FILE (usage: spanlens ${USAGE})`);
  let maxDepth = Infinity;
  if (values['max-depth'] !== undefined) {
    maxDepth = Number(values['max-depth']);
    if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new CliUsageError('--max-depth must be a whole number');
  }
  const { trace } = await loadTraceArg(positionals[0]!, values, io);
  const tree = buildSpanTree(trace);
  if (values['critical-path']) {
    const path = criticalPath(tree);
    if (values.json) {
      const abs = (ns: number) => (tree.traceStart + BigInt(Math.round(ns))).toString();
      io.stdout.write(`${JSON.stringify(path.map((p) => ({ spanId: trace.spans[p.span]!.spanId, start: abs(p.start), end: abs(p.end) })), null, 2)}\n`);
    } else {
      const rows = path.map((p) => {
        const s = trace.spans[p.span]!;
        return printable(`+${formatDuration(p.start).padEnd(10)} ${formatDuration(p.end - p.start).padStart(10)}  ${s.name}  ${s.resource.serviceName}`);
      });
      io.stdout.write(`${rows.join('\n')}\n`);
    }
    return 0;
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(summarizeTrace(trace, tree), null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
    return 0;
  }
  const sum = summarizeTrace(trace, tree);
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  io.stdout.write(`trace ${trace.traceId} · ${plural(sum.spanCount, 'span', 'spans')} · ${plural(sum.services.length, 'service', 'services')} · ${plural(sum.errorCount, 'error', 'errors')} · ${formatDuration(tree.durationNs)}\n`);
  io.stdout.write(treeText(trace, tree, maxDepth));
  return 0;
}

export const traceCommand: CliCommand = {
  words: ['trace'],
  usage: USAGE,
  summary: 'Print a trace (a file, or an id fetched from Tempo) as a tree with durations; --critical-path for what made it slow',
  run,
};
