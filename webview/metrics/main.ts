import '../shared/nonce';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { WINDOW_KEYS, type WindowKey } from '../../src/core/metrics/panels';
import { formatValue, seriesStats } from '../../src/core/metrics/values';
import type { MetricsDataMessage, MetricsLoadMessage, MetricsMethods, MetricsStrings, PanelData, PanelInfo, ToMetricsView } from '../../src/core/protocol/metrics';
import { el } from '../shared/dom';
import { RpcClient } from '../shared/rpc';
import { fill } from '../shared/text';
import { onThemeChange } from '../shared/theme';
import { getState, patchState, vscode } from '../shared/vscodeApi';
import { detailChart } from './chart';
import { colorFor, seriesColors } from '../shared/charts/palette';
import { sparkline } from '../shared/charts/sparkline';

/** What survives hide/show: the chart that was open. */
interface MetricsState {
  readonly detail?: string;
}

const root = document.getElementById('app')!;
let strings: MetricsStrings | undefined;
const rpc = new RpcClient<MetricsMethods>(() => strings);
let load: MetricsLoadMessage | undefined;
let data: MetricsDataMessage | undefined;
let windowKey: WindowKey = '1h';
let focus: PanelInfo | undefined;
let detailPanel: PanelInfo | undefined;
let detailSeq = 0;
let colors = seriesColors();

root.replaceChildren(el('div', { className: 'loading', attrs: { role: 'status' } }, el('vscode-progress-ring'), el('span', { text: root.dataset.loading ?? '' })));

window.addEventListener('message', (e: MessageEvent<ToMetricsView>) => {
  const m = e.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'load':
      load = m;
      strings = m.strings;
      windowKey = m.window;
      data = undefined;
      detailPanel = undefined;
      render();
      reopenDetail();
      return;
    case 'data':
      if (data && m.seq < data.seq) return;
      data = m;
      windowKey = m.window;
      if (!detailPanel) renderList();
      markWindow();
      return;
    case 'focus':
      focus = m.panel;
      openDetail(m.panel);
      return;
    case 'response':
      return rpc.settle(m);
  }
});

onThemeChange(() => {
  colors = seriesColors();
  if (detailPanel) openDetail(detailPanel);
  else renderList();
});
new ResizeObserver(() => {
  if (!detailPanel) renderList();
}).observe(root);

vscode.postMessage({ type: 'ready' });

let header: HTMLElement;
let body: HTMLElement;

function render(): void {
  if (!load) return;
  const s = load.strings;
  if (!load.configured) {
    root.replaceChildren(unconfigured(s, load.environment));
    return;
  }
  header = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': s.windowLabel } }, el('span', { className: 'muted', text: s.windowLabel }));
  for (const w of WINDOW_KEYS) {
    const b = el('button', { text: w, className: 'toggle', attrs: { 'data-window': w, 'aria-pressed': String(w === windowKey) } });
    b.addEventListener('click', () => {
      if (w === windowKey) return;
      windowKey = w;
      markWindow();
      vscode.postMessage({ type: 'setWindow', window: w });
      if (detailPanel) void loadDetail(detailPanel);
    });
    header.append(b);
  }
  body = el('div', { className: 'body' });
  root.replaceChildren(header, body);
  markWindow();
  renderList();
}

function markWindow(): void {
  for (const b of header?.querySelectorAll<HTMLButtonElement>('button[data-window]') ?? []) {
    const on = b.dataset.window === windowKey;
    b.classList.toggle('active', on);
    b.setAttribute('aria-pressed', String(on));
  }
}

function unconfigured(s: MetricsStrings, environment: string): HTMLElement {
  const actions = el('div', { className: 'actions' });
  for (const [command, label] of [
    ['configure', s.configure],
    ['renderStack', s.renderStack],
    ['useDemo', s.useDemo],
  ] as const) {
    const b = el('button', { text: label, attrs: { 'data-command': command } });
    b.addEventListener('click', () => vscode.postMessage({ type: 'command', command }));
    actions.append(b);
  }
  return el('div', { className: 'welcome', attrs: { 'data-testid': 'unconfigured' } }, el('p', { text: fill(s.unconfigured, [environment]) }), actions);
}

