/**
 * The log-file worker's state and its request handling, as plain functions so they are tested
 * without a thread (the worker entry, src/extension/logs/logWorker.ts, only wires
 * `LogWorkerHandler` to its port).
 *
 * A file of any size is read in chunks and indexed, never held: per line its byte offset, its
 * time (exact ns; a line without one takes the line before's) and its level, and for each trace
 * and span id the lines that name it. Ids, level and time are read straight from the bytes
 * (`"trace_id":"…"` and the like), so indexing a 1 GB file does not parse 1 GB of JSON; an entry
 * is parsed in full only when it is asked for. The first chunk is small so `open` answers fast.
 */
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { parseLogFileLine, parseRfc3339Ns, splitPrefix } from '../formats/dynamoJsonl';
import type { LogEntry } from '../model/logs';
import { MAX_ENTRIES, type LineHits, type LogProgressEvent, type LogWorkerErrorKind, type LogWorkerReply, type OpenedLogFile } from './protocol';
import { grown } from '../arrays/grown';

export class LogRequestError extends Error {
  override readonly name = 'LogRequestError';
}
export class LogReadError extends Error {
  override readonly name = 'LogReadError';
}
export class LogCancelledError extends Error {
  override readonly name = 'LogCancelledError';
}

const FIRST_CHUNK = 64 * 1024;
const CHUNK = 4 * 1024 * 1024;
/** A line longer than this is cut into pieces (a minified dump is not one entry). */
const MAX_LINE = 16 * 1024 * 1024;
/** Bytes read per step of a search. */
const SEARCH_CHUNK = 8 * 1024 * 1024;
const MAX_HITS = 100_000;
const PROGRESS_EVERY_MS = 100;

const TRACE_KEY = Buffer.from('"trace_id":"');
const SPAN_KEY = Buffer.from('"span_id":"');
const LEVEL_KEY = Buffer.from('"level":"');
const TIME_KEY = Buffer.from('"time":"');
const LEVEL_CODE: Readonly<Record<number, number>> = { 84: 1, 116: 1, 68: 2, 100: 2, 73: 3, 105: 3, 87: 4, 119: 4, 69: 5, 101: 5, 70: 6, 102: 6 };
/** 0 = unknown. */
export const LEVELS = [undefined, 'trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

function ioText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message;
}

/** 0: not exactly n hex digits then a quote; 1: hex with capitals; 2: lowercase hex. */
function hexAt(buf: Buffer, at: number, n: number): 0 | 1 | 2 {
  if (at + n >= buf.length || buf[at + n] !== 34) return 0; // the closing quote: exactly n digits
  let kind: 1 | 2 = 2;
  for (let i = at; i < at + n; i++) {
    const c = buf[i]!;
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) kind = 1;
    else return 0;
  }
  return kind;
}

function setTime(out: Float64Array, ns: bigint | undefined): boolean {
  if (ns === undefined) return false;
  out[0] = Number(ns / 1_000_000n);
  out[1] = Number(ns % 1_000_000n);
  return true;
}

const digit = (buf: Buffer, i: number): number => {
  const c = buf[i]! - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};
const num = (buf: Buffer, i: number, n: number): number => {
  let v = 0;
  for (let k = 0; k < n; k++) v = v * 10 + digit(buf, i + k);
  return v;
};

/**
 * Dynamo's `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)` read from the bytes into [ms, ns within the
 * ms], without making a string or a BigInt (run once per line of a 1 GB file); false for any
 * other spelling, which the string parser then reads.
 */
