/**
 * The trace worker's state and its whole request handling, as plain functions so they are
 * tested without a thread. The worker entry (src/extension/panels/traceWorker.ts) only wires
 * `TraceWorkerHandler` to its port.
 */
import { readFile } from 'node:fs/promises';
import { criticalPath } from '../flame/criticalPath';
import { layoutTrace, type FlameLayout } from '../flame/layout';
import { searchBoxes } from '../flame/search';
import { spanDetails } from '../flame/spanDetails';
import { toTraceData } from '../flame/traceData';
import { traceDataBuffers } from '../protocol/traceColumns';
import type { JsonBytesOptions } from '../formats/jsonBytes';
import { decodeTraceBody } from '../formats/traceBody';
import { TraceFormatError } from '../model/errors';
import { buildSpanTree } from '../model/spanTree';
import type { Trace } from '../model/trace';
import type { CodeLocation, SpanDetails, TraceChoice, TraceData } from '../protocol/trace';
import { spanCodeLocations } from '../source/locations';
import { LookupSession, type LookupEvent, type LookupInput } from './lookupSession';
import { MAX_WARNINGS, type CriticalPathResult, type LoadedFile, type LoadInput, type TraceWorkerErrorKind, type TraceWorkerReply } from './protocol';

/** A failure the caller caused (bad index, nothing loaded), told apart from a bug. */
export class TraceRequestError extends Error {
  override readonly name = 'TraceRequestError';
}

/** The file could not be read (missing, a folder, no permission). */
export class TraceReadError extends Error {
  override readonly name = 'TraceReadError';
}

/** One line per trace for the picker: the trace's root span (SpanTree.root), the span count, a short id. */
export function traceChoice(t: Trace, layout?: FlameLayout): TraceChoice {
  const root = (layout?.tree ?? buildSpanTree(t)).root;
  const s = root >= 0 ? t.spans[root]! : undefined;
  const label = s ? `${s.resource.serviceName}: ${s.name}` : t.traceId;
  return { traceId: t.traceId, label: `${label} (${t.spans.length}) ${t.traceId.slice(0, 8)}` };
}

