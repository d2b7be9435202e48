/**
 * Loki's log answers made log entries, the way a lookup reads them: the body through the envelope
 * and the streams decoder (typed errors), each line through toLogEntry (the OTLP shape's ids,
 * level and code.* from structured metadata; the JSONL shape's record read from the line). Every
 * entry must keep the model's promises. (Log files and pasted ids are dynamo-jsonl and detect-id.)
 */
import { readEnvelope } from '../../../src/core/backends/decode';
import { decodeLokiQueryData } from '../../../src/core/backends/loki/decode';
import { toLogEntry } from '../../../src/core/formats/logEntry';
import { TraceFormatError } from '../../../src/core/model/errors';
import type { LogLine } from '../../../src/core/model/logs';
import type { FuzzInput, FuzzTarget } from '../harness';
import { checkLogEntries } from '../invariants';
import { lokiStreamsTarget } from './backends';

class NotJson extends Error {}

function parse(input: FuzzInput): unknown {
  const t = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(t.charCodeAt(0) === 0xfeff ? t.slice(1) : t);
  } catch {
    throw new NotJson();
  }
  const env = readEnvelope(value);
  if (env.status === 'error') return [];
  const data = decodeLokiQueryData(env.data) as { kind: string; lines?: readonly LogLine[] };
  return data.kind === 'streams' ? (data.lines ?? []).map(toLogEntry) : [];
}

export const lokiLogEntriesTarget: FuzzTarget = {
  name: 'loki-log-entries',
  input: 'text',
  seeds: () => lokiStreamsTarget.seeds(),
  parse,
  typed: (e) => e instanceof TraceFormatError || e instanceof NotJson,
  check: checkLogEntries,
};
