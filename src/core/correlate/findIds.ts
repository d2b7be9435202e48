/**
 * Ids worth a link in a line of text (a log file, JSON, a terminal): values of id keys
 * (`"x_request_id":"…"`, `request_id=…`, `x-request-id: …`, `"trace_id":"…"`), and, outside
 * JSON, bare tokens that can only be ids: `traceparent` strings, UUIDs and 32-hex trace ids.
 * A bare 16-hex token is too common (hashes, addresses) to link on its own; under a `span_id`
 * key it is linked. Matches never overlap; a keyed match wins over a bare token inside it.
 */
import { detectId, ID_KEY, type IdKind } from './detect';

export interface IdMatch {
  /** UTF-16 offsets in the text, `end` exclusive: the id's own characters (not its key or quotes). */
  readonly start: number;
  readonly end: number;
  /** The id as written there (what a lookup is given). */
  readonly text: string;
  readonly kind: IdKind;
}

export type FindMode = 'all' | 'keyed';

/**
 * How ids are found in a document: in JSON only under id keys (a hash in a lockfile is not a
 * trace id); in logs, JSONL and plain text bare ids too. A `.jsonl`/`.log` file shown as JSON is
 * still a log.
 */
export function findModeFor(languageId: string, fileName: string): FindMode {
  return (languageId === 'json' || languageId === 'jsonc') && !/\.(jsonl|ndjson|log)$/i.test(fileName) ? 'keyed' : 'all';
}

/** Longest text scanned in one call; a minified 50 MB line is not read for links. */
export const MAX_SCAN = 1_000_000;

const KEY = String.raw`(?:x[_-]request[_-]id|request[_-]id|x[_-]dynamo[_-]request[_-]id|trace[_-]?id|span[_-]?id|traceparent)`;
/** `"key":"value"` (JSON), with escapes inside the value. */
const JSON_PAIR = new RegExp(String.raw`"(${KEY})"\s*:\s*"((?:[^"\\\n]|\\.){1,512})"`, 'gi');
/** `key=value`, `key="value"`, `key: value` (logfmt, headers, Python reprs). */
const PLAIN_PAIR = new RegExp(String.raw`(?<![\w.-])(${KEY})(?:=|:\s*|\s*=\s*)("(?:[^"\\\n]|\\.){1,512}"|'[^'\n]{1,512}'|[^\s"',;)\]}]{1,512})`, 'gi');
const BARE = /(?<![0-9A-Za-z_-])(?:[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})(?![0-9A-Za-z_-])/gi;

function unescapeJson(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

export function findIds(line: string, mode: FindMode = 'all'): IdMatch[] {
  const text = line.length > MAX_SCAN ? line.slice(0, MAX_SCAN) : line;
  const out: IdMatch[] = [];
  const taken: Array<[number, number]> = [];
  const free = (s: number, e: number) => !taken.some(([a, b]) => s < b && e > a);
  const add = (start: number, raw: string, value: string) => {
    const end = start + raw.length;
    if (!free(start, end)) return;
    const d = detectId(value);
    if (!d.ok) return;
    taken.push([start, end]);
    out.push({ start, end, text: value, kind: d.id.kind });
  };
  for (const m of text.matchAll(JSON_PAIR)) {
    if (!ID_KEY.test(m[1]!)) continue;
    const raw = m[2]!;
    add(m.index! + m[0].length - raw.length - 1, raw, unescapeJson(raw));
  }
  if (mode === 'all') {
    for (const m of text.matchAll(PLAIN_PAIR)) {
      let raw = m[2]!;
      let offset = m.index! + m[0].length - raw.length;
      if (raw.startsWith('"') || raw.startsWith("'")) {
        raw = raw.slice(1, -1);
        offset++;
      }
      add(offset, raw, raw);
    }
    for (const m of text.matchAll(BARE)) add(m.index!, m[0], m[0]);
  }
  return out.sort((a, b) => a.start - b.start);
}