function timeFromBytes(buf: Buffer, p: number, end: number, out: Float64Array): boolean {
  if (p + 20 > end || buf[p + 4] !== 45 || buf[p + 7] !== 45 || buf[p + 10] !== 84 || buf[p + 13] !== 58 || buf[p + 16] !== 58) return false;
  const ms0 = Date.UTC(num(buf, p, 4), num(buf, p + 5, 2) - 1, num(buf, p + 8, 2), num(buf, p + 11, 2), num(buf, p + 14, 2), num(buf, p + 17, 2));
  if (Number.isNaN(ms0)) return false;
  let q = p + 19;
  let frac = 0;
  let digits = 0;
  if (buf[q] === 46) {
    q++;
    while (q < end && digits < 9 && buf[q]! >= 48 && buf[q]! <= 57) {
      frac = frac * 10 + (buf[q]! - 48);
      digits++;
      q++;
    }
    if (digits === 0) return false;
  }
  let offsetMin = 0;
  if (buf[q] === 90) q++;
  else if (buf[q] === 43 || buf[q] === 45) {
    const h = num(buf, q + 1, 2);
    const m = buf[q + 3] === 58 ? num(buf, q + 4, 2) : num(buf, q + 3, 2);
    if (Number.isNaN(h) || Number.isNaN(m)) return false;
    offsetMin = (buf[q] === 45 ? -1 : 1) * (h * 60 + m);
    q += buf[q + 3] === 58 ? 6 : 5;
  } else return false;
  if (buf[q] !== 34) return false;
  const ns = frac * 10 ** (9 - digits);
  out[0] = ms0 - offsetMin * 60_000 + Math.floor(ns / 1_000_000);
  out[1] = ns % 1_000_000;
  return true;
}

/** Finds a key's next occurrence lazily, so looking for it on every line costs one pass per chunk. */
class KeyScanner {
  private next = -1;
  private from = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly key: Buffer,
  ) {}
  /** Position of the value after the key inside [start, end), or -1. */
  find(start: number, end: number): number {
    if (this.next !== Infinity && (this.next < start || this.from > start)) {
      const at = this.buf.indexOf(this.key, start);
      this.from = start;
      this.next = at < 0 ? Infinity : at;
    }
    return this.next < end ? this.next + this.key.length : -1;
  }
}

/** A growable typed array. */
class Column<T extends Float64Array | Int32Array | Uint8Array> {
  constructor(public data: T) {}
  ensure(n: number): void {
    if (n > this.data.length) this.data = grown(this.data, n);
  }
}

export class LogFileStore {
  private fh: FileHandle | undefined;
  private path = '';
  private size = 0;
  /** offsets[i] = byte where line i starts; ends[i] = byte after its text (newline and CR left out). */
  private readonly offsets = new Column(new Float64Array(1 << 16));
  private readonly ends = new Column(new Float64Array(1 << 16));
  /** A line's time as Unix ms and the ns within that ms (exact, without a BigInt per line). */
  private readonly timeMs = new Column(new Float64Array(1 << 16));
  private readonly timeSubNs = new Column(new Int32Array(1 << 16));
  private readonly levels = new Column(new Uint8Array(1 << 16));
  private count = 0;
  private indexed = 0;
  private done = false;
  private error: string | undefined;
  private byTrace = new Map<string, number[]>();
  private bySpan = new Map<string, number[]>();
  private generation = 0;
  private searchGeneration = 0;
  private lastMs = 0;
  private lastSubNs = 0;
  /** The read buffer indexing reuses. */
  private chunk: Buffer = Buffer.alloc(0);

  constructor(private readonly emit: (e: LogProgressEvent) => void = () => {}) {}

  get lineCount(): number {
    return this.count;
  }

  get complete(): boolean {
    return this.done;
  }

