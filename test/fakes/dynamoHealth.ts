/**
 * Dynamo's health endpoints as its processes serve them, one fake per
 * process: a frontend (`/health` with endpoints and u64 instance ids, `/live`; optionally the
 * older `unhealthy`/"No endpoints available" answer or shutting down) and a worker's system
 * server (`/health` and `/live` from one handler: 200 ready / 503 notready, JSON sent as
 * text/plain). Bodies are written as serde_json writes them: keys sorted, compact.
 * Standalone: `node --import tsx test/fakes/dynamoHealth.ts --port 8081 [--notready]`.
 */
import { portFromArgv, startServer, type FakeServer, type Reply, type ServerOptions } from './server';

/** Above 2^53: a client that goes through JSON.parse would change it. */
export const FRONTEND_INSTANCE_IDS = ['7587888160372585749', '4411020933102785'] as const;

export interface FrontendOptions extends ServerOptions {
  /** `legacy`: an older release with no model registered; `shuttingDown`: /live says so with 503. */
  readonly mode?: 'current' | 'legacy' | 'shuttingDown';
}

export interface WorkerOptions extends ServerOptions {
  readonly ready: boolean;
  /** Seconds the worker has been up when the fake starts. */
  readonly uptimeSecs?: number;
}

export interface WorkerFake extends FakeServer {
  setReady(ready: boolean): void;
}

const JSON_CT = { 'content-type': 'application/json' };
const TEXT_CT = { 'content-type': 'text/plain; charset=utf-8' };
const notFound = (): Reply => ({ status: 404, body: '' });

export function frontendHealthBody(): string {
  const [a, b] = FRONTEND_INSTANCE_IDS;
  return (
    '{"endpoints":["dyn://dynamo.backend.generate","dyn://dynamo.prefill.generate"],"instances":[' +
    `{"component":"backend","endpoint":"generate","instance_id":${a},"namespace":"dynamo","transport":{"nats_tcp":"dynamo_backend.generate-694d9a6f0e1b5c15"}},` +
    `{"component":"prefill","device_type":"cuda","endpoint":"generate","instance_id":${b},"namespace":"dynamo","transport":{"tcp":"10.0.0.7:45123"}}` +
    '],"status":"healthy"}'
  );
}

export async function startFrontendHealthFake(opts: FrontendOptions = {}): Promise<FakeServer> {
  const mode = opts.mode ?? 'current';
  return startServer((_req, url) => {
    if (url.pathname === '/live') {
      return mode === 'shuttingDown'
        ? { status: 503, headers: JSON_CT, body: '{"message":"Service is shutting down","status":"shutting_down"}' }
        : { status: 200, headers: JSON_CT, body: '{"message":"Service is live","status":"live"}' };
    }
    if (url.pathname === '/health') {
      return mode === 'legacy'
        ? { status: 200, headers: JSON_CT, body: '{"message":"No endpoints available","status":"unhealthy"}' }
        : { status: 200, headers: JSON_CT, body: frontendHealthBody() };
    }
    return notFound();
  }, opts);
}

export async function startWorkerHealthFake(opts: WorkerOptions): Promise<WorkerFake> {
  let ready = opts.ready;
  const started = Date.now() - (opts.uptimeSecs ?? 64) * 1000;
  const server = await startServer((_req, url) => {
    if (url.pathname !== '/health' && url.pathname !== '/live') return notFound();
    const upMs = Date.now() - started;
    const secs = Math.floor(upMs / 1000);
    const nanos = (upMs % 1000) * 1_000_000 + 4311;
    const state = ready ? 'ready' : 'notready';
    const endpoints = ready ? '{"clear_kv_blocks":"ready","generate":"ready","load_metrics":"ready"}' : '{"clear_kv_blocks":"ready","generate":"notready","load_metrics":"ready"}';
    return { status: ready ? 200 : 503, headers: TEXT_CT, body: `{"endpoints":${endpoints},"status":"${state}","uptime":{"nanos":${nanos},"secs":${secs}}}` };
  }, opts);
  return { ...server, setReady: (r) => (ready = r) };
}

if (process.argv[1] && /fakes[\\/]dynamoHealth\.ts$/.test(process.argv[1])) {
  void (async () => {
    const port = portFromArgv(process.argv, 8081);
    const fake = process.argv.includes('--frontend') ? await startFrontendHealthFake({ port }) : await startWorkerHealthFake({ port, ready: !process.argv.includes('--notready') });
    process.stdout.write(`fake Dynamo health on ${fake.url}\n`);
    const stop = (): void => void fake.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })();
}
