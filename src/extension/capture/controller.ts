import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { CaptureStats, RecentTrace } from '../../core/capture/server';
import type { CaptureFailure, CaptureReply, CaptureRequest, CaptureResults, CaptureStarted } from '../../core/capture/worker';
import { Disposable } from '../dispose';
import { readCaptureSettings, type CaptureSettings } from './settings';

export type CaptureState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'running'; readonly started: CaptureStarted; readonly settings: CaptureSettings }
  | { readonly kind: 'failed'; readonly error: CaptureFailure };

/** A worker answer that is an error, kept typed so the port-in-use details reach the message. */
export class CaptureError extends Error {
  constructor(readonly failure: CaptureFailure) {
    super(failure.message);
  }
}

/** The capture worker's young generation, MB (see start()). */
export const CAPTURE_YOUNG_GEN_MB = 192;

type Body<K extends CaptureRequest['type']> = Omit<Extract<CaptureRequest, { type: K }>, 'id' | 'type'>;

/**
 * The local capture's lifetime in the extension: a worker thread (dist/captureWorker.js) that
 * runs the receivers, store and query endpoint, started and stopped on command; the latest
 * stats, polled once a second while running, for the status bar; and an event when captured
 * traces change, for the Captures view. Settings changes to limits apply live; to ports or
 * persistence, on the next start (the message says so).
 */
export class CaptureController extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** State or stats changed. */
  readonly onDidChange = this.changed.event;
  private readonly tracesChanged = this._register(new vscode.EventEmitter<void>());
  /** Accepted batches touched traces (coalesced by the worker). */
  readonly onDidChangeTraces = this.tracesChanged.event;
  private worker?: Worker;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private poll?: ReturnType<typeof setInterval>;
  state: CaptureState = { kind: 'stopped' };
  stats?: CaptureStats;

  constructor(
    private readonly workerPath: string,
    private readonly storageDir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('spanlens.capture') || this.state.kind !== 'running') return;
        const next = readCaptureSettings(this.storageDir);
        const was = this.state.settings;
        void this.request('limits', { limits: next.limits }).catch(() => undefined);
        if (JSON.stringify(next.ports) !== JSON.stringify(was.ports) || next.persistDir !== was.persistDir) {
          void vscode.window.showInformationMessage(vscode.l10n.t('The capture\'s new ports or storage apply when it starts again.'));
        }
      }),
    );
    this._register({ dispose: () => void this.stop() });
  }

  get running(): boolean {
    return this.state.kind === 'running';
  }

  async start(): Promise<CaptureStarted> {
    if (this.state.kind === 'running') return this.state.started;
    const settings = readCaptureSettings(this.storageDir);
    this.setState({ kind: 'starting' });
    // A young generation larger than V8's default halves the time a steady OTLP stream spends
    // in the garbage collector (decoded messages are short-lived; the store's columns are not on the heap).
    this.worker = new Worker(this.workerPath, { name: 'spanlens-capture', resourceLimits: { maxYoungGenerationSizeMb: CAPTURE_YOUNG_GEN_MB } });
    this.worker.on('message', (m: CaptureReply) => this.onReply(m));
    this.worker.on('error', (err) => this.ended(`the capture worker failed: ${err.message}`));
    this.worker.on('exit', (code) => this.ended(`the capture worker stopped (exit code ${code})`));
    try {
      const started = await this.request('start', {
        options: { host: '127.0.0.1', ports: settings.ports, limits: settings.limits, persistDir: settings.persistDir, version: 'spanlens-capture' },
      });
      this.stats = started.stats;
      this.setState({ kind: 'running', started, settings });
      this.log.info(`capture started: gRPC 127.0.0.1:${started.ports.grpc}, HTTP :${started.ports.http}, query ${started.queryUrl}${settings.persistDir ? `, kept in ${settings.persistDir}` : ''}`);
      this.poll = setInterval(() => void this.refreshStats(), 1000);
      return started;
    } catch (err) {
      const failure = err instanceof CaptureError ? err.failure : { message: err instanceof Error ? err.message : String(err) };
      await this.terminate();
      this.setState({ kind: 'failed', error: failure });
      throw err instanceof CaptureError ? err : new CaptureError(failure);
    }
  }

  async stop(): Promise<void> {
    if (!this.worker) return;
    try {
      await this.request('stop', {});
    } catch {
      // A worker that cannot stop cleanly is ended below anyway.
    }
    await this.terminate();
    this.stats = undefined;
    this.setState({ kind: 'stopped' });
    this.log.info('capture stopped');
  }

  async recent(limit: number): Promise<RecentTrace[]> {
    return this.running ? this.request('recent', { limit }) : [];
  }

  async clear(): Promise<void> {
    if (!this.running) return;
    await this.request('clear', {});
    await this.refreshStats();
  }

  private async refreshStats(): Promise<void> {
    if (!this.running) return;
    try {
      this.stats = await this.request('stats', {});
      this.changed.fire();
    } catch {
      // The worker's end is reported by its exit handler.
    }
  }

  private request<K extends CaptureRequest['type']>(type: K, body: Body<K>): Promise<CaptureResults[K]> {
    const w = this.worker;
    if (!w) return Promise.reject(new CaptureError({ message: vscode.l10n.t('The local capture is not running.') }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ id, type, ...body });
    });
  }

  private onReply(m: CaptureReply): void {
    if ('event' in m) {
      this.tracesChanged.fire();
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new CaptureError(m.error));
  }

  private ended(message: string): void {
    for (const p of this.pending.values()) p.reject(new CaptureError({ message }));
    this.pending.clear();
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    const wasRunning = this.state.kind === 'running';
    this.worker = undefined;
    if (wasRunning) {
      this.log.error(message);
      this.setState({ kind: 'failed', error: { message } });
    }
  }

  private async terminate(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      w.removeAllListeners('exit');
      await w.terminate();
    }
  }

  private setState(s: CaptureState): void {
    this.state = s;
    this.changed.fire();
  }
}
