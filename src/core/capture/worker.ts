/**
 * The local capture in a worker thread (the extension's; `spanlens serve` runs CaptureServer
 * directly): requests with ids from the host, each answered once, and a `traces` event —
 * coalesced to at most one per CHANGE_MS — when accepted batches touched traces, so a visible
 * Captures view can refresh without polling. Receiving, decoding and storing never run on the
 * extension host's thread.
 */
import { CaptureServer, PortInUseError, type CaptureOptions, type CapturePorts, type CaptureStats, type PortRole, type RecentTrace } from './server';
import type { StoreLimits } from './store/store';

export type CaptureRequest =
  | { readonly id: number; readonly type: 'start'; readonly options: CaptureOptions }
  | { readonly id: number; readonly type: 'stats' }
  | { readonly id: number; readonly type: 'recent'; readonly limit: number }
  | { readonly id: number; readonly type: 'limits'; readonly limits: StoreLimits }
  | { readonly id: number; readonly type: 'clear' }
  | { readonly id: number; readonly type: 'stop' };

export interface CaptureStarted {
  readonly ports: CapturePorts;
  readonly queryUrl: string;
  readonly stats: CaptureStats;
}

export interface CaptureFailure {
  readonly message: string;
  readonly portInUse?: { readonly role: PortRole; readonly host: string; readonly port: number; readonly owner?: { readonly pid: number; readonly command: string } };
}

export type CaptureReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: CaptureFailure }
  | { readonly id: 0; readonly event: 'traces'; readonly count: number };

export interface CaptureResults {
  readonly start: CaptureStarted;
  readonly stats: CaptureStats;
  readonly recent: RecentTrace[];
  readonly limits: null;
  readonly clear: null;
  readonly stop: null;
}

const CHANGE_MS = 500;

export class CaptureWorkerHandler {
  private server?: CaptureServer;
  private unsubscribe?: () => void;
  private pendingChange = 0;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly post: (reply: CaptureReply) => void) {}

  async handle(msg: unknown): Promise<void> {
    const req = msg as CaptureRequest;
    if (typeof req !== 'object' || req === null || typeof req.id !== 'number') return;
    try {
      this.post({ id: req.id, ok: true, result: await this.run(req) });
    } catch (err) {
      const error: CaptureFailure =
        err instanceof PortInUseError
          ? { message: err.message, portInUse: { role: err.role, host: err.host, port: err.port, owner: err.owner } }
          : { message: err instanceof Error ? err.message : String(err) };
      this.post({ id: req.id, ok: false, error });
    }
  }

  private async run(req: CaptureRequest): Promise<unknown> {
    switch (req.type) {
      case 'start': {
        if (this.server) throw new Error('the capture is already running');
        const s = await CaptureServer.start(req.options);
        this.server = s;
        this.unsubscribe = s.onTraces((ids) => this.changed(ids.length));
        return { ports: s.ports, queryUrl: s.queryUrl, stats: s.stats() } satisfies CaptureStarted;
      }
      case 'stats':
        return this.running().stats();
      case 'recent':
        return this.running().recentTraces(Math.max(1, Math.min(1000, req.limit)));
      case 'limits':
        this.running().setLimits(req.limits);
        return null;
      case 'clear':
        this.running().clear();
        this.changed(1);
        return null;
      case 'stop': {
        const s = this.server;
        this.server = undefined;
        this.unsubscribe?.();
        if (this.timer) clearTimeout(this.timer);
        await s?.close();
        return null;
      }
    }
  }

  private running(): CaptureServer {
    if (!this.server) throw new Error('the capture is not running');
    return this.server;
  }

  private changed(n: number): void {
    this.pendingChange += n;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const count = this.pendingChange;
      this.pendingChange = 0;
      this.post({ id: 0, event: 'traces', count });
    }, CHANGE_MS);
  }
}
