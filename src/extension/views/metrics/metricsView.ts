import * as vscode from 'vscode';
import { isBackendError } from '../../../core/backends/errors';
import { DETAIL_POINTS, WINDOWS, isWindowKey, readPanels, type DefaultPanelId, type MetricPanelSpec, type WindowKey } from '../../../core/metrics/panels';
import { toExemplarData, toSeriesData } from '../../../core/metrics/series';
import { parseFromMetricsView, type DetailResult, type MetricsMethods, type MetricsRequest, type PanelData, type PanelInfo, type ToMetricsView } from '../../../core/protocol/metrics';
import type { Connections } from '../../backends/connections';
import { errorHeadline } from '../../backends/labels';
import type { SpanlensContext } from '../../context';
import { Disposable } from '../../dispose';
import { webviewHtml, webviewOptions } from '../../webview/html';
import { explorerIntervalMs } from '../explorer/refreshingTree';
import { metricsStrings, panelTitle } from './strings';

export const METRICS_VIEW = 'spanlens.metrics';
const WINDOW_KEY = 'spanlens.metrics.window';
const FOCUS_ID = 'focus';

/**
 * The Metrics webview view: sparklines of `spanlens.metrics.queries` (by default Dynamo's key
 * frontend and GPU metrics) over a chosen window, refreshed only while the view is visible; a
 * panel opens a larger chart with the exemplars that link samples to traces. The page is dropped
 * while hidden, so every show starts with its `ready` and gets the panels and data again.
 */