  /** Opens a file: answers once the first chunk is indexed; the rest is indexed in the background. */
  async open(path: string, first = 200): Promise<OpenedLogFile> {
    await this.close();
    const gen = ++this.generation;
    let fh: FileHandle;
    try {
      fh = await openFile(path, 'r');
      const st = await fh.stat();
      if (!st.isFile()) {
        await fh.close();
        throw new LogReadError('it is not a file');
      }
      this.size = st.size;
    } catch (e) {
      if (e instanceof LogReadError) throw e;
      throw new LogReadError(ioText(e));
    }
    this.fh = fh;
    this.path = path;
    // Small reads until the first lines are there, so the answer does not wait for a 4 MB chunk.
    while (this.count < first && !this.done && gen === this.generation) await this.indexChunk(gen, FIRST_CHUNK);
    const entries = this.count ? await this.entries(0, Math.min(first, this.count)) : [];
    if (!this.done) void this.indexRest(gen);
    return { path, size: this.size, lines: this.count, done: this.done, first: entries };
  }

  async close(): Promise<void> {
    this.generation++;
    this.searchGeneration++;
    const fh = this.fh;
    this.fh = undefined;
    this.count = 0;
    this.indexed = 0;
    this.done = false;
    this.error = undefined;
    this.byTrace = new Map();
    this.bySpan = new Map();
    this.lastMs = 0;
    this.lastSubNs = 0;
    // A read of the closed file may still be landing in the old buffer: the next file gets its own.
    this.chunk = Buffer.alloc(0);
    await fh?.close().catch(() => undefined);
  }

  private async indexRest(gen: number): Promise<void> {
    let last = 0;
    try {
      while (!this.done && gen === this.generation) {
        await this.indexChunk(gen, CHUNK);
        const now = performance.now();
        if (this.done || now - last >= PROGRESS_EVERY_MS) {
          last = now;
          this.progress();
        }
      }
    } catch (e) {
      if (gen !== this.generation) return;
      this.error = ioText(e);
      this.done = true;
      this.progress();
    }
  }

  private progress(): void {
    this.emit({ type: 'progress', path: this.path, lines: this.count, bytes: this.indexed, size: this.size, done: this.done, ...(this.error ? { error: this.error } : {}) });
  }

  /** Reads from where indexing stopped and indexes the whole lines in it. */
  private async indexChunk(gen: number, chunk: number): Promise<void> {
    let want = chunk;
    for (;;) {
      const fh = this.fh;
      if (!fh || gen !== this.generation) return;
      const len = Math.min(want, this.size - this.indexed);
      if (len <= 0) {
        this.done = true;
        return;
      }
      if (this.chunk.length < len) this.chunk = Buffer.allocUnsafe(Math.max(len, CHUNK));
      const buf = this.chunk.subarray(0, len);
      const { bytesRead } = await fh.read(buf, 0, len, this.indexed);
      if (gen !== this.generation) return;
      const data = bytesRead < len ? buf.subarray(0, bytesRead) : buf;
      const atEnd = this.indexed + data.length >= this.size || bytesRead === 0;
      const used = this.indexLines(data, this.indexed, atEnd);
      if (used === 0 && !atEnd) {
        // No newline in the whole chunk: a long line. Read more of it, up to MAX_LINE, then cut.
        if (want < MAX_LINE) {
          want = Math.min(MAX_LINE, want * 4);
          continue;
        }
        this.addLine(data, 0, data.length, this.indexed);
        this.indexed += data.length;
        return;
      }
      this.indexed += used;
      if (atEnd) this.done = true;
      return;
    }
  }

