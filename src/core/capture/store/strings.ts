/**
 * Interned strings with reference counts: the capture store keeps every name, attribute key and
 * string value once, its columns hold 32-bit ids, and a string no stored span or record uses any
 * more is dropped (a request id lives as long as its trace). Id 0 is the empty string and is
 * never freed, so "no value" needs no extra column.
 */
import { grown } from '../../arrays/grown';

export class StringPool {
  private readonly ids = new Map<string, number>();
  private strs: (string | undefined)[] = [''];
  private refs = new Uint32Array(1024);
  private readonly free: number[] = [];
  /** UTF-16 code units held, for the store's byte estimate. */
  chars = 0;

  constructor() {
    this.ids.set('', 0);
    this.refs[0] = 1;
  }

  get size(): number {
    return this.ids.size;
  }

  /** The id of `s`, adding a reference. */
  intern(s: string): number {
    let id = this.ids.get(s);
    if (id !== undefined) {
      if (id !== 0) this.refs[id]!++;
      return id;
    }
    id = this.free.pop() ?? this.strs.length;
    if (id === this.strs.length) this.strs.push(s);
    else this.strs[id] = s;
    if (id >= this.refs.length) this.refs = grown(this.refs, id + 1);
    this.refs[id] = 1;
    this.ids.set(s, id);
    this.chars += s.length;
    return id;
  }

  /** One more reference to an id already held. */
  retain(id: number): void {
    if (id !== 0) this.refs[id]!++;
  }

  release(id: number): void {
    if (id === 0) return;
    const r = --this.refs[id]!;
    if (r > 0) return;
    const s = this.strs[id]!;
    this.ids.delete(s);
    this.strs[id] = undefined;
    this.chars -= s.length;
    this.free.push(id);
  }

  /** The id of `s` if held, without adding a reference (queries). */
  find(s: string): number | undefined {
    return this.ids.get(s);
  }

  get(id: number): string {
    return this.strs[id] ?? '';
  }

  /** Estimated bytes held: the strings, the map entry and the id slot per string. */
  bytes(): number {
    return this.chars * 2 + this.ids.size * 48 + this.refs.byteLength;
  }
}
