import * as vscode from 'vscode';
import { isBackendError, TraceNotFoundError } from '../../../core/backends/errors';
import { TraceFormatError } from '../../../core/model/errors';
import { TraceWorkerError, transferableBuffer, type TraceWorkerClient } from '../../../core/traceWorker/client';
import type { LoadedFile } from '../../../core/traceWorker/protocol';
import type { Connections } from '../../backends/connections';
import type { SourceRef } from './sourceRef';
import { Cancelled, TraceSource, type Loaded, type TraceSourceDeps } from './traceSource';

/**
 * One trace fetched from Tempo by id, in the environment it was opened in. The response's bytes go
 * to the worker undecoded (JSON or protobuf, v2 or v1, as the client negotiated), so a
 * 100k-span answer never blocks the extension host; a PARTIAL answer is kept as such.
 */
export class TempoTraceSource extends TraceSource {
  readonly key: string;
  readonly ref: SourceRef;

  constructor(
    readonly traceId: string,
    readonly environment: string,
    private readonly connections: Connections,
    deps: TraceSourceDeps,
  ) {
    super(deps);
    this.key = `tempo:${environment}:${traceId}`;
    this.ref = { kind: 'tempo', environment, traceId };
  }

  get title(): string {
    return this.traceId;
  }

  protected fetch(worker: TraceWorkerClient): Promise<Loaded> {
    const title = vscode.l10n.t('Fetching trace {0} from Tempo ({1})…', this.traceId.slice(0, 16), this.environment);
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_p, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => {
          ac.abort();
          void worker.terminate(new Cancelled());
        });
        try {
          const got = await this.connections.withClients(this.environment, async (b) => {
            if (!b.tempo) throw new NoTempo(b.configErrors.tempo?.message);
            return b.tempo.traceWith(this.traceId, { signal: ac.signal }, async (body) => {
              try {
                const file = await worker.load({ kind: 'bytes', bytes: transferableBuffer(body.body), contentType: body.contentType, api: body.api });
                return { file, traceCount: file.choices.length };
              } catch (e) {
                // The client fetches again as JSON when a protobuf answer does not decode.
                if (e instanceof TraceWorkerError && e.kind === 'format') throw new TraceFormatError('', e.message);
                throw e;
              }
            });
          });
          const file: LoadedFile = { ...got.decoded.file, warnings: [...got.warnings, ...got.decoded.file.warnings], warningCount: got.decoded.file.warningCount + got.warnings.length };
          this.deps.log.info(`fetched trace ${this.traceId} from Tempo (${this.environment}): ${got.api} ${file.encoding}, ${got.bytes} bytes, parse ${Math.round(file.parseMs)} ms in the worker`);
          return { ok: true, file } as const;
        } catch (err) {
          return this.fetchFailure(err, token.isCancellationRequested);
        } finally {
          sub.dispose();
        }
      }),
    );
  }

  private fetchFailure(err: unknown, cancelled: boolean): Loaded {
    if (cancelled || (err instanceof TraceWorkerError && err.reason instanceof Cancelled)) return this.cancelled();
    if (err instanceof NoTempo) {
      const detail = err.message ? ` (${err.message})` : '';
      return { ok: false, error: vscode.l10n.t('No Tempo endpoint is set for environment "{0}"{1}.', this.environment, detail), kind: 'backend' };
    }
    if (err instanceof TraceNotFoundError) {
      this.deps.log.info(err.message);
      return { ok: false, error: err.message, kind: 'notFound' };
    }
    if (isBackendError(err)) {
      if (err.kind === 'cancelled') return this.cancelled();
      this.deps.log.warn(`fetching trace ${this.traceId}: ${err.message}`);
      return { ok: false, error: err.message, kind: err.kind === 'badResponse' ? 'notTrace' : 'backend' };
    }
    return this.failure(err);
  }
}

class NoTempo extends Error {
  constructor(detail?: string) {
    super(detail ?? '');
  }
}
