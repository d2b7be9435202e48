import type { ResponseMessage } from '../../src/core/protocol';
import { vscode } from './vscodeApi';

type Pending = { resolve(v: unknown): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> };

/**
 * Requests to the host that always settle: with the host's result or error, after a timeout,
 * or when the page goes away.
 */
export class Rpc {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `text` gives the localized messages, which arrive with the host's first answer. */
  constructor(
    private readonly text: () => { noAnswer: string; viewClosed: string } | undefined,
    private readonly timeoutMs = 15_000,
  ) {
    window.addEventListener('unload', () => this.rejectAll(this.text()?.viewClosed ?? 'The view was closed.'));
  }

  request<T>(message: { type: 'spanDetails'; trace: number; box: number }): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        const seconds = String(this.timeoutMs / 1000);
        const template = this.text()?.noAnswer ?? 'No answer from Spanlens after {0} s.';
        reject(new Error(template.replace('{0}', seconds)));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      vscode.postMessage({ ...message, id });
    });
  }

  /** Settles the request a `response` message answers; unknown ids are ignored. */
  settle(m: ResponseMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(m.error));
  }

  rejectAll(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
      this.pending.delete(id);
    }
  }
}
