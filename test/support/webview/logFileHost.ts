/**
 * The extension host's side of a log file in the log view, for tests and benchmarks outside
 * VS Code: the real log store (the worker's code, in process) reads and indexes the file, its
 * progress goes to the page as the extension sends it, and the page's requests pass the same gate.
 */
import { toLogRow } from '../../../src/core/formats/logRow';
import { LogFileStore } from '../../../src/core/logWorker/store';
import { parseFromWebview, type LoadMessage, type LogFileState, type TraceMethods } from '../../../src/core/protocol/trace';
import { openWebview, type HarnessOptions, type WebviewPage } from './harness';
import { englishStrings } from './traceHost';

export interface LogFileHostPage extends WebviewPage {
  readonly store: LogFileStore;
  readonly requests: Array<{ method: string; params: unknown }>;
  /** When the load message reached the page and when its first frame was on screen (page clock). */
  loaded(): Promise<{ at: number; handled: number; painted: number }>;
}

export async function openLogFilePage(path: string, opts: HarnessOptions = {}): Promise<LogFileHostPage> {
  let page: WebviewPage | undefined;
  let state: LogFileState = { lines: 0, bytes: 0, size: 0, done: false };
  const store = new LogFileStore((e) => {
    state = { lines: e.lines, bytes: e.bytes, size: e.size, done: e.done, ...(e.error ? { error: e.error } : {}) };
    void page?.deliver({ type: 'logFileProgress', state }).catch(() => undefined);
  });
  const opened = store.open(path, 200).then((f) => {
    if (state.lines < f.lines) state = { lines: f.lines, bytes: 0, size: f.size, done: f.done };
  });
  const requests: Array<{ method: string; params: unknown }> = [];
  let delivered!: (at: { at: number; handled: number; painted: number }) => void;
  const deliveredAt = new Promise<{ at: number; handled: number; painted: number }>((r) => (delivered = r));
  const answer = async (m: unknown, w: WebviewPage) => {
    await opened;
    const parsed = parseFromWebview(m, { boxes: 0, traces: 0, logs: state.lines });
    const msg = parsed.message;
    if (!msg) {
      const id = (parsed as { refusedId?: number }).refusedId;
      if (id !== undefined) await w.deliver({ type: 'response', id, ok: false, error: 'Invalid request.' });
      return;
    }
    if (msg.type === 'ready') {
      const load: LoadMessage = {
        type: 'load', strings: englishStrings(), source: '', title: 'dynamo.jsonl', choices: [], selected: 0, trace: null,
        warnings: [], warningCount: 0, banner: null, error: null, errorTitle: null, errorActions: [],
        defaults: { view: 'timeline', colorMode: 'service' }, logFile: state,
      };
      delivered(await w.deliver(load));
      return;
    }
    if (msg.type !== 'request') return;
    requests.push({ method: msg.method, params: msg.params });
    const ok = (result: unknown) => w.deliver({ type: 'response', id: msg.id, ok: true, result });
    try {
      if (msg.method === 'logRange') {
        const q = msg.params as TraceMethods['logRange']['params'];
        return void (await ok((await store.entries(q.from, q.to)).map((e) => toLogRow(e, -1, undefined))));
      }
      if (msg.method === 'logSearch') {
        const hits = await store.search((msg.params as TraceMethods['logSearch']['params']).text);
        return void (await ok({ lines: Int32Array.from(hits.lines), complete: hits.complete }));
      }
      await ok(msg.method === 'openLogSource' ? { opened: true } : null);
    } catch (err) {
      await w.deliver({ type: 'response', id: msg.id, ok: false, error: String(err) });
    }
  };
  page = await openWebview({ ...opts, onMessage: answer });
  const w = page;
  const closePage = w.close.bind(w);
  return Object.assign(w, {
    store,
    requests,
    loaded: () => deliveredAt,
    async close() {
      await store.close();
      await closePage();
    },
  });
}
