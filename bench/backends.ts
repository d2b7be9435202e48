/**
 * Backends area: the Tempo and Loki clients against the contract fakes over loopback, fakes in
 * one child process and the measuring clients in another. Figures per size:
 *   tempo.fetchJson / tempo.fetchProto   trace by id, request to model (ms, median of 3, warm)
 *   tempo.bytesJson / tempo.bytesProto   response body size after gzip decoding
 *   tempo.wireJson  / tempo.wireProto    bytes on the wire (gzip, as Tempo's handlers compress)
 *   loki.query                           query_range of all N lines, paged 5000 at a time (ms)
 *   loki.throughput                      decoded response MB (10^6 bytes) per second of that query
 */
import { runChild, serverChild, sizes, type BenchArea, type Figures } from './lib';

const SIZES = { '10k': 10_000, '100k': 100_000 };

async function run(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  for (const [label, n] of sizes(SIZES)) {
    log(`backends ${label}: generating and serving ${n} spans, ${n} log lines`);
    const servers = await serverChild('bench/backendsServer.ts', [String(n), String(n)]);
    try {
      log(`backends ${label}: measuring`);
      const r = (await runChild('bench/backendsChild.ts', [servers.cfg], ['--max-old-space-size=4096'])).result;
      Object.assign(figures, {
        [`tempo.fetchJson.${label}.ms`]: r.fetchJson!,
        [`tempo.fetchProto.${label}.ms`]: r.fetchProto!,
        [`tempo.bytesJson.${label}.bytes`]: r.bytesJson!,
        [`tempo.bytesProto.${label}.bytes`]: r.bytesProto!,
        [`tempo.wireJson.${label}.bytes`]: r.wireJson!,
        [`tempo.wireProto.${label}.bytes`]: r.wireProto!,
        [`loki.query.${label}.ms`]: r.lokiQuery!,
        [`loki.throughput.${label}.mbps`]: r.lokiBytes! / 1e6 / (r.lokiQuery! / 1000),
        [`loki.lines.${label}.count`]: r.lokiLines!,
        [`loki.pages.${label}.count`]: r.lokiPages!,
      });
    } finally {
      await servers.stop();
    }
  }
  return figures;
}

export const backendsArea: BenchArea = {
  name: 'backends',
  keyAreas: ['tempo', 'loki'],
  description: 'Tempo trace fetch + decode (JSON vs protobuf) and a Loki query, clients against the fakes over loopback',
  run,
};
