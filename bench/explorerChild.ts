/**
 * Child of bench/explorer.ts: serves N small Dynamo traces from the Tempo fake, takes one search
 * answer for all of them (outside the timing), then times answer → listed rows.
 */
import { decodeSearch } from '../src/core/backends/tempo/client';
import { traceRows } from '../src/core/explorer/traces';
import { formatDuration } from '../src/core/format/duration';
import { startTempoFake } from '../test/fakes/tempo';
import { generateTrace } from '../test/support/synth';
import { median, timeOnce } from './lib';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const now = Date.now();
  const traces = Array.from({ length: n }, (_, i) => ({ otlp: generateTrace({ spans: 6, seed: 5000 + i, startUnixNano: BigInt(now - 3_600_000 + i * 3000) * 1_000_000n }) }));
  const fake = await startTempoFake({ traces });
  const q = new URLSearchParams({ q: '{}', limit: String(n), start: String(Math.floor(now / 1000) - 7200), end: String(Math.ceil(now / 1000) + 60) });
  const body = await (await fetch(`${fake.url}/api/search?${q}`)).text();
  await fake.close();
  const time = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

  const list = (): string[] => {
    const rows = traceRows(decodeSearch(JSON.parse(body)).traces);
    return rows.map((r) => `${r.rootService}: ${r.rootName ?? '?'}\t${[formatDuration(r.durationMs * 1e6), `${r.spanCount} spans`, time.format(r.startMs)].join(' · ')}`);
  };
  const got = list();
  if (got.length !== n) throw new Error(`listed ${got.length} of ${n} results`);
  for (let i = 0; i < 3; i++) list();
  const ms: number[] = [];
  for (let i = 0; i < 15; i++) ms.push(timeOnce(list)[0]);
  process.stdout.write(`RESULT ${JSON.stringify({ listMs: median(ms), bytes: body.length })}\n`);
}

void main();
