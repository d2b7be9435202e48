import * as vscode from 'vscode';
import { transferableBuffer, type TraceWorkerClient } from '../../../core/traceWorker/client';
import { fileName } from '../fileName';
import type { SourceRef } from './sourceRef';
import { Cancelled, TraceSource, untilCancelled, type Loaded, type TraceSourceDeps } from './traceSource';

/** Above this a read shows a cancellable notification; below it, the status bar. */
export const LARGE_FILE_BYTES = 2 * 1024 * 1024;

/**
 * A trace file. A local file is read by the worker itself, so its bytes never pass through the
 * extension host; any other scheme is read through VS Code's file system and transferred. The
 * file is watched: when it changes on disk it is read again, once it settles, and every panel
 * showing it updates.
 */
export class FileTraceSource extends TraceSource {
  readonly key: string;
  readonly ref: SourceRef;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly uri: vscode.Uri,
    deps: TraceSourceDeps,
  ) {
    super(deps);
    this.key = `file:${uri.toString()}`;
    this.ref = { kind: 'file', uri: uri.toString() };
    if (uri.scheme === 'file') {
      const folder = vscode.Uri.joinPath(uri, '..');
      const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, fileName(uri))));
      // Editors save by rewrite or by rename (create); a file written in chunks fires many
      // changes: read it once, after it settles.
      this._register(watcher.onDidChange(() => this.reloadSoon()));
      this._register(watcher.onDidCreate(() => this.reloadSoon()));
      this._register({ dispose: () => clearTimeout(this.reloadTimer) });
    }
  }

  get title(): string {
    return fileName(this.uri);
  }

  private reloadSoon(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.load(), 300);
  }

  protected async fetch(worker: TraceWorkerClient): Promise<Loaded> {
    let size: number | undefined;
    try {
      size = (await vscode.workspace.fs.stat(this.uri)).size;
    } catch {
      size = undefined; // the read below reports the real problem
    }
    if (size !== undefined && size > LARGE_FILE_BYTES) {
      const title = vscode.l10n.t('Reading trace {0} ({1} MB)…', this.title, (size / 1024 / 1024).toFixed(1));
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => this.read(worker, token));
    }
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading trace…') }, () => this.read(worker));
  }

  private async read(worker: TraceWorkerClient, token?: vscode.CancellationToken): Promise<Loaded> {
    const started = Date.now();
    // Terminating is the only way to stop a read or parse in progress; the next load starts a new worker.
    const sub = token?.onCancellationRequested(() => void worker.terminate(new Cancelled()));
    try {
      let file;
      if (this.uri.scheme === 'file') file = await worker.load({ kind: 'file', path: this.uri.fsPath });
      else {
        let bytes: Uint8Array;
        try {
          bytes = await untilCancelled(vscode.workspace.fs.readFile(this.uri), token);
        } catch (err) {
          if (err instanceof Cancelled) return this.cancelled();
          return this.unreadable(err instanceof Error ? err.message : String(err));
        }
        if (this.isDisposed) return { ok: false, error: '', kind: 'cancelled' };
        file = await worker.load({ kind: 'bytes', bytes: transferableBuffer(bytes) });
      }
      this.deps.log.info(`parsed ${this.uri.toString()}: ${file.format}, ${file.choices.length} trace(s), ${file.bytes} bytes in ${Date.now() - started} ms (parse ${Math.round(file.parseMs)} ms in the worker)`);
      if (file.choices.length === 0) return { ok: false, error: vscode.l10n.t('{0} holds no spans.', this.title), kind: 'notTrace' };
      return { ok: true, file };
    } catch (err) {
      const e = err as { kind?: string; message?: string };
      if (e.kind === 'io') return this.unreadable(e.message ?? '');
      return this.failure(err);
    } finally {
      sub?.dispose();
    }
  }

  private unreadable(why: string): Loaded {
    const msg = vscode.l10n.t('Cannot read {0}: {1}', this.uri.fsPath || this.uri.toString(), why);
    this.deps.log.warn(msg);
    return { ok: false, error: msg, kind: 'unreadable' };
  }
}
