/**
 * Promise plumbing for Connections, kept free of `vscode` so it is unit-tested in plain Node.
 */

/**
 * At most one run at a time: a call while one runs gets that run's promise. A poll tick during a
 * slow health check is so skipped instead of aborting it — aborting meant a check slower than
 * the interval never finished.
 */
export class SingleFlight<T> {
  private current?: Promise<T>;

  get running(): boolean {
    return this.current !== undefined;
  }

  run(start: () => Promise<T>): Promise<T> {
    if (this.current) return this.current;
    const p = start().finally(() => {
      if (this.current === p) this.current = undefined;
    });
    this.current = p;
    return p;
  }

  /** The running one was cancelled: the next call starts afresh instead of joining it. */
  forget(): void {
    this.current = undefined;
  }
}
