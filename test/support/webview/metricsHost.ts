/**
 * The extension host's side of the Metrics view for tests and benchmarks outside VS Code: it
 * answers the page's `ready` with the panels, sends data when told, answers `detail` from the
 * given series and exemplars, and validates every message with the extension's own gate.
 */
import { DEFAULT_PANEL_TITLES, DEFAULT_PANELS, WINDOWS, type WindowKey } from '../../../src/core/metrics/panels';
import {
  parseFromMetricsView,
  type DetailResult,
  type ExemplarData,
  type MetricsStrings,
  type PanelData,
  type PanelInfo,
  type SeriesData,
} from '../../../src/core/protocol/metrics';
import { openWebview, type HarnessOptions, type WebviewPage } from './harness';
import { hostStrings } from './strings';

export function metricsStrings(): MetricsStrings {
  return hostStrings<MetricsStrings>(require.resolve('../../../src/extension/views/metrics/strings.ts'));
}

/** The default panels with their English titles. */
export function defaultPanels(): PanelInfo[] {
  return DEFAULT_PANELS.map((p) => ({ id: p.id, title: DEFAULT_PANEL_TITLES[p.defaultId!], query: p.query, unit: p.unit }));
}

/** `points` samples ending at `endMs`, `stepMs` apart, values from `f(i)`. */
export function syntheticSeries(label: string, endMs: number, stepMs: number, points: number, f: (i: number) => number): SeriesData {
  const t = new Float64Array(points);
  const v = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    t[i] = endMs - (points - 1 - i) * stepMs;
    v[i] = f(i);
  }
  return { label, t, v };
}

export interface MetricsHostPage extends WebviewPage {
  readonly requests: Array<{ method: string; params: unknown }>;
  readonly posted: Array<{ type: string; [k: string]: unknown }>;
  /** Resolves once the page has said `ready` and received the load message. */
  loaded(): Promise<void>;
  /** Sends one refresh's data; resolves to when it was dispatched and first painted (page clock). */
  sendData(panels: readonly PanelData[], opts?: { window?: WindowKey; endMs?: number; problem?: string }): Promise<{ at: number; handled: number; painted: number }>;
}

export interface MetricsHostOptions extends HarnessOptions {
  readonly panels?: readonly PanelInfo[];
  readonly configured?: boolean;
  readonly detail?: (panel: string, window: WindowKey) => { series: SeriesData[]; exemplars: ExemplarData };
}

export async function openMetricsPage(opts: MetricsHostOptions = {}): Promise<MetricsHostPage> {
  const panels = opts.panels ?? defaultPanels();
  const ids = new Set(panels.map((p) => p.id));
  const requests: Array<{ method: string; params: unknown }> = [];
  const posted: Array<{ type: string; [k: string]: unknown }> = [];
  let seq = 0;
  let loaded!: () => void;
  const isLoaded = new Promise<void>((r) => (loaded = r));
  const answer = async (m: unknown, w: WebviewPage) => {
    const parsed = parseFromMetricsView(m, ids);
    const msg = parsed.message;
    if (!msg) {
      const id = (parsed as { refusedId?: number }).refusedId;
      if (id !== undefined) await w.deliver({ type: 'response', id, ok: false, error: 'Invalid request.' });
      return;
    }
    posted.push(msg as { type: string });
    if (msg.type === 'ready') {
      await w.deliver({ type: 'load', strings: metricsStrings(), panels, window: '1h', configured: opts.configured ?? true, environment: 'local' });
      loaded();
      return;
    }
    if (msg.type !== 'request') return;
    requests.push({ method: msg.method, params: msg.params });
    if (msg.method === 'openTrace') return void (await w.deliver({ type: 'response', id: msg.id, ok: true, result: null }));
    const p = msg.params as { panel: string; window: WindowKey };
    const endMs = Date.now();
    const d = opts.detail?.(p.panel, p.window) ?? { series: [], exemplars: { t: new Float64Array(), v: new Float64Array(), traceIds: [] } };
    const result: DetailResult = { startMs: endMs - WINDOWS[p.window].rangeMs, endMs, series: d.series, exemplars: d.exemplars, warnings: [] };
    await w.deliver({ type: 'response', id: msg.id, ok: true, result });
  };
  const w = await openWebview({ ...opts, entry: 'metrics', onMessage: answer });
  return Object.assign(w, {
    requests,
    posted,
    loaded: () => isLoaded,
    sendData(data: readonly PanelData[], o: { window?: WindowKey; endMs?: number; problem?: string } = {}) {
      const window = o.window ?? '1h';
      const endMs = o.endMs ?? Date.now();
      return w.deliver({ type: 'data', seq: ++seq, window, startMs: endMs - WINDOWS[window].rangeMs, endMs, panels: data, ...(o.problem ? { problem: o.problem } : {}) });
    },
  });
}
