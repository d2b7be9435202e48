/**
 * Parsers added after the harness, registered the same way: Dynamo health bodies (through the
 * exact JSON reader that keeps u64 ids), that reader itself against JSON.parse, the TraceQL
 * syntax check (text a user types or a file holds; it must answer, never throw), Dynamo log
 * files, and ids read from pasted or terminal text.
 */
import { detectId } from '../../../src/core/correlate/detect';
import { findIds } from '../../../src/core/correlate/findIds';
import { parseDynamoHealth } from '../../../src/core/formats/dynamoHealth';
import { parseLogFileLine } from '../../../src/core/formats/dynamoJsonl';
import { parseExactJson, type ExactJson } from '../../../src/core/formats/exactJson';
import { TraceFormatError } from '../../../src/core/model/errors';
import type { LogEntry } from '../../../src/core/model/logs';
import { checkTraceql } from '../../../src/core/traceql/check';
import { DYNAMO_EXAMPLES, serviceQuery } from '../../../src/core/traceql/queries';
import { frontendHealthBody } from '../../fakes/dynamoHealth';
import type { FuzzInput, FuzzTarget } from '../harness';
import { generatedLogs } from '../seeds';

const isTyped = (e: unknown): boolean => e instanceof TraceFormatError;
const text = (i: FuzzInput): string => (typeof i === 'string' ? i : Buffer.from(i).toString('utf8'));

export const dynamoHealthTarget: FuzzTarget = {
  name: 'dynamo-health',
  input: 'text',
  seeds: async () => [
    frontendHealthBody(),
    '{"endpoints":["dyn://dynamo.backend.generate"],"instances":[{"component":"backend","endpoint":"generate","instance_id":18446744073709551615,"namespace":"dynamo","transport":{"http":"http://10.1.2.3:9345/v1/rpc"}}],"status":"healthy"}',
    '{"message":"No endpoints available","status":"unhealthy"}',
    '{"message":"Service is live","status":"live"}',
    '{"endpoints":{"load_metrics":"ready","clear_kv_blocks":"ready","generate":"ready"},"status":"ready","uptime":{"nanos":88112004,"secs":64}}',
    '{"status":"notready","uptime":{"nanos":0,"secs":0}}',
  ],
  parse: (i) => parseDynamoHealth(text(i)),
  typed: isTyped,
  check: (m) => {
    const h = m as { kind: unknown; status: unknown; endpoints: { name: unknown; state: unknown }[]; instances: { instanceId: unknown }[] };
    if (!['frontend', 'frontend-live', 'worker'].includes(h.kind as string) || typeof h.status !== 'string') throw new Error('kind/status');
    for (const e of h.endpoints) if (typeof e.name !== 'string' || typeof e.state !== 'string') throw new Error('endpoint');
    for (const i of h.instances) if (typeof i.instanceId !== 'string' || !/^\d+$/.test(i.instanceId)) throw new Error(`instance id ${String(i.instanceId)}`);
  },
};

/** Same as JSON.parse, except that integers beyond 2^53 are exact bigints. */
function sameAsJsonParse(exact: ExactJson, plain: unknown, depth = 0): boolean {
  if (depth > 400) return true;
  if (typeof exact === 'bigint') return typeof plain === 'number' && Number(exact) === plain;
  if (Array.isArray(exact)) return Array.isArray(plain) && plain.length === exact.length && exact.every((x, i) => sameAsJsonParse(x, plain[i], depth + 1));
  if (exact !== null && typeof exact === 'object') {
    if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) return false;
    const ka = Object.keys(exact);
    const kb = Object.keys(plain);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(plain, k) && sameAsJsonParse(exact[k]!, (plain as Record<string, unknown>)[k], depth + 1));
  }
  return Object.is(exact, plain) || (typeof exact === 'number' && exact === plain);
}

export const exactJsonTarget: FuzzTarget = {
  name: 'exact-json',
  input: 'text',
  seeds: async () => [...(await dynamoHealthTarget.seeds()).map(text), '[1,2.5,-0,1e400,12345678901234567890,"x",{"__proto__":1}]'],
  parse: (i) => ({ value: parseExactJson(text(i)), t: text(i) }),
  typed: isTyped,
  check: (m) => {
    const { value, t } = m as { value: ExactJson; t: string };
    let plain: unknown;
    try {
      plain = JSON.parse(t.charCodeAt(0) === 0xfeff ? t.slice(1) : t);
    } catch {
      throw new Error('parseExactJson accepted text JSON.parse rejects');
    }
    if (!sameAsJsonParse(value, plain)) throw new Error('parseExactJson and JSON.parse disagree');
  },
};

