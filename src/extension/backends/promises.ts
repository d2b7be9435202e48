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

/**
 * A promise made on first use and kept while pending or fulfilled. A rejected one is dropped,
 * so one failure (keychain locked, settings that throw) is retried on the next call instead of
 * being handed out until something else clears it.
 */
export class RetryingLazy<T> {
  private current?: Promise<T>;

  constructor(private readonly make: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.current) return this.current;
    const p = this.make();
    this.current = p;
    p.catch(() => {
      if (this.current === p) this.current = undefined;
    });
    return p;
  }

  /** Forgets the current promise and hands it over (e.g. to close what it resolves to). */
  take(): Promise<T> | undefined {
    const p = this.current;
    this.current = undefined;
    return p;
  }
}
