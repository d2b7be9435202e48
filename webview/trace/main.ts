import '../shared/nonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { ErrorAction, LoadMessage, LogsMessage, LookupMessage, SeriesMessage, ToWebview, TraceMethods, WebviewStrings } from '../../src/core/protocol/trace';
import { el } from '../shared/dom';
import { RpcClient } from '../shared/rpc';
import { vscode } from '../shared/vscodeApi';
import { TraceApp } from './app';
import { lookupHeader } from './lookupHeader';

const root = document.getElementById('app')!;
let strings: WebviewStrings | undefined;
const rpc = new RpcClient<TraceMethods>(() => strings);
let app: TraceApp | undefined;
// A lookup's parts can arrive before the trace (or without one): kept, and shown once it is there.
let header: LookupMessage | undefined;
let logs: LogsMessage | undefined;
let series: SeriesMessage | undefined;

// Until the host answers `ready` (a large trace can take seconds), say that something is coming.
function showLoading(): void {
  const s = strings;
  root.replaceChildren(
    ...(header && s ? [lookupHeader(header, s)] : []),
    el('div', { className: 'loading', attrs: { role: 'status' } }, el('vscode-progress-ring'), el('span', { text: root.dataset.loading ?? '' })),
  );
}
showLoading();

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'load':
      return onLoad(m);
    case 'trace':
      return app?.setTrace(m.trace, m.selected);
    case 'reveal':
      return app?.reveal(m.box);
    case 'logs':
      logs = m;
      return app?.setLogs(m.rows);
    case 'series':
      series = m;
      return app?.setSeries(m);
    case 'lookup':
      header = m;
      if (app) return app.setLookup(m);
      return showLoading();
    case 'response':
      return rpc.settle(m);
  }
});

vscode.postMessage({ type: 'ready' });

function onLoad(m: LoadMessage): void {
  strings = m.strings;
  app?.dispose();
  app = undefined;
  if (m.error || !m.trace) {
    root.replaceChildren(errorView(m));
    return;
  }
  app = new TraceApp(root, m, rpc);
  if (header) app.setLookup(header);
  if (series) app.setSeries(series);
  if (logs) app.setLogs(logs.rows);
  // Benchmarks and fast webview tests read the live views through this handle.
  (window as unknown as { spanlensTrace?: TraceApp }).spanlensTrace = app;
}

function errorView(m: LoadMessage): HTMLElement {
  const s = m.strings;
  const actions = el('div', { className: 'actions' });
  const label: Record<ErrorAction, string> = { retry: s.retry, openAsLogs: s.retry };
  for (const action of m.errorActions) {
    const b = el('vscode-button', { text: label[action], attrs: { 'data-testid': action === 'retry' ? 'retry' : action } });
    b.addEventListener('click', () => vscode.postMessage({ type: 'errorAction', action }));
    actions.append(b);
  }
  return el(
    'div',
    { className: 'error-view', attrs: { role: 'alert', 'data-testid': 'error' } },
    el('h2', { text: m.errorTitle ?? s.notATrace }),
    el('p', { className: 'file', text: m.title }),
    el('pre', { className: 'message', text: m.error ?? s.notATrace }),
    actions,
  );
}
