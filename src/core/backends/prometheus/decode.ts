/**
 * The `data` of Prometheus' /api/v1 answers → model: exemplars,
 * label sets, targets, rules and alerts. Query results go through formats/promMatrix. Pure
 * functions that throw TraceFormatError on a shape they do not know; the client turns that into
 * BadResponseError. Every list element is checked to be an object before it is read: `null`
 * inside a list is valid JSON and must not become a TypeError.
 */
import { isObject } from '../../formats/common';
import { labelMap, sampleValue, secondsToMs } from '../../formats/promMatrix';
import { TraceFormatError } from '../../model/errors';
import { spanIdToHex, traceIdToHex } from '../../model/ids';
import type { Labels } from '../../model/logs';
import type { Exemplar, ExemplarSeries } from '../../model/series';
import { setOwn } from '../decode';
import type { Alert, Rule, RuleGroup, Target, Targets } from './types';

const TRACE_ID_LABELS = ['trace_id', 'traceID', 'traceId', 'trace-id', 'TraceID'];
const SPAN_ID_LABELS = ['span_id', 'spanID', 'spanId', 'span-id'];

/** `/api/v1/query_exemplars`. */
export function decodeExemplars(data: unknown): ExemplarSeries[] {
  return list(data ?? [], 'data', 'an array of exemplar series').map((s, i) => {
    const at = `data[${i}]`;
    const o = record(s, at);
    return {
      seriesLabels: labelMap(o.seriesLabels, `${at}.seriesLabels`),
      exemplars: list(o.exemplars ?? [], `${at}.exemplars`).map((e, j) => exemplar(e, `${at}.exemplars[${j}]`)),
    };
  });
}

/** `/api/v1/series`: a list of label sets. */
export function decodeLabelSets(data: unknown): Labels[] {
  return list(data ?? [], 'data', 'an array of label sets').map((l, i) => labelMap(l, `data[${i}]`));
}

/** `/api/v1/targets`. */
export function decodeTargets(data: unknown): Targets {
  const d = record(data, 'data');
  const active = list(d.activeTargets ?? [], 'data.activeTargets').map((raw, i): Target => {
    const at = `data.activeTargets[${i}]`;
    const t = record(raw, at);
    return {
      scrapePool: str(t.scrapePool),
      scrapeUrl: str(t.scrapeUrl),
      health: t.health === 'up' || t.health === 'down' ? t.health : 'unknown',
      labels: labelMap(t.labels, `${at}.labels`),
      discoveredLabels: labelMap(t.discoveredLabels, `${at}.discoveredLabels`),
      lastError: str(t.lastError),
      lastScrape: optStr(t.lastScrape),
      lastScrapeDurationMs: finite(t.lastScrapeDuration, 1000),
      scrapeInterval: optStr(t.scrapeInterval),
      scrapeTimeout: optStr(t.scrapeTimeout),
    };
  });
  const dropped = list(d.droppedTargets ?? [], 'data.droppedTargets').map((raw, i) => {
    const at = `data.droppedTargets[${i}]`;
    return labelMap(record(raw, at).discoveredLabels, `${at}.discoveredLabels`);
  });
  const droppedCounts: Record<string, number> = {};
  for (const [k, v] of Object.entries(record(d.droppedTargetCounts ?? {}, 'data.droppedTargetCounts'))) {
    setOwn(droppedCounts, k, typeof v === 'number' && Number.isFinite(v) ? v : 0);
  }
  return { active, dropped, droppedCounts };
}

/** `/api/v1/rules`. */
export function decodeRules(data: unknown): RuleGroup[] {
  return list(record(data, 'data').groups ?? [], 'data.groups').map((raw, i) => {
    const at = `data.groups[${i}]`;
    const g = record(raw, at);
    return {
      name: str(g.name),
      file: str(g.file),
      intervalSeconds: finite(g.interval, 1) ?? 0,
      rules: list(g.rules ?? [], `${at}.rules`).map((r, j) => rule(r, `${at}.rules[${j}]`)),
    };
  });
}

/** `/api/v1/alerts`. */
export function decodeAlerts(data: unknown): Alert[] {
  return list(record(data, 'data').alerts ?? [], 'data.alerts').map((a, i) => alert(a, `data.alerts[${i}]`));
}

function exemplar(raw: unknown, at: string): Exemplar {
  const e = record(raw, at);
  const labels = labelMap(e.labels, `${at}.labels`);
  const rawTrace = pick(labels, TRACE_ID_LABELS);
  const rawSpan = pick(labels, SPAN_ID_LABELS);
  return {
    labels,
    value: sampleValue(e.value, `${at}.value`),
    timeMs: secondsToMs(e.timestamp, `${at}.timestamp`),
    traceId: rawTrace ? traceIdToHex(rawTrace) : undefined,
    spanId: rawSpan ? spanIdToHex(rawSpan) : undefined,
  };
}

/** The first of `names` the labels hold as their own (a label set may lack Object's methods). */
function pick(labels: Labels, names: readonly string[]): string | undefined {
  for (const n of names) if (Object.prototype.hasOwnProperty.call(labels, n)) return labels[n];
  return undefined;
}

function rule(raw: unknown, at: string): Rule {
  const r = record(raw, at);
  return {
    type: r.type === 'alerting' ? 'alerting' : 'recording',
    name: str(r.name),
    query: str(r.query),
    health: str(r.health) || 'unknown',
    lastError: optStr(r.lastError),
    labels: labelMap(r.labels, `${at}.labels`),
    annotations: labelMap(r.annotations, `${at}.annotations`),
    state: optStr(r.state),
    forSeconds: finite(r.duration, 1),
    alerts: list(r.alerts ?? [], `${at}.alerts`).map((a, i) => alert(a, `${at}.alerts[${i}]`)),
    evaluationTimeMs: finite(r.evaluationTime, 1000),
    lastEvaluation: optStr(r.lastEvaluation),
  };
}

function alert(raw: unknown, at: string): Alert {
  const a = record(raw, at);
  return {
    labels: labelMap(a.labels, `${at}.labels`),
    annotations: labelMap(a.annotations, `${at}.annotations`),
    state: str(a.state),
    activeAt: optStr(a.activeAt),
    value: a.value === undefined ? NaN : sampleValue(a.value, `${at}.value`),
  };
}

function record(v: unknown, where: string): Record<string, unknown> {
  if (!isObject(v)) throw new TraceFormatError(where, 'an object');
  return v;
}

function list(v: unknown, where: string, what = 'an array'): unknown[] {
  if (!Array.isArray(v)) throw new TraceFormatError(where, what);
  return v;
}

/** A finite number scaled by `factor`, else undefined. */
function finite(v: unknown, factor: number): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v * factor : undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
