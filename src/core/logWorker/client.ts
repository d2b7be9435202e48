/**
 * The host's end of the log-file worker: typed requests (see protocol.ts) and its progress
 * events, over the same request/reply plumbing as the trace worker (core/worker/client.ts).
 */
import type { Worker } from 'node:worker_threads';
import type { LogEntry } from '../model/logs';
import { WorkerClient, type WorkerEnd } from '../worker/client';
import type { LineHits, LogProgressEvent, LogWorkerErrorKind, OpenedLogFile } from './protocol';

export class LogWorkerError extends Error {
  override readonly name = 'LogWorkerError';
  constructor(
    readonly kind: LogWorkerErrorKind | WorkerEnd,
    message: string,
    readonly reason?: unknown,
  ) {
    super(message);
  }
}

export class LogWorkerClient extends WorkerClient<LogWorkerErrorKind> {
  constructor(worker: Worker) {
    super(worker, 'log worker', (kind, message, reason) => new LogWorkerError(kind, message, reason));
  }

  /** Resolves with the first entries while the rest of the file is still being indexed. */
  open(path: string, first?: number): Promise<OpenedLogFile> {
    return this.request({ type: 'open', path, ...(first !== undefined ? { first } : {}) });
  }

  entries(from: number, to: number): Promise<readonly LogEntry[]> {
    return this.request({ type: 'entries', from, to });
  }

  entriesAt(lines: readonly number[]): Promise<readonly LogEntry[]> {
    return this.request({ type: 'entriesAt', lines: [...lines] });
  }

  /** Case-insensitive; a newer search makes an older one reject with kind `cancelled`. */
  search(text: string, opts: { from?: number; limit?: number } = {}): Promise<LineHits> {
    return this.request({ type: 'search', text, ...opts });
  }

  entriesOf(ids: { traceId?: string; spanId?: string }): Promise<LineHits> {
    return this.request({ type: 'entriesOf', ...ids });
  }

  /** Indexing progress of the open file; returns the unsubscribe. */
  onProgress(listener: (e: LogProgressEvent) => void): () => void {
    return this.onEvent((e) => {
      if (typeof e === 'object' && e !== null && (e as { type?: unknown }).type === 'progress') listener(e as LogProgressEvent);
    });
  }
}
