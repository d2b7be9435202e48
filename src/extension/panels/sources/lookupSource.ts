import * as vscode from 'vscode';
import type { PartError, PartState as CorePartState } from '../../../core/correlate/lookup';
import type { LogsMessage, LookupMessage, PartState, SeriesMessage } from '../../../core/protocol/trace';
import { TraceWorkerError, type TraceWorkerClient } from '../../../core/traceWorker/client';
import type { LookupEvent, PartReport } from '../../../core/traceWorker/lookupSession';
import type { Connections } from '../../backends/connections';
import { kindText } from '../../lookup/askRequestId';
import { readLookupSettings } from '../../lookup/settings';
import { openCodeLocation } from '../../source/openSource';
import type { SpanlensContext } from '../../context';
import type { SourceRef } from './sourceRef';
import { Cancelled, TraceSource, type Loaded, type PanelExtras, type TraceSourceDeps } from './traceSource';

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** A part's state in the user's words: "2 traces", "nothing found from … to …", the server's message. */
function partText(part: 'traces' | 'logs' | 'metrics', r: PartReport): PartState {
  const state: PartState['state'] = r.state === 'found' ? 'found' : r.state === 'searching' ? 'searching' : r.state === 'error' ? 'error' : 'empty';
  // Each query of a part can fail the same way (Loki down fails both log shapes and each window): said once.
  const errors = (e: readonly PartError[]) => [...new Set(e.map((x) => `${x.backend}${x.query ? ` (${x.query})` : ''}: ${x.message}`))].join('; ');
  const range = r.range ? vscode.l10n.t('{0} to {1}', when(r.range.startMs), when(r.range.endMs)) : '';
  const s = r.state as CorePartState;
  let text: string;
  if (s === 'searching') text = range ? vscode.l10n.t('searching {0}…', range) : vscode.l10n.t('searching…');
  else if (s === 'error') text = errors(r.errors) || vscode.l10n.t('failed');
  else if (s === 'cancelled') text = vscode.l10n.t('cancelled');
  else if (s === 'skipped') text = vscode.l10n.t('not configured');
  else if (s === 'none') text = range ? vscode.l10n.t('nothing found from {0}', range) : vscode.l10n.t('nothing found');
  else {
    const n = r.count;
    text =
      part === 'traces' ? (n === 1 ? vscode.l10n.t('1 trace') : vscode.l10n.t('{0} traces', n))
      : part === 'logs' ? (n === 1 ? vscode.l10n.t('1 line') : vscode.l10n.t('{0} lines', n))
      : n === 1 ? vscode.l10n.t('1 series') : vscode.l10n.t('{0} series', n);
    // Found, but one of several queries failed: say so after the count.
    if (r.errors.length) text = `${text} · ${errors(r.errors)}`;
  }
  return { state, text };
}

const SEARCHING: PartReport = { state: 'searching', count: 0, errors: [] };

/**
 * A request-id lookup as a trace source: the lookup runs in the source's trace worker (its clients
 * there, its traces decoded and laid out there), the traces it finds are the source's traces (a
 * retried request's traces are several, switched with the picker), and its logs and metrics come
 * along as the panel's extras, each part with its own state as it arrives.
 */
export class LookupTraceSource extends TraceSource implements PanelExtras {
  readonly key: string;
  readonly ref: SourceRef;
  private parts: Record<'traces' | 'logs' | 'metrics', PartReport> = { traces: SEARCHING, logs: SEARCHING, metrics: SEARCHING };
  private kind = '';
  private metrics: SeriesMessage | undefined;
  private logTotal = 0;
  private lookupWorker: TraceWorkerClient | undefined;
  private readonly updated = this._register(new vscode.EventEmitter<'parts' | 'logs' | 'metrics'>());
  readonly onDidUpdate = this.updated.event;

  constructor(
    readonly id: string,
    readonly environment: string,
    private readonly connections: Connections,
    private readonly ctx: SpanlensContext,
    deps: TraceSourceDeps,
  ) {
    super(deps);
    this.key = `lookup:${environment}:${id}`;
    this.ref = { kind: 'lookup', environment, id };
  }

