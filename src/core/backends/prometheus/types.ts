/** Prometheus' status endpoints as Spanlens holds them. */
import type { Labels } from '../../model/logs';

export interface Target {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly labels: Labels;
  readonly discoveredLabels: Labels;
  /** Empty when the last scrape worked. */
  readonly lastError: string;
  /** RFC 3339 as the server wrote it. */
  readonly lastScrape?: string;
  readonly lastScrapeDurationMs?: number;
  readonly scrapeInterval?: string;
  readonly scrapeTimeout?: string;
}

export interface Targets {
  readonly active: readonly Target[];
  /** Only discovered labels are known for dropped targets. */
  readonly dropped: readonly Labels[];
  readonly droppedCounts: Readonly<Record<string, number>>;
}

export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: 'pending' | 'firing' | string;
  readonly activeAt?: string;
  readonly value: number;
}

export interface Rule {
  readonly type: 'alerting' | 'recording';
  readonly name: string;
  readonly query: string;
  /** ok, err or unknown. */
  readonly health: string;
  readonly lastError?: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** Alerting rules: firing, pending or inactive. */
  readonly state?: string;
  /** Alerting rules: the `for` duration in seconds. */
  readonly forSeconds?: number;
  readonly alerts: readonly Alert[];
  readonly evaluationTimeMs?: number;
  readonly lastEvaluation?: string;
}

export interface RuleGroup {
  readonly name: string;
  readonly file: string;
  readonly intervalSeconds: number;
  readonly rules: readonly Rule[];
}
