/**
 * Dynamo's JSONL log records (DYN_LOGGING_JSONL) and the lines that carry them:
 * - the record: fixed keys `time, level, file, line, target, message`, then every other field
 *   flattened (span fields as strings, `trace_id`/`span_id`/`parent_id`/`span_name`, Dynamo's
 *   `x_request_id`/`request_id`), `SPAN_FIRST_ENTRY`/`SPAN_CLOSED` with `time.busy_us`,
 *   `time.idle_us`, `time.duration_us`, and Python-origin records with `log.file`, `log.line`,
 *   `log.target` instead of `file`/`line`;
 * - the line around it, as a terminal shows it: bare, after `docker compose logs`'s
 *   `frontend-1  | ` (optionally coloured, optionally with `--timestamps`), or after
 *   `kubectl logs --prefix`'s `[pod/x/container] ` (optionally with `--timestamps`).
 * A line whose rest is not a JSON object stays a plain entry: its text is the message, its level
 * is read from a leading level word, its time from a leading RFC 3339 stamp or its neighbour's.
 */
import { exactHexId } from '../model/ids';
import type { CodeLocation } from '../model/codeLocation';
import { NO_LABELS, type Labels, type LogEntry, type LogFieldValue, type LogLevel, type SpanLifecycle } from '../model/logs';
import { codeLocationOf, lineNumber, stackTextLocations } from '../source/locations';

/** Keys every Dynamo record starts with; the rest are its fields. */
const FIXED = new Set(['time', 'level', 'file', 'line', 'target', 'message']);

/** A JSON object parsed from a log line. */
export type LogRecord = Readonly<Record<string, LogFieldValue>>;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
/** `kubectl logs --prefix`: `[pod/<pod>/<container>] `. */
const KUBECTL = /^\[pod\/([^/\]\s]+)\/([^\]\s]+)\] ?/;
/** `docker compose logs`: `<container>  | ` (v2 `name-1`, v1 `project_name_1`). */
const COMPOSE = /^([A-Za-z0-9][A-Za-z0-9_.-]*)\s+\| ?/;
const COMPOSE_NAME = /[-_]\d+$/;
/** A leading RFC 3339 stamp (`--timestamps` of both tools, or a plain log line's own). */
const LEADING_TIME = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\s+/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?$/;
const LEVEL_WORD = /^[\s[(<]*(TRACE|DEBUG|INFO|INFORMATION|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|CRIT|PANIC)\b/i;
const LEVEL_ANYWHERE = /\b(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL|PANIC)\b/;

/**
 * RFC 3339 (`2026-04-21T18:02:11.514203Z`, `…+02:00`) → exact Unix nanoseconds. A stamp without
 * a zone is read as UTC (Dynamo writes `Z` unless DYN_LOG_USE_LOCAL_TZ, which adds an offset).
 */
export function parseRfc3339Ns(s: string): bigint | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return undefined;
  let ns = BigInt(ms) * 1_000_000n + (frac ? BigInt(frac.padEnd(9, '0')) : 0n);
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    ns -= sign * offsetMin * 60_000_000_000n;
  }
  return ns;
}

/** Any spelling of a severity → the model's; OTLP severity numbers (1–24) too. */
export function normalizeLevel(v: unknown): LogLevel | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 24) {
    return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.floor((v - 1) / 4)];
  }
  if (typeof v !== 'string') return undefined;
  switch (v.trim().toLowerCase()) {
    case 'trace':
    case 'trc':
      return 'trace';
    case 'debug':
    case 'dbg':
      return 'debug';
    case 'info':
    case 'information':
    case 'informational':
    case 'notice':
    case 'inf':
      return 'info';
    case 'warn':
    case 'warning':
    case 'wrn':
      return 'warn';
    case 'error':
    case 'err':
    case 'eror':
      return 'error';
    case 'fatal':
    case 'critical':
    case 'crit':
    case 'panic':
    case 'emergency':
    case 'alert':
      return 'fatal';
    default:
      return /^\d{1,2}$/.test(v.trim()) ? normalizeLevel(Number(v)) : undefined;
  }
}

/** What the text around a record said: the tool's prefix as labels, and its timestamp. */
export interface LinePrefix {
  readonly labels: Labels;
  readonly timestampNs?: bigint;
  /** The text after the prefix. */
  readonly rest: string;
}

/** Strips a `docker compose logs` / `kubectl logs --prefix` prefix and a `--timestamps` stamp. */
export function splitPrefix(raw: string): LinePrefix {
  let text = raw.includes('\u001b') ? raw.replace(ANSI, '') : raw;
  if (text.endsWith('\r')) text = text.slice(0, -1);
  let labels: Labels = NO_LABELS;
  let m = KUBECTL.exec(text);
  if (m) {
    labels = { pod: m[1]!, container: m[2]! };
    text = text.slice(m[0].length);
  } else if ((m = COMPOSE.exec(text))) {
    const rest = text.slice(m[0].length);
    // A plain `a | b` line is not a compose prefix unless the name is a compose container's or a record follows.
    if (COMPOSE_NAME.test(m[1]!) || rest.trimStart().startsWith('{')) {
      labels = { container: m[1]! };
      text = rest;
    }
  }
  let timestampNs: bigint | undefined;
  const t = LEADING_TIME.exec(text);
  if (t) {
    timestampNs = parseRfc3339Ns(t[1]!.replace(',', '.'));
    if (timestampNs !== undefined) text = text.slice(t[0].length);
  }
  return { labels, timestampNs, rest: text };
}

