import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError, ConfigError } from '../../../src/core/backends/errors';
import type { Backends } from '../../../src/core/backends';
import type { BackendKind } from '../../../src/core/backends/options';
import type { BackendHealth } from '../../../src/core/backends/types';
import { loadExtensionModule } from './load';

interface HealthProbe {
  readonly backend: BackendKind;
  readonly url: string;
  run(signal: AbortSignal): Promise<BackendHealth>;
}
const { healthDeadlineMs, healthProbes, MAX_HEALTH_DEADLINE_MS, runHealthProbes } = loadExtensionModule<{
  healthDeadlineMs(pollIntervalMs: number): number;
  healthProbes(backends: Pick<Backends, BackendKind | 'configErrors'>, endpoints: readonly { backend: BackendKind; url: string }[]): HealthProbe[];
  MAX_HEALTH_DEADLINE_MS: number;
  runHealthProbes(probes: readonly HealthProbe[], deadlineMs: number, signal: AbortSignal): Promise<BackendHealth[]>;
}>('backends/healthCheck');

const ok = (backend: HealthProbe['backend']): BackendHealth => ({ backend, url: `http://${backend}`, state: 'ok', version: '1' });

/** A probe that never answers until aborted, like a server that accepts and then stalls. */
function hanging(backend: HealthProbe['backend'], seen: { aborted?: boolean }): HealthProbe {
  return {
    backend,
    url: `http://${backend}`,
    run: (signal) =>
      new Promise((_, reject) => {
        signal.addEventListener('abort', () => {
          seen.aborted = true;
          reject(new CancelledError(backend, `http://${backend}`));
        });
      }),
  };
}

describe('health check deadline', () => {
  it('is shorter than the poll interval and at most 10 s', () => {
    assert.equal(healthDeadlineMs(5_000), 4_000);
    assert.equal(healthDeadlineMs(30_000), MAX_HEALTH_DEADLINE_MS);
    assert.ok(healthDeadlineMs(300_000) <= 10_000);
  });

  it('a hung backend times out with an error; the others keep their results', async () => {
    const seen: { aborted?: boolean } = {};
    const probes: HealthProbe[] = [{ backend: 'tempo', url: 'http://tempo', run: async () => ok('tempo') }, hanging('loki', seen)];
    const results = await runHealthProbes(probes, 30, new AbortController().signal);
    assert.deepEqual(results[0], ok('tempo'));
    assert.equal(results[1]!.backend, 'loki');
    assert.equal(results[1]!.state, 'unreachable');
    assert.equal(results[1]!.errorKind, 'timeout');
    assert.match(results[1]!.error!, /Loki at http:\/\/loki did not finish the health check within 30 ms/);
    assert.equal(seen.aborted, true, 'the hung probe is aborted');
  });

  it('cancelling the check rejects at once, even if a probe ignores its signal', async () => {
    const ac = new AbortController();
    const never: HealthProbe = { backend: 'tempo', url: 'http://tempo', run: () => new Promise(() => undefined) };
    const p = runHealthProbes([never], 60_000, ac.signal);
    ac.abort();
    await assert.rejects(p);
  });

  it('an unexpected failure is an error state, not a rejection', async () => {
    const probes: HealthProbe[] = [{ backend: 'prometheus', url: 'http://p', run: async () => Promise.reject(new Error('boom')) }];
    const [r] = await runHealthProbes(probes, 1_000, new AbortController().signal);
    assert.deepEqual(r, { backend: 'prometheus', url: 'http://p', state: 'error', error: 'boom' });
  });

  it('settings that cannot work are reported without a request', async () => {
    const probes = healthProbes({ configErrors: { loki: new ConfigError('Loki', 'x', 'bad URL') } }, [{ backend: 'loki', url: 'x' }]);
    const [r] = await runHealthProbes(probes, 1_000, new AbortController().signal);
    assert.equal(r!.state, 'error');
    assert.equal(r!.errorKind, 'config');
    assert.equal(r!.error, 'bad URL');
  });

  it('a URL with credentials in it is shown redacted', async () => {
    const probes = healthProbes({ configErrors: { tempo: new ConfigError('Tempo', 'x', 'bad CA file') } }, [{ backend: 'tempo', url: 'https://user:hunter2@tempo.example' }]);
    const [r] = await runHealthProbes(probes, 1_000, new AbortController().signal);
    assert.ok(!r!.url.includes('hunter2'), r!.url);
  });
});
