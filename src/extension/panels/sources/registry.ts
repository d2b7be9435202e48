import type * as vscode from 'vscode';
import type { TraceSource } from './traceSource';

/** One panel's hold on a source; releasing the last hold disposes the source and its worker. */
export interface SourceLease extends vscode.Disposable {
  readonly source: TraceSource;
}

/**
 * The open trace sources, shared by key: every view of the same file or the same Tempo trace uses
 * one source, so one worker holds one parsed copy however many panels show it.
 */
export class TraceSourceRegistry implements vscode.Disposable {
  private readonly live = new Map<string, { source: TraceSource; users: number }>();

  /** The source for `key`, made (and loaded) by `make` on first use. */
  acquire(key: string, make: () => TraceSource): SourceLease {
    let entry = this.live.get(key);
    if (!entry) {
      const source = make();
      entry = { source, users: 0 };
      this.live.set(key, entry);
      void source.load();
    }
    entry.users++;
    const held = entry;
    let released = false;
    return {
      source: held.source,
      dispose: () => {
        if (released) return;
        released = true;
        if (--held.users > 0) return;
        if (this.live.get(key) === held) this.live.delete(key);
        held.source.dispose();
      },
    };
  }

  get size(): number {
    return this.live.size;
  }

  dispose(): void {
    for (const { source } of this.live.values()) source.dispose();
    this.live.clear();
  }
}