/** The JSON object a text holds, or undefined (cheap refusal for text that cannot be one). */
export function parseRecord(text: string): LogRecord | undefined {
  const t = text.trim();
  if (t.length < 2 || t.charCodeAt(0) !== 123 /* { */ || t.charCodeAt(t.length - 1) !== 125 /* } */) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as LogRecord) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: LogFieldValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: LogFieldValue | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;

/** Where a record's code is: Rust callsite, Python origin, code.* fields, then stack frames of the message. */
export function recordLocations(record: LogRecord, message: string): CodeLocation[] {
  const out: CodeLocation[] = [];
  const target = str(record.target);
  const file = str(record.file);
  if (file) {
    const line = lineNumber(record.line);
    out.push({ path: file, ...(line !== undefined ? { line } : {}), from: 'log', name: target ?? file });
  }
  const pyFile = str(record['log.file']);
  if (pyFile) {
    const line = lineNumber(record['log.line']);
    out.push({ path: pyFile, ...(line !== undefined ? { line } : {}), from: 'log', name: str(record['log.target']) ?? pyFile });
  }
  const code = codeLocationOf((keys) => keys.map((k) => record[k]).find((v) => v !== undefined), 'log', target ?? 'log');
  if (code && code.path) out.push(code);
  stackLocationsOf(message, out);
  return out;
}

/** Only text that can hold a trace (several lines, or a Rust panic) is read for frames: most messages cannot. */
export function stackLocationsOf(message: string, out: CodeLocation[]): void {
  if (message.includes('\n') || message.includes('panicked at')) stackTextLocations(message, out, 20);
}

function lifecycleOf(record: LogRecord, message: string): SpanLifecycle | undefined {
  if (message !== 'SPAN_FIRST_ENTRY' && message !== 'SPAN_CLOSED') return undefined;
  const spanName = str(record.span_name);
  if (message === 'SPAN_FIRST_ENTRY') return { kind: 'enter', ...(spanName ? { spanName } : {}) };
  const busyUs = num(record['time.busy_us']);
  const idleUs = num(record['time.idle_us']);
  const durationUs = num(record['time.duration_us']);
  return {
    kind: 'close',
    ...(spanName ? { spanName } : {}),
    ...(busyUs !== undefined ? { busyUs } : {}),
    ...(idleUs !== undefined ? { idleUs } : {}),
    ...(durationUs !== undefined ? { durationUs } : {}),
  };
}

/** The parts of an entry a JSON record gives; the caller adds the line, labels and metadata. */
export interface RecordParts {
  readonly timestampNs?: bigint;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly level?: LogLevel;
  readonly message: string;
  readonly target?: string;
  readonly fields: Readonly<Record<string, LogFieldValue>>;
  readonly locations: CodeLocation[];
  readonly lifecycle?: SpanLifecycle;
}

export function recordParts(record: LogRecord): RecordParts {
  const message = typeof record.message === 'string' ? record.message : record.message === undefined ? '' : JSON.stringify(record.message);
  const fields: Record<string, LogFieldValue> = {};
  for (const k of Object.keys(record)) if (!FIXED.has(k)) fields[k] = record[k]!;
  const time = str(record.time);
  const timestampNs = time ? parseRfc3339Ns(time) : undefined;
  const traceId = exactHexId(record.trace_id, 32);
  const spanId = exactHexId(record.span_id, 16);
  const level = normalizeLevel(record.level);
  const target = str(record.target);
  const lifecycle = lifecycleOf(record, message);
  return {
    ...(timestampNs !== undefined ? { timestampNs } : {}),
    ...(traceId ? { traceId } : {}),
    ...(spanId ? { spanId } : {}),
    ...(level ? { level } : {}),
    message,
    ...(target ? { target } : {}),
    fields,
    locations: recordLocations(record, message),
    ...(lifecycle ? { lifecycle } : {}),
  };
}

/** A plain line's level: a leading level word, else one standing alone early in the line. */
export function plainLevel(text: string): LogLevel | undefined {
  const m = LEVEL_WORD.exec(text) ?? LEVEL_ANYWHERE.exec(text.slice(0, 80));
  return m ? normalizeLevel(m[1]) : undefined;
}

/**
 * One line of a log file → its entry. `previousNs` is the time of the entry before it, which a
 * line without a time of its own takes (so the file's order and the time order agree).
 */
export function parseLogFileLine(raw: string, fileLine: number, previousNs: bigint): LogEntry {
  const { labels, timestampNs: prefixNs, rest } = splitPrefix(raw);
  const record = parseRecord(rest);
  if (record) {
    const p = recordParts(record);
    const ts = p.timestampNs ?? prefixNs;
    return {
      timestampNs: ts ?? previousNs,
      ...(ts === undefined ? { timeInferred: true } : {}),
      line: rest.trim(),
      labels,
      metadata: NO_LABELS,
      parsed: NO_LABELS,
      ...(p.traceId ? { traceId: p.traceId } : {}),
      ...(p.spanId ? { spanId: p.spanId } : {}),
      ...(p.level ? { level: p.level } : {}),
      message: p.message,
      ...(p.target ? { target: p.target } : {}),
      fields: p.fields,
      source: p.locations[0] ?? null,
      ...(p.lifecycle ? { lifecycle: p.lifecycle } : {}),
      fileLine,
    };
  }
  const level = plainLevel(rest);
  const frames: CodeLocation[] = [];
  stackLocationsOf(rest, frames);
  if (!frames.length) stackTextLocations(rest, frames, 1);
  return {
    timestampNs: prefixNs ?? previousNs,
    ...(prefixNs === undefined ? { timeInferred: true } : {}),
    line: rest,
    labels,
    metadata: NO_LABELS,
    parsed: NO_LABELS,
    ...(level ? { level } : {}),
    message: rest,
    fields: {},
    source: frames[0] ?? null,
    fileLine,
  };
}
