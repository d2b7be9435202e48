import '../shared/nonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { ErrorAction, LoadMessage, LogsMessage, LookupMessage, SeriesMessage, ToWebview, TraceMethods, WebviewStrings } from '../../src/core/protocol/trace';
import { ColumnStash } from '../../src/core/protocol/traceColumns';
import { el } from '../shared/dom';
import { RpcClient } from '../shared/rpc';
import { vscode } from '../shared/vscodeApi';
import { TraceApp } from './app';
import { lookupHeader } from './lookupHeader';
import { LogFileApp } from './logs/logFileApp';
import { LogList } from './logs/logList';
import { MetricsStrip } from './metrics/strip';

const root = document.getElementById('app')!;
let strings: WebviewStrings | undefined;
const rpc = new RpcClient<TraceMethods>(() => strings);
let app: TraceApp | undefined;
let logFile: LogFileApp | undefined;
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

/** Columns of a large trace arrive in messages of their own, ahead of the trace's. */
const columns = new ColumnStash();

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'traceColumns':
      return columns.add(m);
    case 'load':
      return onLoad(m.trace ? { ...m, trace: columns.attach(m.trace) } : m);
    case 'trace':
      return app?.setTrace(columns.attach(m.trace), m.selected);
    case 'reveal':
      return app?.reveal(m.box);
    case 'logs':
      logs = m;
      if (app) return app.setLogs(m.rows, m.state.text);
      return showAside();
    case 'series':
      series = m;
      if (app) return app.setSeries(m);
      return showAside();
    case 'logFileProgress':
      return logFile?.progress(m.state, strings!);
    case 'lookup':
      header = m;
      if (app) return app.setLookup(m);
      if (root.querySelector('[data-testid="error"]')) {
        const h = root.querySelector('[data-testid="lookup-header"]');
        const fresh = lookupHeader(m, strings!);
        if (h) h.replaceWith(fresh);
        else root.prepend(fresh);
        return;
      }
      return showLoading();
    case 'response':
      return rpc.settle(m);
  }
});

vscode.postMessage({ type: 'ready' });

/** Without a trace (a lookup that found logs but no trace), its logs and metrics still show, under the message. */
let aside: { list: LogList; strip: MetricsStrip; host: HTMLElement } | undefined;

function showAside(): void {
  const s = strings;
  if (!s || app || (!logs && !series)) return;
  if (!aside) {
    const list = new LogList(s, {
      select: (i) => list.reveal(i),
      openSource: (index) => void rpc.request('openLogSource', { index }).catch(() => undefined),
      lookUp: (id) => void rpc.request('lookUp', { id }).catch(() => undefined),
    });
    const strip = new MetricsStrip(s, (traceId) => void rpc.request('openTrace', { traceId }).catch(() => undefined));
    const host = el('div', { className: 'aside' }, strip.el, list.el);
    aside = { list, strip, host };
  }
  root.append(aside.host);
  if (series) aside.strip.show(series);
  if (logs) aside.list.setRows(logs.rows, logs.state.text);
}

function onLoad(m: LoadMessage): void {
  strings = m.strings;
  app?.dispose();
  app = undefined;
  aside?.list.dispose();
  aside = undefined;
  logFile = undefined;
  if (m.logFile && !m.error) {
    logFile = new LogFileApp(root, m, m.logFile, rpc);
    return;
  }
  if (m.error || !m.trace) {
    root.replaceChildren(...(header ? [lookupHeader(header, m.strings)] : []), errorView(m));
    showAside();
    return;
  }
  app = new TraceApp(root, m, rpc);
  if (header) app.setLookup(header);
  if (series) app.setSeries(series);
  if (logs) app.setLogs(logs.rows, logs.state.text);
  // Benchmarks and fast webview tests read the live views through this handle.
  (window as unknown as { spanlensTrace?: TraceApp }).spanlensTrace = app;
}

function errorView(m: LoadMessage): HTMLElement {
  const s = m.strings;
  const actions = el('div', { className: 'actions' });
  const label: Record<ErrorAction, string> = { retry: s.retry, openAsLogs: s.openAsLogs };
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
