/** Results of a trace search (Tempo `/api/search`), ids already in the model's spelling. */
import type { Attribute } from './trace';

export interface MatchedSpan {
  /** 16 lowercase hex. */
  readonly spanId: string;
  readonly name?: string;
  readonly start: bigint;
  readonly durationNs: bigint;
  readonly attributes: readonly Attribute[];
}

export interface SpanSet {
  readonly spans: readonly MatchedSpan[];
  /** How many spans matched (may exceed `spans.length`, which is capped by spss). */
  readonly matched: number;
  readonly attributes: readonly Attribute[];
}

export interface TraceSummary {
  /** 32 lowercase hex (Tempo strips leading zeros; they are put back). */
  readonly traceId: string;
  readonly rootServiceName: string;
  /** Absent when the server does not know the root span's name. */
  readonly rootTraceName?: string;
  /** True when Tempo says `<root span not yet received>`. */
  readonly rootMissing: boolean;
  readonly start: bigint;
  /** 0 for traces under 1 ms (Tempo omits the field). */
  readonly durationMs: number;
  readonly spanSets: readonly SpanSet[];
  readonly serviceStats: Readonly<Record<string, { readonly spanCount: number; readonly errorCount: number }>>;
}

export interface TraceSearchResult {
  readonly traces: readonly TraceSummary[];
  /** Server-side counters as sent (numbers or decimal strings), for display. */
  readonly metrics: Readonly<Record<string, unknown>>;
}

/** Tag names of one scope, from Tempo's tag endpoints. */
export interface TagScope {
  /** `resource`, `span`, `intrinsic`, … or `unscoped` from the v1 API. */
  readonly name: string;
  readonly tags: readonly string[];
}

/** One value of a tag, from Tempo's tag-values endpoints. */
export interface TagValue {
  /** string, int, float, bool, duration or keyword (v1 values are all strings). */
  readonly type: string;
  readonly value: string;
}
