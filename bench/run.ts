/**
 * `npm run bench [-- AREA...]`: runs benchmark areas, prints their figures and merges them into
 * bench/results.json, ONE flat object of numbers keyed `<area>.<figure>.<size>.<unit>`
 * (e.g. `trace.decode.100k.ms`). Running one area keeps the other areas' figures in the file.
 * To add an area: write bench/<area>.ts exporting a BenchArea and add one line to AREAS.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, type BenchArea, type Figures } from './lib';

const AREAS: Record<string, () => Promise<BenchArea>> = {
  trace: async () => (await import('./trace')).traceArea,
  backends: async () => (await import('./backends')).backendsArea,
  soak: async () => (await import('./soak')).soakArea,
  flame: async () => (await import('./flame')).flameArea,
  explorer: async () => (await import('./explorer')).explorerArea,
  extension: async () => (await import('./extension')).extensionArea,
  metrics: async () => (await import('./metrics')).metricsArea,
  lookupCore: async () => (await import('./lookup')).lookupArea,
  logsCore: async () => (await import('./logs')).logsArea,
  lookupPanel: async () => (await import('./lookupPanel')).lookupPanelArea,
  capture: async () => (await import('./capture')).captureArea,
};

const RESULTS = resolve(ROOT, 'bench', 'results.json');

function format(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3);
}

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((a) => !(a in AREAS));
  if (unknown.length) {
    process.stderr.write(`bench: unknown area ${unknown.join(', ')}; areas: ${Object.keys(AREAS).join(', ')}\n`);
    return 2;
  }
  const chosen = argv.length ? argv : Object.keys(AREAS);
  const figures: Figures = {};
  const replaced: string[] = [];
  const replacedKeys = new Set<string>();
  const failed: string[] = [];
  for (const name of chosen) {
    const area = await AREAS[name]!();
    process.stderr.write(`bench: ${area.name}: ${area.description}\n`);
    let got: Figures;
    try {
      got = await area.run((line) => process.stderr.write(`  ${line}\n`));
    } catch (err) {
      // One broken area must not throw away the figures of the others (a full run takes long):
      // its keys stay as they were, and the run ends non-zero.
      process.stderr.write(`bench: ${area.name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      failed.push(area.name);
      continue;
    }
    const own = area.keyAreas ?? [area.name];
    if (!area.sharesKeyAreas) replaced.push(area.name, ...own);
    for (const [k, v] of Object.entries(got)) {
      const key = area.keyAreas ? k : `${area.name}.${k}`;
      figures[key] = v;
      replacedKeys.add(key);
    }
  }
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k.padEnd(width)}  ${format(v)}\n`);

  const previous: Figures = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Figures) : {};
  const merged: Figures = {};
  for (const [k, v] of Object.entries(previous)) if (!replacedKeys.has(k) && !replaced.some((a) => k.startsWith(`${a}.`))) merged[k] = v;
  Object.assign(merged, figures);
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(RESULTS, `${JSON.stringify(sorted, null, 2)}\n`);
  process.stderr.write(`bench: wrote ${RESULTS}\n`);
  if (failed.length) process.stderr.write(`bench: failed: ${failed.join(', ')}\n`);
  return failed.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
