/** A log entry as the log list shows it (LogRow): one conversion for lookups and log files. */
import { formatDuration } from '../format/duration';
import type { LogEntry } from '../model/logs';
import type { LogLevel, LogRow } from '../protocol/trace';

const LEVELS: Readonly<Record<string, LogLevel>> = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', error: 'error', fatal: 'error' };

/** ISO time with all nine digits of the nanoseconds: log lines often differ only in the last ones. */
export function isoNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const frac = (((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

/** "SPAN_CLOSED http-request · busy 1.20 ms · idle 3.00 ms": what a span lifecycle record says. */
function messageOf(e: LogEntry): string {
  const l = e.lifecycle;
  // A JSON record without a message field is shown as written rather than as an empty row.
  if (!l) return e.message || e.line;
  const parts = [l.spanName ? `${e.message} ${l.spanName}` : e.message];
  if (l.busyUs !== undefined) parts.push(`busy ${formatDuration(l.busyUs * 1000)}`);
  if (l.idleUs !== undefined) parts.push(`idle ${formatDuration(l.idleUs * 1000)}`);
  return parts.join(' · ');
}

/** `box`: the box of the shown trace the line is tied to (-1: none); `baseNs`: that trace's start. */
export function toLogRow(e: LogEntry, box: number, baseNs: bigint | undefined): LogRow {
  return {
    // A line with no time of its own (a plain line at the top of a file) shows none, not 1970.
    timeText: e.timestampNs > 0n ? isoNs(e.timestampNs) : '',
    offsetNs: baseNs === undefined ? Number.NaN : Number(e.timestampNs - baseNs),
    level: (e.level && LEVELS[e.level]) || 'unknown',
    message: messageOf(e),
    line: e.line,
    box,
    service: e.labels.service_name ?? e.labels.container ?? e.labels.app_kubernetes_io_name ?? '',
    hasSource: e.source !== null,
  };
}
