/**
 * Shared bench plumbing. An area (one file under bench/, e.g. trace.ts) exports a BenchArea
 * whose run() returns flat figures keyed `<figure>.<size>.<unit>`; run.ts prefixes the area name
 * and merges them into bench/results.json. Timings are medians after warm-up; memory is measured
 * in a fresh child process so one figure cannot inherit another's heap.
 */
import { execFile, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { createInterface } from 'node:readline';

export type Figures = Record<string, number>;

export interface BenchArea {
  readonly name: string;
  readonly description: string;
  /**
   * The key areas this run measures, when they are not its own name (the backends run measures
   * `tempo.*` and `loki.*`): its keys then stand as they are, unprefixed.
   */
  readonly keyAreas?: readonly string[];
  /**
   * Other runs write keys in the same key areas (the lookup core here, the lookup UI in the
   * webview bench): a run then replaces only the keys it writes, not every key of its areas.
   */
  readonly sharesKeyAreas?: boolean;
  run(log: (line: string) => void): Promise<Figures>;
}

export const ROOT = resolve(__dirname, '..');

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with --expose-gc');
  g();
}

/** Milliseconds for one call of `f`, after a full GC so earlier garbage is not billed to it. */
export function timeOnce<T>(f: () => T): [number, T] {
  gc();
  const t0 = performance.now();
  const r = f();
  return [performance.now() - t0, r];
}

/** Sizes by label, e.g. { '1k': 1000 }; SPANLENS_BENCH_SIZES=1k,10k narrows a run. */
export function sizes(all: Record<string, number>): [string, number][] {
  const only = process.env.SPANLENS_BENCH_SIZES?.split(',').map((s) => s.trim());
  return Object.entries(all).filter(([label]) => !only || only.includes(label));
}

export interface ChildResult {
  /** The JSON object the child printed on its `RESULT ` line. */
  readonly result: Record<string, number>;
  /** Heap in use just before each GC, MiB, parsed from --trace-gc lines. */
  readonly heapBeforeGcMiB: readonly number[];
}

const GC_LINE = /: (?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Mark-Compact \(reduce\))[^\d]*([\d.]+) \([\d.]+\) -> [\d.]+ \([\d.]+\) MB/;

/** Runs `node --import tsx --expose-gc [flags] script args` and collects its RESULT and GC lines. */
export async function runChild(script: string, args: readonly string[], flags: readonly string[] = []): Promise<ChildResult> {
  const { stdout } = await new Promise<{ stdout: string }>((done, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', ...flags, resolve(ROOT, script), ...args],
      { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
      (err, out, errOut) => (err ? fail(new Error(`${script} ${args.join(' ')} failed: ${errOut || err.message}`)) : done({ stdout: out })),
    );
  });
  let result: Record<string, number> | undefined;
  const heapBeforeGcMiB: number[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7)) as Record<string, number>;
    const m = GC_LINE.exec(line);
    if (m) heapBeforeGcMiB.push(Number(m[1]));
  }
  if (!result) throw new Error(`${script} printed no RESULT line`);
  return { result, heapBeforeGcMiB };
}

/**
 * Starts `node --import tsx script args` that serves something (fakes, a proxy) and prints one
 * `READY {json}` line; resolves with that JSON text and a stop(). Servers live in their own
 * process so their work does not share the measuring process's event loop.
 */
export async function serverChild(script: string, args: readonly string[]): Promise<{ cfg: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const cfg = await new Promise<string>((done, fail) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (l) => {
      if (l.startsWith('READY ')) {
        rl.close();
        done(l.slice(6));
      }
    });
    child.once('exit', (code) => fail(new Error(`${script} exited (${code}) before READY`)));
  });
  return {
    cfg,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The trace webview as shipped (the production bundle), for the areas that draw in Chromium. */
export function buildTraceWebview(): void {
  buildSync({ entryPoints: [join(ROOT, 'webview/trace/main.ts')], outfile: join(ROOT, 'dist/webview/trace.js'), bundle: true, minify: true, platform: 'browser', format: 'iife', target: 'chrome120', logLevel: 'warning' });
}
