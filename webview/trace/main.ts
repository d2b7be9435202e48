import './nonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { FLAG_MISSING_PARENT, type FlameData, type LoadMessage, type SpanDetails, type ToWebview, type WebviewStrings } from '../../src/core/protocol';
import { renderDetails } from './details';
import { el } from './dom';
import { FlameView } from './flameView';
import { palette } from './colors';
import { formatDuration } from './format';
import { Rpc } from './rpc';
import { patchState, vscode } from './vscodeApi';

const app = document.getElementById('app')!;
let strings: WebviewStrings | undefined;
const rpc = new Rpc(() => strings);
/** The trace index shown, so span requests name it (see SpanDetailsRequest). */
let selectedTrace = 0;
let flame: FlameView | undefined;
let data: FlameData | undefined;
let detailsPane: HTMLElement | undefined;
let tooltip: HTMLElement | undefined;
let detailsSeq = 0;

// Until the host answers `ready` (a large file can take seconds), say that something is coming.
app.replaceChildren(
  el('div', { className: 'loading', attrs: { role: 'status' } }, el('vscode-progress-ring'), el('span', { text: app.dataset.loading ?? '' })),
);

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'load':
      return onLoad(m);
    case 'trace':
      selectedTrace = m.selected;
      patchState({ selectedTrace: m.selected, view: undefined, selectedBox: undefined });
      return showTrace(m.trace, undefined);
    case 'response':
      return rpc.settle(m);
  }
});

