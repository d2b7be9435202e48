/**
 * Tempo over HTTP. Trace by id asks v2 first and falls back to v1 when the
 * v2 route is missing (404); v2's empty 200 and v1's empty 404 both mean "not found"; PARTIAL is
 * surfaced. With `protobuf` it asks for `application/protobuf` and decodes by the response's
 * content type, so a server (or proxy) that answers JSON still works; a 406 or an undecodable
 * protobuf body is retried once as JSON. Search ids come back padded to 32 hex.
 */
import { BadResponseError, TraceNotFoundError } from '../errors';
import { TraceFormatError } from '../../model/errors';
import { FieldError } from '../../formats/common';
import { decodeTraceBody, PROTOBUF_CONTENT_TYPE, startsLikeJson } from '../../formats/traceBody';
import { traceIdToHex } from '../../model/ids';
import { countOf } from '../../text/plural';
import type { Trace } from '../../model/trace';
import type { TraceSearchResult } from '../../model/traceSearch';
import type { HttpClient, QueryValue } from '../http';
import { probeHealth } from '../health';
import { asBuildInfo, readyState } from '../decode';
import { decodeSearch, decodeTagNamesV1, decodeTagScopes, decodeTagValuesV1, decodeTagValuesV2, type TagScope, type TagValue } from './decode';

import type { BackendHealth, BuildInfo, CallOptions, ReadyState, TimeRange } from '../types';

export type { TagScope, TagValue } from '../../model/traceSearch';

export interface TempoClientOptions {
  /** Ask for protobuf (about half the bytes of JSON); JSON stays the fallback. */
  readonly protobuf?: boolean;
}

export interface TraceFetch {
  readonly trace: Trace;
  /** Tempo returned only part of the trace (size limit or a `q` filter). */
  readonly partial: boolean;
  readonly message?: string;
  readonly warnings: readonly string[];
  readonly api: 'v2' | 'v1';
  readonly encoding: 'protobuf' | 'json';
  /** Response body size after decompression. */
  readonly bytes: number;
}

/** A trace-by-id answer before decoding. */
export interface TraceBody {
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly api: 'v1' | 'v2';
  readonly url: string;
}

export interface TraceSearchOptions extends CallOptions {
  /** TraceQL; `{}` matches everything. */
  readonly query: string;
  readonly range?: TimeRange;
  readonly limit?: number;
  /** Spans per spanset (Tempo's default 3, max 100). */
  readonly spss?: number;
  readonly minDurationMs?: number;
  readonly maxDurationMs?: number;
}

export class TempoClient {
  /**
   * Learnt per route family from a 404 on a v2 route: an older Tempo without it. Tempo gained the
   * v2 tag routes before /api/v2/traces, so one missing family says nothing about the other.
   */
  private v2Traces = true;
  private v2Tags = true;

  constructor(
    readonly http: HttpClient,
    private readonly options: TempoClientOptions = {},
  ) {}

  get url(): string {
    return this.http.displayUrl;
  }

  async trace(id: string, opts: CallOptions & { readonly range?: TimeRange } = {}): Promise<TraceFetch> {
    const got = await this.traceWith(id, opts, (b) => {
      const { parsed, encoding } = decodeTraceBody(b.body, { contentType: b.contentType, api: b.api });
      return { parsed, encoding, traceCount: parsed.traces.length };
    });
    const { parsed, encoding } = got.decoded;
    // Tempo answers one trace, but a body can carry spans of others: the one asked for is the answer.
    const hex = traceIdToHex(id.trim());
    const asked = parsed.traces.find((t) => t.traceId === hex);
    const trace = asked ?? parsed.traces[0]!;
    const others = parsed.traces.length - 1;
    const extra = !asked
      ? [`Tempo's answer holds no span of trace ${hex ?? id.trim()}; trace ${trace.traceId} is shown instead`]
      : others > 0
        ? [`Tempo's answer also held spans of ${countOf(others, 'other trace', 'other traces')}; only ${trace.traceId} is shown`]
        : [];
    return {
      trace,
      partial: parsed.partial !== undefined,
      message: parsed.partial?.message,
      warnings: [...got.warnings, ...parsed.warnings, ...extra],
      api: got.api,
      encoding,
      bytes: got.bytes,
    };
  }