  /** Indexes the complete lines of `buf` (file offset `base`); returns the bytes they took. */
  private indexLines(buf: Buffer, base: number, atEnd: boolean): number {
    const scanners = { trace: new KeyScanner(buf, TRACE_KEY), span: new KeyScanner(buf, SPAN_KEY), level: new KeyScanner(buf, LEVEL_KEY), time: new KeyScanner(buf, TIME_KEY) };
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) {
        if (atEnd && pos < buf.length) {
          this.addLine(buf, pos, buf.length, base, scanners);
          return buf.length;
        }
        return pos;
      }
      this.addLine(buf, pos, nl, base, scanners);
      pos = nl + 1;
    }
  }

  private addLine(buf: Buffer, start: number, nl: number, base: number, s?: Record<'trace' | 'span' | 'level' | 'time', KeyScanner>): void {
    const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
    const i = this.count++;
    this.offsets.ensure(this.count);
    this.ends.ensure(this.count);
    this.timeMs.ensure(this.count);
    this.timeSubNs.ensure(this.count);
    this.levels.ensure(this.count);
    this.offsets.data[i] = base + start;
    this.ends.data[i] = base + end;
    const sc = s ?? { trace: new KeyScanner(buf, TRACE_KEY), span: new KeyScanner(buf, SPAN_KEY), level: new KeyScanner(buf, LEVEL_KEY), time: new KeyScanner(buf, TIME_KEY) };
    let t = sc.trace.find(start, end);
    let hex = t >= 0 ? hexAt(buf, t, 32) : 0;
    if (hex) push(this.byTrace, hex === 2 ? buf.toString('latin1', t, t + 32) : buf.toString('latin1', t, t + 32).toLowerCase(), i);
    t = sc.span.find(start, end);
    hex = t >= 0 ? hexAt(buf, t, 16) : 0;
    if (hex) push(this.bySpan, hex === 2 ? buf.toString('latin1', t, t + 16) : buf.toString('latin1', t, t + 16).toLowerCase(), i);
    t = sc.level.find(start, end);
    this.levels.data[i] = t >= 0 ? (LEVEL_CODE[buf[t]!] ?? 0) : 0;
    t = sc.time.find(start, end);
    let known = t >= 0 && timeFromBytes(buf, t, end, this.parsedTime);
    if (!known && t >= 0) {
      const close = buf.indexOf(34, t);
      if (close > t && close < end && close - t <= 40) known = setTime(this.parsedTime, parseRfc3339Ns(buf.toString('latin1', t, close)));
    }
    if (!known) {
      // A stamp before the record or the text: `--timestamps`, a plain log's own.
      const c = buf[start];
      if (c !== undefined && c !== 123) known = setTime(this.parsedTime, splitPrefix(buf.toString('utf8', start, Math.min(end, start + 200))).timestampNs);
    }
    if (known) {
      this.lastMs = this.parsedTime[0]!;
      this.lastSubNs = this.parsedTime[1]!;
    }
    this.timeMs.data[i] = this.lastMs;
    this.timeSubNs.data[i] = this.lastSubNs;
  }

  private readonly parsedTime = new Float64Array(2);

  /** Line i's time, exact. */
  private timeOf(i: number): bigint {
    return i < 0 ? 0n : BigInt(this.timeMs.data[i]!) * 1_000_000n + BigInt(this.timeSubNs.data[i]!);
  }

  private line(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new LogRequestError(`line ${i} is out of range (${this.count} lines read so far)`);
  }

  /** Entries [from, to), clamped to what is indexed; at most MAX_ENTRIES. */
  async entries(from: number, to: number): Promise<LogEntry[]> {
    if (!this.fh) throw new LogRequestError('no log file is open');
    const a = Math.max(0, Math.floor(from));
    const b = Math.min(this.count, Math.floor(to), a + MAX_ENTRIES);
    if (b <= a) return [];
    return this.read(Array.from({ length: b - a }, (_, k) => a + k));
  }

  async entriesAt(lines: readonly number[]): Promise<LogEntry[]> {
    if (!this.fh) throw new LogRequestError('no log file is open');
    if (lines.length > MAX_ENTRIES) throw new LogRequestError(`at most ${MAX_ENTRIES} entries at once`);
    for (const i of lines) this.line(i);
    return this.read(lines);
  }

  /** Reads runs of consecutive lines in one read each. */
  private async read(lines: readonly number[]): Promise<LogEntry[]> {
    const fh = this.fh!;
    const gen = this.generation;
    const out: LogEntry[] = [];
    let k = 0;
    while (k < lines.length) {
      let j = k;
      while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1 && this.offsets.data[lines[j + 1]!]! - this.offsets.data[lines[k]!]! < SEARCH_CHUNK) j++;
      const start = this.offsets.data[lines[k]!]!;
      const end = this.ends.data[lines[j]!]!;
      const buf = Buffer.allocUnsafe(end - start);
      await fh.read(buf, 0, buf.length, start);
      if (gen !== this.generation) throw new LogCancelledError('another file was opened');
      for (let m = k; m <= j; m++) {
        const i = lines[m]!;
        const text = buf.toString('utf8', this.offsets.data[i]! - start, this.ends.data[i]! - start);
        const e = parseLogFileLine(text, i, this.timeOf(i - 1));
        out.push(e.timeInferred ? { ...e, timestampNs: this.timeOf(i) } : e);
      }
      k = j + 1;
    }
    return out;
  }

  /** Lines holding `text` (case-insensitive), from line `from`; a newer search stops this one. */
  async search(text: string, from = 0, limit = 10_000): Promise<LineHits> {
    if (!this.fh) throw new LogRequestError('no log file is open');
    if (!text) throw new LogRequestError('search needs text');
    const gen = ++this.searchGeneration;
    const fileGen = this.generation;
    const needle = text.toLowerCase();
    // ASCII text is found in the bytes read as latin1: one char per byte, so positions are offsets.
    const ascii = /^[\x20-\x7e]*$/.test(needle);
    const max = Math.min(Math.max(1, limit), MAX_HITS);
    const hits: number[] = [];
    let i = Math.max(0, Math.floor(from));
    let stopped = false;
    while (i < this.count && !stopped) {
      // A batch of whole lines.
      let j = i;
      const start = this.offsets.data[i]!;
      while (j < this.count && this.ends.data[j]! - start < SEARCH_CHUNK) j++;
      if (j === i) j = i + 1;
      const end = this.ends.data[j - 1]!;
      const buf = Buffer.allocUnsafe(end - start);
      await this.fh!.read(buf, 0, buf.length, start);
      if (gen !== this.searchGeneration || fileGen !== this.generation) throw new LogCancelledError('a newer search replaced this one');
      if (ascii) {
        const hay = buf.toString('latin1').toLowerCase();
        let line = i;
        for (let p = hay.indexOf(needle); p >= 0; ) {
          while (line + 1 < j && this.offsets.data[line + 1]! - start <= p) line++;
          if (p + needle.length <= this.ends.data[line]! - start) {
            hits.push(line);
            if (hits.length >= max) {
              stopped = true;
              break;
            }
          }
          // Next match after this line (each line counts once).
          const next = line + 1 < j ? this.offsets.data[line + 1]! - start : hay.length;
          p = hay.indexOf(needle, Math.max(p + 1, next));
        }
      } else {
        for (let line = i; line < j; line++) {
          if (buf.toString('utf8', this.offsets.data[line]! - start, this.ends.data[line]! - start).toLowerCase().includes(needle)) {
            hits.push(line);
            if (hits.length >= max) {
              stopped = true;
              break;
            }
          }
        }
      }
      i = stopped ? hits[hits.length - 1]! + 1 : j;
      // Let other requests (entries for the view) in between batches.
      await new Promise<void>((r) => setImmediate(r));
    }
    return { lines: Uint32Array.from(hits), complete: !stopped && this.done, scanned: i - Math.max(0, Math.floor(from)) };
  }

  entriesOf(ids: { traceId?: string; spanId?: string }): LineHits {
    if (!this.fh) throw new LogRequestError('no log file is open');
    const t = ids.traceId ? this.byTrace.get(ids.traceId.toLowerCase()) ?? [] : undefined;
    const s = ids.spanId ? this.bySpan.get(ids.spanId.toLowerCase()) ?? [] : undefined;
    if (!t && !s) throw new LogRequestError('entriesOf needs a trace id or a span id');
    let lines: number[];
    if (t && s) {
      const inTrace = new Set(t);
      lines = s.filter((l) => inTrace.has(l));
    } else lines = (t ?? s)!;
    return { lines: Uint32Array.from(lines), complete: this.done, scanned: this.count };
  }

  /** The level code of each indexed line (0 unknown, else an index of LEVELS), e.g. for an overview strip. */
  levelOf(i: number): (typeof LEVELS)[number] {
    this.line(i);
    return LEVELS[this.levels.data[i]!];
  }
}

