/**
 * Prometheus scrape targets (`/api/v1/targets?state=active`) grouped by job: jobs with a down
 * target first, then by name; within a job, down targets first, then by instance.
 */
import type { Target, Targets } from '../backends/prometheus/types';

export interface TargetJob {
  readonly job: string;
  readonly up: number;
  readonly down: number;
  readonly unknown: number;
  readonly targets: readonly Target[];
}

const HEALTH_RANK: Readonly<Record<Target['health'], number>> = { down: 0, unknown: 1, up: 2 };

/** The `instance` label, else the scrape URL's host. */
export function targetInstance(t: Target): string {
  if (t.labels.instance) return t.labels.instance;
  try {
    return new URL(t.scrapeUrl).host;
  } catch {
    return t.scrapeUrl;
  }
}

export function groupTargets(targets: Pick<Targets, 'active'>): TargetJob[] {
  const byJob = new Map<string, Target[]>();
  for (const t of targets.active) {
    const job = t.labels.job ?? t.scrapePool;
    let list = byJob.get(job);
    if (!list) byJob.set(job, (list = []));
    list.push(t);
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const jobs = [...byJob].map(([job, list]) => ({
    job,
    up: list.filter((t) => t.health === 'up').length,
    down: list.filter((t) => t.health === 'down').length,
    unknown: list.filter((t) => t.health === 'unknown').length,
    targets: [...list].sort((a, b) => HEALTH_RANK[a.health] - HEALTH_RANK[b.health] || cmp(targetInstance(a), targetInstance(b))),
  }));
  return jobs.sort((a, b) => Number(b.down > 0) - Number(a.down > 0) || cmp(a.job, b.job));
}
