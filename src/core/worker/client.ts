/**
 * The host's end of a worker thread that answers requests by id (the trace worker, the log-file
 * worker): typed requests over a worker_threads Worker, each settling with the worker's result,
 * its error, or a rejection as soon as the worker is terminated (cancel, dispose) or dies on its
 * own (crash, out of memory, exit). Messages without an id are the worker's own events
 * (progress), handed to `onEvent` listeners.
 */
import type { Worker } from 'node:worker_threads';

/**
 * `exited`: the worker died with requests outstanding (a crash); `terminated`: this side ended
 * it (the `reason` given to terminate, e.g. the user cancelled or the view closed).
 */
export type WorkerEnd = 'exited' | 'terminated';

/** Makes the error a client's requests reject with (each worker keeps its own error class). */
export type WorkerErrorFactory<K extends string> = (kind: K | WorkerEnd | 'internal', message: string, reason?: unknown) => Error;

type Reply = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly kind: string; readonly error: string };

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class WorkerClient<K extends string> {
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: unknown) => void>();
  private nextId = 1;
  private ended: Error | undefined;

  constructor(
    protected readonly worker: Worker,
    /** "trace worker", "log worker": how messages name it. */
    private readonly label: string,
    private readonly makeError: WorkerErrorFactory<K>,
  ) {
    worker.on('message', (msg: unknown) => this.onMessage(msg));
    worker.on('error', (err: Error) => this.end(makeError('exited', `the ${label} failed: ${err.message}`)));
    // A reply that cannot be deserialized names no id; nothing waiting on it could ever settle.
    worker.on('messageerror', (err: Error) => this.end(makeError('exited', `a reply from the ${label} was unreadable: ${err.message}`)));
    worker.on('exit', (code: number) => this.end(makeError('exited', `the ${label} stopped (exit code ${code})`)));
  }

  /** False once the worker has died or been terminated; a new client is needed then. */
  get alive(): boolean {
    return !this.ended;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Listens to the worker's own messages (those that answer no request); returns the unsubscribe. */
  onEvent(listener: (event: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops the worker. Outstanding requests reject at once (kind `terminated`, carrying `reason`)
   * rather than when the thread is finally gone.
   */
  terminate(reason?: unknown): Promise<void> {
    this.end(this.makeError('terminated', `the ${this.label} was stopped`, reason));
    return this.worker.terminate().then(() => undefined);
  }

  protected request<T>(body: Readonly<Record<string, unknown>>, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        this.worker.postMessage({ ...body, id }, transfer);
      } catch (err) {
        this.pending.delete(id);
        reject(this.makeError('internal', `cannot send to the ${this.label}: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  }

  private onMessage(msg: unknown): void {
    const id = typeof msg === 'object' && msg !== null ? (msg as { id?: unknown }).id : undefined;
    if (typeof id !== 'number') {
      for (const l of this.listeners) l(msg);
      return;
    }
    const reply = msg as Reply;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(this.makeError(reply.kind as K, reply.error));
  }

  private end(err: Error): void {
    if (this.ended) return;
    this.ended = err;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(err);
  }
}

/**
 * The ArrayBuffer to transfer for `bytes`: its own buffer when the view covers all of it,
 * otherwise a copy of just the view. Transferring a shared or pooled buffer would hand over
 * (or fail on) memory that is not the file's.
 */
export function transferableBuffer(bytes: Uint8Array): ArrayBuffer {
  const b = bytes.buffer;
  if (b instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === b.byteLength) return b;
  // Not bytes.slice(): on a Node Buffer that is a view of the same memory, not a copy.
  return new Uint8Array(bytes).buffer as ArrayBuffer;
}
