/** One line about a trace: what `spanlens trace summary` prints and lists show. Pure. */
import { buildSpanTree, type SpanTree } from './spanTree';
import type { Trace } from './trace';

export interface TraceSummary {
  readonly traceId: string;
  readonly spanCount: number;
  /** Distinct service names, sorted. */
  readonly services: readonly string[];
  /** The trace's root span (see SpanTree.root); null only for a trace without spans. */
  readonly root: { readonly name: string; readonly service: string } | null;
  /** Spans without a usable parent: the root, orphans whose parent was lost, cut cycles. */
  readonly rootCount: number;
  /** Latest end minus earliest start, in milliseconds. */
  readonly durationMs: number;
  readonly errorCount: number;
  /** Longest parent chain from a root (roots are 0). */
  readonly maxDepth: number;
}

export function summarizeTrace(trace: Trace, tree: SpanTree = buildSpanTree(trace)): TraceSummary {
  const spans = trace.spans;
  const services = new Set<string>();
  let errorCount = 0;
  for (const s of spans) {
    services.add(s.resource.serviceName);
    if (s.status.code === 'error') errorCount++;
  }
  const rootSpan = tree.root < 0 ? undefined : spans[tree.root]!;
  return {
    traceId: trace.traceId,
    spanCount: spans.length,
    services: [...services].sort(),
    root: rootSpan ? { name: rootSpan.name, service: rootSpan.resource.serviceName } : null,
    rootCount: tree.roots.length,
    durationMs: tree.durationNs / 1e6,
    errorCount,
    maxDepth: tree.maxDepth,
  };
}
