/**
 * Resources and scopes of the capture store, each kept once however many spans and log records
 * share it (an OTLP batch sends one resource for all its spans), with a reference count and the
 * traces that use it (for `resource.*` searches).
 */
import type { Attribute, Resource, Scope } from '../../model/trace';
import { AttrCodec, Words } from './attrs';

export interface ResourceRec {
  readonly key: string;
  readonly words: Uint32Array;
  readonly count: number;
  /** String id of service.name (or unknown_service). */
  readonly service: number;
  refs: number;
  /** Trace sequence numbers using it, ascending, stale at the front after evictions. */
  readonly postings: number[];
  /** The model object, rebuilt once and shared by every span read back. */
  model?: Resource;
}

export interface ScopeRec {
  readonly key: string;
  readonly name: number;
  readonly version: number;
  readonly words: Uint32Array;
  readonly count: number;
  refs: number;
  model?: Scope;
}

function attrKey(list: readonly Attribute[]): string {
  return JSON.stringify(list.map((a) => [a.key, a.value, a.type ?? '']));
}

export class Catalog {
  readonly resources: (ResourceRec | undefined)[] = [undefined];
  readonly scopes: (ScopeRec | undefined)[] = [undefined];
  private readonly resIds = new Map<string, number>();
  private readonly scopeIds = new Map<string, number>();
  private readonly freeRes: number[] = [];
  private readonly freeScopes: number[] = [];
  /** Per decoded model object: the same Resource is shared by all spans of one OTLP batch. */
  private lastRes?: Resource;
  private lastResId = 0;
  private lastScope?: Scope;
  private lastScopeId = 0;

  constructor(private readonly codec: AttrCodec) {}

  /** The id of `r`, with one more reference; `traceSeq` ≥ 0 records that trace in its postings. */
  resource(r: Resource, traceSeq: number): number {
    let id: number;
    if (r === this.lastRes && this.resources[this.lastResId]) id = this.lastResId;
    else {
      const key = `${r.serviceName}\u0000${attrKey(r.attributes)}`;
      id = this.resIds.get(key) ?? 0;
      if (id === 0) {
        const w = new Words(Math.max(4, r.attributes.length * 2));
        this.codec.encode(r.attributes, w, -1);
        w.trim();
        id = this.freeRes.pop() ?? this.resources.length;
        this.resources[id] = { key, words: w.data, count: r.attributes.length, service: this.codec.pool.intern(r.serviceName), refs: 0, postings: [] };
        this.resIds.set(key, id);
      }
      this.lastRes = r;
      this.lastResId = id;
    }
    const rec = this.resources[id]!;
    rec.refs++;
    if (traceSeq >= 0 && rec.postings[rec.postings.length - 1] !== traceSeq) rec.postings.push(traceSeq);
    return id;
  }

  scope(s: Scope): number {
    let id: number;
    if (s === this.lastScope && this.scopes[this.lastScopeId]) id = this.lastScopeId;
    else {
      const key = `${s.name}\u0000${s.version ?? ''}\u0000${attrKey(s.attributes)}`;
      id = this.scopeIds.get(key) ?? 0;
      if (id === 0) {
        const w = new Words(Math.max(4, s.attributes.length * 2));
        this.codec.encode(s.attributes, w, -1);
        w.trim();
        const pool = this.codec.pool;
        id = this.freeScopes.pop() ?? this.scopes.length;
        this.scopes[id] = { key, name: pool.intern(s.name), version: pool.intern(s.version ?? ''), words: w.data, count: s.attributes.length, refs: 0 };
        this.scopeIds.set(key, id);
      }
      this.lastScope = s;
      this.lastScopeId = id;
    }
    this.scopes[id]!.refs++;
    return id;
  }

  releaseResource(id: number): void {
    const rec = this.resources[id];
    if (!rec || --rec.refs > 0) return;
    this.codec.release(rec.words, 0, rec.count);
    this.codec.pool.release(rec.service);
    this.resIds.delete(rec.key);
    this.resources[id] = undefined;
    this.freeRes.push(id);
    if (this.lastResId === id) this.lastRes = undefined;
  }

  releaseScope(id: number): void {
    const rec = this.scopes[id];
    if (!rec || --rec.refs > 0) return;
    this.codec.release(rec.words, 0, rec.count);
    this.codec.pool.release(rec.name);
    this.codec.pool.release(rec.version);
    this.scopeIds.delete(rec.key);
    this.scopes[id] = undefined;
    this.freeScopes.push(id);
    if (this.lastScopeId === id) this.lastScope = undefined;
  }

  resourceModel(id: number): Resource {
    const rec = this.resources[id]!;
    return (rec.model ??= { serviceName: this.codec.pool.get(rec.service), attributes: this.codec.decode(rec.words, 0, rec.count) });
  }

  scopeModel(id: number): Scope {
    const rec = this.scopes[id]!;
    const pool = this.codec.pool;
    return (rec.model ??= { name: pool.get(rec.name), version: pool.get(rec.version) || undefined, attributes: this.codec.decode(rec.words, 0, rec.count) });
  }

  /** Drops the trace sequence numbers below `minSeq` from the postings. */
  trimPostings(minSeq: number): void {
    for (const r of this.resources) {
      if (!r || !r.postings.length || r.postings[0]! >= minSeq) continue;
      let k = 0;
      while (k < r.postings.length && r.postings[k]! < minSeq) k++;
      r.postings.splice(0, k);
    }
  }

  bytes(): number {
    let n = 0;
    for (const r of this.resources) if (r) n += 200 + r.key.length * 2 + r.words.byteLength + r.postings.length * 8;
    for (const s of this.scopes) if (s) n += 150 + s.key.length * 2 + s.words.byteLength;
    return n;
  }
}
