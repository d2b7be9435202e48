/**
 * Every body a Dynamo health endpoint has served, as one model:
 * - the frontend's `/health`: `healthy` with a sorted `endpoints` list (`dyn://ns.component.endpoint`)
 *   and an `instances` array whose `instance_id` is a u64 (kept exact, as a decimal string), or,
 *   from older releases, `unhealthy` with `"No endpoints available"` (sent with HTTP 200);
 * - the frontend's `/live`: `live`, or `shutting_down` with 503;
 * - a worker's system server (`/health` and `/live` share one handler): `ready`/`notready`, an
 *   `uptime` of `{secs, nanos}` and a map of endpoint name → `ready`/`notready`, sent as JSON with
 *   a `text/plain` content type — so the body, not the header, decides.
 * The HTTP status is not used to classify: a 503 carries a state like any other answer.
 */
import { TraceFormatError } from '../model/errors';
import { parseExactJson, type ExactJson } from './exactJson';

export type DynamoHealthKind = 'frontend' | 'frontend-live' | 'worker';

export interface DynamoEndpointState {
  /** `dyn://ns.component.endpoint` from the frontend; the bare endpoint name from a worker. */
  readonly name: string;
  /** A worker's `ready`/`notready`; `available` for an endpoint the frontend lists. */
  readonly state: string;
}

export interface DynamoInstance {
  readonly component: string;
  readonly endpoint: string;
  readonly namespace: string;
  /** The u64 instance (lease) id as a decimal string, exact. */
  readonly instanceId: string;
  /** `nats_tcp: <subject>`, `http: <url>`, `tcp: <addr>`. */
  readonly transport?: string;
  /** `cpu` or `cuda` when the frontend says. */
  readonly deviceType?: string;
}

export interface DynamoHealthBody {
  readonly kind: DynamoHealthKind;
  /** As sent: healthy, unhealthy, live, shutting_down, ready, notready (or a newer word). */
  readonly status: string;
  readonly message?: string;
  readonly endpoints: readonly DynamoEndpointState[];
  readonly instances: readonly DynamoInstance[];
  /** Workers only. */
  readonly uptimeSeconds?: number;
}

/** The states that mean "fine"; anything else (including words Dynamo may add) is not. */
export const HEALTHY_STATES: ReadonlySet<string> = new Set(['healthy', 'ready', 'live']);

export function isHealthyStatus(status: string): boolean {
  return HEALTHY_STATES.has(status);
}

/** Throws TraceFormatError when the body is not one of Dynamo's health answers. */
export function parseDynamoHealth(text: string): DynamoHealthBody {
  let v: ExactJson;
  try {
    v = parseExactJson(text);
  } catch (err) {
    if (err instanceof TraceFormatError) throw new TraceFormatError('', `not JSON (${err.message})`);
    throw err;
  }
  if (!isObject(v)) throw new TraceFormatError('', 'a JSON object with a "status"');
  const status = typeof v.status === 'string' ? v.status : undefined;
  const message = typeof v.message === 'string' ? v.message : undefined;
  const kind = classify(v, status);
  if (!kind || status === undefined) throw new TraceFormatError('status', 'a Dynamo health status (healthy, live, ready, …)');
  if (kind === 'worker') {
    return { kind, status, message, endpoints: workerEndpoints(v.endpoints), instances: [], uptimeSeconds: uptime(v.uptime) };
  }
  if (kind === 'frontend-live') return { kind, status, message, endpoints: [], instances: [] };
  const endpoints = v.endpoints === undefined ? [] : frontendEndpoints(v.endpoints);
  const instances = v.instances === undefined || v.instances === null ? [] : frontendInstances(v.instances);
  return { kind, status, message, endpoints, instances };
}

function classify(v: { [key: string]: ExactJson }, status: string | undefined): DynamoHealthKind | undefined {
  if (status === 'ready' || status === 'notready' || v.uptime !== undefined || isObject(v.endpoints)) return 'worker';
  if (status === 'live' || status === 'shutting_down') return 'frontend-live';
  if (status === 'healthy' || status === 'unhealthy' || Array.isArray(v.instances) || Array.isArray(v.endpoints)) return 'frontend';
  return undefined;
}

function workerEndpoints(v: ExactJson | undefined): DynamoEndpointState[] {
  if (v === undefined || v === null) return [];
  if (!isObject(v)) throw new TraceFormatError('endpoints', 'a map of endpoint name to ready/notready');
  return Object.entries(v)
    .map(([name, state]) => {
      if (typeof state !== 'string') throw new TraceFormatError(`endpoints.${name}`, 'a state string');
      return { name, state };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function uptime(v: ExactJson | undefined): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new TraceFormatError('uptime', 'a {secs, nanos} object');
  const secs = asNumber(v.secs ?? 0, 'uptime.secs');
  const nanos = asNumber(v.nanos ?? 0, 'uptime.nanos');
  return secs + nanos / 1e9;
}

function frontendEndpoints(v: ExactJson): DynamoEndpointState[] {
  if (!Array.isArray(v)) throw new TraceFormatError('endpoints', 'an array of dyn:// endpoint names');
  return v.map((e, i) => {
    if (typeof e !== 'string') throw new TraceFormatError(`endpoints[${i}]`, 'an endpoint name string');
    return { name: e, state: 'available' };
  });
}

function frontendInstances(v: ExactJson): DynamoInstance[] {
  if (!Array.isArray(v)) throw new TraceFormatError('instances', 'an array of instances');
  return v.map((raw, i) => {
    const at = `instances[${i}]`;
    if (!isObject(raw)) throw new TraceFormatError(at, 'an instance object');
    const str = (k: string): string => (typeof raw[k] === 'string' ? (raw[k] as string) : '');
    return {
      component: str('component'),
      endpoint: str('endpoint'),
      namespace: str('namespace'),
      instanceId: instanceId(raw.instance_id, `${at}.instance_id`),
      transport: transport(raw.transport),
      deviceType: typeof raw.device_type === 'string' ? raw.device_type : undefined,
    };
  });
}

function instanceId(v: ExactJson | undefined, where: string): string {
  if (typeof v === 'bigint' && v >= 0n) return v.toString();
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return v;
  throw new TraceFormatError(where, 'an unsigned 64-bit integer');
}

function transport(v: ExactJson | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (isObject(v)) {
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${typeof x === 'string' ? x : stringify(x)}`)
      .join(', ');
  }
  return stringify(v);
}

function stringify(v: ExactJson): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

function asNumber(v: ExactJson, where: string): number {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (typeof v === 'bigint' && v >= 0n) return Number(v);
  throw new TraceFormatError(where, 'a non-negative number');
}

function isObject(v: ExactJson | undefined): v is { [key: string]: ExactJson } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
