/**
 * `spanlens source <trace-file|id> <span-id> [--workspace DIR] [--map FROM=TO …] [--json]`: where
 * the code that produced a span is, as `path:line` inside DIR (default: the current folder), by
 * the same resolution as the editor's span → source (code.* attributes, events, stack frames;
 * `--map` is the editor's `spanlens.source.pathMappings`, `${workspaceFolder}` being DIR; then
 * the longest path suffix). JSON: `[{"path","line","from","name"}]`.
 */
import { realpath } from 'node:fs/promises';
import { basename, resolve as resolvePath } from 'node:path';
import { spanIdToHex } from '../../core/model/ids';
import { spanCodeLocations } from '../../core/source/locations';
import { nodeSourceFs } from '../../core/source/nodeFs';
import { expandPathMappings } from '../../core/source/mappings';
import { resolveSourcePath } from '../../core/source/resolve';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';
import { CONNECTION_USAGE, parse, printable } from './connection';
import { loadTraceArg } from './traceInput';

const USAGE = `source <trace-id|FILE> <span-id> [--workspace DIR] [--map FROM=TO ...] [--trace-id ID] ${CONNECTION_USAGE}`;
const EXTRA = { workspace: { type: 'string' }, 'trace-id': { type: 'string' }, map: { type: 'string', multiple: true } } as const;

/** `--map FROM=TO` values as the setting's entries; the first `=` splits, so TO may hold more. */
function mapsFrom(values: readonly string[]): Array<{ from: string; to: string }> {
  return values.map((v) => {
    const i = v.indexOf('=');
    if (i <= 0 || i === v.length - 1) throw new CliUsageError(`--map: expected FROM=TO, got ${printable(v)}`);
    return { from: v.slice(0, i), to: v.slice(i + 1) };
  });
}

const WHY: Record<string, string> = {
  parent: 'the path climbs out with ".."',
  scheme: 'it is a URI, not a workspace file',
  unc: 'network and device paths are not opened',
  symlink: 'it leads outside the workspace through a symbolic link',
  outside: 'it is outside the workspace and no workspace file matches it',
  empty: 'it is not a usable path',
};

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, EXTRA, USAGE);
  if (positionals.length !== 2) throw new CliUsageError(`expected a trace (id or FILE) and a span id (usage: spanlens ${USAGE})`);
  const spanId = spanIdToHex(positionals[1]!.trim());
  if (!spanId) throw new CliUsageError(`not a span id: ${printable(positionals[1]!)} (16 hex digits)`);
  let root: string;
  try {
    root = await realpath(resolvePath(values.workspace ?? '.'));
  } catch {
    throw new CliUsageError(`--workspace: no such folder: ${printable(values.workspace ?? '.')}`);
  }
  const { trace } = await loadTraceArg(positionals[0]!, values, io);
  const span = trace.spans.find((s) => s.spanId === spanId);
  if (!span) throw new CliUsageError(`trace ${trace.traceId} has no span ${spanId}`);
  const locations = spanCodeLocations(span);
  const mappings = expandPathMappings(mapsFrom((values as { map?: string[] }).map ?? []), [{ name: basename(root), path: root }]);
  const fs = nodeSourceFs(root);
  const found: Array<{ path: string; line: number | null; from: string; name: string }> = [];
  const problems: string[] = [];
  for (const loc of locations) {
    if (!loc.path) {
      problems.push(`${loc.function ?? loc.name}: names a function but no file`);
      continue;
    }
    const r = await resolveSourcePath({ path: loc.path, roots: [root], mappings, fs });
    if (r.ok) {
      for (const f of r.files) if (!found.some((x) => x.path === f.path && x.line === (loc.line ?? null))) found.push({ path: f.path, line: loc.line ?? null, from: loc.from, name: loc.name });
    } else problems.push(`${loc.path}: ${r.refused ? WHY[r.refused] : 'no file in the workspace matches it'}`);
  }
  if (values.json) io.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
  else for (const f of found) io.stdout.write(`${printable(f.path)}${f.line ? `:${f.line}` : ''}\n`);
  if (!found.length) {
    const why = locations.length ? [...new Set(problems)].map((p) => `  ${printable(p)}`).join('\n') : '  the span has no code.* attributes or stack trace';
    io.stderr.write(`spanlens: no source for span ${spanId} (${printable(span.name)}) in ${printable(root)}:\n${why}\n`);
    return 1;
  }
  return 0;
}

export const sourceCommand: CliCommand = {
  words: ['source'],
  usage: USAGE,
  summary: 'Where the code behind a span is: path:line inside the workspace folder',
  run,
};