  /**
   * Trace by id with the decoding left to `decode` (the panels decode in a worker thread, the CLI
   * in place). Throws TraceNotFoundError when the answer holds no trace; a protobuf body that
   * `decode` rejects with a TraceFormatError is fetched again as JSON.
   */
  async traceWith<T extends { readonly traceCount: number }>(
    id: string,
    opts: CallOptions & { readonly range?: TimeRange },
    decode: (body: TraceBody) => T | Promise<T>,
  ): Promise<{ readonly decoded: T; readonly api: 'v1' | 'v2'; readonly bytes: number; readonly warnings: readonly string[] }> {
    const trimmed = id.trim();
    // Unrecognised ids go to the server as typed, so its own message ("trace IDs can only contain
    // hex characters …") reaches the user.
    const hex = traceIdToHex(trimmed) ?? trimmed;
    const query = opts.range ? secondsRange(opts.range) : undefined;
    const searched = describeSearch(opts.range, this.http.tenant);
    const attempt = async (path: string, api: 'v1' | 'v2') => {
      const got = await this.fetchTrace(path, api, query, opts.signal, decode);
      if (got !== 'missing' && got.decoded.traceCount === 0) throw new TraceNotFoundError('Tempo', this.url, hex, searched);
      return got;
    };
    if (this.v2Traces) {
      const got = await attempt(`/api/v2/traces/${encodeURIComponent(hex)}`, 'v2');
      if (got !== 'missing') return got;
    }
    const got = await attempt(`/api/traces/${encodeURIComponent(hex)}`, 'v1');
    if (got === 'missing') throw new TraceNotFoundError('Tempo', this.url, hex, searched);
    return got;
  }

  async search(opts: TraceSearchOptions): Promise<TraceSearchResult> {
    const query: Record<string, QueryValue> = {
      q: opts.query,
      limit: opts.limit,
      spss: opts.spss,
      minDuration: opts.minDurationMs === undefined ? undefined : `${opts.minDurationMs}ms`,
      maxDuration: opts.maxDurationMs === undefined ? undefined : `${opts.maxDurationMs}ms`,
      ...(opts.range ? secondsRange(opts.range) : {}),
    };
    const { value } = await this.http.json('/api/search', { query, signal: opts.signal });
    return this.decode(() => decodeSearch(value));
  }

  async tagNames(opts: CallOptions & { scope?: string; range?: TimeRange; query?: string } = {}): Promise<TagScope[]> {
    const range = opts.range ? secondsRange(opts.range) : {};
    if (this.v2Tags) {
      const res = await this.http.request('/api/v2/search/tags', {
        query: { scope: opts.scope, q: opts.query, ...range },
        headers: { accept: 'application/json' },
        allowStatus: [404],
        signal: opts.signal,
      });
      if (res.status !== 404) {
        const v = this.http.parseJson(res);
        return this.decode(() => decodeTagScopes(v));
      }
      this.v2Tags = false;
    }
    const { value } = await this.http.json('/api/search/tags', { query: { scope: opts.scope, ...range }, signal: opts.signal });
    return this.decode(() => decodeTagNamesV1(value));
  }

  /** `tag` is a TraceQL identifier (`resource.service.name`, `.http.method`, `status`). */
  async tagValues(tag: string, opts: CallOptions & { range?: TimeRange; query?: string } = {}): Promise<TagValue[]> {
    const range = opts.range ? secondsRange(opts.range) : {};
    if (this.v2Tags) {
      const res = await this.http.request(`/api/v2/search/tag/${encodeURIComponent(tag)}/values`, {
        query: { q: opts.query, ...range },
        headers: { accept: 'application/json' },
        allowStatus: [404],
        signal: opts.signal,
      });
      if (res.status !== 404) {
        const v = this.http.parseJson(res);
        return this.decode(() => decodeTagValuesV2(v));
      }
      this.v2Tags = false;
    }
    // v1 takes the bare attribute name.
    const bare = tag.replace(/^(resource|span|event|link)?\./, '');
    const { value } = await this.http.json(`/api/search/tag/${encodeURIComponent(bare)}/values`, { query: range, signal: opts.signal });
    return this.decode(() => decodeTagValuesV1(value));
  }