  get title(): string {
    return this.id;
  }

  get extras(): PanelExtras {
    return this;
  }

  protected fetch(worker: TraceWorkerClient): Promise<Loaded> {
    this.lookupWorker = worker;
    this.parts = { traces: SEARCHING, logs: SEARCHING, metrics: SEARCHING };
    this.metrics = undefined;
    this.logTotal = 0;
    const off = worker.onLookup((e) => this.onEvent(e));
    this._register({ dispose: off });
    const title = vscode.l10n.t('Looking up {0} ({1})…', this.id.slice(0, 40), this.environment);
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_p, token) => {
        const sub = token.onCancellationRequested(() => void worker.terminate(new Cancelled()));
        try {
          const connection = await this.connections.optionsFor(this.environment);
          const started = await worker.lookup({ input: this.id, connection, settings: readLookupSettings(this.deps.log) });
          this.kind = kindText(started.kind as never);
          this.parts = { ...this.parts, traces: started.traces };
          this.updated.fire('parts');
          if (started.file) return { ok: true, file: started.file } as const;
          const text = partText('traces', started.traces).text;
          return { ok: false, error: vscode.l10n.t('No trace for {0}: {1}', this.id, text), kind: started.traces.state === 'error' ? 'backend' : 'notFound' } as const;
        } catch (err) {
          if (token.isCancellationRequested || (err instanceof TraceWorkerError && err.reason instanceof Cancelled)) return this.cancelled();
          return this.failure(err);
        } finally {
          sub.dispose();
        }
      }),
    );
  }

  private onEvent(e: LookupEvent): void {
    if (e.type === 'lookupRequest') {
      this.deps.log.debug(e.line);
      return;
    }
    if (e.type === 'lookupMetrics') {
      const traceWindow = this.traceWindow();
      this.metrics = { type: 'series', panels: e.panels.map((p) => ({ ...p, info: { ...p.info, title: vscode.l10n.t(p.info.title) } })), window: e.window, traceWindow, state: partText('metrics', this.parts.metrics) };
      this.updated.fire('metrics');
      return;
    }
    this.parts = { ...this.parts, [e.part]: e.report };
    if (e.part === 'logs') this.logTotal = e.report.count;
    this.updated.fire(e.part === 'logs' ? 'logs' : 'parts');
  }

  /** The traces' span (all candidates), for the shaded stretch on the sparklines. */
  private traceWindow(): { startMs: number; endMs: number } | null {
    const r = this.parts.traces.range;
    return r ?? null;
  }

  header(): LookupMessage | undefined {
    if (!this.kind && this.parts.traces.state === 'searching') return { type: 'lookup', id: this.id, kind: vscode.l10n.t('Looking up'), parts: this.states() };
    return { type: 'lookup', id: this.id, kind: this.kind, parts: this.states() };
  }

  private states(): LookupMessage['parts'] {
    return { trace: partText('traces', this.parts.traces), logs: partText('logs', this.parts.logs), metrics: partText('metrics', this.parts.metrics) };
  }

  series(): SeriesMessage | undefined {
    return this.metrics ? { ...this.metrics, state: partText('metrics', this.parts.metrics) } : undefined;
  }

  logCount(): number {
    return this.logTotal;
  }

  async logs(trace: number): Promise<LogsMessage | undefined> {
    if (!this.lookupWorker?.alive || this.parts.logs.state === 'searching' && this.logTotal === 0) return undefined;
    const rows = await this.lookupWorker.logRows(trace);
    return { type: 'logs', rows, state: partText('logs', this.parts.logs) };
  }

  async openLogSource(index: number): Promise<boolean> {
    const loc = await this.lookupWorker?.logSource(index);
    if (!loc) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This log line names no source code.'));
      return false;
    }
    return openCodeLocation(this.ctx, [loc]);
  }
}
