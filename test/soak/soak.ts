/**
 * The soak: long-lived clients (as the extension keeps them) doing the operations of
 * operations.ts, several at a time, for a set duration against the fakes and a real Prometheus
 * in a child process (servers.ts), while faults from test/fakes/faults.ts are injected
 * (resets, 5xx, 429, slow headers and bodies, login pages), some requests are cancelled
 * mid-way, and the clients are rebuilt now and then (a settings change). Measured: every
 * request settles (a result or a typed BackendError, within a bound), the heap after GC at the
 * end against after warm-up, and what is left alive (sockets, timers, listeners) after closing.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createBackends, type Backends } from '../../src/core/backends';
import { isBackendError } from '../../src/core/backends/errors';
import type { ConnectionOptions } from '../../src/core/backends/options';
import type { Fault } from '../fakes/faults';
import { Prng } from '../support/synth';
import { OPERATIONS, type SoakWorld } from './operations';

export interface SoakOptions {
  readonly durationMs: number;
  /** Operations in flight at once. */
  readonly concurrency?: number;
  readonly seed?: number;
  /** One fault queued on Tempo or Loki this often. */
  readonly faultEveryMs?: number;
  /** The clients are rebuilt (old pools closed) this often. */
  readonly rebuildEveryMs?: number;
  readonly log?: (line: string) => void;
}

export interface SoakResult {
  readonly durationMs: number;
  readonly started: number;
  readonly settled: number;
  /** Rejections that are not a typed BackendError (each is a bug). */
  readonly unexpected: readonly string[];
  readonly byOperation: Readonly<Record<string, { ok: number; failed: number; cancelled: number }>>;
  readonly faults: number;
  readonly rebuilds: number;
  readonly heapStartBytes: number;
  readonly heapEndBytes: number;
  /** Resources alive after everything closed that were not there before it started. */
  readonly leftover: readonly string[];
  readonly maxListenerWarnings: number;
  readonly figures: { readonly heapGrowthPct: number; readonly requestsSettledPct: number; readonly leakedHandlesCount: number };
}

/** An operation still pending this long after it started has not settled: it is counted, not awaited. */
const SETTLE_BOUND_MS = 60_000;
/** Resources this soak opens and must close (Node's names from getActiveResourcesInfo). */
const WATCHED = new Set(['TCPSocketWrap', 'TCPServerWrap', 'Timeout', 'Immediate', 'TLSWrap', 'ProcessWrap', 'PipeWrap', 'FSReqCallback', 'GetAddrInfoReqWrap']);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

function resources(): string[] {
  return process.getActiveResourcesInfo().filter((r) => WATCHED.has(r));
}

function extra(now: readonly string[], baseline: readonly string[]): string[] {
  const left = [...now];
  for (const b of baseline) {
    const i = left.indexOf(b);
    if (i >= 0) left.splice(i, 1);
  }
  return left;
}

