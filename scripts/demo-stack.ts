/**
 * The demo's backends (`npm start`), all real, none of them test fakes:
 * - `spanlens serve` — Spanlens's own OTLP receiver and store — receiving on :4317 (gRPC) and
 *   :4318 (HTTP) and answering Tempo's and Loki's query APIs on :3200;
 * - a real Prometheus on :9090 with exemplar storage;
 * - a Dynamo-shaped load generator on the OpenTelemetry JS SDK (test/support/loadgen) sending
 *   traces and logs to the receiver over OTLP/gRPC, as Dynamo's exporter does, and feeding the
 *   metrics Prometheus scrapes, each TTFT observation with an exemplar naming its trace.
 * It first sends the demo's fixed requests (the trace and request ids the README names, at times
 * inside the last hour), then one new request every few seconds, up to a bound. A port that is
 * taken is reported and that part skipped, so a real local stack keeps working. The ports can be
 * moved with SPANLENS_DEMO_GRPC_PORT, _HTTP_PORT, _QUERY_PORT and _PROM_PORT (tests use free
 * ones). Ctrl+C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startPrometheus } from '../test/fakes/prometheus';
import { DynamoLoad } from '../test/support/loadgen/dynamoLoad';
import { DEMO_REQUESTS, demoAnchorMs } from '../test/support/synth/demo';
import { requestIdFor, traceIdFor } from '../test/support/synth/prng';

const root = join(__dirname, '..');
const port = (name: string, fallback: number): number => {
  const v = Number(process.env[`SPANLENS_DEMO_${name}_PORT`]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const PORTS = { grpc: port('GRPC', 4317), http: port('HTTP', 4318), query: port('QUERY', 3200), prom: port('PROM', 9090) };
/** Live requests after the fixed ones: one every LIVE_EVERY_MS, at most LIVE_MAX. */
const LIVE_EVERY_MS = 3000;
const LIVE_MAX = 2000;

/** `spanlens serve` from the build (npm start builds first), else from the sources. */
function serve(): Promise<{ child: ChildProcess; url: string }> {
  const built = join(root, 'dist', 'cli.js');
  const args = ['serve', '--grpc', String(PORTS.grpc), '--http', String(PORTS.http), '--query', String(PORTS.query), '--json'];
  // A larger young generation, as the extension gives its capture worker: decoded OTLP dies young.
  const node = ['--max-semi-space-size=64'];
  const child = existsSync(built)
    ? spawn(process.execPath, [...node, built, ...args], { cwd: root })
    : spawn(process.execPath, [...node, '--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, url: (JSON.parse(line) as { query: string }).query });
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => reject(new Error((err.trim().split('\n').pop() ?? '').replace(/^spanlens serve: /, '') || `spanlens serve exited (${code})`)));
  });
}

async function main(): Promise<void> {
  const anchorMs = demoAnchorMs();
  const closers: (() => Promise<void> | void)[] = [];
  const started: { name: string; url: string }[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const reason = (err: unknown): string => (err instanceof Error ? err.message.split('\n')[0]! : String(err));

  let receiving = false;
  try {
    const s = await serve();
    closers.push(() => void s.child.kill('SIGTERM'));
    started.push({ name: 'Spanlens capture (spanlens serve): Tempo + Loki API', url: s.url }, { name: 'OTLP receiver (gRPC, HTTP)', url: `127.0.0.1:${PORTS.grpc}, http://127.0.0.1:${PORTS.http}` });
    process.stdout.write(`demo: spanlens serve on ${s.url} (OTLP on :${PORTS.grpc} gRPC, :${PORTS.http} HTTP)\n`);
    receiving = true;
  } catch (err) {
    skipped.push({ name: 'Spanlens capture (spanlens serve)', reason: reason(err) });
    process.stderr.write(`demo: spanlens serve not started: ${reason(err)}\n`);
  }
  let observe: ((ttft: number, traceId: string, spanId: string) => void) | undefined;
  try {
    const prom = await startPrometheus({ port: PORTS.prom, exemplarSeeds: DEMO_REQUESTS.map((r) => r.seed) });
    closers.push(() => prom.close());
    started.push({ name: 'Prometheus (real)', url: prom.url });
    observe = (ttft, traceId, spanId) => prom.live.observe(ttft, traceId, spanId);
    process.stdout.write(`demo: Prometheus on ${prom.url}\n`);
  } catch (err) {
    skipped.push({ name: 'Prometheus (real)', reason: reason(err) });
    process.stderr.write(`demo: Prometheus not started: ${reason(err)}\n`);
  }

  let timer: ReturnType<typeof setInterval> | undefined;
  if (receiving) {
    const load = new DynamoLoad({ grpc: `http://127.0.0.1:${PORTS.grpc}` });
    closers.unshift(async () => {
      if (timer) clearInterval(timer);
      await load.shutdown().catch(() => undefined);
    });
    for (const r of DEMO_REQUESTS) {
      const sent = load.send(r.seed, r.spans, BigInt(anchorMs + r.offsetMs) * 1_000_000n);
      observe?.(sent.ttftSeconds, sent.traceId, sent.rootSpanId);
    }
    await load.flush();
    process.stdout.write(`demo: sent ${DEMO_REQUESTS.length} requests (trace ids ${DEMO_REQUESTS.map((r) => traceIdFor(r.seed)).join(' ')}); then one every ${LIVE_EVERY_MS / 1000} s\n`);
    let n = 0;
    timer = setInterval(() => {
      if (n >= LIVE_MAX) {
        clearInterval(timer);
        return;
      }
      const seed = 20_000 + n++;
      const sent = load.send(seed, 20 + ((seed * 37) % 180), BigInt(Date.now()) * 1_000_000n);
      observe?.(sent.ttftSeconds, sent.traceId, sent.rootSpanId);
    }, LIVE_EVERY_MS);
  }
  // For `npm start`, which shows these in its closing block; one JSON line, read by machine.
  const ready = { started, skipped, traceIds: DEMO_REQUESTS.map((r) => traceIdFor(r.seed)), requestIds: DEMO_REQUESTS.map((r) => requestIdFor(r.seed)) };
  process.stdout.write(`DEMO-READY ${JSON.stringify(ready)}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      for (const c of closers) await Promise.resolve(c()).catch(() => undefined);
      process.exit(0);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