function push(map: Map<string, number[]>, key: string, line: number): void {
  const list = map.get(key);
  if (list) list.push(line);
  else map.set(key, [line]);
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function kindOf(err: unknown): LogWorkerErrorKind {
  if (err instanceof LogReadError) return 'io';
  if (err instanceof LogRequestError) return 'request';
  if (err instanceof LogCancelledError) return 'cancelled';
  if ((err as NodeJS.ErrnoException)?.code) return 'io';
  return 'internal';
}

const ID = /^[0-9a-fA-F]+$/;

/**
 * Answers requests as they come (reads interleave; a search yields between batches so the view's
 * entry requests are not stuck behind it). Never rejects: a failure becomes an error reply for
 * the request's id; a message without a usable id is ignored.
 */
export class LogWorkerHandler {
  readonly store: LogFileStore;

  constructor(emit: (e: LogProgressEvent) => void = () => {}) {
    this.store = new LogFileStore(emit);
  }

  async handle(raw: unknown): Promise<{ reply: LogWorkerReply; transfer: ArrayBuffer[] } | null> {
    if (typeof raw !== 'object' || raw === null) return null;
    const m = raw as Record<string, unknown>;
    if (!isIndex(m.id)) return null;
    const id = m.id;
    const ok = (result: unknown, transfer: ArrayBuffer[] = []) => ({ reply: { id, ok: true, result } as LogWorkerReply, transfer });
    try {
      switch (m.type) {
        case 'open':
          if (typeof m.path !== 'string' || !m.path) throw new LogRequestError('open needs a file path');
          return ok(await this.store.open(m.path, isIndex(m.first) ? Math.min(m.first, MAX_ENTRIES) : undefined));
        case 'entries':
          if (!isIndex(m.from) || !isIndex(m.to)) throw new LogRequestError('entries needs from and to');
          return ok(await this.store.entries(m.from, m.to));
        case 'entriesAt':
          if (!Array.isArray(m.lines) || !m.lines.every(isIndex)) throw new LogRequestError('entriesAt needs line indices');
          return ok(await this.store.entriesAt(m.lines as number[]));
        case 'search': {
          if (typeof m.text !== 'string' || m.text.length > 1000) throw new LogRequestError('search needs text (at most 1000 characters)');
          const r = await this.store.search(m.text, isIndex(m.from) ? m.from : 0, isIndex(m.limit) ? m.limit : undefined);
          return ok(r, [r.lines.buffer as ArrayBuffer]);
        }
        case 'entriesOf': {
          const traceId = typeof m.traceId === 'string' && m.traceId.length === 32 && ID.test(m.traceId) ? m.traceId : undefined;
          const spanId = typeof m.spanId === 'string' && m.spanId.length === 16 && ID.test(m.spanId) ? m.spanId : undefined;
          if ((m.traceId !== undefined && !traceId) || (m.spanId !== undefined && !spanId)) throw new LogRequestError('entriesOf takes a 32-hex trace id and/or a 16-hex span id');
          const r = this.store.entriesOf({ ...(traceId ? { traceId } : {}), ...(spanId ? { spanId } : {}) });
          return ok(r, [r.lines.buffer as ArrayBuffer]);
        }
        default:
          throw new LogRequestError(`unknown request ${JSON.stringify(String(m.type)).slice(0, 40)}`);
      }
    } catch (err) {
      return { reply: { id, ok: false, kind: kindOf(err), error: err instanceof Error ? err.message : String(err) }, transfer: [] };
    }
  }
}
