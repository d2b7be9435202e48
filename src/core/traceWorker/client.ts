/**
 * The host's end of a trace worker: typed requests with ids over a worker_threads Worker (see
 * core/worker/client.ts for how every request settles, the worker's death included).
 */
import type { Worker } from 'node:worker_threads';
import { WorkerClient, transferableBuffer, type WorkerEnd } from '../worker/client';
import type { LookupEvent, LookupInput, LookupStarted } from './lookupSession';
import type { LoadedFile, LoadInput, TraceWorkerErrorKind, TraceWorkerRequest, TraceWorkerResults } from './protocol';

export { transferableBuffer };

/**
 * `exited`: the worker died with requests outstanding (a crash); `terminated`: this side ended
 * it (the `reason` given to terminate, e.g. the user cancelled or the view closed).
 */
export type TraceWorkerFailure = TraceWorkerErrorKind | WorkerEnd;

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

type Body<K extends TraceWorkerRequest['type']> = Omit<Extract<TraceWorkerRequest, { type: K }>, 'id'>;

export class TraceWorkerClient extends WorkerClient<TraceWorkerErrorKind> {
  constructor(worker: Worker) {
    super(worker, 'trace worker', (kind, message, reason) => new TraceWorkerError(kind, message, reason));
  }

  /** Hands the source over: bytes are transferred, so they are detached (length 0) here afterwards. */
  load(input: LoadInput): Promise<LoadedFile> {
    return this.ask<'load'>({ type: 'load', input }, input.kind === 'bytes' ? [input.bytes] : []);
  }

  traceData(trace: number): Promise<TraceWorkerResults['traceData']> {
    return this.ask<'traceData'>({ type: 'traceData', trace });
  }

  details(trace: number, box: number): Promise<TraceWorkerResults['details']> {
    return this.ask<'details'>({ type: 'details', trace, box });
  }

  search(trace: number, text: string): Promise<TraceWorkerResults['search']> {
    return this.ask<'search'>({ type: 'search', trace, text });
  }

  criticalPath(trace: number): Promise<TraceWorkerResults['criticalPath']> {
    return this.ask<'criticalPath'>({ type: 'criticalPath', trace });
  }

  locations(trace: number, box: number): Promise<TraceWorkerResults['locations']> {
    return this.ask<'locations'>({ type: 'locations', trace, box });
  }

  /** Runs a lookup in the worker; resolves when its traces part is settled. Events: `onLookup`. */
  lookup(input: LookupInput): Promise<LookupStarted> {
    // Settings read from VS Code are read-only proxies, which a worker message cannot clone; the
    // input is plain JSON data (strings, numbers, booleans), so a JSON copy loses nothing.
    return this.ask<'lookup'>({ type: 'lookup', ...(JSON.parse(JSON.stringify(input)) as LookupInput) });
  }

  cancelLookup(): Promise<null> {
    return this.ask<'cancelLookup'>({ type: 'cancelLookup' });
  }

  logRows(trace: number): Promise<TraceWorkerResults['logRows']> {
    return this.ask<'logRows'>({ type: 'logRows', trace });
  }

  logSource(index: number): Promise<TraceWorkerResults['logSource']> {
    return this.ask<'logSource'>({ type: 'logSource', index });
  }

  /** The lookup's progress events; returns the unsubscribe. */
  onLookup(listener: (e: LookupEvent) => void): () => void {
    return this.onEvent((e) => {
      const t = typeof e === 'object' && e !== null ? (e as { type?: unknown }).type : undefined;
      if (t === 'lookupPart' || t === 'lookupMetrics' || t === 'lookupRequest') listener(e as LookupEvent);
    });
  }

  private ask<K extends TraceWorkerRequest['type']>(body: Body<K>, transfer: ArrayBuffer[] = []): Promise<TraceWorkerResults[K]> {
    return this.request<TraceWorkerResults[K]>(body, transfer);
  }
}
