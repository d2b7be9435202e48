import type { RpcMethods, RpcResponse } from '../../src/core/protocol/rpc';
import { vscode } from './vscodeApi';

type Pending = { resolve(v: unknown): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> };

/** Localized texts for the two ways a request can fail on this side. */
export interface RpcTexts {
  /** `{0}`: seconds. */
  readonly noAnswer: string;
  readonly viewClosed: string;
}

/**
 * Typed requests to the host that always settle: with the host's result or error, after a
 * timeout, or when the page goes away. One per page; `M` is the view's method table.
 */
export class RpcClient<M extends RpcMethods> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `texts` gives the localized messages, which arrive with the host's first answer. */
  constructor(
    private readonly texts: () => RpcTexts | undefined,
    private readonly timeoutMs = 15_000,
  ) {
    window.addEventListener('unload', () => this.rejectAll(this.texts()?.viewClosed ?? 'The view was closed.'));
  }

  request<K extends keyof M & string>(method: K, params: M[K]['params'], timeoutMs = this.timeoutMs): Promise<M[K]['result']> {
    const id = this.nextId++;
    return new Promise<M[K]['result']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        const template = this.texts()?.noAnswer ?? 'No answer from Spanlens after {0} s.';
        reject(new Error(template.replace('{0}', String(Math.round(timeoutMs / 1000)))));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      vscode.postMessage({ type: 'request', id, method, params });
    });
  }

  /** Settles the request a `response` message answers; unknown ids are ignored. */
  settle(m: RpcResponse): void {
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
