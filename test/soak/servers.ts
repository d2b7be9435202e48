/**
 * Child process of the soak: the Tempo and Loki fakes serving the demo dataset and a real
 * Prometheus, on loopback. Prints one `READY {json}` line; then reads fault commands from stdin,
 * one JSON line each (`{"backend":"tempo","fault":{…}}`), and queues each on that fake for its
 * next request; ends on SIGTERM or when stdin closes. Apart from the measured process so the
 * fakes' own memory (they record every request) is not counted as the clients' heap.
 */
import { createInterface } from 'node:readline';
import type { Fault } from '../fakes/faults';
import { startLokiFake } from '../fakes/loki';
import { startPrometheus } from '../fakes/prometheus';
import { startTempoFake } from '../fakes/tempo';
import { demoDataset } from '../support/synth/demo';

async function main(): Promise<void> {
  const data = demoDataset();
  const tempo = await startTempoFake({ traces: data.traces.map((t) => ({ otlp: t.otlp })) });
  const loki = await startLokiFake({ entries: data.logs, authEnabled: false });
  const prom = await startPrometheus({ backfillHours: 1 });
  const fakes = { tempo, loki } as const;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void Promise.all([tempo.close(), loki.close(), prom.close()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const cmd = JSON.parse(line) as { backend: keyof typeof fakes; fault: Fault };
    fakes[cmd.backend]?.faults.add(cmd.fault);
  });
  rl.on('close', stop);
  const startMs = data.anchorMs - 60 * 60_000;
  process.stdout.write(
    `READY ${JSON.stringify({ tempo: tempo.url, loki: loki.url, prometheus: prom.url, traceIds: data.traces.map((t) => t.model.traceId), startMs, endMs: data.anchorMs + 60_000 })}\n`,
  );
}

void main().catch((err: unknown) => {
  process.stderr.write(`soak servers: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
