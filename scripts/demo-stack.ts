/**
 * The demo's backends (`npm start`): the Tempo and Loki contract fakes on :3200 and :3100 and a
 * real Prometheus on :9090 — Spanlens' default endpoints — serving one dataset (generated Dynamo
 * traces, their logs, metrics whose exemplars point at those traces). A port already taken is
 * reported and skipped, so a real local stack keeps working. Ctrl+C stops everything.
 */
import { startLokiFake } from '../test/fakes/loki';
import { startPrometheus } from '../test/fakes/prometheus';
import { startTempoFake } from '../test/fakes/tempo';
import { demoAnchorMs, demoDataset } from '../test/support/synth/demo';
import { requestIdFor } from '../test/support/synth/prng';

async function main(): Promise<void> {
  const data = demoDataset(demoAnchorMs());
  const closers: (() => Promise<void>)[] = [];
  const started: { name: string; url: string }[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const attempt = async (name: string, start: () => Promise<{ url: string; close(): Promise<void> }>): Promise<void> => {
    try {
      const s = await start();
      closers.push(() => s.close());
      started.push({ name, url: s.url });
      process.stdout.write(`demo: ${name} on ${s.url}\n`);
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      skipped.push({ name, reason });
      process.stderr.write(`demo: ${name} not started: ${reason}\n`);
    }
  };
  await attempt('Tempo (contract fake)', () => startTempoFake({ traces: data.traces.map((t) => ({ otlp: t.otlp })), port: 3200, host: '127.0.0.1' }));
  await attempt('Loki (contract fake)', () => startLokiFake({ entries: data.logs, authEnabled: false, port: 3100, host: '127.0.0.1' }));
  await attempt('Prometheus (real)', () => startPrometheus({ port: 9090, exemplarSeeds: data.traces.map((t) => t.seed) }));
  process.stdout.write(`demo: ${data.traces.length} traces, ${data.logs.length} log lines; trace ids: ${data.traces.map((t) => t.model.traceId).join(' ')}\n`);
  // For `npm start`, which shows these in its closing block; one JSON line, read by machine.
  const ready = { started, skipped, traceIds: data.traces.map((t) => t.model.traceId), requestIds: data.traces.map((t) => requestIdFor(t.seed)) };
  process.stdout.write(`DEMO-READY ${JSON.stringify(ready)}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void Promise.all(closers.map((c) => c().catch(() => undefined))).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
