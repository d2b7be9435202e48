import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import { TraceWorkerClient, TraceWorkerError, transferableBuffer } from '../../core/traceWorker/client';
import type { LoadedFile } from '../../core/traceWorker/protocol';
import { fileName } from './fileName';
import type { FlameData, SpanDetails, TraceChoice } from '../../core/protocol';

/** One trace file as read: what the worker parsed, or why it could not be shown. */
export type Loaded =
  | { readonly ok: true; readonly file: LoadedFile }
  | { readonly ok: false; readonly error: string; readonly kind?: FailureKind };

/** Why a file is not shown: it decides the heading above the message. */
export type FailureKind = 'notTrace' | 'unreadable' | 'cancelled';

/** Above this a read shows a cancellable notification; below it, the status bar as before. */
export const LARGE_FILE_BYTES = 2 * 1024 * 1024;

export interface TraceSourceDeps {
  readonly log: vscode.LogOutputChannel;
  /** dist/traceWorker.js of the installed extension. */
  readonly workerPath: string;
}

/** A user's cancel, carried as the terminate reason so a rejected load can tell it from a crash. */
class Cancelled extends Error {}

/**
 * A file's traces for one view. The traces themselves live in a worker thread (see
 * core/traceWorker): the host reads the bytes, transfers them, and keeps only the summary it
 * needs to list traces and validate requests; flame data and span details are asked for by id.
 * Dispose terminates the worker, which rejects whatever was still being asked.
 */
export class TraceSource implements vscode.Disposable {
  private worker: TraceWorkerClient | undefined;
  private loaded: Loaded = { ok: false, error: '' };
  private disposed = false;
  selected = 0;

  constructor(
    readonly uri: vscode.Uri,
    private readonly deps: TraceSourceDeps,
  ) {}

  /** Reads (or re-reads) the file; never rejects: a failure becomes `error`. */
  async reload(): Promise<void> {
    this.selected = 0;
    this.loaded = await this.readWithProgress();
  }

  get error(): string | null {
    return this.loaded.ok ? null : this.loaded.error;
  }

  get failureKind(): FailureKind {
    return this.loaded.ok ? 'notTrace' : (this.loaded.kind ?? 'notTrace');
  }

  get traceCount(): number {
    return this.loaded.ok ? this.loaded.file.choices.length : 0;
  }

  get warnings(): readonly string[] {
    return this.loaded.ok ? this.loaded.file.warnings : [];
  }

  get warningCount(): number {
    return this.loaded.ok ? this.loaded.file.warningCount : 0;
  }

  choices(): TraceChoice[] {
    return this.loaded.ok ? [...this.loaded.file.choices] : [];
  }

  /** The selected trace, ready to draw; null when the file holds none. Rejects if the worker died. */
  async flame(): Promise<FlameData | null> {
    if (!this.loaded.ok || this.selected >= this.traceCount) return null;
    return this.ask((w) => w.flame(this.selected));
  }

  /** Boxes of the selected trace (one per span), known without asking the worker. */
  boxCount(): number {
    return this.loaded.ok ? (this.loaded.file.spanCounts[this.selected] ?? 0) : 0;
  }

  details(box: number): Promise<SpanDetails> {
    const trace = this.selected;
    return this.ask((w) => w.details(trace, box));
  }

  dispose(): void {
    this.disposed = true;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private async ask<T>(f: (w: TraceWorkerClient) => Promise<T>): Promise<T> {
    const w = this.worker;
    if (!w?.alive) throw new Error(vscode.l10n.t('The trace reader has stopped. Choose Try again to read the file again.'));
    try {
      return await f(w);
    } catch (err) {
      throw new Error(this.describe(err));
    }
  }

  private ensureWorker(): TraceWorkerClient {
    if (!this.worker?.alive) {
      this.worker = new TraceWorkerClient(new Worker(this.deps.workerPath, { name: 'spanlens-trace' }));
    }
    return this.worker;
  }

  private get name(): string {
    return fileName(this.uri);
  }

  private async readWithProgress(): Promise<Loaded> {
    let size: number | undefined;
    try {
      size = (await vscode.workspace.fs.stat(this.uri)).size;
    } catch {
      size = undefined; // readFile below reports the real problem
    }
    if (size !== undefined && size > LARGE_FILE_BYTES) {
      const title = vscode.l10n.t('Reading trace {0} ({1} MB)…', this.name, (size / 1024 / 1024).toFixed(1));
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => this.read(token));
    }
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading trace…') }, () => this.read());
  }

  private async read(token?: vscode.CancellationToken): Promise<Loaded> {
    const { log } = this.deps;
    const started = Date.now();
    let bytes: Uint8Array;
    try {
      bytes = await untilCancelled(vscode.workspace.fs.readFile(this.uri), token);
    } catch (err) {
      if (err instanceof Cancelled) return this.cancelled();
      const msg = vscode.l10n.t('Cannot read {0}: {1}', this.uri.fsPath || this.uri.toString(), err instanceof Error ? err.message : String(err));
      log.warn(msg);
      return { ok: false, error: msg, kind: 'unreadable' };
    }
    if (this.disposed) return { ok: false, error: '' };
    if (token?.isCancellationRequested) return this.cancelled();
    const readMs = Date.now() - started;
    const worker = this.ensureWorker();
    // Terminating is the only way to stop a parse in progress; the next read starts a new worker.
    const sub = token?.onCancellationRequested(() => void worker.terminate(new Cancelled()));
    try {
      const file = await worker.load(transferableBuffer(bytes));
      log.info(`parsed ${this.uri.toString()}: ${file.format}, ${file.choices.length} trace(s), ${file.bytes} bytes; read ${readMs} ms, parse ${Math.round(file.parseMs)} ms in the worker`);
      if (file.choices.length === 0) return { ok: false, error: vscode.l10n.t('{0} holds no spans.', this.name) };
      return { ok: true, file };
    } catch (err) {
      if (err instanceof TraceWorkerError && err.reason instanceof Cancelled) return this.cancelled();
      const msg = this.describe(err);
      if (err instanceof TraceWorkerError && err.kind === 'format') log.info(`not a trace: ${this.uri.toString()}: ${msg}`);
      else log.error(`reading ${this.uri.toString()} failed: ${msg}`);
      const kind = err instanceof TraceWorkerError && err.kind !== 'format' ? 'unreadable' : 'notTrace';
      return { ok: false, error: msg, kind };
    } finally {
      sub?.dispose();
    }
  }

  private cancelled(): Loaded {
    this.deps.log.info(`reading ${this.uri.toString()} was cancelled`);
    return { ok: false, error: vscode.l10n.t('Reading {0} was cancelled. Choose Try again to read it.', this.name), kind: 'cancelled' };
  }

  /** The text a user sees for a failed worker request. Format errors are the parser's own words. */
  private describe(err: unknown): string {
    if (!(err instanceof TraceWorkerError)) return err instanceof Error ? err.message : String(err);
    switch (err.kind) {
      case 'exited':
        return vscode.l10n.t('The trace reader stopped unexpectedly ({0}). Choose Try again to read the file again.', err.message);
      case 'terminated':
        return vscode.l10n.t('The trace reader has stopped. Choose Try again to read the file again.');
      default:
        return err.message;
    }
  }
}

/** `p`, or a Cancelled rejection as soon as the token fires (the read itself cannot be stopped). */
function untilCancelled<T>(p: Thenable<T>, token: vscode.CancellationToken | undefined): Promise<T> {
  if (!token) return Promise.resolve(p);
  return new Promise<T>((resolve, reject) => {
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
