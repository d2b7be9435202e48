/**
 * Tempo search results as rows to list: newest first, with the span and error counts Tempo's
 * per-service stats give (absent on servers that send none).
 */
import type { TraceSummary } from '../model/traceSearch';

export interface TraceRow {
  /** 32 lowercase hex. */
  readonly traceId: string;
  readonly rootService: string;
  readonly rootName?: string;
  readonly rootMissing: boolean;
  readonly startNs: bigint;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount?: number;
  readonly errorCount: number;
  readonly services: readonly string[];
}

export function traceRows(traces: readonly TraceSummary[]): TraceRow[] {
  const rows = traces.map((t): TraceRow => {
    let spans = 0;
    let errors = 0;
    const services = Object.keys(t.serviceStats);
    for (const s of services) {
      spans += t.serviceStats[s]!.spanCount;
      errors += t.serviceStats[s]!.errorCount;
    }
    return {
      traceId: t.traceId,
      rootService: t.rootServiceName,
      rootName: t.rootTraceName,
      rootMissing: t.rootMissing,
      startNs: t.start,
      startMs: Number(t.start / 1_000_000n),
      durationMs: t.durationMs,
      spanCount: services.length ? spans : undefined,
      errorCount: errors,
      services,
    };
  });
  // Stable: traces that started in the same millisecond keep Tempo's order.
  return rows.sort((a, b) => (b.startNs > a.startNs ? 1 : b.startNs < a.startNs ? -1 : 0));
}
