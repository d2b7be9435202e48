/**
 * One id → its traces, their logs and the metrics around them: three parts that run at once,
 * each with its own cancel and its own state (searching, found n, nothing found in <range>,
 * error with the server's message), reported as they arrive through `onUpdate` and an async
 * iterator, and settled together in `done`.
 *
 * - Traces: a trace id is fetched directly; a trace id Tempo does not hold, a span id, a UUID
 *   or any other text is searched with TraceQL over widening look-back windows (1h → 24h → 7d)
 *   until something is found; every trace found (up to maxTraces) is fetched and kept.
 * - Logs: Loki at once, by the id itself (trace id, span id, or the request id under the
 *   configured attribute names), both log shapes, widening like Tempo; then by every trace id
 *   learnt meanwhile — from Tempo, with the trace's own window, or from the lines found — so
 *   OTLP logs, which carry the request id only on a few events, still give the whole request.
 *   Answers are merged, each line once, oldest first.
 * - Metrics: the key PromQL queries over [first trace start − 5 min, last trace end + 5 min],
 *   as soon as the trace windows are known (from Tempo's search answer, before the traces
 *   themselves arrive); the logs' window when no trace was found. All queries and one exemplar
 *   query go out together.
 */
import { isBackendError, TraceNotFoundError, type BackendErrorKind } from '../backends/errors';
import type { LokiClient } from '../backends/loki/client';
import type { PrometheusClient } from '../backends/prometheus/client';
import type { TempoClient, TraceFetch } from '../backends/tempo/client';
import type { TimeRange } from '../backends/types';
import { toLogEntry } from '../formats/logEntry';
import type { LogEntry } from '../model/logs';
import type { Exemplar, Series } from '../model/series';
import { buildSpanTree, type SpanTree } from '../model/spanTree';
import { summarizeTrace, type TraceSummary } from '../model/summary';
import type { Trace } from '../model/trace';
import { detectId, type DetectedId } from './detect';
import { mergeLogs } from './link';
import { logQueries, type LogShape, type LogTarget } from './logql';
import { exemplarQuery, keyMetricExpr, mentionsMetric, metricsWindow, type MetricsWindow } from './promql';
import { panelTitleText, type MetricPanelSpec } from '../metrics/panels';
import { DEFAULT_SETTINGS, type LookupSettings } from './settings';
import { lookBackWindows, requestIdTraceql, spanIdTraceql } from './traceql';

export type LookupPart = 'traces' | 'logs' | 'metrics';
export type PartState = 'searching' | 'found' | 'none' | 'error' | 'cancelled' | 'skipped';

export interface PartError {
  readonly backend: 'Tempo' | 'Loki' | 'Prometheus';
  /** The typed error's message, which carries the server's own text. */
  readonly message: string;
  readonly kind?: BackendErrorKind;
  /** Which query failed, when a part sends several (a metric's title, a log shape). */
  readonly query?: string;
}

export interface LookupTrace {
  readonly traceId: string;
  readonly trace: Trace;
  readonly tree: SpanTree;
  readonly summary: TraceSummary;
  /** Tempo returned only part of it. */
  readonly partial: boolean;
  readonly partialMessage?: string;
  readonly warnings: readonly string[];
  /** Fetched by the id given, or found by a search. */
  readonly via: 'id' | 'search';
}

/** One key metric around the request: its series over the window and its exemplars. */
export interface KeyMetricPanel {
  /** The panel (title, unit, whether it asks for exemplars). */
  readonly metric: MetricPanelSpec;
  /** The PromQL as sent. */
  readonly query: string;
  readonly series: readonly Series[];
  /** Exemplars of the histogram this query reads, inside the window, oldest first (even when the query has no series there). */
  readonly exemplars: readonly Exemplar[];
  /** Prometheus' (or the network's) message when this query failed. */
  readonly error?: string;
}

