/**
 * Fault injection for the fakes: the failures real stacks produce (a stalled querier, a proxy's
 * HTML page, a reset connection, a 429 with Retry-After …). Tests queue a fault, optionally
 * for a path pattern and a number of requests; the server applies it instead of answering.
 * "Connection refused" needs no fault: use refusedUrl() from server.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Fault =
  /** Answer as usual, but only after this long (a busy or distant server: latency, not failure). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Wait this long before sending any header. */
  | { readonly kind: 'slowHeaders'; readonly ms: number }
  /** Send headers and part of the body, then go silent for `ms`. */
  | { readonly kind: 'slowBody'; readonly ms: number }
  /** Send headers and part of the body, then reset the TCP connection. */
  | { readonly kind: 'resetMidBody' }
  /** Reset the connection before any response. */
  | { readonly kind: 'resetBeforeHeaders' }
  | { readonly kind: 'status'; readonly status: number; readonly body: string; readonly contentType?: string }
  | { readonly kind: 'rateLimit'; readonly retryAfter?: string; readonly body?: string }
  /** A login page or proxy page with status 200 (or another status). */
  | { readonly kind: 'html'; readonly status?: number }
  /** A JSON-looking body of `bytes`, streamed without Content-Length unless `declareLength`. */
  | { readonly kind: 'oversize'; readonly bytes: number; readonly declareLength?: boolean };

interface Entry {
  readonly fault: Fault;
  readonly path?: RegExp;
  remaining: number;
}

export const LOGIN_PAGE =
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Sign in · Corp SSO</title></head>' +
  '<body><form method="post" action="/login"><input name="user"><input name="password" type="password">' +
  '<button>Sign in</button></form></body></html>\n';

export class FaultPlan {
  private readonly entries: Entry[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Apply `fault` to the next `times` requests (whose path matches, if given). */
  add(fault: Fault, opts: { path?: RegExp; times?: number } = {}): this {
    this.entries.push({ fault, path: opts.path, remaining: opts.times ?? 1 });
    return this;
  }

  take(pathname: string): Fault | undefined {
    const i = this.entries.findIndex((e) => !e.path || e.path.test(pathname));
    if (i < 0) return undefined;
    const e = this.entries[i]!;
    if (--e.remaining <= 0) this.entries.splice(i, 1);
    return e.fault;
  }

  get pending(): number {
    return this.entries.length;
  }

  /** Timers are tracked so closing a fake never leaves one pending. */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  clear(): void {
    this.entries.length = 0;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** Returns true when the fault produced the whole response; false lets the server answer as usual. */
export function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse, plan: FaultPlan): boolean {
  const partial = '{"status":"success","data":{"resultType":"streams","result":[';
  switch (fault.kind) {
    case 'delay':
      return false;
    case 'slowHeaders':
      plan.later(fault.ms, () => {
        if (!res.destroyed) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{}');
        }
      });
      return true;
    case 'slowBody':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(partial);
      plan.later(fault.ms, () => {
        if (!res.destroyed) res.end(']}}');
      });
      return true;
    case 'resetMidBody':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      res.write(partial, () => {
        req.socket.resetAndDestroy();
      });
      return true;
    case 'resetBeforeHeaders':
      req.socket.resetAndDestroy();
      return true;
    case 'status':
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/plain; charset=utf-8' });
      res.end(fault.body);
      return true;
    case 'rateLimit':
      res.writeHead(429, {
        'content-type': 'text/plain; charset=utf-8',
        ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}),
      });
      res.end(fault.body ?? 'too many outstanding requests');
      return true;
    case 'html':
      res.writeHead(fault.status ?? 200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(LOGIN_PAGE);
      return true;
    case 'oversize': {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.declareLength) headers['content-length'] = String(fault.bytes);
      res.writeHead(200, headers);
      streamFiller(res, fault.bytes);
      return true;
    }
  }
}

/** Writes `bytes` of filler honouring back-pressure, stopping if the client goes away. */
function streamFiller(res: ServerResponse, bytes: number): void {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = bytes;
  res.write('[');
  left -= 1;
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.on('close', () => {
    left = 0;
  });
  pump();
}
