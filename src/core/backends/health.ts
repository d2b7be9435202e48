/**
 * One health probe shape for the three backends, used by `spanlens check` and the Connections
 * tree: build info (version + latency), readiness, then a cheap authenticated call so a missing
 * tenant or bad credentials show up as "unauthorised" rather than "ok".
 */
import { BackendError } from './errors';
import type { BackendKind } from './options';
import type { BackendHealth, BuildInfo, ReadyState } from './types';

export interface HealthSteps {
  readonly buildInfo: () => Promise<BuildInfo>;
  readonly ready: () => Promise<ReadyState>;
  /** A query-path call that needs the tenant and credentials. */
  readonly authProbe?: () => Promise<unknown>;
}

export async function probeHealth(backend: BackendKind, url: string, label: string, steps: HealthSteps): Promise<BackendHealth> {
  let version: string | undefined;
  let latencyMs: number | undefined;
  try {
    const t0 = performance.now();
    try {
      version = (await steps.buildInfo()).version || undefined;
    } catch (err) {
      // Old servers lack build info; that alone does not make them unhealthy.
      if (!(err instanceof BackendError && err.kind === 'notFound')) throw err;
    }
    latencyMs = Math.round(performance.now() - t0);
    const ready = await steps.ready();
    if (!ready.ready) {
      return {
        backend,
        url,
        state: 'error',
        version,
        latencyMs,
        error: `${label} at ${url} is not ready: ${ready.message || 'no reason given'}`,
        errorKind: 'notReady',
      };
    }
    await steps.authProbe?.();
    return { backend, url, state: 'ok', version, latencyMs };
  } catch (err) {
    if (!(err instanceof BackendError) || err.kind === 'cancelled') throw err;
    const state =
      err.kind === 'unreachable' || err.kind === 'timeout' ? 'unreachable' : err.kind === 'auth' ? 'unauthorised' : 'error';
    return { backend, url, state, version, latencyMs, error: err.message, errorKind: err.kind };
  }
}