export interface PartValues {
  readonly traces: readonly LookupTrace[];
  readonly logs: readonly LogEntry[];
  readonly metrics: readonly KeyMetricPanel[];
}

export interface PartUpdate<P extends LookupPart = LookupPart> {
  readonly part: P;
  readonly state: PartState;
  /** What is known so far; complete once `done`. */
  readonly value: PartValues[P];
  /** 'searching': the window being searched; 'none': the widest window searched; else the window used. */
  readonly range?: TimeRange;
  readonly errors: readonly PartError[];
  readonly warnings: readonly string[];
  readonly done: boolean;
}

export type LookupUpdate = PartUpdate<'traces'> | PartUpdate<'logs'> | PartUpdate<'metrics'>;

export interface LookupResult {
  readonly id: DetectedId;
  readonly traces: PartUpdate<'traces'>;
  readonly logs: PartUpdate<'logs'>;
  readonly metrics: PartUpdate<'metrics'>;
  /** The window and step the metrics were queried with. */
  readonly metricsWindow?: MetricsWindow;
}

export interface LookupBackends {
  readonly tempo?: TempoClient;
  readonly loki?: LokiClient;
  readonly prometheus?: PrometheusClient;
  /** Why a backend has no client (unusable settings), per backend. */
  readonly configErrors?: Partial<Record<'tempo' | 'loki' | 'prometheus', Error>>;
}

export interface LookupOptions {
  readonly backends: LookupBackends;
  readonly settings?: LookupSettings;
  readonly signal?: AbortSignal;
  /** "Now" for look-back windows (tests and the demo pin it). */
  readonly nowMs?: number;
  readonly onUpdate?: (update: LookupUpdate) => void;
  /** How a trace is fetched by id; default: Tempo, decoded in this thread. */
  readonly fetchTrace?: (traceId: string, opts: { readonly signal: AbortSignal }) => Promise<TraceFetch>;
}

export interface LookupRun {
  readonly id: DetectedId;
  readonly done: Promise<LookupResult>;
  /** Cancels one part, or all of them. */
  cancel(part?: LookupPart): void;
  /** Every update from the start, then each new one, until all parts are done. */
  updates(): AsyncIterableIterator<LookupUpdate>;
}

/** Logs of a trace are asked for in the trace's window widened by this much each side (clock skew, late flushes). */
export const LOG_PAD_MS = 2 * 60_000;
/** A trace known only from log lines: their window widened by this much each side. */
const LOG_ONLY_PAD_MS = 5 * 60_000;
/** Traces fetched at once. */
const FETCH_CONCURRENCY = 3;
/** Metric windows wider than this (traces days apart) are taken around the newest trace only. */
const MAX_METRICS_SPAN_MS = 24 * 3_600_000;

class Cancelled extends Error {}

function errorOf(backend: PartError['backend'], err: unknown, query?: string): PartError {
  return {
    backend,
    message: err instanceof Error ? err.message : String(err),
    ...(isBackendError(err) ? { kind: err.kind } : {}),
    ...(query ? { query } : {}),
  };
}

function isCancel(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || err instanceof Cancelled || (isBackendError(err) && err.kind === 'cancelled') || (err instanceof Error && err.name === 'AbortError');
}