/** The faults of test/fakes/faults.ts a real stack produces, with the client timeouts below in mind. */
const FAULTS: readonly Fault[] = [
  { kind: 'resetBeforeHeaders' },
  { kind: 'resetMidBody' },
  { kind: 'status', status: 503, body: 'upstream connect error or disconnect/reset before headers' },
  { kind: 'status', status: 500, body: 'rpc error: code = Unavailable' },
  { kind: 'rateLimit', retryAfter: '0', body: 'too many outstanding requests' },
  { kind: 'rateLimit', retryAfter: '3600' },
  { kind: 'slowBody', ms: 300 },
  { kind: 'slowBody', ms: 2500 },
  { kind: 'slowHeaders', ms: 2500 },
  { kind: 'html' },
];

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const log = opts.log ?? (() => undefined);
  const concurrency = opts.concurrency ?? 4;
  const rnd = new Prng(opts.seed ?? 11);
  let maxListenerWarnings = 0;
  const onWarning = (w: Error): void => {
    if (w.name === 'MaxListenersExceededWarning') maxListenerWarnings++;
  };
  process.on('warning', onWarning);
  const baseline = resources();

  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'servers.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const cfg = await new Promise<{ tempo: string; loki: string; prometheus: string; traceIds: string[]; startMs: number; endMs: number }>((done, fail) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (l) => {
      if (!l.startsWith('READY ')) return;
      rl.close();
      done(JSON.parse(l.slice(6)) as never);
    });
    child.once('exit', (code) => fail(new Error(`soak servers exited (${code}) before READY`)));
  });
  const conn: ConnectionOptions = {
    endpoints: { tempo: { url: cfg.tempo }, loki: { url: cfg.loki }, prometheus: { url: cfg.prometheus } },
    timeouts: { connectMs: 1500, headersMs: 1500, bodyMs: 1500 },
    retry: { baseDelayMs: 50, maxDelayMs: 1000 },
    tempoProtobuf: false,
  };
  const world: SoakWorld = { traceIds: cfg.traceIds, range: { startMs: cfg.startMs, endMs: cfg.endMs }, pick: (l) => l[Math.floor(rnd.next() * l.length)]! };
  const totalWeight = OPERATIONS.reduce((s, o) => s + o.weight, 0);
  const pickOp = (): (typeof OPERATIONS)[number] => {
    let x = rnd.next() * totalWeight;
    for (const o of OPERATIONS) if ((x -= o.weight) < 0) return o;
    return OPERATIONS[OPERATIONS.length - 1]!;
  };

  let backends: Backends = await createBackends(conn, {});
  let started = 0;
  let settled = 0;
  let faults = 0;
  let rebuilds = 0;
  const unexpected: string[] = [];
  const byOperation: Record<string, { ok: number; failed: number; cancelled: number }> = Object.fromEntries(OPERATIONS.map((o) => [o.name, { ok: 0, failed: 0, cancelled: 0 }]));
  const pending = new Set<Promise<void>>();

  const one = (): Promise<void> => {
    const op = pickOp();
    const ac = new AbortController();
    // One in twenty is abandoned mid-way, as a user closes a panel that is still loading.
    const cancelTimer = rnd.next() < 0.05 ? setTimeout(() => ac.abort(), Math.floor(rnd.next() * 400)) : undefined;
    started++;
    const p = op
      .run(backends, world, ac.signal)
      .then(
        () => void byOperation[op.name]!.ok++,
        (err: unknown) => {
          if (!isBackendError(err)) unexpected.push(`${op.name}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
          else if (err.kind === 'cancelled') byOperation[op.name]!.cancelled++;
          else byOperation[op.name]!.failed++;
        },
      )
      .finally(() => {
        settled++;
        if (cancelTimer) clearTimeout(cancelTimer);
        pending.delete(p);
      });
    pending.add(p);
    return p;
  };

  const runFor = async (ms: number, inject: boolean): Promise<void> => {
    const end = Date.now() + ms;
    const faultTimer = inject
      ? setInterval(() => {
          const fault = world.pick(FAULTS);
          child.stdin!.write(`${JSON.stringify({ backend: rnd.next() < 0.5 ? 'tempo' : 'loki', fault })}\n`);
          faults++;
        }, opts.faultEveryMs ?? 250)
      : undefined;
    const rebuildTimer = inject
      ? setInterval(() => {
          const old = backends;
          void createBackends(conn, {}).then((b) => {
            backends = b;
            rebuilds++;
            // Requests in flight on the old pools finish first; then its sockets close.
            void old.close();
          });
        }, opts.rebuildEveryMs ?? 30_000)
      : undefined;
    const worker = async (): Promise<void> => {
      while (Date.now() < end) await one();
    };
    const lastReport = { at: Date.now() };
    const reporter = setInterval(() => {
      log(`soak: ${Math.round((Date.now() - (end - ms)) / 1000)} s, ${started} started, ${settled} settled, ${faults} faults, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(1)} MB`);
      lastReport.at = Date.now();
    }, Math.max(10_000, Math.min(60_000, ms / 10)));
    try {
      await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
      clearInterval(reporter);
      if (faultTimer) clearInterval(faultTimer);
      if (rebuildTimer) clearInterval(rebuildTimer);
    }
  };

  try {
    const warmMs = Math.min(15_000, Math.max(2_000, opts.durationMs / 10));
    log(`soak: warming up for ${warmMs / 1000} s`);
    await runFor(warmMs, true);
    await settleAll(pending);
    const heapStartBytes = heapAfterGc();
    const t0 = Date.now();
    await runFor(opts.durationMs, true);
    // The last faults queued on the fakes may still be waiting for a request: drain them harmlessly.
    await settleAll(pending);
    const durationMs = Date.now() - t0;
    const heapEndBytes = heapAfterGc();
    await backends.close();
    child.stdin!.end();
    child.kill('SIGTERM');
    await exited;
    const leftover = await waitForBaseline(baseline);
    const figures = {
      heapGrowthPct: ((heapEndBytes - heapStartBytes) / heapStartBytes) * 100,
      requestsSettledPct: started === 0 ? 0 : (settled / started) * 100,
      leakedHandlesCount: leftover.length + maxListenerWarnings,
    };
    return { durationMs, started, settled, unexpected, byOperation, faults, rebuilds, heapStartBytes, heapEndBytes, leftover, maxListenerWarnings, figures };
  } finally {
    process.removeListener('warning', onWarning);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** Waits for what is in flight, at most SETTLE_BOUND_MS (what is still pending then stays unsettled). */
async function settleAll(pending: Set<Promise<void>>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all([...pending]), new Promise<void>((r) => (timer = setTimeout(r, SETTLE_BOUND_MS)))]);
  clearTimeout(timer);
}

/** Sockets finish closing over the next turns of the loop: poll (bounded), don't sleep. */
async function waitForBaseline(baseline: readonly string[]): Promise<string[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const left = extra(resources(), baseline);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 20));
  }
}
