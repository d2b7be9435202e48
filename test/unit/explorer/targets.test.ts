import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupTargets, targetInstance } from '../../../src/core/explorer/targets';
import type { Target } from '../../../src/core/backends/prometheus/types';

const target = (job: string, instance: string | undefined, health: Target['health'], lastError = ''): Target => ({
  scrapePool: job,
  scrapeUrl: `http://${instance ?? 'host-from-url:9100'}/metrics`,
  health,
  labels: { job, ...(instance ? { instance } : {}) },
  discoveredLabels: {},
  lastError,
  lastScrapeDurationMs: 12,
});

describe('scrape target grouping', () => {
  it('groups by job, jobs with a down target first, down targets first in a job', () => {
    const jobs = groupTargets({
      active: [
        target('prometheus', '127.0.0.1:9090', 'up'),
        target('dynamo-worker', 'w-1:8081', 'up'),
        target('dynamo-worker', 'w-0:8081', 'down', 'Get "http://w-0:8081/metrics": dial tcp: connection refused'),
        target('dynamo-frontend', 'fe:8000', 'unknown'),
      ],
    });
    assert.deepEqual(
      jobs.map((j) => [j.job, j.up, j.down, j.unknown]),
      [
        ['dynamo-worker', 1, 1, 0],
        ['dynamo-frontend', 0, 0, 1],
        ['prometheus', 1, 0, 0],
      ],
    );
    assert.deepEqual(
      jobs[0]!.targets.map((t) => [targetInstance(t), t.health]),
      [
        ['w-0:8081', 'down'],
        ['w-1:8081', 'up'],
      ],
    );
    assert.match(jobs[0]!.targets[0]!.lastError, /connection refused/);
  });

  it('falls back to the scrape pool for the job and the URL host for the instance', () => {
    const t: Target = { ...target('pool-a', undefined, 'up'), labels: {} };
    const [job] = groupTargets({ active: [t] });
    assert.equal(job!.job, 'pool-a');
    assert.equal(targetInstance(t), 'host-from-url:9100');
  });
});