export class MetricsViewProvider extends Disposable implements vscode.WebviewViewProvider {
  private view?: vscode.WebviewView;
  private ready = false;
  private seq = 0;
  private inflight?: AbortController;
  private timer?: NodeJS.Timeout;
  private focused?: PanelInfo;
  private pendingFocus = false;
  private viewSubs: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: SpanlensContext,
    private readonly connections: Connections,
  ) {
    super();
    this._register(vscode.window.registerWebviewViewProvider(METRICS_VIEW, this));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('spanlens.metrics.queries')) this.reload();
        if (e.affectsConfiguration('spanlens.explorer.refreshIntervalSeconds') && this.timer) {
          this.stopTimer();
          this.startTimer();
        }
      }),
    );
    this._register(connections.onDidReset(() => this.reload()));
    this._register({
      dispose: () => {
        this.stopTimer();
        this.inflight?.abort();
        for (const d of this.viewSubs) d.dispose();
      },
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const d of this.viewSubs) d.dispose();
    this.view = view;
    this.ready = false;
    const webview = view.webview;
    webview.options = webviewOptions(this.ctx.extension.extensionUri);
    webview.html = webviewHtml(webview, this.ctx.extension.extensionUri, 'metrics', vscode.l10n.t('Loading metrics…'));
    this.viewSubs = [
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      view.onDidChangeVisibility(() => {
        if (!view.visible) {
          this.stopTimer();
          this.ready = false;
        }
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        this.ready = false;
        this.stopTimer();
        this.inflight?.abort();
      }),
    ];
  }

  /** Opens the larger chart on `query` (an alert's expression), revealing the view. */
  async focus(title: string, query: string): Promise<void> {
    this.focused = { id: FOCUS_ID, title, query, unit: 'none' };
    this.pendingFocus = true;
    if (this.ready && this.view?.visible) this.postFocus();
    else await vscode.commands.executeCommand(`${METRICS_VIEW}.focus`);
  }

  /** The refresh action. */
  async refresh(): Promise<void> {
    if (!this.ready) return;
    await this.fetchAll();
  }

  private get window(): WindowKey {
    const w = this.ctx.extension.workspaceState.get<unknown>(WINDOW_KEY);
    return isWindowKey(w) ? w : '1h';
  }

  private panels(): MetricPanelSpec[] {
    const { panels, problems } = readPanels(vscode.workspace.getConfiguration('spanlens').get<unknown>('metrics.queries'));
    for (const p of problems) this.ctx.log.warn(`settings: ${p}`);
    return panels;
  }

  private panelInfos(): PanelInfo[] {
    return this.panels().map((p) => ({ id: p.id, title: p.title ?? panelTitle(p.defaultId as DefaultPanelId), query: p.query, unit: p.unit }));
  }

  private post(m: ToMetricsView): void {
    if (this.view) void this.view.webview.postMessage(m);
  }

  private reload(): void {
    if (this.ready) void this.sendLoad();
  }

  private async sendLoad(): Promise<void> {
    this.post({
      type: 'load',
      strings: metricsStrings(),
      panels: this.panelInfos(),
      window: this.window,
      configured: this.connections.isConfigured('prometheus'),
      environment: this.connections.environment,
    });
    if (this.pendingFocus) this.postFocus();
    await this.fetchAll();
    this.startTimer();
  }

  private postFocus(): void {
    if (!this.focused) return;
    this.pendingFocus = false;
    this.post({ type: 'focus', panel: this.focused });
  }

  private async fetchAll(): Promise<void> {
    if (!this.connections.isConfigured('prometheus') || !this.view?.visible) return;
    this.inflight?.abort();
    const ac = new AbortController();
    this.inflight = ac;
    const seq = ++this.seq;
    const window = this.window;
    const { rangeMs, stepMs } = WINDOWS[window];
    const endMs = Date.now();
    const range = { startMs: endMs - rangeMs, endMs };
    await vscode.window.withProgress({ location: { viewId: METRICS_VIEW } }, async () => {
      let panels: PanelData[];
      let problem: string | undefined;
      try {
        const prom = (await this.connections.clients()).prometheus;
        if (!prom) return;
        const specs = this.panels();
        const failures: unknown[] = [];
        panels = await Promise.all(
          specs.map(async (p): Promise<PanelData> => {
            try {
              const r = await prom.queryRange(p.query, range, { stepMs, signal: ac.signal });
              return { id: p.id, series: toSeriesData(r.series), warnings: [...r.warnings, ...r.infos] };
            } catch (err) {
              failures.push(err);
              return { id: p.id, series: [], error: err instanceof Error ? err.message : String(err), warnings: [] };
            }
          }),
        );
        // Every query failing the same way (no connection) is one problem, said once.
        const first = failures[0];
        if (failures.length === specs.length && isBackendError(first) && (first.kind === 'unreachable' || first.kind === 'timeout' || first.kind === 'auth')) {
          problem = `${errorHeadline(first.kind, 'Prometheus')} ${first.message}`;
        }
      } catch (err) {
        panels = [];
        problem = err instanceof Error ? err.message : String(err);
      }
      if (ac.signal.aborted || seq !== this.seq) return;
      this.post({ type: 'data', seq, window, startMs: range.startMs, endMs, panels, problem });
    });
    if (this.inflight === ac) this.inflight = undefined;
  }

  private async detail(panelId: string, window: WindowKey): Promise<DetailResult> {
    const spec = panelId === FOCUS_ID ? this.focused : this.panelInfos().find((p) => p.id === panelId);
    if (!spec) throw new Error(vscode.l10n.t('That chart is no longer in the list.'));
    const prom = (await this.connections.clients()).prometheus;
    if (!prom) throw new Error(vscode.l10n.t('Prometheus is not configured for environment "{0}".', this.connections.environment));
    const { rangeMs } = WINDOWS[window];
    const endMs = Date.now();
    const range = { startMs: endMs - rangeMs, endMs };
    const stepMs = Math.max(1000, Math.ceil(rangeMs / DETAIL_POINTS / 1000) * 1000);
    const [series, exemplars] = await Promise.all([
      prom.queryRange(spec.query, range, { stepMs }),
      // Exemplar storage may be off (or the query has none): the chart still shows the series.
      prom.exemplars(spec.query, range).catch((err: unknown) => {
        this.ctx.log.warn(`exemplars for ${spec.query}: ${err instanceof Error ? err.message : String(err)}`);
        return [];
      }),
    ]);
    return { startMs: range.startMs, endMs, series: toSeriesData(series.series), exemplars: toExemplarData(exemplars), warnings: [...series.warnings, ...series.infos] };
  }

  private async onMessage(raw: unknown): Promise<void> {
    const ids = new Set(this.panels().map((p) => p.id));
    if (this.focused) ids.add(FOCUS_ID);
    const parsed = parseFromMetricsView(raw, ids);
    const msg = parsed.message;
    if (!msg) {
      this.ctx.log.warn(`ignored an invalid message from the metrics view: ${JSON.stringify(raw)?.slice(0, 200)}`);
      if ('refusedId' in parsed && parsed.refusedId !== undefined) this.post({ type: 'response', id: parsed.refusedId, ok: false, error: vscode.l10n.t('Invalid request.') });
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        return this.sendLoad();
      case 'setWindow':
        await this.ctx.extension.workspaceState.update(WINDOW_KEY, msg.window);
        return this.fetchAll();
      case 'command':
        if (msg.command === 'refresh') return this.fetchAll();
        if (msg.command === 'configure') return void (await vscode.commands.executeCommand('spanlens.openConnectionSettings', 'prometheus'));
        if (msg.command === 'renderStack') return void (await vscode.commands.executeCommand('spanlens.renderStack'));
        return void (await vscode.commands.executeCommand('spanlens.useDemoEndpoints'));
      case 'request':
        return this.answer(msg);
    }
  }

  private async answer(req: MetricsRequest): Promise<void> {
    try {
      let result: unknown = null;
      if (req.method === 'detail') {
        const p = req.params as MetricsRequestParams<'detail'>;
        result = await this.detail(p.panel, p.window);
      } else {
        await vscode.commands.executeCommand('spanlens.openTraceById', (req.params as MetricsRequestParams<'openTrace'>).traceId);
      }
      this.post({ type: 'response', id: req.id, ok: true, result });
    } catch (err) {
      this.post({ type: 'response', id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private startTimer(): void {
    if (this.timer || !this.view?.visible) return;
    this.timer = setInterval(() => {
      if (!this.inflight && this.view?.visible) void this.fetchAll();
    }, explorerIntervalMs());
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

type MetricsRequestParams<K extends keyof MetricsMethods> = MetricsMethods[K]['params'];