async function readInput(input: LoadInput): Promise<{ bytes: Uint8Array; contentType?: string; api?: 'v1' | 'v2' }> {
  if (input.kind === 'bytes') return { bytes: new Uint8Array(input.bytes), contentType: input.contentType, api: input.api };
  try {
    return { bytes: await readFile(input.path) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' :
      code === 'EISDIR' ? 'it is a folder' :
      code === 'EACCES' || code === 'EPERM' ? 'permission denied' :
      code === 'ERR_FS_FILE_TOO_LARGE' ? 'the file is larger than 2 GB' :
      (e as Error).message;
    throw new TraceReadError(why);
  }
}

/**
 * The parsed traces of one source and the layouts made so far; layouts are kept so switching
 * back to a trace is instant and details index into the same boxes the views drew.
 */
export class TraceStore {
  private traces: readonly Trace[] = [];
  private layouts = new Map<number, FlameLayout>();

  constructor(private readonly json: JsonBytesOptions = {}) {}

  /** On failure the previous source is dropped too, so nothing stale answers. */
  async load(input: LoadInput): Promise<LoadedFile> {
    this.traces = [];
    this.layouts.clear();
    const started = performance.now();
    const { bytes, contentType, api } = await readInput(input);
    const { parsed, encoding } = decodeTraceBody(bytes, { contentType, api, json: this.json });
    this.traces = parsed.traces;
    return {
      format: parsed.format,
      encoding,
      bytes: bytes.byteLength,
      choices: parsed.traces.map((t, i) => traceChoice(t, i === 0 ? this.layout(0) : undefined)),
      spanCounts: parsed.traces.map((t) => t.spans.length),
      warnings: parsed.warnings.slice(0, MAX_WARNINGS),
      warningCount: parsed.warnings.length,
      ...(parsed.partial ? { partial: parsed.partial } : {}),
      parseMs: performance.now() - started,
    };
  }

  /**
   * Traces found another way (a request-id lookup, decoded in this worker), in place of any
   * loaded ones; described like a file's.
   */
  setTraces(list: ReadonlyArray<{ readonly trace: Trace; readonly partial: boolean; readonly partialMessage?: string; readonly warnings: readonly string[] }>): LoadedFile {
    this.traces = list.map((t) => t.trace);
    this.layouts.clear();
    const warnings = list.flatMap((t) => t.warnings);
    const partial = list.find((t) => t.partial);
    return {
      format: 'tempo-v2',
      encoding: 'json',
      bytes: 0,
      choices: this.traces.map((t, i) => traceChoice(t, i === 0 ? this.layout(0) : undefined)),
      spanCounts: this.traces.map((t) => t.spans.length),
      warnings: warnings.slice(0, MAX_WARNINGS),
      warningCount: warnings.length,
      ...(partial ? { partial: partial.partialMessage ? { message: partial.partialMessage } : {} } : {}),
      parseMs: 0,
    };
  }

  /** The layout of trace `index` when there is one (made on first use). */
  layoutOf(index: number): FlameLayout | undefined {
    return Number.isInteger(index) && this.traces[index] ? this.layout(index) : undefined;
  }

  traceAt(index: number): Trace | undefined {
    return this.traces[index];
  }

  private trace(index: number): Trace {
    if (!this.traces.length) throw new TraceRequestError('no trace is loaded');
    const t = Number.isInteger(index) ? this.traces[index] : undefined;
    if (!t) throw new TraceRequestError(`trace ${index} is out of range (the source holds ${this.traces.length})`);
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

  private box(index: number, box: number): FlameLayout {
    const l = this.layout(index);
    if (!Number.isInteger(box) || box < 0 || box >= l.count) {
      throw new TraceRequestError(`box ${box} is out of range (trace ${index} has ${l.count} boxes)`);
    }
    return l;
  }

  traceData(index: number): TraceData {
    return toTraceData(this.trace(index), this.layout(index));
  }

  details(index: number, box: number): SpanDetails {
    return spanDetails(this.trace(index), this.box(index, box), box);
  }

  search(index: number, text: string): { boxes: Uint32Array } {
    return { boxes: searchBoxes(this.trace(index), this.layout(index), text) };
  }

  criticalPath(index: number): CriticalPathResult {
    const l = this.layout(index);
    const path = criticalPath(l.tree);
    const boxOf = new Uint32Array(l.count);
    for (let b = 0; b < l.count; b++) boxOf[l.spanIndex[b]!] = b;
    return {
      boxes: Uint32Array.from(path, (p) => boxOf[p.span]!),
      start: Float64Array.from(path, (p) => p.start),
      end: Float64Array.from(path, (p) => p.end),
    };
  }

  locations(index: number, box: number): readonly CodeLocation[] {
    const l = this.box(index, box);
    return spanCodeLocations(this.trace(index).spans[l.spanIndex[box]!]!);
  }
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function kindOf(err: unknown): TraceWorkerErrorKind {
  if (err instanceof TraceFormatError) return 'format';
  if (err instanceof TraceReadError) return 'io';
  if (err instanceof TraceRequestError) return 'request';
  return 'internal';
}

function isLoadInput(v: unknown): v is LoadInput {
  if (typeof v !== 'object' || v === null) return false;
  const i = v as Record<string, unknown>;
  if (i.kind === 'file') return typeof i.path === 'string' && i.path !== '';
  return i.kind === 'bytes' && i.bytes instanceof ArrayBuffer && (i.contentType === undefined || typeof i.contentType === 'string') && (i.api === undefined || i.api === 'v1' || i.api === 'v2');
}

/** A reply plus the buffers to transfer with it. */
export interface HandledReply {
  readonly reply: TraceWorkerReply;
  readonly transfer: ArrayBuffer[];
}

/**
 * Answers requests one at a time, in arrival order (a load reads a file asynchronously, and a
 * request sent after it must see its result). Never rejects: every failure becomes an error reply
 * for the request's id. Resolves to null only for a message without a usable id.
 */
export class TraceWorkerHandler {
  private queue: Promise<unknown> = Promise.resolve();
  private lookup: LookupSession | undefined;

  /** `emit` sends the worker's own events (a lookup's progress) to the host. */
  constructor(
    readonly store: TraceStore = new TraceStore(),
    private readonly emit: (event: LookupEvent) => void = () => undefined,
  ) {}

  handle(raw: unknown): Promise<HandledReply | null> {
    const next = this.queue.then(() => this.answer(raw));
    this.queue = next;
    return next;
  }

  private async answer(raw: unknown): Promise<HandledReply | null> {
    if (typeof raw !== 'object' || raw === null) return null;
    const m = raw as Record<string, unknown>;
    if (!isIndex(m.id)) return null;
    const id = m.id;
    const store = this.store;
    const ok = (result: unknown, transfer: ArrayBuffer[] = []): HandledReply => ({ reply: { id, ok: true, result } as TraceWorkerReply, transfer });
    try {
      if (m.type === 'load') {
        if (!isLoadInput(m.input)) throw new TraceRequestError('load needs bytes or a file path');
        this.lookup?.cancel();
        this.lookup = undefined;
        return ok(await store.load(m.input));
      }
      if (m.type === 'lookup') {
        if (typeof m.input !== 'string' || typeof m.connection !== 'object' || m.connection === null || typeof m.settings !== 'object' || m.settings === null) {
          throw new TraceRequestError('lookup needs an id, a connection and settings');
        }
        this.lookup?.cancel();
        const session = new LookupSession(store, this.emit);
        this.lookup = session;
        const started = await session.start(m as unknown as LookupInput);
        return ok(started);
      }
      if (m.type === 'cancelLookup') {
        this.lookup?.cancel();
        return ok(null);
      }
      if (m.type === 'logSource') {
        if (!isIndex(m.index)) throw new TraceRequestError('logSource needs an index');
        return ok(this.lookup?.logSource(m.index) ?? null);
      }
      if (!isIndex(m.trace)) throw new TraceRequestError(`${String(m.type)} needs a trace index`);
      switch (m.type) {
        case 'traceData': {
          const d = store.traceData(m.trace);
          return ok(d, traceDataBuffers(d));
        }
        case 'details':
          return ok(store.details(m.trace, m.box as number));
        case 'search': {
          if (typeof m.text !== 'string') throw new TraceRequestError('search needs text');
          const r = store.search(m.trace, m.text);
          return ok(r, [r.boxes.buffer as ArrayBuffer]);
        }
        case 'criticalPath': {
          const r = store.criticalPath(m.trace);
          return ok(r, [r.boxes.buffer, r.start.buffer, r.end.buffer] as ArrayBuffer[]);
        }
        case 'locations':
          return ok(store.locations(m.trace, m.box as number));
        case 'logRows':
          return ok(this.lookup ? this.lookup.logRows(m.trace) : []);
        default:
          throw new TraceRequestError(`unknown request ${JSON.stringify(String(m.type)).slice(0, 40)}`);
      }
    } catch (err) {
      return { reply: { id, ok: false, kind: kindOf(err), error: err instanceof Error ? err.message : String(err) }, transfer: [] };
    }
  }
}
