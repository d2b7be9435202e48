/**
 * A health check that always settles. The HTTP layer's per-phase timeouts and retries can add up
 * to far more than the poll interval (3 tries × 30 s waiting for headers), so a backend that
 * accepts connections but never answers would stay "Checking…" for good. Each backend's probe
 * therefore gets one overall deadline; a probe past it is aborted and reported as timed out,
 * while the other backends keep their own results. No `vscode` import: unit-tested in Node.
 */
import type { Backends } from '../../core/backends';
import { formatMs, isBackendError } from '../../core/backends/errors';
import { BACKEND_LABEL, type BackendKind } from '../../core/backends/options';
import { redactUrl } from '../../core/backends/redact';
import type { BackendHealth } from '../../core/backends/types';

/** Never longer than this, so a hung backend shows an error soon after the view opens. */
export const MAX_HEALTH_DEADLINE_MS = 10_000;

/** Shorter than the poll interval, so one check ends before the next tick is due. */
export function healthDeadlineMs(pollIntervalMs: number): number {
  return Math.min(pollIntervalMs * 0.8, MAX_HEALTH_DEADLINE_MS);
}

export interface HealthProbe {
  readonly backend: BackendKind;
  /** Redacted base URL. */
  readonly url: string;
  run(signal: AbortSignal): Promise<BackendHealth>;
}

/** One probe per configured endpoint (URL as configured); settings that cannot work are an error state at once. */
export function healthProbes(backends: Pick<Backends, BackendKind | 'configErrors'>, endpoints: readonly { backend: BackendKind; url: string }[]): HealthProbe[] {
  return endpoints.map(({ backend, url }) => {
    const client = backends[backend];
    const cfg = backends.configErrors[backend];
    if (!client || cfg) {
      const shown = redactUrl(url);
      const result: BackendHealth = { backend, url: shown, state: 'error', error: cfg?.message ?? 'not configured', errorKind: 'config' };
      return { backend, url: shown, run: () => Promise.resolve(result) };
    }
    return { backend, url: client.url, run: (signal) => client.health({ signal }) };
  });
}

/**
 * Runs the probes in parallel, each against `deadlineMs`. Aborting `signal` rejects (the caller
 * started a newer check or rebuilt the clients); a probe's own failure is an error state.
 */
export function runHealthProbes(probes: readonly HealthProbe[], deadlineMs: number, signal: AbortSignal): Promise<BackendHealth[]> {
  return Promise.all(probes.map((p) => runOne(p, deadlineMs, signal)));
}

async function runOne(probe: HealthProbe, deadlineMs: number, outer: AbortSignal): Promise<BackendHealth> {
  outer.throwIfAborted();
  const ac = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<'deadline'>((resolve, reject) => {
    timer = setTimeout(() => resolve('deadline'), deadlineMs);
    onAbort = () => reject(outer.reason);
    outer.addEventListener('abort', onAbort, { once: true });
  });
  const run = probe.run(ac.signal);
  try {
    const r = await Promise.race([run, stop]);
    if (r !== 'deadline') return r;
    return timedOut(probe, deadlineMs);
  } catch (err) {
    if (outer.aborted || (isBackendError(err) && err.kind === 'cancelled')) throw err;
    return { backend: probe.backend, url: probe.url, state: 'error', error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onAbort!);
    // The loser of the race is stopped and its late rejection ignored.
    ac.abort();
    run.catch(() => undefined);
  }
}

function timedOut(probe: HealthProbe, deadlineMs: number): BackendHealth {
  const label = BACKEND_LABEL[probe.backend];
  return {
    backend: probe.backend,
    url: probe.url,
    state: 'unreachable',
    errorKind: 'timeout',
    error: `${label} at ${probe.url} did not finish the health check within ${formatMs(deadlineMs)}: it may accept connections but not answer. Check that ${label} is running and not overloaded.`,
  };
}