// Theme changes swap body classes and CSS variables; the canvas must re-read its colours.
new MutationObserver(() => {
  flame?.refreshTheme();
  if (data) repaintSwatches(data);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

/** Legend and details swatches use the same theme-dependent fills as the canvas. */
function repaintSwatches(d: FlameData): void {
  const fills = palette(d.services).fills;
  app.querySelectorAll<HTMLElement>('.legend-item').forEach((item, i) => {
    const sw = item.querySelector<HTMLElement>('.swatch');
    if (sw) sw.style.background = fills[i]!;
  });
  const detailsSwatch = app.querySelector<HTMLElement>('.details .span-name .swatch');
  const service = detailsSwatch?.dataset.service;
  if (detailsSwatch && service !== undefined) detailsSwatch.style.background = fills[Number(service)]!;
}

vscode.postMessage({ type: 'ready' });

function onLoad(m: LoadMessage): void {
  strings = m.strings;
  const prev = vscode.getState();
  const sameFile = prev?.source === m.source && prev?.selectedTrace === m.selected;
  selectedTrace = m.selected;
  patchState({ source: m.source, selectedTrace: m.selected });
  flame?.dispose();
  flame = undefined;
  if (m.error || !m.trace) {
    app.replaceChildren(errorView(m.errorTitle ?? m.strings.notATrace, m.title, m.error ?? m.strings.notATrace, m.strings));
    return;
  }
  buildShell(m);
  showTrace(m.trace, sameFile ? prev : undefined);
}

function errorView(heading: string, title: string, message: string, s: WebviewStrings): HTMLElement {
  const retry = el('vscode-button', { text: s.retry, attrs: { 'data-testid': 'retry' } });
  retry.addEventListener('click', () => vscode.postMessage({ type: 'reload' }));
  return el(
    'div',
    { className: 'error-view', attrs: { role: 'alert', 'data-testid': 'error' } },
    el('h2', { text: heading }),
    el('p', { className: 'file', text: title }),
    el('pre', { className: 'message', text: message }),
    retry,
  );
}

function buildShell(m: LoadMessage): void {
  const s = m.strings;
  const header = el('header', { className: 'toolbar' });
  header.append(el('h1', { text: m.title, title: m.title }));
  if (m.choices.length > 1) {
    const select = el('vscode-single-select', { attrs: { 'aria-label': s.traceOf, 'data-testid': 'trace-picker' } });
    m.choices.forEach((c, i) => select.append(el('vscode-option', { text: c.label, attrs: { value: String(i) } })));
    (select as unknown as { value: string }).value = String(m.selected);
    select.addEventListener('change', () => {
      const index = Number((select as unknown as { value: string }).value);
      if (Number.isInteger(index)) vscode.postMessage({ type: 'selectTrace', index });
    });
    header.append(select);
  }
  header.append(el('span', { className: 'stats', attrs: { 'data-testid': 'stats', 'aria-live': 'polite' } }));
  const reset = el('vscode-button', { text: s.resetZoom, attrs: { secondary: '', 'data-testid': 'reset-zoom' } });
  reset.addEventListener('click', () => flame?.resetZoom());
  header.append(reset);

  const legend = el('div', { className: 'legend', attrs: { 'data-testid': 'legend' } });
  const graph = el('div', { className: 'graph' });
  detailsPane = el('aside', { className: 'details', attrs: { 'data-testid': 'details', 'aria-live': 'polite' } });
  tooltip = el('div', { className: 'tooltip', attrs: { role: 'tooltip', 'data-testid': 'tooltip' } });
  const warnings = m.warnings.length
    ? el('details', { className: 'warnings' }, el('summary', { text: `⚠ ${s.warnings} (${m.warningCount})` }), el('pre', { text: m.warnings.join('\n') }))
    : null;
  const help = el('p', { className: 'help', text: s.keyboardHelp });
  app.replaceChildren(header, legend, warnings ?? document.createTextNode(''), el('div', { className: 'main' }, graph, detailsPane), help, tooltip);
}

function showTrace(d: FlameData, prev: ReturnType<typeof vscode.getState>): void {
  const s = strings!;
  data = d;
  detailsSeq++; // an answer still on its way describes the previous trace
  const stats = app.querySelector<HTMLElement>('.stats')!;
  const started = new Date(d.startUnixMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  stats.textContent = fill(s.statsLine, [d.count, d.services.length, d.errorCount, formatDuration(d.durationNs), started]);
  stats.title = `${s.traceId}: ${d.traceId}`;
  stats.dataset.spanCount = String(d.count);
  const legend = app.querySelector<HTMLElement>('.legend')!;
  const colors = palette(d.services);
  legend.replaceChildren(
    ...d.services.map((name, i) => {
      const sw = el('span', { className: 'swatch' });
      sw.style.background = colors.fills[i]!;
      return el('span', { className: 'legend-item', attrs: { 'data-service': name } }, sw, document.createTextNode(name));
    }),
  );
  detailsPane!.replaceChildren(el('p', { className: 'muted', text: s.selectSpanHint }));
  const graph = app.querySelector<HTMLElement>('.graph')!;
  if (!flame) {
    graph.replaceChildren();
    flame = new FlameView(graph, d, { onHover, onLeave, onSelect, onViewChange: saveView }, s.flameLabel);
  } else flame.setData(d);
  if (prev?.view) flame.setView(prev.view.t0, prev.view.t1, prev.view.scrollTop);
  if (prev?.selectedBox !== undefined && prev.selectedBox < d.count) flame.select(prev.selectedBox, true);
}

let viewTimer: ReturnType<typeof setTimeout> | undefined;
let pendingView: { t0: number; t1: number; scrollTop: number } | undefined;

/** Zoom and scroll change on every mouse move; the state (a message to the host) follows at most 5×/s. */
function saveView(view: { t0: number; t1: number; scrollTop: number }): void {
  pendingView = view;
  if (viewTimer) return;
  viewTimer = setTimeout(() => {
    viewTimer = undefined;
    patchState({ view: pendingView });
  }, 200);
}

/** Fills `{0}`…`{n}` of a localized template (word order differs between languages). */
function fill(template: string, values: ReadonlyArray<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (values[Number(i)] === undefined ? m : String(values[Number(i)])));
}

function onHover(b: number, x: number, y: number): void {
  const d = data!;
  const s = strings!;
  const t = tooltip!;
  t.replaceChildren(
    el('div', { className: 'tt-name', text: d.names[d.name[b]!]! }),
    el('div', { text: `${s.service}: ${d.services[d.service[b]!]}` }),
    el('div', { text: `${s.duration}: ${formatDuration(d.end[b]! - d.start[b]!)}` }),
    el('div', { text: `${s.start}: +${formatDuration(d.start[b]!)}` }),
  );
  if (d.flags[b]! & FLAG_MISSING_PARENT) t.append(el('div', { className: 'tt-note', text: s.missingParent }));
  t.style.display = 'block';
  const w = t.offsetWidth;
  const h = t.offsetHeight;
  t.style.left = `${Math.min(x + 14, window.innerWidth - w - 4)}px`;
  t.style.top = `${y + 18 + h > window.innerHeight ? y - h - 8 : y + 18}px`;
}

function onLeave(): void {
  if (tooltip) tooltip.style.display = 'none';
}

async function onSelect(b: number | null): Promise<void> {
  patchState({ selectedBox: b ?? undefined });
  const pane = detailsPane!;
  const s = strings!;
  const seq = ++detailsSeq;
  if (b === null) {
    pane.replaceChildren(el('p', { className: 'muted', text: s.selectSpanHint }));
    return;
  }
  try {
    const details = await rpc.request<SpanDetails>({ type: 'spanDetails', trace: selectedTrace, box: b });
    if (seq !== detailsSeq) return; // a later click won
    renderDetails(pane, details, palette(data!.services).fills[data!.service[b]!]!, s);
    pane.querySelector<HTMLElement>('.span-name .swatch')?.setAttribute('data-service', String(data!.service[b]!));
  } catch (err) {
    if (seq === detailsSeq) pane.replaceChildren(el('p', { className: 'error', text: String(err instanceof Error ? err.message : err) }));
  }
}
