/**
 * Explorer area: `explorer.searchResults.1k.ms` — from a Tempo search answer of 1,000 traces (the
 * body as the Tempo fake encodes it) to the rows the Search view lists: JSON parse, decode to the
 * model, newest-first rows, and each row's label and description text (duration, span count,
 * start time). Median of 15 runs after warm-up, in a child process with its own heap.
 */
import { runChild, sizes, type BenchArea, type Figures } from './lib';

const SIZES = { '1k': 1000 };

async function run(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  for (const [label, n] of sizes(SIZES)) {
    log(`explorer ${label}: ${n} search results`);
    const r = (await runChild('bench/explorerChild.ts', [String(n)])).result;
    figures[`searchResults.${label}.ms`] = r.listMs!;
  }
  return figures;
}

export const explorerArea: BenchArea = {
  name: 'explorer',
  description: 'Search results: a Tempo search answer of N traces to the rows the Search view lists',
  run,
};
