/**
 * A request-id lookup run inside the trace worker, so that a lookup's traces are decoded, laid
 * out and linked to their logs off the extension host, and the views ask for them exactly as for
 * a file's traces. The lookup itself (core/correlate/lookup.ts) runs here with its own clients;
 * its traces become the store's traces, and each update of the three parts goes to the host as
 * an event. Log lines are matched to the boxes of the trace a view shows when it asks.
 */
import { createBackends, type Backends } from '../backends';
import type { ConnectionOptions } from '../backends/options';
import { linkLogs, linkSpansOf } from '../correlate/link';
import { startLookup, type KeyMetricPanel, type LookupRun, type LookupUpdate, type PartError, type PartState } from '../correlate/lookup';
import type { LookupSettings } from '../correlate/settings';
import { toExemplarData, toSeriesData } from '../metrics/series';
import { panelTitleText } from '../metrics/panels';
import type { LogEntry } from '../model/logs';
import type { CodeLocation } from '../model/codeLocation';
import { toLogRow } from '../formats/logRow';
import type { LogRow, LookupPanel } from '../protocol/trace';
import type { IdKind } from '../correlate/detect';
import type { LoadedFile } from './protocol';
import type { TraceStore } from './store';

/** What the host sends to start a lookup: the id and everything the clients need. */
export interface LookupInput {
  readonly input: string;
  readonly connection: ConnectionOptions;
  readonly settings: LookupSettings;
  readonly nowMs?: number;
}

/** How one part stands, as data (the host words it in the user's language). */
export interface PartReport {
  readonly state: PartState;
  readonly count: number;
  /** Unix ms of the window searched or used. */
  readonly range?: { readonly startMs: number; readonly endMs: number };
  readonly errors: readonly PartError[];
}

/** The worker's events while a lookup runs. */
export type LookupEvent =
  | { readonly type: 'lookupPart'; readonly part: 'traces' | 'logs' | 'metrics'; readonly report: PartReport }
  | { readonly type: 'lookupMetrics'; readonly panels: readonly LookupPanel[]; readonly window: { readonly startMs: number; readonly endMs: number } }
  | { readonly type: 'lookupRequest'; readonly line: string };

export interface LookupStarted {
  readonly kind: IdKind;
  readonly id: string;
  readonly traces: PartReport;
  /** The traces found, held by the store like a file's; null when none was. */
  readonly file: LoadedFile | null;
}



function report(u: LookupUpdate): PartReport {
  return {
    state: u.state,
    count: u.value.length,
    ...(u.range ? { range: { startMs: u.range.startMs, endMs: u.range.endMs } } : {}),
    errors: u.errors,
  };
}


export class LookupSession {
  private run: LookupRun | undefined;
  private backends: Backends | undefined;
  private logs: readonly LogEntry[] = [];
  private readonly tracesDone: Promise<void>;
  private resolveTraces!: () => void;
  private tracesReport: PartReport = { state: 'searching', count: 0, errors: [] };
  private file: LoadedFile | null = null;

  constructor(
    private readonly store: TraceStore,
    private readonly emit: (e: LookupEvent) => void,
  ) {
    this.tracesDone = new Promise((r) => (this.resolveTraces = r));
  }

  /** Starts the lookup; resolves once the traces part is settled (the other parts go on). */
  async start(req: LookupInput): Promise<LookupStarted> {
    this.backends = await createBackends(req.connection, { onRequest: (e) => this.emit({ type: 'lookupRequest', line: `${e.backend} ${e.method} ${e.url} → ${e.status ?? e.error ?? 'no response'} ${e.ms} ms` }) });
    const run = startLookup(req.input, {
      backends: this.backends,
      settings: req.settings,
      ...(req.nowMs !== undefined ? { nowMs: req.nowMs } : {}),
      onUpdate: (u) => this.onUpdate(u),
    });
    this.run = run;
    void run.done.finally(() => void this.backends?.close().catch(() => undefined));
    // A lookup that fails as a whole still settles the traces part.
    void run.done.catch(() => this.resolveTraces());
    await this.tracesDone;
    return { kind: run.id.kind, id: run.id.value, traces: this.tracesReport, file: this.file };
  }

  private onUpdate(u: LookupUpdate): void {
    if (u.part === 'traces') {
      this.tracesReport = report(u);
      if (u.done) {
        if (u.value.length) this.file = this.store.setTraces(u.value.map((t) => ({ trace: t.trace, partial: t.partial, partialMessage: t.partialMessage, warnings: t.warnings })));
        this.resolveTraces();
      }
    } else if (u.part === 'logs') {
      this.logs = u.value;
    } else if (u.done || u.value.length) {
      this.emitMetrics(u.value, u.range);
    }
    this.emit({ type: 'lookupPart', part: u.part, report: report(u) });
  }

  /** The lookup's panels as the strip draws them; the window is the one queried (the points' span without it). */
  private emitMetrics(panels: readonly KeyMetricPanel[], range: { readonly startMs: number; readonly endMs: number } | undefined): void {
    const out: LookupPanel[] = panels.map((p, i) => ({
      info: { id: `lookup:${i}`, title: panelTitleText(p.metric), query: p.query, unit: p.metric.unit },
      series: toSeriesData(p.series),
      ...(p.exemplars.length ? { exemplars: toExemplarData([{ seriesLabels: {}, exemplars: p.exemplars }]) } : {}),
      ...(p.error ? { error: p.error } : {}),
    }));
    let startMs = range?.startMs ?? Infinity;
    let endMs = range?.endMs ?? -Infinity;
    if (!range) {
      for (const p of panels) for (const s of p.series) for (const pt of s.points) {
        if (pt.timeMs < startMs) startMs = pt.timeMs;
        if (pt.timeMs > endMs) endMs = pt.timeMs;
      }
    }
    if (startMs === Infinity) return;
    this.emit({ type: 'lookupMetrics', panels: out, window: { startMs, endMs } });
  }

  get logCount(): number {
    return this.logs.length;
  }

  /** The log lines as the list shows them, each tied to a box of trace `index` (or -1). */
  logRows(index: number): LogRow[] {
    const layout = this.store.layoutOf(index);
    const trace = layout ? this.store.traceAt(index) : undefined;
    const boxOf = new Int32Array(layout?.count ?? 0);
    if (layout) for (let b = 0; b < layout.count; b++) boxOf[layout.spanIndex[b]!] = b;
    const links = trace && layout ? linkLogs([linkSpansOf(trace, layout.tree)], this.logs) : undefined;
    const base = layout?.traceStart;
    return this.logs.map((e, i) => {
      const span = links && links.trace[i] === 0 ? links.span[i]! : -1;
      return toLogRow(e, span >= 0 ? boxOf[span]! : -1, base);
    });
  }

  /** Where the code that logged line `index` is, as logged. */
  logSource(index: number): CodeLocation | null {
    return this.logs[index]?.source ?? null;
  }

  cancel(): void {
    this.run?.cancel();
  }
}
