import type * as vscode from 'vscode';

/** A time range as the user chose it: relative (`since`, e.g. `1h`) or two typed times. */
export type RangeSpec = { readonly since: string } | { readonly start: string; readonly end: string };

export interface SearchSpec {
  readonly query: string;
  readonly range: RangeSpec;
}

export interface RecentSearch extends SearchSpec {
  /** Unix ms of the last run. */
  readonly at: number;
}

export interface SavedSearch extends SearchSpec {
  readonly name: string;
}

const RECENT_KEY = 'spanlens.search.recent';
const SAVED_KEY = 'spanlens.search.saved';
const RANGE_KEY = 'spanlens.search.range';
const MAX_RECENT = 20;
export const DEFAULT_RANGE: RangeSpec = { since: '1h' };

/**
 * Recent and saved searches in the workspace's state (saved ones are per workspace, as the issue
 * asks), read defensively: the stored shape may come from another version.
 */
export class SearchStore {
  constructor(private readonly memento: vscode.Memento) {}

  recent(): RecentSearch[] {
    return list(this.memento.get<unknown>(RECENT_KEY)).filter((x): x is RecentSearch => isSpec(x) && typeof (x as { at?: unknown }).at === 'number');
  }

  saved(): SavedSearch[] {
    return list(this.memento.get<unknown>(SAVED_KEY)).filter((x): x is SavedSearch => isSpec(x) && typeof (x as { name?: unknown }).name === 'string');
  }

  lastRange(): RangeSpec {
    const r = this.memento.get<unknown>(RANGE_KEY);
    return isRange(r) ? r : DEFAULT_RANGE;
  }

  async setLastRange(range: RangeSpec): Promise<void> {
    await this.memento.update(RANGE_KEY, range);
  }

  /** Newest first; the same query and range run again moves to the top. */
  async addRecent(spec: SearchSpec, at = Date.now()): Promise<void> {
    const rest = this.recent().filter((r) => !sameSpec(r, spec));
    await this.memento.update(RECENT_KEY, [{ query: spec.query, range: spec.range, at }, ...rest].slice(0, MAX_RECENT));
  }

  async clearRecent(): Promise<void> {
    await this.memento.update(RECENT_KEY, []);
  }

  /** A name already used is replaced. */
  async save(name: string, spec: SearchSpec): Promise<void> {
    const rest = this.saved().filter((s) => s.name !== name);
    await this.memento.update(SAVED_KEY, [...rest, { name, query: spec.query, range: spec.range }].sort((a, b) => a.name.localeCompare(b.name)));
  }

  async rename(from: string, to: string): Promise<void> {
    const all = this.saved();
    const hit = all.find((s) => s.name === from);
    if (!hit) return;
    await this.memento.update(
      SAVED_KEY,
      [...all.filter((s) => s.name !== from && s.name !== to), { ...hit, name: to }].sort((a, b) => a.name.localeCompare(b.name)),
    );
  }

  async remove(name: string): Promise<void> {
    await this.memento.update(
      SAVED_KEY,
      this.saved().filter((s) => s.name !== name),
    );
  }
}

export function sameSpec(a: SearchSpec, b: SearchSpec): boolean {
  return a.query === b.query && JSON.stringify(a.range) === JSON.stringify(b.range);
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function isRange(v: unknown): v is RangeSpec {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.since === 'string' || (typeof r.start === 'string' && typeof r.end === 'string');
}

function isSpec(v: unknown): v is SearchSpec {
  return typeof v === 'object' && v !== null && typeof (v as { query?: unknown }).query === 'string' && isRange((v as { range?: unknown }).range);
}
