import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import { TraceWorkerClient, TraceWorkerError } from '../../../core/traceWorker/client';
import type { CriticalPathResult, LoadedFile } from '../../../core/traceWorker/protocol';
import type { CodeLocation, LogsMessage, LookupMessage, SeriesMessage, SpanDetails, TraceChoice, TraceData } from '../../../core/protocol/trace';
import { Disposable } from '../../dispose';
import type { SourceRef } from './sourceRef';

/** Why a source is not shown: it decides the heading, and whether trying again can help. */
export type FailureKind = 'notTrace' | 'unreadable' | 'cancelled' | 'notFound' | 'backend';

/** What a source holds after a load: what the worker parsed, or why it could not be shown. */
export type Loaded =
  | { readonly ok: true; readonly file: LoadedFile }
  | { readonly ok: false; readonly error: string; readonly kind: FailureKind };

export interface TraceSourceDeps {
  readonly log: vscode.LogOutputChannel;
  /** dist/traceWorker.js of the installed extension. */
  readonly workerPath: string;
}

/**
 * What a source may show beside its traces (a lookup's logs and metrics): the panel view posts
 * these to the webview whenever they change.
 */
export interface PanelExtras {
  readonly onDidUpdate: vscode.Event<'parts' | 'logs' | 'metrics'>;
  header(): LookupMessage | undefined;
  series(): SeriesMessage | undefined;
  /** The log lines tied to trace `trace`'s boxes. */
  logs(trace: number): Promise<LogsMessage | undefined>;
  logCount(): number;
  openLogSource(index: number): Promise<boolean>;
}

/** A user's cancel, carried as the terminate reason so a rejected load can tell it from a crash. */
export class Cancelled extends Error {}

/**
 * Where a trace panel's traces come from: a file, Tempo by id, and later a lookup or the local
 * capture. Whatever the origin, the traces live in one worker thread per source (decoding and
 * layout never run on the extension host), and every panel showing the same source shares it:
 * the panel asks for drawing columns, details, searches and the critical path by index.
 * Subclasses only say how to get the bytes (`fetch`), with their own progress and cancel.
 */
export abstract class TraceSource extends Disposable {
  private worker: TraceWorkerClient | undefined;
  private current: Loaded = { ok: false, error: '', kind: 'unreadable' };
  private loading: Promise<void> | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires after every load, successful or not. */
  readonly onDidChange = this.changed.event;

  constructor(protected readonly deps: TraceSourceDeps) {
    super();
    this._register({
      dispose: () => {
        void this.worker?.terminate();
        this.worker = undefined;
      },
    });
  }

  /** Identity for sharing: two panels with the same key show one parsed copy. */
  abstract readonly key: string;
  /** What a revived panel needs to make this source again. */
  abstract readonly ref: SourceRef;
  /** For titles and messages. */
  abstract readonly title: string;

  /** Logs, metrics and part states beside the traces, for sources that have them. */
  get extras(): PanelExtras | undefined {
    return undefined;
  }

  /**
   * Gets the source's bytes into the worker (with whatever progress suits it) and returns what it
   * parsed, or a failure. Cancelling should terminate the worker with a Cancelled reason.
   */
  protected abstract fetch(worker: TraceWorkerClient): Promise<Loaded>;

  /** Loads (or reloads); never rejects. Concurrent calls share one load. */
  load(): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      try {
        this.current = await this.fetch(this.ensureWorker());
      } catch (err) {
        this.current = { ok: false, error: this.describe(err), kind: 'unreadable' };
      } finally {
        this.loading = undefined;
      }
      if (!this.isDisposed) this.changed.fire();
    })();
    return this.loading;
  }

  /** Resolves once no load is running. */
  async settled(): Promise<void> {
    while (this.loading) await this.loading;
  }

  get loaded(): Loaded {
    return this.current;
  }

  get traceCount(): number {
    return this.current.ok ? this.current.file.choices.length : 0;
  }

  choices(): TraceChoice[] {
    return this.current.ok ? [...this.current.file.choices] : [];
  }

  /** Boxes of trace i (one per span), known without asking the worker. */
  boxCount(trace: number): number {
    return this.current.ok ? (this.current.file.spanCounts[trace] ?? 0) : 0;
  }

  traceData(trace: number): Promise<TraceData> {
    return this.ask((w) => w.traceData(trace));
  }

  details(trace: number, box: number): Promise<SpanDetails> {
    return this.ask((w) => w.details(trace, box));
  }

  search(trace: number, text: string): Promise<{ readonly boxes: Uint32Array }> {
    return this.ask((w) => w.search(trace, text));
  }

  criticalPath(trace: number): Promise<CriticalPathResult> {
    return this.ask((w) => w.criticalPath(trace));
  }

  locations(trace: number, box: number): Promise<readonly CodeLocation[]> {
    return this.ask((w) => w.locations(trace, box));
  }

  private async ask<T>(f: (w: TraceWorkerClient) => Promise<T>): Promise<T> {
    const w = this.worker;
    if (!w?.alive) throw new Error(vscode.l10n.t('The trace reader has stopped. Choose Try again to read the trace again.'));
    try {
      return await f(w);
    } catch (err) {
      throw new Error(this.describe(err));
    }
  }

  private ensureWorker(): TraceWorkerClient {
    if (!this.worker?.alive) {
      // A 1M-span trace needs more than the default young worker heap while it parses.
      this.worker = new TraceWorkerClient(new Worker(this.deps.workerPath, { name: 'spanlens-trace', resourceLimits: { maxOldGenerationSizeMb: 8192 } }));
    }
    return this.worker;
  }

  /** A load's worker failure as a Loaded: format errors are the parser's own words. */
  protected failure(err: unknown): Loaded {
    if (err instanceof TraceWorkerError && err.reason instanceof Cancelled) return this.cancelled();
    const msg = this.describe(err);
    const formatError = err instanceof TraceWorkerError && err.kind === 'format';
    if (formatError) this.deps.log.info(`not a trace: ${this.title}: ${msg}`);
    else this.deps.log.error(`reading ${this.title} failed: ${msg}`);
    return { ok: false, error: msg, kind: formatError ? 'notTrace' : 'unreadable' };
  }

  protected cancelled(): Loaded {
    this.deps.log.info(`reading ${this.title} was cancelled`);
    return { ok: false, error: vscode.l10n.t('Reading {0} was cancelled. Choose Try again to read it.', this.title), kind: 'cancelled' };
  }

  /** The text a user sees for a failed worker request. */
  protected describe(err: unknown): string {
    if (!(err instanceof TraceWorkerError)) return err instanceof Error ? err.message : String(err);
    switch (err.kind) {
      case 'exited':
        return vscode.l10n.t('The trace reader stopped unexpectedly ({0}). Choose Try again to read the trace again.', err.message);
      case 'terminated':
        return vscode.l10n.t('The trace reader has stopped. Choose Try again to read the trace again.');
      default:
        return err.message;
    }
  }
}

/** `p`, or a Cancelled rejection as soon as the token fires (`p` itself may not be stoppable). */
export function untilCancelled<T>(p: Thenable<T>, token: vscode.CancellationToken | undefined): Promise<T> {
  if (!token) return Promise.resolve(p);
  return new Promise<T>((resolve, reject) => {
    if (token.isCancellationRequested) return reject(new Cancelled());
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      reject(new Cancelled());
    });
    p.then(
      (v) => {
        sub.dispose();
        resolve(v);
      },
      (e: unknown) => {
        sub.dispose();
        reject(e);
      },
    );
  });
}
