import type { Trace } from '../model/trace';
import { FLAG_ERROR, FLAG_MISSING_PARENT, FLAG_SOURCE, type TraceData } from '../protocol/trace';
import { hasCodeLocation } from '../source/locations';
import type { FlameLayout } from './layout';

/** Interns strings so each box carries a small index instead of a repeated name. */
function interner(): { table: string[]; id(s: string): number } {
  const table: string[] = [];
  const ids = new Map<string, number>();
  return {
    table,
    id(s) {
      let i = ids.get(s);
      if (i === undefined) {
        i = table.length;
        table.push(s);
        ids.set(s, i);
      }
      return i;
    },
  };
}

/** The columns the views draw from; one entry per box, in layout order. */
export function toTraceData(trace: Trace, layout: FlameLayout): TraceData {
  const n = layout.count;
  const services = interner();
  const names = interner();
  const service = new Uint32Array(n);
  const name = new Uint32Array(n);
  const flags = new Uint8Array(n);
  const messages = interner();
  const statusMessage = new Uint32Array(n);
  const missing = layout.tree.missingParent;
  let errorCount = 0;
  for (let b = 0; b < n; b++) {
    const si = layout.spanIndex[b]!;
    const s = trace.spans[si]!;
    service[b] = services.id(s.resource.serviceName);
    name[b] = names.id(s.name);
    let f = 0;
    if (s.status.code === 'error') {
      f |= FLAG_ERROR;
      errorCount++;
    }
    if (s.status.message) statusMessage[b] = messages.id(s.status.message) + 1;
    if (missing[si]) f |= FLAG_MISSING_PARENT;
    if (hasCodeLocation(s)) f |= FLAG_SOURCE;
    flags[b] = f;
  }
  return {
    traceId: trace.traceId,
    startUnixMs: Number(layout.traceStart / 1_000_000n),
    traceStartNs: layout.traceStart.toString(),
    durationNs: layout.durationNs,
    count: n,
    rowCount: layout.rowCount,
    maxDepth: layout.maxDepth,
    errorCount,
    rootBox: layout.rootBox,
    services: services.table,
    names: names.table,
    // Copies: the layout keeps its own arrays for later requests, and these are transferred away.
    start: layout.start.slice(),
    end: layout.end.slice(),
    row: layout.row.slice(),
    parent: layout.parent.slice(),
    depth: layout.depth.slice(),
    subtreeEnd: layout.subtreeEnd.slice(),
    service,
    name,
    flags,
    statusMessage,
    statusMessages: messages.table,
    rowStart: layout.rowStart.slice(),
    rowBoxes: layout.rowBoxes.slice(),
  };
}

