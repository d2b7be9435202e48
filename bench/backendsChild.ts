/**
 * Measuring side of the backends bench (run with --expose-gc): fetch + decode of the trace from
 * the Tempo fake as JSON and as protobuf, and a Loki query of all log lines, through the real
 * clients over loopback. Prints `RESULT {json}`.
 */
import { request } from 'undici';
import { HttpClient } from '../src/core/backends/http';
import { LokiClient } from '../src/core/backends/loki/client';
import { TempoClient } from '../src/core/backends/tempo/client';
import { gc, median } from './lib';

const RUNS = 3;

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  gc();
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
}

async function wireBytes(url: string, accept: string): Promise<number> {
  const r = await request(url, { headers: { accept, 'accept-encoding': 'gzip' } });
  return (await r.body.arrayBuffer()).byteLength;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]!) as { tempo: string; loki: string; traceId: string; startMs: number; endMs: number; lines: number };
  const out: Record<string, number> = {};
  const big = { maxResponseBytes: 512 * 1024 * 1024, timeouts: { headersMs: 120_000, bodyMs: 120_000 } };
  for (const proto of [false, true]) {
    const http = new HttpClient({ backend: 'Tempo', baseUrl: cfg.tempo, ...big });
    const tempo = new TempoClient(http, { protobuf: proto });
    await tempo.trace(cfg.traceId); // warm-up: the fake encodes and caches the body
    const times: number[] = [];
    let bytes = 0;
    let spans = 0;
    for (let i = 0; i < RUNS; i++) {
      const [ms, got] = await timed(() => tempo.trace(cfg.traceId));
      times.push(ms);
      bytes = got.bytes;
      spans = got.trace.spans.length;
    }
    const name = proto ? 'Proto' : 'Json';
    out[`fetch${name}`] = median(times);
    out[`bytes${name}`] = bytes;
    out[`wire${name}`] = await wireBytes(`${cfg.tempo}/api/v2/traces/${cfg.traceId}`, proto ? 'application/protobuf' : 'application/json');
    out.spans = spans;
    await http.close();
  }
  let lokiBytes = 0;
  const http = new HttpClient({ backend: 'Loki', baseUrl: cfg.loki, ...big, onRequest: (e) => (lokiBytes += e.bytes) });
  const loki = new LokiClient(http);
  const range = { startMs: cfg.startMs, endMs: cfg.endMs };
  const query = () => loki.queryRange({ query: '{namespace="dynamo"}', range, limit: cfg.lines });
  await query();
  const times: number[] = [];
  let lines = 0;
  let pages = 0;
  let bytesPerRun = 0;
  for (let i = 0; i < RUNS; i++) {
    lokiBytes = 0;
    const [ms, r] = await timed(query);
    times.push(ms);
    bytesPerRun = lokiBytes;
    if (r.kind === 'streams') {
      lines = r.lines.length;
      pages = r.pages;
    }
  }
  out.lokiQuery = median(times);
  out.lokiLines = lines;
  out.lokiPages = pages;
  out.lokiBytes = bytesPerRun;
  await http.close();
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