export const traceqlCheckTarget: FuzzTarget = {
  name: 'traceql-check',
  input: 'text',
  seeds: async () => [
    ...DYNAMO_EXAMPLES.map((e) => e.query),
    serviceQuery('dynamo-frontend', true),
    '{}',
    '{ span.http.status_code >= 500 } | select(span.x_request_id) | count() > 2',
    '{ resource.service.name = "a" } >> { name =~ "handle_.*" && duration > 100ms }',
  ],
  parse: (i) => checkTraceql(text(i)),
  // The check answers with a problem or nothing; it has no error to throw.
  typed: () => false,
  neverThrows: true,
  check: (m) => {
    if (m === undefined) return;
    const p = m as { from: number; to: number; line: number; column: number; message: string };
    if (!(p.from <= p.to && p.line >= 1 && p.column >= 1 && typeof p.message === 'string' && p.message.length > 0)) throw new Error(`a malformed problem ${JSON.stringify(p)}`);
  },
};

/** One LogEntry's promises (model/logs.ts). */
function checkLogEntry(e: LogEntry, where: string): void {
  if (typeof e.timestampNs !== 'bigint' || e.timestampNs < 0n) throw new Error(`${where}: timestamp ${String(e.timestampNs)}`);
  if (typeof e.line !== 'string' || typeof e.message !== 'string') throw new Error(`${where}: line/message`);
  if (e.traceId !== undefined && !/^[0-9a-f]{32}$/.test(e.traceId)) throw new Error(`${where}: trace id ${JSON.stringify(e.traceId)}`);
  if (e.spanId !== undefined && !/^[0-9a-f]{16}$/.test(e.spanId)) throw new Error(`${where}: span id ${JSON.stringify(e.spanId)}`);
  for (const [k, v] of Object.entries(e.labels)) if (typeof v !== 'string') throw new Error(`${where}: label ${k}`);
}

/**
 * A Dynamo log file: each line bare (JSONL or plain), and behind the docker compose and kubectl
 * prefixes; every line yields an entry, times kept in order from line to line.
 */
export const dynamoJsonlTarget: FuzzTarget = {
  name: 'dynamo-jsonl',
  input: 'text',
  seeds: async () => generatedLogs().filter((e) => e.line.startsWith('{')).slice(0, 40).map((e) => e.line),
  parse: (i) => {
    const t = text(i);
    const out: LogEntry[] = [];
    let previous = 0n;
    for (const raw of [t, `dynamo-frontend-1  | ${t}`, `2026-01-01T00:00:00.123456789Z ${t}`, ...t.split('\n').slice(0, 200)]) {
      const e = parseLogFileLine(raw, out.length, previous);
      previous = e.timestampNs;
      out.push(e);
    }
    return out;
  },
  typed: isTyped,
  neverThrows: true,
  check: (m) => (m as LogEntry[]).forEach((e, i) => checkLogEntry(e, `[${i}]`)),
};

/** What a user pastes or a terminal line holds, read as an id (Open Lookup, terminal links). */
export const detectIdTarget: FuzzTarget = {
  name: 'detect-id',
  input: 'text',
  seeds: async () => [
    '076e5cc4f4d701ca55b826d15b534e89',
    '00-076e5cc4f4d701ca55b826d15b534e89-b7ad6b7169203331-01',
    'W47/95gDgQPSabYzgT/HAA==',
    '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    'x_request_id=abc-123',
    '"request_id": "7f1c"',
    '2026-01-01T00:00:00Z INFO dynamo_llm::http: request completed trace_id=076e5cc4f4d701ca55b826d15b534e89 span_id=b7ad6b7169203331',
  ],
  parse: (i) => ({ detected: detectId(text(i)), found: findIds(text(i)) }),
  typed: () => false,
  neverThrows: true,
  check: (m) => {
    const { detected, found } = m as { detected: { ok: boolean; id?: { kind: string; value: string } }; found: readonly { start?: number; end?: number }[] };
    if (detected.ok && (typeof detected.id?.value !== 'string' || detected.id.value.length === 0)) throw new Error('an empty id detected');
    if (!Array.isArray(found)) throw new Error('findIds did not return a list');
  },
};
