/**
 * The host's end of a trace worker: typed requests with ids over a worker_threads Worker.
 * Every request settles: with the worker's result, its error, or a rejection as soon as the
 * worker is terminated (cancel, dispose) or dies on its own (crash, out of memory, exit).
 */
import type { Worker } from 'node:worker_threads';
import type { LoadedFile, LoadInput, TraceWorkerErrorKind, TraceWorkerReply, TraceWorkerRequest, TraceWorkerResults } from './protocol';

/**
 * `exited`: the worker died with requests outstanding (a crash); `terminated`: this side ended
 * it (the `reason` given to terminate, e.g. the user cancelled or the view closed).
 */
export type TraceWorkerFailure = TraceWorkerErrorKind | 'exited' | 'terminated';

export class TraceWorkerError extends Error {
  override readonly name = 'TraceWorkerError';
  constructor(
    readonly kind: TraceWorkerFailure,
    message: string,
    /** For `terminated`: why (whatever terminate() was given). */
    readonly reason?: unknown,
  ) {
    super(message);
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

type Body<K extends TraceWorkerRequest['type']> = Omit<Extract<TraceWorkerRequest, { type: K }>, 'id'>;

export class TraceWorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private ended: TraceWorkerError | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: TraceWorkerReply) => this.onReply(reply));
    worker.on('error', (err: Error) => this.end(new TraceWorkerError('exited', `the trace worker failed: ${err.message}`)));
    // A reply that cannot be deserialized names no id; nothing waiting on it could ever settle.
    worker.on('messageerror', (err: Error) => this.end(new TraceWorkerError('exited', `a reply from the trace worker was unreadable: ${err.message}`)));
    worker.on('exit', (code: number) => this.end(new TraceWorkerError('exited', `the trace worker stopped (exit code ${code})`)));
  }

  /** False once the worker has died or been terminated; a new client is needed then. */
  get alive(): boolean {
    return !this.ended;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Hands the source over: bytes are transferred, so they are detached (length 0) here afterwards. */
  load(input: LoadInput): Promise<LoadedFile> {
    return this.request<'load'>({ type: 'load', input }, input.kind === 'bytes' ? [input.bytes] : []);
  }

  traceData(trace: number): Promise<TraceWorkerResults['traceData']> {
    return this.request<'traceData'>({ type: 'traceData', trace });
  }

  details(trace: number, box: number): Promise<TraceWorkerResults['details']> {
    return this.request<'details'>({ type: 'details', trace, box });
  }

  search(trace: number, text: string): Promise<TraceWorkerResults['search']> {
    return this.request<'search'>({ type: 'search', trace, text });
  }

  criticalPath(trace: number): Promise<TraceWorkerResults['criticalPath']> {
    return this.request<'criticalPath'>({ type: 'criticalPath', trace });
  }

  locations(trace: number, box: number): Promise<TraceWorkerResults['locations']> {
    return this.request<'locations'>({ type: 'locations', trace, box });
  }

  /**
   * Stops the worker. Outstanding requests reject at once (kind `terminated`, carrying `reason`)
   * rather than when the thread is finally gone.
   */
  terminate(reason?: unknown): Promise<void> {
    this.end(new TraceWorkerError('terminated', 'the trace worker was stopped', reason));
    return this.worker.terminate().then(() => undefined);
  }

  private request<K extends TraceWorkerRequest['type']>(body: Body<K>, transfer: ArrayBuffer[] = []): Promise<TraceWorkerResults[K]> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    return new Promise<TraceWorkerResults[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        this.worker.postMessage({ ...body, id }, transfer);
      } catch (err) {
        this.pending.delete(id);
        reject(new TraceWorkerError('internal', `cannot send to the trace worker: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  }

  private onReply(reply: TraceWorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new TraceWorkerError(reply.kind, reply.error));
  }

  private end(err: TraceWorkerError): void {
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