/** Resolves when `signal` aborts; for racing waits that hold no request. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new Cancelled());
    else signal.addEventListener('abort', () => reject(new Cancelled()), { once: true });
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface Window {
  readonly startNs: bigint;
  readonly endNs: bigint;
}

const nsToMs = (ns: bigint): number => Number(ns / 1_000_000n);
const rangeOf = (w: Window, padMs: number): TimeRange => ({ startMs: nsToMs(w.startNs) - padMs, endMs: nsToMs(w.endNs) + 1 + padMs });
const covers = (outer: TimeRange, inner: TimeRange): boolean => outer.startMs <= inner.startMs && outer.endMs >= inner.endMs;

/** A settable promise. */
function deferred<T>(): { promise: Promise<T>; resolve(v: T): void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The `model` a trace names (Dynamo puts it on `http-request` and `engine.generate`). */
function traceModel(t: Trace): string | undefined {
  for (const s of t.spans) {
    const a = s.attributes.find((x) => x.key === 'model' && typeof x.value === 'string' && x.value !== '');
    if (a) return a.value as string;
  }
  return undefined;
}

export function startLookup(input: string | DetectedId, opts: LookupOptions): LookupRun {
  let id: DetectedId;
  if (typeof input === 'string') {
    const d = detectId(input);
    if (!d.ok) throw new Error(d.reason === 'empty' ? 'the id is empty' : d.reason === 'tooLong' ? 'the id is too long to be a request id' : 'the id holds control characters');
    id = d.id;
  } else id = input;
  const settings = opts.settings ?? DEFAULT_SETTINGS;
  const nowMs = opts.nowMs ?? Date.now();
  const { tempo, loki, prometheus, configErrors = {} } = opts.backends;

  const controllers: Record<LookupPart, AbortController> = { traces: new AbortController(), logs: new AbortController(), metrics: new AbortController() };
  const onOuterAbort = (): void => Object.values(controllers).forEach((c) => c.abort());
  if (opts.signal?.aborted) onOuterAbort();
  else opts.signal?.addEventListener('abort', onOuterAbort, { once: true });

  // ---- updates ----
  const history: LookupUpdate[] = [];
  const waiters: Array<() => void> = [];
  let finished = false;
  const latest: Partial<Record<LookupPart, LookupUpdate>> = {};
  const emit = (u: LookupUpdate): void => {
    latest[u.part] = u;
    history.push(u);
    try {
      opts.onUpdate?.(u);
    } catch {
      // A listener's failure must not stop the lookup.
    }
    waiters.splice(0).forEach((w) => w());
  };

  // ---- what the parts learn from one another ----
  const windows = new Map<string, Window>();
  const traceIdListeners: Array<(ids: string[]) => void> = [];
  const learnWindows = (found: Array<{ traceId: string; window: Window }>): void => {
    const fresh: string[] = [];
    for (const f of found) {
      const had = windows.get(f.traceId);
      windows.set(f.traceId, had ? { startNs: had.startNs < f.window.startNs ? had.startNs : f.window.startNs, endNs: had.endNs > f.window.endNs ? had.endNs : f.window.endNs } : f.window);
      if (!had) fresh.push(f.traceId);
    }
    if (fresh.length) traceIdListeners.forEach((l) => l(fresh));
  };
  /**
   * Resolves once the trace part has its first trace (so the metrics know the model and where
   * the traces lie: the search answer gave every found trace's window) or has ended without one.
   */
  const traceWindowsKnown = deferred<void>();
  const tracesSettled = deferred<void>();
  const logsSettled = deferred<void>();

  const tracesPart = runTraces();
  const logsPart = runLogs();
  const metricsPart = runMetrics();

  async function runTraces(): Promise<PartUpdate<'traces'>> {
    const signal = controllers.traces.signal;
    const traces: LookupTrace[] = [];
    const errors: PartError[] = [];
    const warnings: string[] = [];
    const update = (state: PartState, done: boolean, range?: TimeRange): PartUpdate<'traces'> => {
      const u: PartUpdate<'traces'> = { part: 'traces', state, value: [...traces], errors: [...errors], warnings: [...warnings], done, ...(range ? { range } : {}) };
      emit(u);
      return u;
    };
    const fetchTrace = opts.fetchTrace ?? (tempo ? (tid: string, o: { signal: AbortSignal }) => tempo.trace(tid, { signal: o.signal }) : undefined);
    const keep = (f: TraceFetch, via: LookupTrace['via']): LookupTrace => {
      const tree = buildSpanTree(f.trace);
      return {
        traceId: f.trace.traceId,
        trace: f.trace,
        tree,
        summary: summarizeTrace(f.trace, tree),
        partial: f.partial,
        ...(f.message ? { partialMessage: f.message } : {}),
        warnings: f.warnings,
        via,
      };
    };
    const windowOf = (t: LookupTrace): Window => ({ startNs: t.tree.traceStart, endNs: t.tree.traceStart + BigInt(Math.round(t.tree.durationNs)) });
    try {
      if (!tempo || !fetchTrace) {
        if (configErrors.tempo) errors.push(errorOf('Tempo', configErrors.tempo));
        return update(configErrors.tempo ? 'error' : 'skipped', true);
      }
      update('searching', false);
      if (id.kind === 'trace') {
        try {
          const t = keep(await fetchTrace(id.value, { signal }), 'id');
          traces.push(t);
          learnWindows([{ traceId: t.traceId, window: windowOf(t) }]);
          traceWindowsKnown.resolve();
          return update('found', true);
        } catch (err) {
          if (!(err instanceof TraceNotFoundError)) throw err;
          // Not a trace Tempo holds: a client may well send 32 hex digits as its x-request-id.
          warnings.push(err.message);
        }
      }
      const query = id.kind === 'span' ? spanIdTraceql(id.value) : requestIdTraceql(id.searchValues, settings.attributes);
      let last: TimeRange | undefined;
      for (const range of lookBackWindows(settings.lookBackMs, nowMs)) {
        last = range;
        update('searching', false, range);
        const res = await tempo.search({ query, range, limit: settings.maxTraces, spss: 1, signal });
        if (!res.traces.length) continue;
        const found = res.traces.slice(0, settings.maxTraces);
        learnWindows(found.map((s) => ({ traceId: s.traceId, window: { startNs: s.start, endNs: s.start + BigInt(s.durationMs) * 1_000_000n } })));
        const fetched: Array<LookupTrace | undefined> = new Array(found.length);
        await mapLimit(found, FETCH_CONCURRENCY, async (s, i) => {
          try {
            fetched[i] = keep(await fetchTrace(s.traceId, { signal }), 'search');
            learnWindows([{ traceId: s.traceId, window: windowOf(fetched[i]!) }]);
          } catch (err) {
            if (isCancel(err, signal)) throw err;
            errors.push(errorOf('Tempo', err));
          }
          // Keep the search's order (newest first) as traces arrive.
          traces.length = 0;
          traces.push(...fetched.filter((t): t is LookupTrace => t !== undefined));
          if (traces.length) {
            update('found', false, range);
            traceWindowsKnown.resolve();
          }
        });
        return update(traces.length ? 'found' : 'error', true, range);
      }
      return update('none', true, last);
    } catch (err) {
      if (isCancel(err, signal)) return update('cancelled', true);
      errors.push(errorOf('Tempo', err));
      return update(traces.length ? 'found' : 'error', true);
    } finally {
      traceWindowsKnown.resolve();
      tracesSettled.resolve();
    }
  }

  async function runLogs(): Promise<PartUpdate<'logs'>> {
    const signal = controllers.logs.signal;
    const lists: LogEntry[][] = [];
    let merged: LogEntry[] = [];
    const errors: PartError[] = [];
    const warnings: string[] = [];
    /** Windows already asked for, per trace id. */
    const asked = new Map<string, TimeRange[]>();
    const update = (state: PartState, done: boolean, range?: TimeRange): PartUpdate<'logs'> => {
      const u: PartUpdate<'logs'> = { part: 'logs', state, value: merged, errors: [...errors], warnings: [...warnings], done, ...(range ? { range } : {}) };
      emit(u);
      return u;
    };
    let searched: TimeRange | undefined;
    const widen = (r: TimeRange): void => {
      searched = searched ? { startMs: Math.min(searched.startMs, r.startMs), endMs: Math.max(searched.endMs, r.endMs) } : r;
    };

    /** Windows the request id itself was asked for over. */
    const askedRequest: TimeRange[] = [];
    /** The shapes' queries for a target over a range; resolves to the number of lines they gave. */
    const ask = async (target: LogTarget, range: TimeRange, shapes: readonly LogShape[] = ['otlp', 'jsonl']): Promise<number> => {
      if (target.kind === 'trace') asked.set(target.traceId, [...(asked.get(target.traceId) ?? []), range]);
      if (target.kind === 'request') askedRequest.push(range);
      widen(range);
      const queries = logQueries({ otlp: settings.otlpSelector, jsonl: settings.jsonlSelector }, target).filter((q) => shapes.includes(q.shape));
      const results = await Promise.allSettled(
        queries.map(async ({ shape, query }) => {
          const res = await loki!.queryRange({ query, range, limit: settings.maxLogLines, direction: 'forward', signal });
          if (res.kind !== 'streams') throw new Error(`Loki answered the log query with ${res.kind}`);
          for (const w of res.warnings) if (!warnings.includes(w)) warnings.push(w);
          if (res.truncated) warnings.push(`${shapeName(shape)} logs: stopped at ${settings.maxLogLines} lines; narrow the window or raise maxLogLines`);
          return res.lines.map(toLogEntry);
        }),
      );
      if (signal.aborted) throw new Cancelled();
      let n = 0;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          lists.push(r.value);
          n += r.value.length;
        } else if (!isCancel(r.reason, signal)) errors.push(errorOf('Loki', r.reason, `${shapeName(queries[i]!.shape)} logs`));
        else throw new Cancelled();
      });
      if (n) {
        merged = mergeLogs(...lists);
        update('found', false, range);
      }
      return n;
    };
    const isCovered = (traceId: string, r: TimeRange): boolean => (asked.get(traceId) ?? []).some((a) => covers(a, r));
    /**
     * The shapes a trace's window still needs. Every JSONL record of a Dynamo request carries its
     * request ids (child spans inherit them), so once the request id was asked for over the
     * window, the JSONL lines are in; OTLP records carry only the event's own fields, so their
     * lines by trace id are always needed.
     */
    const shapesFor = (r: TimeRange): LogShape[] => (id.kind !== 'trace' && id.kind !== 'span' && askedRequest.some((a) => covers(a, r)) ? ['otlp'] : ['otlp', 'jsonl']);

    const pending = new Set<Promise<unknown>>();
    const track = (p: Promise<unknown>): void => {
      const q = p.catch((err: unknown) => {
        if (!isCancel(err, signal)) errors.push(errorOf('Loki', err));
      });
      pending.add(q);
      void q.finally(() => pending.delete(q));
    };
    /** Trace ids learnt from Tempo: their logs over each trace's own window. */
    const byTraceWindow = (traceId: string): void => {
      const w = windows.get(traceId);
      if (!w) return;
      const range = rangeOf(w, LOG_PAD_MS);
      if (!isCovered(traceId, range)) track(ask({ kind: 'trace', traceId }, range, shapesFor(range)));
    };
    /** Trace ids seen only in lines: their logs around those lines (widened again if Tempo later says more). */
    const byLineWindow = (): void => {
      const seen = new Map<string, Window>();
      for (const e of merged) {
        if (!e.traceId || windows.has(e.traceId)) continue;
        const w = seen.get(e.traceId);
        seen.set(e.traceId, w ? { startNs: w.startNs < e.timestampNs ? w.startNs : e.timestampNs, endNs: w.endNs > e.timestampNs ? w.endNs : e.timestampNs } : { startNs: e.timestampNs, endNs: e.timestampNs });
      }
      for (const [traceId, w] of seen) {
        const range = rangeOf(w, LOG_ONLY_PAD_MS);
        if (!isCovered(traceId, range)) track(ask({ kind: 'trace', traceId }, range, shapesFor(range)));
      }
    };

    try {
      if (!loki) {
        if (configErrors.loki) errors.push(errorOf('Loki', configErrors.loki));
        return update(configErrors.loki ? 'error' : 'skipped', true);
      }
      update('searching', false);
      traceIdListeners.push((ids) => {
        if (!signal.aborted) ids.forEach(byTraceWindow);
      });
      for (const t of windows.keys()) byTraceWindow(t);

      const target: LogTarget =
        id.kind === 'trace'
          ? { kind: 'trace', traceId: id.value }
          : id.kind === 'span'
            ? { kind: 'span', spanId: id.value }
            : { kind: 'request', values: id.searchValues, fields: settings.attributes };
      // The id itself over widening windows, unless Tempo has meanwhile said where the trace is.
      for (const range of lookBackWindows(settings.lookBackMs, nowMs)) {
        if (id.kind === 'trace' && windows.has(id.value)) break;
        if (id.kind !== 'trace' && windows.size) {
          // Tempo found the request meanwhile: ask for the id over its traces' windows instead of wider ones.
          const all = [...windows.values()].map((w) => rangeOf(w, LOG_PAD_MS));
          await ask(target, { startMs: Math.min(...all.map((r) => r.startMs)), endMs: Math.max(...all.map((r) => r.endMs)) });
          break;
        }
        update(merged.length ? 'found' : 'searching', false, range);
        const failedBefore = errors.length;
        if ((await ask(target, range)) > 0) break;
        // Every query of this window failed: a wider one would fail the same way, only slower.
        if (errors.length - failedBefore >= 2) break;
      }
      byLineWindow();
      // Tempo may still name traces (and windows) the lines did not: wait for it, then for every query.
      await Promise.race([tracesSettled.promise, aborted(signal)]);
      byLineWindow();
      while (pending.size) await Promise.race([Promise.all([...pending]), aborted(signal)]);
      if (merged.length) return update('found', true, searched);
      return update(errors.length ? 'error' : 'none', true, searched);
    } catch (err) {
      if (isCancel(err, signal)) return update('cancelled', true);
      errors.push(errorOf('Loki', err));
      return update(merged.length ? 'found' : 'error', true, searched);
    } finally {
      logsSettled.resolve();
    }
  }

  async function runMetrics(): Promise<{ update: PartUpdate<'metrics'>; window?: MetricsWindow }> {
    const signal = controllers.metrics.signal;
    const panels: KeyMetricPanel[] = [];
    const errors: PartError[] = [];
    const warnings: string[] = [];
    const update = (state: PartState, done: boolean, range?: TimeRange): PartUpdate<'metrics'> => {
      const u: PartUpdate<'metrics'> = { part: 'metrics', state, value: [...panels], errors: [...errors], warnings: [...warnings], done, ...(range ? { range } : {}) };
      emit(u);
      return u;
    };
    try {
      if (!prometheus) {
        if (configErrors.prometheus) errors.push(errorOf('Prometheus', configErrors.prometheus));
        return { update: update(configErrors.prometheus ? 'error' : 'skipped', true) };
      }
      if (!settings.metrics.length) return { update: update('skipped', true) };
      update('searching', false);
      await Promise.race([traceWindowsKnown.promise, aborted(signal)]);
      let span: Window | undefined;
      if (windows.size) {
        const list = [...windows.values()];
        const first = list.reduce((a, b) => (b.startNs < a.startNs ? b : a)).startNs;
        const last = list.reduce((a, b) => (b.endNs > a.endNs ? b : a)).endNs;
        const newest = list.reduce((a, b) => (b.startNs > a.startNs ? b : a));
        span = nsToMs(last - first) > MAX_METRICS_SPAN_MS ? newest : { startNs: first, endNs: last };
        if (span === newest) warnings.push('the traces found lie more than a day apart; the metrics are shown around the newest');
      } else {
        // No trace: place the request by its log lines.
        await Promise.race([logsSettled.promise, aborted(signal)]);
        const logs = latest.logs?.value as readonly LogEntry[] | undefined;
        if (logs?.length) span = { startNs: logs[0]!.timestampNs, endNs: logs[logs.length - 1]!.timestampNs };
      }
      if (!span) {
        warnings.push('no trace or log line was found to place the metrics in time');
        return { update: update('skipped', true) };
      }
      const window = metricsWindow(span.startNs, span.endNs);
      const model = (latest.traces?.value as readonly LookupTrace[] | undefined)?.map((t) => traceModel(t.trace)).find((m) => m !== undefined);
      const exprs = settings.metrics.map((m) => keyMetricExpr(m, { rateInterval: window.rateInterval, ...(model ? { model } : {}) }));
      update('searching', false, window.range);
      const exQuery = exemplarQuery(exprs.filter((_, i) => settings.metrics[i]!.exemplars));
      // Never rejects: it is awaited only after the range queries, and a rejection meanwhile would go unhandled.
      const exemplarsP = exQuery
        ? prometheus.exemplars(exQuery, window.range, { signal }).catch((err: unknown) => {
            if (!isCancel(err, signal)) errors.push(errorOf('Prometheus', err, 'exemplars'));
            return [];
          })
        : Promise.resolve([]);
      const results = await Promise.allSettled(exprs.map((q) => prometheus.queryRange(q, window.range, { stepMs: window.stepMs, signal })));
      const exemplarSeries = await exemplarsP;
      if (signal.aborted) throw new Cancelled();
      results.forEach((r, i) => {
        const metric = settings.metrics[i]!;
        const query = exprs[i]!;
        const exemplars = metric.exemplars
          ? exemplarSeries.filter((s) => s.seriesLabels.__name__ !== undefined && mentionsMetric(query, s.seriesLabels.__name__)).flatMap((s) => s.exemplars).sort((a, b) => a.timeMs - b.timeMs)
          : [];
        if (r.status === 'rejected') {
          if (isCancel(r.reason, signal)) throw new Cancelled();
          const e = errorOf('Prometheus', r.reason, panelTitleText(metric));
          errors.push(e);
          panels.push({ metric, query, series: [], exemplars, error: e.message });
          return;
        }
        for (const w of [...r.value.warnings, ...r.value.infos]) warnings.push(`${panelTitleText(metric)}: ${w}`);
        panels.push({ metric, query, series: r.value.series, exemplars });
      });
      const any = panels.some((p) => p.series.length || p.exemplars.length);
      const state: PartState = any ? 'found' : panels.every((p) => p.error) ? 'error' : 'none';
      return { update: update(state, true, window.range), window };
    } catch (err) {
      if (isCancel(err, signal)) return { update: update('cancelled', true) };
      errors.push(errorOf('Prometheus', err));
      return { update: update(panels.some((p) => p.series.length) ? 'found' : 'error', true) };
    }
  }

  const done = Promise.all([tracesPart, logsPart, metricsPart]).then(([traces, logs, metrics]): LookupResult => {
    finished = true;
    opts.signal?.removeEventListener('abort', onOuterAbort);
    waiters.splice(0).forEach((w) => w());
    return { id, traces, logs, metrics: metrics.update, ...(metrics.window ? { metricsWindow: metrics.window } : {}) };
  });

  return {
    id,
    done,
    cancel(part?: LookupPart) {
      if (part) controllers[part].abort();
      else onOuterAbort();
    },
    updates(): AsyncIterableIterator<LookupUpdate> {
      let i = 0;
      const it: AsyncIterableIterator<LookupUpdate> = {
        async next(): Promise<IteratorResult<LookupUpdate>> {
          for (;;) {
            if (i < history.length) return { value: history[i++]!, done: false };
            if (finished) return { value: undefined, done: true };
            await new Promise<void>((r) => waiters.push(r));
          }
        },
        [Symbol.asyncIterator]() {
          return it;
        },
      };
      return it;
    },
  };
}

function shapeName(shape: LogShape): string {
  return shape === 'otlp' ? 'OTLP' : 'JSONL';
}
