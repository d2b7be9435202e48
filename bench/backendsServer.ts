/**
 * Child process for the backends bench: the Tempo and Loki fakes serving one generated trace of
 * N spans and M log lines of its spans, on loopback. Prints one `READY {json}` line, then serves
 * until SIGTERM. Kept apart from the measuring process so server work doesn't share its loop.
 */
import { parseTraceValue } from '../src/core/formats';
import { startLokiFake } from '../test/fakes/loki';
import { startTempoFake } from '../test/fakes/tempo';
import { generateTrace } from '../test/support/synth';
import { generateLogs } from '../test/support/synth/logs';

async function main(): Promise<void> {
  const spans = Number(process.argv[2]);
  const lines = Number(process.argv[3]);
  const startMs = Date.now() - 30 * 60_000;
  const otlp = generateTrace({ spans, seed: 20260101, startUnixNano: BigInt(startMs) * 1_000_000n });
  const model = parseTraceValue(otlp).traces[0]!;
  const logs = [];
  // The trace's own lines, then more traces' worth until the target volume is reached.
  for (let seed = 0; logs.length < lines; seed++) {
    logs.push(...generateLogs([model], { shape: 'jsonl', seed, maxLines: lines - logs.length }));
  }
  const tempo = await startTempoFake({ traces: [{ otlp }] });
  const loki = await startLokiFake({ entries: logs, authEnabled: false });
  const endMs = Number(model.spans.reduce((m, s) => (s.end > m ? s.end : m), 0n) / 1_000_000n) + 1000;
  process.stdout.write(`READY ${JSON.stringify({ tempo: tempo.url, loki: loki.url, traceId: model.traceId, startMs: startMs - 1000, endMs, lines: logs.length })}\n`);
  process.on('SIGTERM', () => {
    void Promise.all([tempo.close(), loki.close()]).then(() => process.exit(0));
  });
}

void main();
