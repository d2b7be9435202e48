/**
 * Log entries as `spanlens lookup` and `spanlens logs` print them, one shape for both:
 * `{"timestampNs","line","labels","metadata","traceId","spanId","level","source"}` with the
 * time as an exact decimal string, `metadata` = Loki's structured metadata, null for what the
 * entry does not name, and `source` = `{"path","line"}` inside the workspace folder when a file
 * there matches the logged path (the same resolution as span → source), else the path as logged.
 */
import { formatDuration } from '../../core/format/duration';
import type { CodeLocation } from '../../core/model/codeLocation';
import type { LogEntry } from '../../core/model/logs';
import { nodeSourceFs } from '../../core/source/nodeFs';
import { resolveSourcePath } from '../../core/source/resolve';
import { printable } from './connection';
import { isoNs } from './query';

export interface LogJson {
  readonly timestampNs: string;
  readonly line: string;
  readonly labels: Record<string, string>;
  readonly metadata: Record<string, string>;
  readonly traceId: string | null;
  readonly spanId: string | null;
  readonly level: string | null;
  readonly source: { readonly path: string; readonly line: number | null } | null;
}

export type SourceResolver = (loc: CodeLocation | null) => Promise<LogJson['source']>;

/** Resolves each distinct logged path once (a log repeats the same few callsites). */
export function workspaceSources(root: string): SourceResolver {
  const fs = nodeSourceFs(root);
  const cache = new Map<string, Promise<string>>();
  return async (loc) => {
    if (!loc || !loc.path) return null;
    let p = cache.get(loc.path);
    if (!p) {
      p = resolveSourcePath({ path: loc.path, roots: [root], fs }).then((r) => (r.ok ? r.files[0]!.path : loc.path));
      cache.set(loc.path, p);
    }
    return { path: await p, line: loc.line ?? null };
  };
}

export async function logJson(e: LogEntry, sources: SourceResolver): Promise<LogJson> {
  return {
    timestampNs: e.timestampNs.toString(),
    line: e.line,
    labels: { ...e.labels },
    metadata: { ...e.metadata },
    traceId: e.traceId ?? null,
    spanId: e.spanId ?? null,
    level: e.level ?? null,
    source: await sources(e.source),
  };
}

/** JSON.stringify leaves DEL and C1 controls raw; escaping them keeps the same value and a safe terminal. */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const LEVEL_TEXT: Readonly<Record<string, string>> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR', fatal: 'FATAL' };

/** `2026-04-21T18:02:11.514203000Z  INFO   request completed  (lib/…/metrics.rs:1166)`. */
export function logText(e: LogEntry, source: LogJson['source']): string {
  const level = e.level ? LEVEL_TEXT[e.level]! : '-    ';
  const where = source ? `  (${source.path}${source.line ? `:${source.line}` : ''})` : '';
  const life = e.lifecycle?.kind === 'close' && e.lifecycle.durationUs !== undefined ? `  ${formatDuration(e.lifecycle.durationUs * 1000)}` : '';
  const labels = Object.keys(e.labels).length && e.fileLine !== undefined ? `[${Object.values(e.labels).join('/')}] ` : '';
  const first = e.message.split('\n', 1)[0]!;
  const more = first.length < e.message.length ? ' …' : '';
  // A line before any line with a time has none to take: no time is shown rather than 1970.
  const time = e.timeInferred && e.timestampNs === 0n ? '-'.padEnd(30) : isoNs(e.timestampNs);
  return printable(`${time}  ${level}  ${labels}${first}${more}${life}${where}`);
}
