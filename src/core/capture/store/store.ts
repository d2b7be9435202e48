/**
 * The local capture's embedded store: spans and OTLP log records in interned, columnar tables
 * (spans.ts, logs.ts) under limits on spans, records and bytes. Past a limit the oldest data
 * leaves first — whole traces, so no trace is ever half kept — and what left is counted.
 */
import type { LogRecord, LogSink } from '../../model/logs';
import type { Span, SpanSink } from '../../model/trace';
import { AttrCodec } from './attrs';
import { LogTable } from './logs';
import { SpanTable, type TraceRec } from './spans';
import { StringPool } from './strings';

export interface StoreLimits {
  readonly maxSpans: number;
  readonly maxLogRecords: number;
  /** Estimated bytes held by both tables together. */
  readonly maxBytes: number;
}

export const DEFAULT_LIMITS: StoreLimits = { maxSpans: 1_000_000, maxLogRecords: 1_000_000, maxBytes: 512 * 1024 * 1024 };

export interface StoreCounts {
  readonly traces: number;
  readonly spans: number;
  readonly logRecords: number;
  readonly bytes: number;
  readonly received: { readonly spans: number; readonly logRecords: number };
  readonly rejected: { readonly spans: number; readonly logRecords: number };
  readonly evicted: { readonly traces: number; readonly spans: number; readonly logRecords: number };
}

/** What a batch ingest did, for the receiver's answer. */
export interface IngestResult {
  readonly accepted: number;
  readonly rejected: number;
  /** The first rejected item's problem, for the partial-success message. */
  readonly firstProblem?: string;
  /** Traces this batch added or changed, for live views. */
  readonly traceIds: readonly string[];
}

export class CaptureStore {
  readonly pool = new StringPool();
  readonly codec = new AttrCodec(this.pool);
  readonly spans = new SpanTable(this.pool, this.codec);
  readonly logs = new LogTable(this.pool, this.codec, this.spans.catalog);
  private arrival = 0;
  private received = { spans: 0, logRecords: 0 };
  private rejected = { spans: 0, logRecords: 0 };
  private evicted = { traces: 0, spans: 0, logRecords: 0 };
  private bytesCache = 0;
  private bytesStale = true;

  constructor(private limits: StoreLimits = DEFAULT_LIMITS) {}

  setLimits(limits: StoreLimits): void {
    this.limits = limits;
    this.enforce();
  }

  /**
   * Runs `decode` against a sink that stores every span it yields and counts the ones it
   * rejects; then applies the limits. A decode that throws stores nothing of its batch.
   */
  ingestSpans(decode: (sink: SpanSink) => void): IngestResult {
    const batch: Span[] = [];
    let rejected = 0;
    let firstProblem: string | undefined;
    decode({
      add: (s) => void batch.push(s),
      noteClamped: () => undefined,
      noteNoEnd: () => undefined,
      noteNumber: () => undefined,
      warn: () => undefined,
      reject: (where, problem) => {
        rejected++;
        firstProblem ??= `${where}: ${problem}`;
      },
    });
    const arrival = ++this.arrival;
    const changed = new Set<string>();
    let last = '';
    for (const s of batch) {
      this.spans.add(s, arrival);
      if (s.traceId !== last) changed.add((last = s.traceId));
    }
    this.received.spans += batch.length;
    this.rejected.spans += rejected;
    this.bytesStale = true;
    this.enforce();
    return { accepted: batch.length, rejected, firstProblem, traceIds: [...changed] };
  }

  ingestLogs(decode: (sink: LogSink) => void): IngestResult {
    const batch: LogRecord[] = [];
    let rejected = 0;
    let firstProblem: string | undefined;
    decode({
      add: (r) => void batch.push(r),
      reject: (where, problem) => {
        rejected++;
        firstProblem ??= `${where}: ${problem}`;
      },
    });
    const arrival = ++this.arrival;
    for (const r of batch) this.logs.add(r, arrival);
    this.received.logRecords += batch.length;
    this.rejected.logRecords += rejected;
    this.bytesStale = true;
    this.enforce();
    return { accepted: batch.length, rejected, firstProblem, traceIds: [] };
  }

  /** Evicts oldest-first until every limit holds. */
  private enforce(): void {
    const { maxSpans, maxLogRecords, maxBytes } = this.limits;
    let evictedAny = false;
    while (this.spans.liveSpans > maxSpans) evictedAny = this.evictTrace() || evictedAny;
    while (this.logs.live > maxLogRecords) evictedAny = this.evictLog() || evictedAny;
    if (this.bytes() > maxBytes) {
      // Bytes are estimated per table; evict in rounds so the estimate is not recomputed per trace.
      while (this.bytes() > maxBytes && (this.spans.liveSpans > 0 || this.logs.live > 0)) {
        const target = this.bytes() - maxBytes;
        const perSpan = this.spans.liveSpans ? this.spans.bytes() / this.spans.liveSpans : 0;
        const perLog = this.logs.live ? this.logs.bytes() / this.logs.live : 0;
        let freed = 0;
        while (freed < target) {
          const t = this.spans.oldest();
          const logArrival = this.logs.oldestArrival();
          if (t && t.arrival <= logArrival) {
            freed += t.rows.length * perSpan;
            this.evictTrace();
          } else if (logArrival !== Infinity) {
            freed += perLog;
            this.evictLog();
          } else break;
        }
        evictedAny = true;
        this.spans.trimPostings();
        this.bytesStale = true;
      }
    }
    if (evictedAny) {
      this.spans.trimPostings();
      this.bytesStale = true;
    }
  }

  private evictTrace(): boolean {
    const n = this.spans.evictOldest();
    if (n === 0) return false;
    this.evicted.traces++;
    this.evicted.spans += n;
    return true;
  }

  private evictLog(): boolean {
    if (!this.logs.evictOldest()) return false;
    this.evicted.logRecords++;
    return true;
  }

  /** Estimated bytes held (columns, arenas, strings, indexes). */
  bytes(): number {
    if (this.bytesStale) {
      this.bytesCache = this.spans.bytes() + this.logs.bytes() + this.pool.bytes() + this.codec.bytes();
      this.bytesStale = false;
    }
    return this.bytesCache;
  }

  counts(): StoreCounts {
    return {
      traces: this.spans.traceCount,
      spans: this.spans.liveSpans,
      logRecords: this.logs.live,
      bytes: this.bytes(),
      received: { ...this.received },
      rejected: { ...this.rejected },
      evicted: { ...this.evicted },
    };
  }

  trace(traceIdHex: string): TraceRec | undefined {
    return this.spans.traces.get(traceIdHex);
  }

  /** Everything goes (Clear in the Captures view); the counters start again. */
  clear(): void {
    while (this.spans.evictOldest() > 0);
    while (this.logs.evictOldest());
    this.spans.trimPostings();
    this.received = { spans: 0, logRecords: 0 };
    this.rejected = { spans: 0, logRecords: 0 };
    this.evicted = { traces: 0, spans: 0, logRecords: 0 };
    this.bytesStale = true;
  }
}
