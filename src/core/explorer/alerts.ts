/**
 * Prometheus alerting rules (`/api/v1/rules?type=alert`) as an on-call engineer reads them:
 * firing and pending alert instances (each with its own state, since a rule can have both),
 * most severe first and the longest-standing first within a severity; every rule with no active
 * alert listed under its group. Recording rules are left out.
 */
import type { Labels } from '../model/logs';
import type { RuleGroup } from '../backends/prometheus/types';

export interface AlertRow {
  readonly rule: string;
  readonly group: string;
  readonly file: string;
  readonly state: 'firing' | 'pending';
  readonly severity?: string;
  readonly summary?: string;
  /** RFC 3339 as Prometheus wrote it. */
  readonly activeAt?: string;
  /** Unix ms, when activeAt parses. */
  readonly activeAtMs?: number;
  readonly value: number;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** The rule's PromQL expression. */
  readonly query: string;
  readonly forSeconds?: number;
}

export interface QuietRule {
  readonly name: string;
  readonly query: string;
  /** ok, err or unknown. */
  readonly health: string;
  readonly lastError?: string;
  readonly severity?: string;
  readonly summary?: string;
  readonly forSeconds?: number;
}

export interface QuietGroup {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly QuietRule[];
}

export interface AlertOverview {
  readonly firing: readonly AlertRow[];
  readonly pending: readonly AlertRow[];
  /** Groups with their inactive rules, in Prometheus' order. */
  readonly inactive: readonly QuietGroup[];
  /** Alerting rules whose last evaluation failed (health `err`). */
  readonly failingRules: number;
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 0, page: 0, error: 1, high: 1, warning: 2, warn: 2, medium: 2, info: 3, low: 3, none: 4 };

export function severityRank(severity: string | undefined): number {
  if (severity === undefined) return 5;
  return SEVERITY_RANK[severity.toLowerCase()] ?? 4;
}

/** The annotation people write a one-line summary in. */
export function alertSummary(annotations: Labels): string | undefined {
  return annotations.summary ?? annotations.description ?? annotations.message;
}

export function groupAlerts(groups: readonly RuleGroup[]): AlertOverview {
  const firing: AlertRow[] = [];
  const pending: AlertRow[] = [];
  const inactive: QuietGroup[] = [];
  let failingRules = 0;
  for (const g of groups) {
    const quiet: QuietRule[] = [];
    for (const r of g.rules) {
      if (r.type !== 'alerting') continue;
      if (r.health === 'err') failingRules++;
      const active = r.alerts.filter((a) => a.state === 'firing' || a.state === 'pending');
      for (const a of active) {
        const labels = a.labels;
        const annotations = Object.keys(a.annotations).length ? a.annotations : r.annotations;
        const ms = a.activeAt ? Date.parse(a.activeAt) : NaN;
        const row: AlertRow = {
          rule: r.name,
          group: g.name,
          file: g.file,
          state: a.state as 'firing' | 'pending',
          severity: labels.severity ?? r.labels.severity,
          summary: alertSummary(annotations),
          activeAt: a.activeAt,
          activeAtMs: Number.isNaN(ms) ? undefined : ms,
          value: a.value,
          labels,
          annotations,
          query: r.query,
          forSeconds: r.forSeconds,
        };
        (a.state === 'firing' ? firing : pending).push(row);
      }
      if (!active.length) {
        quiet.push({
          name: r.name,
          query: r.query,
          health: r.health,
          lastError: r.lastError,
          severity: r.labels.severity,
          summary: alertSummary(r.annotations),
          forSeconds: r.forSeconds,
        });
      }
    }
    if (quiet.length) inactive.push({ name: g.name, file: g.file, rules: quiet });
  }
  const order = (a: AlertRow, b: AlertRow): number =>
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.activeAtMs ?? Infinity) - (b.activeAtMs ?? Infinity) ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
  return { firing: firing.sort(order), pending: pending.sort(order), inactive, failingRules };
}

/** The labels that tell one instance of a rule from another (not alertname or severity). */
export function distinguishingLabels(row: Pick<AlertRow, 'labels'>): [string, string][] {
  return Object.entries(row.labels).filter(([k]) => k !== 'alertname' && k !== 'severity');
}
