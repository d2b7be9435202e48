/**
 * The trace worker's state and its whole request handling, as plain functions so they are
 * tested without a thread. The worker entry (src/extension/panels/traceWorker.ts) only wires
 * `handleTraceRequest` to its port.
 */
import { spanDetails, toFlameData } from '../flame/flameData';
import { layoutTrace, type FlameLayout } from '../flame/layout';
import { parseTraceText } from '../formats';
import { TraceFormatError } from '../model/errors';
import type { Trace } from '../model/trace';
import type { FlameData, SpanDetails, TraceChoice } from '../protocol';
import { MAX_WARNINGS, type LoadedFile, type TraceWorkerErrorKind, type TraceWorkerReply } from './protocol';

/** A failure the caller caused (bad index, nothing loaded), told apart from a bug. */
export class TraceRequestError extends Error {
  override readonly name = 'TraceRequestError';
}

/** One line per trace for the picker: the earliest root span, the span count, a short id. */
export function traceChoice(t: Trace): TraceChoice {
  let root: Trace['spans'][number] | undefined;
  for (const s of t.spans) if (!s.parentSpanId && (!root || s.start < root.start)) root = s;
  root ??= t.spans[0];
  const label = root ? `${root.resource.serviceName}: ${root.name}` : t.traceId;
  return { traceId: t.traceId, label: `${label} (${t.spans.length}) ${t.traceId.slice(0, 8)}` };
}

/**
 * The parsed traces of one file and the layouts made so far; layouts are kept so switching
 * back to a trace is instant and details index into the same boxes the webview drew.
 */
export class TraceStore {
  private traces: readonly Trace[] = [];
  private layouts = new Map<number, FlameLayout>();

  /** Parses UTF-8 JSON; on failure the previous file is dropped too, so nothing stale answers. */
  load(bytes: Uint8Array): LoadedFile {
    this.traces = [];
    this.layouts.clear();
    const started = performance.now();
    const parsed = parseTraceText(new TextDecoder('utf-8').decode(bytes));
    this.traces = parsed.traces;
    return {
      format: parsed.format,
      bytes: bytes.byteLength,
      choices: parsed.traces.map(traceChoice),
      spanCounts: parsed.traces.map((t) => t.spans.length),
      warnings: parsed.warnings.slice(0, MAX_WARNINGS),
      warningCount: parsed.warnings.length,
      parseMs: performance.now() - started,
    };
  }

  private trace(index: number): Trace {
    if (!this.traces.length) throw new TraceRequestError('no trace file is loaded');
    const t = Number.isInteger(index) ? this.traces[index] : undefined;
    if (!t) throw new TraceRequestError(`trace ${index} is out of range (the file holds ${this.traces.length})`);
    return t;
  }

  private layout(index: number): FlameLayout {
    let l = this.layouts.get(index);
    if (!l) {
      l = layoutTrace(this.trace(index));
      this.layouts.set(index, l);
    }
    return l;
  }

  flame(index: number): FlameData {
    return toFlameData(this.trace(index), this.layout(index));
  }

  details(index: number, box: number): SpanDetails {
    const t = this.trace(index);
    const l = this.layout(index);
    if (!Number.isInteger(box) || box < 0 || box >= l.count) {
      throw new TraceRequestError(`box ${box} is out of range (trace ${index} has ${l.count} boxes)`);
    }
    return spanDetails(t, l, box);
  }
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function kindOf(err: unknown): TraceWorkerErrorKind {
  if (err instanceof TraceFormatError) return 'format';
  if (err instanceof TraceRequestError) return 'request';
  return 'internal';
}

/**
 * Answers one request. Never throws: every failure becomes an error reply for the request's id.
 * Returns null only for a message without a usable id, which no caller could be waiting on.
 */
export function handleTraceRequest(store: TraceStore, raw: unknown): TraceWorkerReply | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = raw as Record<string, unknown>;
  if (!isIndex(m.id)) return null;
  const id = m.id;
  try {
    switch (m.type) {
      case 'load':
        if (!(m.bytes instanceof ArrayBuffer)) throw new TraceRequestError('load needs the file as an ArrayBuffer');
        return { id, ok: true, result: store.load(new Uint8Array(m.bytes)) };
      case 'flame':
        if (!isIndex(m.trace)) throw new TraceRequestError('flame needs a trace index');
        return { id, ok: true, result: store.flame(m.trace) };
      case 'details':
        if (!isIndex(m.trace) || typeof m.box !== 'number') throw new TraceRequestError('details needs a trace index and a box');
        return { id, ok: true, result: store.details(m.trace, m.box) };
      default:
        throw new TraceRequestError(`unknown request ${JSON.stringify(String(m.type)).slice(0, 40)}`);
    }
  } catch (err) {
    return { id, ok: false, kind: kindOf(err), error: err instanceof Error ? err.message : String(err) };
  }
}
