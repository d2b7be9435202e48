/** One line about a trace: what `spanlens trace summary` prints and lists show. Pure. */
import { buildSpanTree } from './spanTree';
import type { Trace } from './trace';

export interface TraceSummary {
  readonly traceId: string;
  readonly spanCount: number;
  /** Distinct service names, sorted. */
  readonly services: readonly string[];
  /** The earliest-starting span whose parent is not in the trace; null if every span has one (a cycle). */
  readonly root: { readonly name: string; readonly service: string } | null;
  readonly rootCount: number;
  /** Latest end minus earliest start, in milliseconds. */
  readonly durationMs: number;
  readonly errorCount: number;
  /** Longest parent chain from a root (roots are 0). */
  readonly maxDepth: number;
}

export function summarizeTrace(trace: Trace): TraceSummary {
  const spans = trace.spans;
  const tree = buildSpanTree(trace);
  const services = new Set<string>();
  let errorCount = 0;
  let min: bigint | undefined;
  let max: bigint | undefined;
  for (const s of spans) {
    services.add(s.resource.serviceName);
    if (s.status.code === 'error') errorCount++;
    if (min === undefined || s.start < min) min = s.start;
    if (max === undefined || s.end > max) max = s.end;
  }
  let root: number | undefined;
  for (const r of tree.roots) if (root === undefined || spans[r]!.start < spans[root]!.start) root = r;
  const rootSpan = root === undefined ? undefined : spans[root]!;
  return {
    traceId: trace.traceId,
    spanCount: spans.length,
    services: [...services].sort(),
    root: rootSpan ? { name: rootSpan.name, service: rootSpan.resource.serviceName } : null,
    rootCount: tree.roots.length,
    durationMs: min === undefined || max === undefined ? 0 : Number(max - min) / 1e6,
    errorCount,
    maxDepth: tree.maxDepth,
  };
}
