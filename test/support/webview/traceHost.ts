/**
 * The extension host's side of the trace view for tests and benchmarks outside VS Code: it answers
 * the page's handshake and requests from the real core (the trace worker's request handler, in
 * process), validating them with the same gate the extension uses.
 */
import { parseFromWebview, type LoadMessage, type TraceData, type WebviewStrings } from '../../../src/core/protocol/trace';
import type { ServiceSlots } from '../../../src/core/model/serviceSlots';
import { postInColumns } from '../../../src/core/protocol/traceColumns';
import { TraceWorkerHandler } from '../../../src/core/traceWorker/store';
import type { LoadedFile } from '../../../src/core/traceWorker/protocol';
import { openWebview, type HarnessOptions, type WebviewPage } from './harness';
import { hostStrings } from './strings';

/** The English strings, read from the host's own table so a new string cannot be forgotten here. */
export function englishStrings(): WebviewStrings {
  return hostStrings<WebviewStrings>(require.resolve('../../../src/extension/strings.ts'));
}

/** The load message the extension sends a trace view for the first trace of `file`. */
export function loadMessage(file: LoadedFile, trace: TraceData | null, overrides: Partial<LoadMessage> = {}): LoadMessage {
  return {
    type: 'load', strings: englishStrings(), source: 'test', title: 'trace.json', choices: file.choices, selected: 0, trace,
    warnings: file.warnings, warningCount: file.warningCount, banner: null, error: null, errorTitle: null, errorActions: [],
    defaults: { view: 'timeline', colorMode: 'service' }, ...overrides,
  };
}

export interface TraceHostPage extends WebviewPage {
  readonly handler: TraceWorkerHandler;
  readonly file: LoadedFile;
  /** How many messages the load took (1, or a large trace's columns and then the rest). */
  loadMessages(): number;
  /** Requests the page made, by method. */
  readonly requests: Array<{ method: string; params: unknown }>;
  /** Waits until the page has drawn the trace: when it received it and when that first frame was on screen (page clock). */
  loaded(): Promise<{ at: number; handled: number; painted: number }>;
}

export interface TraceHostOptions extends HarnessOptions {
  /** Overrides for the load message (banner, defaults …). */
  readonly load?: Partial<LoadMessage>;
  /** Columns above this many bytes travel in messages of their own (the extension's threshold by default). */
  readonly detachAbove?: number;
  /** Colour slots to give the trace's services, as the extension does (one set for all its panels). */
  readonly slots?: ServiceSlots;
}

/** Opens a trace (bytes, or a file the worker's code reads itself) in the built trace view. */
export async function openTracePage(trace: Uint8Array | { path: string }, opts: TraceHostOptions = {}): Promise<TraceHostPage> {
  const handler = new TraceWorkerHandler();
  const input = trace instanceof Uint8Array ? { kind: 'bytes', bytes: new Uint8Array(trace).buffer as ArrayBuffer } : { kind: 'file', path: trace.path };
  const r = await handler.handle({ type: 'load', id: 1, input });
  if (!r?.reply.ok) throw new Error(`the trace did not load: ${JSON.stringify(r?.reply)}`);
  const file = r.reply.result as LoadedFile;
  const requests: Array<{ method: string; params: unknown }> = [];
  let ids = 100;
  let loadMessages = 0;
  let delivered!: (at: { at: number; handled: number; painted: number }) => void;
  const deliveredAt = new Promise<{ at: number; handled: number; painted: number }>((r) => (delivered = r));
  const answer = async (m: unknown, w: WebviewPage) => {
    const parsed = parseFromWebview(m, { boxes: file.spanCounts[0] ?? 0, traces: file.choices.length, logs: 1000 });
    const msg = parsed.message;
    if (!msg) {
      const id = (parsed as { refusedId?: number }).refusedId;
      if (id !== undefined) await w.deliver({ type: 'response', id, ok: false, error: 'Invalid request.' });
      return;
    }
    if (msg.type === 'ready') {
      const d = (await handler.handle({ type: 'traceData', id: ids++, trace: 0 }))!.reply;
      const data = d.ok ? (d.result as TraceData) : null;
      const trace = data && opts.slots ? { ...data, serviceSlots: opts.slots.assign(data.services).slots } : data;
      // As the extension posts it: a large trace's columns first, one message each.
      const posted: unknown[] = [];
      await postInColumns(loadMessage(file, trace, opts.load), 1, (m) => void posted.push(m), opts.detachAbove);
      loadMessages = posted.length;
      delivered(await w.deliverAll(posted));
      return;
    }
    if (msg.type !== 'request') return;
    requests.push({ method: msg.method, params: msg.params });
    const p = msg.params as { trace?: number; box?: number; text?: string };
    const worker =
      msg.method === 'spanDetails' ? { type: 'details', trace: p.trace, box: p.box }
      : msg.method === 'search' ? { type: 'search', trace: p.trace, text: p.text }
      : msg.method === 'criticalPath' ? { type: 'criticalPath', trace: p.trace }
      : msg.method === 'openSource' ? { type: 'locations', trace: p.trace, box: p.box }
      : null;
    if (!worker) return void (await w.deliver({ type: 'response', id: msg.id, ok: true, result: null }));
    const reply = (await handler.handle({ ...worker, id: ids++ }))!.reply;
    await w.deliver(reply.ok ? { type: 'response', id: msg.id, ok: true, result: msg.method === 'openSource' ? { opened: true } : reply.result } : { type: 'response', id: msg.id, ok: false, error: reply.error });
  };
  const w = await openWebview({ ...opts, onMessage: answer });
  return Object.assign(w, {
    handler,
    file,
    requests,
    loadMessages: () => loadMessages,
    async loaded() {
      const at = await deliveredAt;
      await w.page.waitForFunction(() => !!(window as unknown as { spanlensTrace?: unknown }).spanlensTrace, undefined, { timeout: 120_000 });
      return at;
    },
  });
}