/** The sparkline list; the panels' data when it has come, else a placeholder per panel. */
function renderList(): void {
  if (!load?.configured || !body) return;
  const s = load.strings;
  const list = el('div', { className: 'panels', attrs: { 'data-testid': 'panels' } });
  if (data?.problem) {
    const retry = el('button', { text: s.retry });
    retry.addEventListener('click', () => vscode.postMessage({ type: 'command', command: 'refresh' }));
    list.append(el('div', { className: 'problem error', attrs: { role: 'alert', 'data-testid': 'problem' } }, el('span', { text: data.problem }), retry));
  }
  const width = Math.max(60, body.clientWidth - 4);
  const byId = new Map((data?.panels ?? []).map((p) => [p.id, p]));
  for (const p of load.panels) list.append(panelCard(p, byId.get(p.id), width, s));
  body.replaceChildren(list);
}

function panelCard(p: PanelInfo, d: PanelData | undefined, width: number, s: MetricsStrings): HTMLElement {
  const stats = d ? seriesStats(d.series) : {};
  const value = el('span', { className: 'value', text: stats.current === undefined ? '–' : formatValue(stats.current, p.unit) });
  const head = el('div', { className: 'panel-head' }, el('span', { className: 'title', text: p.title }), value);
  const card = el('div', { className: 'panel', attrs: { role: 'button', tabindex: '0', 'data-panel': p.id, 'aria-label': fill(s.sparklineLabel, [p.title]) } }, head);
  card.title = p.query;
  if (!d || !data) card.append(el('div', { className: 'muted small', text: s.loading }));
  else if (d.error) card.append(el('div', { className: 'error small', text: d.error }));
  else if (stats.min === undefined) card.append(el('div', { className: 'muted small', text: s.noData }));
  else {
    card.append(sparkline(d.series, data.startMs, data.endMs, width, colors));
    card.append(el('div', { className: 'muted small', text: fill(s.minMax, [formatValue(stats.min, p.unit), formatValue(stats.max!, p.unit)]) }));
  }
  card.addEventListener('click', () => openDetail(p));
  card.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openDetail(p);
    }
  });
  return card;
}

function reopenDetail(): void {
  const id = getState<MetricsState>().detail;
  const p = id === 'focus' ? focus : load?.panels.find((x) => x.id === id);
  if (p) openDetail(p);
}

function openDetail(p: PanelInfo): void {
  if (!load?.configured || !body) return;
  detailPanel = p;
  patchState<MetricsState>({ detail: p.id });
  void loadDetail(p);
}

function closeDetail(): void {
  detailPanel = undefined;
  patchState<MetricsState>({ detail: undefined });
  renderList();
}

async function loadDetail(p: PanelInfo): Promise<void> {
  const s = load!.strings;
  const seq = ++detailSeq;
  const back = el('button', { text: `← ${s.back}`, attrs: { 'data-testid': 'back' } });
  back.addEventListener('click', closeDetail);
  const status = el('div', { className: 'muted small', text: s.loading, attrs: { role: 'status' } });
  const view = el(
    'div',
    { className: 'detail', attrs: { 'data-testid': 'detail', 'data-panel': p.id } },
    el('div', { className: 'detail-head' }, back, el('span', { className: 'title', text: p.title })),
    el('code', { className: 'query', text: p.query }),
    status,
  );
  view.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closeDetail();
  });
  body.replaceChildren(view);
  back.focus();
  try {
    const d = await rpc.request('detail', { panel: p.id, window: windowKey }, 30_000);
    if (seq !== detailSeq || detailPanel !== p) return;
    const chart = detailChart(p, d, body.clientWidth - 4, 220, colors, s, (traceId) => {
      rpc.request('openTrace', { traceId }).catch((err: unknown) => (status.textContent = err instanceof Error ? err.message : String(err)));
    });
    const legend = el('div', { className: 'legend' });
    d.series.forEach((x, i) => {
      if (!x.label) return;
      const swatch = el('span', { className: 'swatch' });
      // CSSOM, not a style attribute: the page's CSP admits no inline styles.
      swatch.style.background = colorFor(x.label, i, colors);
      legend.append(el('span', { className: 'legend-item' }, swatch, el('span', { text: x.label })));
    });
    status.textContent = d.exemplars.traceIds.length ? `${fill(s.exemplarCount, [d.exemplars.traceIds.length])} · ${s.detailHint}` : s.noExemplars;
    status.after(chart, legend);
  } catch (err) {
    if (seq !== detailSeq) return;
    status.className = 'error small';
    status.textContent = err instanceof Error ? err.message : String(err);
  }
}

// Tests and the benchmark read the page through this handle.
(window as unknown as { spanlensMetrics: object }).spanlensMetrics = {
  get panels() {
    return load?.panels.length ?? 0;
  },
  get drawn() {
    return root.querySelectorAll('svg.spark').length;
  },
};
