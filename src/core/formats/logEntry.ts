/**
 * A Loki line → the log entry model, for both shapes Dynamo's logs reach Loki in:
 * - OTLP-fed: the line is the plain message; `trace_id`, `span_id`, the event's attributes,
 *   `severity_text`/`severity_number` are structured metadata (Loki writes attribute names with
 *   `_` for `.`, so `code.file.path` arrives as `code_file_path`);
 * - Alloy-shipped JSONL: the line is Dynamo's JSON record, ids and fields inside it (a `| json`
 *   stage adds them as parsed labels too, flattened and renamed, so the record itself is read).
 * Ids and level are taken from whichever place holds them, metadata first.
 */
import type { CodeLocation } from '../model/codeLocation';
import { exactHexId } from '../model/ids';
import type { Labels, LogEntry, LogLine } from '../model/logs';
import { codeLocationOf, lineNumber } from '../source/locations';
import { normalizeLevel, parseRecord, recordParts, stackLocationsOf } from './dynamoJsonl';

const TRACE_KEYS = ['trace_id', 'traceid', 'traceID', 'traceId'];
const SPAN_KEYS = ['span_id', 'spanid', 'spanID', 'spanId'];
const LEVEL_KEYS = ['severity_text', 'detected_level', 'level', 'severity', 'severity_number'];

function first(maps: readonly Labels[], keys: readonly string[]): string | undefined {
  for (const m of maps) {
    for (const k of keys) {
      const v = m[k];
      if (v !== undefined && v !== '') return v;
    }
  }
  return undefined;
}

function firstId(maps: readonly Labels[], keys: readonly string[], width: 16 | 32): string | undefined {
  for (const m of maps) {
    for (const k of keys) {
      const id = exactHexId(m[k], width);
      if (id) return id;
    }
  }
  return undefined;
}

/**
 * The location structured metadata names: a Python-origin record's `log.file`/`log.line` (the log
 * bridge's attributes), else code.*, under the names OTLP uses and the ones Loki rewrites them to.
 */
function metadataLocation(metadata: Labels, name: string): CodeLocation | undefined {
  const pyFile = metadata['log.file'] ?? metadata.log_file;
  if (pyFile) {
    const line = lineNumber(metadata['log.line'] ?? metadata.log_line);
    return { path: pyFile, ...(line !== undefined ? { line } : {}), from: 'log', name: metadata['log.target'] ?? metadata.log_target ?? name };
  }
  const loc = codeLocationOf(
    (keys) => {
      for (const k of keys) {
        const v = metadata[k] ?? metadata[k.replace(/\./g, '_')];
        if (v !== undefined) return v;
      }
      return undefined;
    },
    'log',
    name,
  );
  return loc && loc.path ? loc : undefined;
}

export function toLogEntry(l: LogLine): LogEntry {
  const record = parseRecord(l.line);
  const parts = record ? recordParts(record) : undefined;
  const places = [l.metadata, l.parsed, l.labels];
  const traceId = firstId(places, TRACE_KEYS, 32) ?? parts?.traceId;
  const spanId = firstId(places, SPAN_KEYS, 16) ?? parts?.spanId;
  const level = parts?.level ?? normalizeLevel(first(places, LEVEL_KEYS));
  const message = parts?.message ?? l.line;
  const locations: CodeLocation[] = parts?.locations ?? [];
  if (!locations.length) {
    const fromMeta = metadataLocation(l.metadata, first([l.metadata], ['code_module_name', 'code.module.name', 'scope_name']) ?? 'log');
    if (fromMeta) locations.push(fromMeta);
    else stackLocationsOf(message, locations);
  }
  return {
    timestampNs: l.timestampNs,
    line: l.line,
    labels: l.labels,
    metadata: l.metadata,
    parsed: l.parsed,
    ...(traceId ? { traceId } : {}),
    ...(spanId ? { spanId } : {}),
    ...(level ? { level } : {}),
    message,
    ...(parts?.target ? { target: parts.target } : {}),
    fields: parts?.fields ?? {},
    source: locations[0] ?? null,
    ...(parts?.lifecycle ? { lifecycle: parts.lifecycle } : {}),
  };
}
