/**
 * Parsers added after the harness, registered the same way: Dynamo health bodies (through the
 * exact JSON reader that keeps u64 ids), that reader itself against JSON.parse, and the TraceQL
 * syntax check (text a user types or a file holds; it must answer, never throw).
 */
import { parseDynamoHealth } from '../../../src/core/formats/dynamoHealth';
import { parseExactJson, type ExactJson } from '../../../src/core/formats/exactJson';
import { TraceFormatError } from '../../../src/core/model/errors';
import { checkTraceql } from '../../../src/core/traceql/check';
import { DYNAMO_EXAMPLES, serviceQuery } from '../../../src/core/traceql/queries';
import { frontendHealthBody } from '../../fakes/dynamoHealth';
import type { FuzzInput, FuzzTarget } from '../harness';

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
