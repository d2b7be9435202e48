/**
 * Every message between the extension host and the Metrics webview view: one union per
 * direction, discriminated on `type`, plus the requests the view makes (see rpc.ts). Series cross
 * as typed arrays (times in Unix ms, values with NaN for gaps), never one JSON number per point.
 * The view never sends PromQL: it names a panel the host listed, or the query the host focused.
 */
import type { MetricUnit, WindowKey } from '../metrics/panels';
import { isWindowKey } from '../metrics/panels';
import { isText, parseRpcRequest, type RpcChecks, type RpcRequest, type RpcResponse } from './rpc';

/** Localized UI text, produced by the host with vscode.l10n. */
export interface MetricsStrings {
  readonly windowLabel: string;
  /** `{0}`: a value. */
  readonly minMax: string;
  readonly noData: string;
  readonly loading: string;
  readonly back: string;
  readonly detailHint: string;
  /** `{0}`: trace id, `{1}`: value, `{2}`: time. */
  readonly exemplar: string;
  readonly exemplarCount: string;
  readonly noExemplars: string;
  readonly unconfigured: string;
  readonly configure: string;
  readonly renderStack: string;
  readonly useDemo: string;
  readonly retry: string;
  /** `{0}`: seconds. */
  readonly noAnswer: string;
  readonly viewClosed: string;
  /** `{0}`: the panel title. */
  readonly sparklineLabel: string;
  readonly chartLabel: string;
}

export interface PanelInfo {
  /** A panel of the list (`default:…`, `custom:…`) or `focus` for the query the host focused. */
  readonly id: string;
  readonly title: string;
  readonly query: string;
  readonly unit: MetricUnit;
}

export interface SeriesData {
  /** The labels that tell this series from the panel's others (`status="error"`), or ''. */
  readonly label: string;
  readonly t: Float64Array;
  readonly v: Float64Array;
}

export interface PanelData {
  readonly id: string;
  readonly series: readonly SeriesData[];
  /** Prometheus' (or the network's) message when this query failed. */
  readonly error?: string;
  readonly warnings: readonly string[];
}

export interface ExemplarData {
  readonly t: Float64Array;
  readonly v: Float64Array;
  /** 32 lowercase hex, one per dot. */
  readonly traceIds: readonly string[];
}

// ---- host → webview ----------------------------------------------------------------------

/** Answer to `ready`, and after the settings or the environment changed. */
export interface MetricsLoadMessage {
  readonly type: 'load';
  readonly strings: MetricsStrings;
  readonly panels: readonly PanelInfo[];
  readonly window: WindowKey;
  /** False: Prometheus has no endpoint in this environment; the view offers to set one. */
  readonly configured: boolean;
  readonly environment: string;
}

/** One refresh's answers for every panel. `seq` orders them: an older one is dropped. */
export interface MetricsDataMessage {
  readonly type: 'data';
  readonly seq: number;
  readonly window: WindowKey;
  readonly startMs: number;
  readonly endMs: number;
  readonly panels: readonly PanelData[];
  /** Set when every query failed the same way (Prometheus unreachable): one message for all. */
  readonly problem?: string;
}

/** Open the larger chart on a query (e.g. an alert's expression). */
export interface MetricsFocusMessage {
  readonly type: 'focus';
  readonly panel: PanelInfo;
}

export type ToMetricsView = MetricsLoadMessage | MetricsDataMessage | MetricsFocusMessage | RpcResponse;

// ---- webview → host ----------------------------------------------------------------------

export interface MetricsReadyMessage {
  readonly type: 'ready';
}

export interface SetWindowMessage {
  readonly type: 'setWindow';
  readonly window: WindowKey;
}

export type MetricsCommand = 'configure' | 'renderStack' | 'useDemo' | 'refresh';

/** A button of the view that runs a Spanlens command. */
export interface MetricsCommandMessage {
  readonly type: 'command';
  readonly command: MetricsCommand;
}

export interface DetailResult {
  readonly startMs: number;
  readonly endMs: number;
  readonly series: readonly SeriesData[];
  readonly exemplars: ExemplarData;
  readonly warnings: readonly string[];
}

export type MetricsMethods = {
  /** The larger chart of a panel: the series at a finer step and the exemplars in the window. */
  detail: { params: { readonly panel: string; readonly window: WindowKey }; result: DetailResult };
  openTrace: { params: { readonly traceId: string }; result: null };
};

export type MetricsRequest = RpcRequest<MetricsMethods>;

export type FromMetricsView = MetricsReadyMessage | SetWindowMessage | MetricsCommandMessage | MetricsRequest;

const COMMANDS: readonly MetricsCommand[] = ['configure', 'renderStack', 'useDemo', 'refresh'];

function checks(panelIds: ReadonlySet<string>): RpcChecks<MetricsMethods> {
  return {
    detail: (p) => (isText(p.panel, 200) && panelIds.has(p.panel) && isWindowKey(p.window) ? { panel: p.panel, window: p.window } : null),
    openTrace: (p) => (typeof p.traceId === 'string' && /^[0-9a-f]{32}$/.test(p.traceId) ? { traceId: p.traceId } : null),
  };
}

/**
 * The host's gate for the view's messages: right type and shape, a panel the host listed.
 * Returns null for anything else; for a refused request, its id so it can be answered.
 */
export function parseFromMetricsView(raw: unknown, panelIds: ReadonlySet<string>): { message: FromMetricsView } | { message: null; refusedId?: number } {
  if (typeof raw !== 'object' || raw === null) return { message: null };
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { message: { type: 'ready' } };
    case 'setWindow':
      return isWindowKey(m.window) ? { message: { type: 'setWindow', window: m.window } } : { message: null };
    case 'command':
      return COMMANDS.includes(m.command as MetricsCommand) ? { message: { type: 'command', command: m.command as MetricsCommand } } : { message: null };
    case 'request': {
      const r = parseRpcRequest(raw, checks(panelIds));
      return r.ok ? { message: r.request } : { message: null, ...(r.id !== undefined ? { refusedId: r.id } : {}) };
    }
    default:
      return { message: null };
  }
}