  async buildInfo(opts: CallOptions = {}): Promise<BuildInfo> {
    const { value } = await this.http.json('/api/status/buildinfo', { signal: opts.signal });
    return this.decode(() => asBuildInfo(value, ''));
  }

  async ready(opts: CallOptions = {}): Promise<ReadyState> {
    return readyState(await this.http.request('/ready', { signal: opts.signal, allowStatus: [503] }));
  }

  health(opts: CallOptions = {}): Promise<BackendHealth> {
    return probeHealth('tempo', this.url, 'Tempo', {
      buildInfo: () => this.buildInfo(opts),
      ready: () => this.ready(opts),
      // Query paths need the tenant when multi-tenancy is on; /ready and buildinfo don't.
      authProbe: () => this.tagNames({ ...opts, scope: 'intrinsic' }),
    });
  }

  /** 'missing' = a 404: the route (v2 with a body), a hidden trace (v2, empty) or the trace (v1). */
  private async fetchTrace<T>(
    path: string,
    api: 'v1' | 'v2',
    query: Record<string, QueryValue> | undefined,
    signal: AbortSignal | undefined,
    decode: (body: TraceBody) => T | Promise<T>,
  ): Promise<'missing' | { decoded: T; api: 'v1' | 'v2'; bytes: number; warnings: string[] }> {
    const warnings: string[] = [];
    let proto = this.options.protobuf ?? false;
    for (;;) {
      const res = await this.http.request(path, {
        query,
        headers: { accept: proto ? 'application/protobuf' : 'application/json' },
        allowStatus: proto ? [404, 406] : [404],
        signal,
      });
      if (res.status === 404) {
        // A missing route answers with the router's text ("404 page not found"); an empty 404
        // is a trace an access policy hides, so v2 stays in use.
        if (api === 'v2' && res.body.length > 0) this.v2Traces = false;
        return 'missing';
      }
      if (res.status === 406) {
        proto = false;
        warnings.push('Tempo does not serve protobuf here (HTTP 406); fetched JSON instead');
        continue;
      }
      // A proxy's HTML page or a login form is not a trace in a format we misread: say what it is.
      if (!PROTOBUF_CONTENT_TYPE.test(res.contentType) && !startsLikeJson(res.body)) throw this.http.notJson(res);
      try {
        const decoded = await decode({ body: res.body, contentType: res.contentType, api, url: res.url });
        return { decoded, api, bytes: res.body.length, warnings };
      } catch (err) {
        if (err instanceof TraceFormatError && proto && PROTOBUF_CONTENT_TYPE.test(res.contentType)) {
          proto = false;
          warnings.push(`the protobuf response could not be decoded (${err.message}); fetched JSON instead`);
          continue;
        }
        if (err instanceof TraceFormatError) throw new BadResponseError('Tempo', res.url, err.message);
        throw err;
      }
    }
  }

  private decode<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TraceFormatError) throw new BadResponseError('Tempo', this.url, err.message);
      if (err instanceof FieldError) throw new BadResponseError('Tempo', this.url, err.problem);
      throw err;
    }
  }
}

/** Tempo takes whole seconds; the end is rounded up and kept after the start. */
function secondsRange(range: TimeRange): { start: number; end: number } {
  const start = Math.floor(range.startMs / 1000);
  return { start, end: Math.max(start + 1, Math.ceil(range.endMs / 1000)) };
}

function describeSearch(range: TimeRange | undefined, tenant: string | undefined): string {
  const when = range
    ? `searched ${new Date(range.startMs).toISOString()} to ${new Date(range.endMs).toISOString()}`
    : 'searched all retained data';
  return tenant ? `${when}, tenant "${tenant}"` : when;
}

/** Tempo's `/api/search` JSON → the model (the bench times it). */
export { decodeSearch } from './decode';

