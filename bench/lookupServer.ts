/**
 * Child process for the lookup bench, one per backend as in a real stack (a busy Loki does not
 * slow Tempo down): the Tempo or the Loki fake, or a real Prometheus, answering `DELAY_MS` late
 * (the fakes through their delay fault, Prometheus through a small delaying proxy), serving one
 * Dynamo-shaped request of 300 spans in JSONL logs.
 * Usage: lookupServer.ts tempo|loki|prometheus DELAY_MS. Prints `READY {json}`, serves until SIGTERM.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTraceValue } from '../src/core/formats';
import { startLokiFake } from '../test/fakes/loki';
import { startPrometheus } from '../test/fakes/prometheus';
import { startTempoFake } from '../test/fakes/tempo';
import { generateTrace } from '../test/support/synth';
import { generateLogs } from '../test/support/synth/logs';
import { requestIdFor } from '../test/support/synth/prng';

async function delayingProxy(target: string, ms: number): Promise<{ url: string; close(): Promise<void> }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    setTimeout(() => {
      const up = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    }, ms);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

async function main(): Promise<void> {
  const role = process.argv[2];
  const delay = Number(process.argv[3] ?? 100);
  const seed = 7100;
  // The same request in every child: the anchor is the start of the current 10-minute slot.
  const anchor = Math.floor(Date.now() / 600_000) * 600_000;
  const otlp = generateTrace({ spans: 300, seed, startUnixNano: BigInt(anchor - 20 * 60_000) * 1_000_000n });
  const model = parseTraceValue(otlp).traces[0]!;
  let url: string;
  let close: () => Promise<void>;
  if (role === 'tempo' || role === 'loki') {
    const fake = role === 'tempo' ? await startTempoFake({ traces: [{ otlp }] }) : await startLokiFake({ entries: generateLogs([model], { shape: 'jsonl', seed }), authEnabled: false });
    fake.faults.add({ kind: 'delay', ms: delay }, { times: Infinity });
    url = fake.url;
    close = () => fake.close();
  } else {
    const prom = await startPrometheus({ backfillHours: 1 });
    const proxy = await delayingProxy(prom.url, delay);
    url = proxy.url;
    close = async () => {
      await proxy.close();
      await prom.close();
    };
  }
  process.stdout.write(`READY ${JSON.stringify({ url, id: requestIdFor(seed), traceId: model.traceId })}\n`);
  process.on('SIGTERM', () => {
    void close().then(() => process.exit(0));
  });
}

void main();
