/**
 * A real Prometheus for tests and the demo: Debian's `prometheus` (2.42 here) on a free loopback
 * port, over a TSDB backfilled by `promtool tsdb create-blocks-from openmetrics` with hours of
 * Dynamo-named series, with exemplar storage on, scraping a local OpenMetrics endpoint whose
 * histogram buckets carry `trace_id` exemplars, one target that is down, a recording rule, an
 * alerting rule that fires (the live in-flight gauge above a threshold, `for: 0s`) and one that stays
 * inactive. The package is installed with apt-get when missing (as root).
 * Standalone: `node --import tsx test/fakes/prometheus.ts --port 9090`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get as httpGet, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spanIdFor, traceIdFor } from '../support/synth/prng';
import { LiveMetrics, backfillOpenMetrics } from './promData';
import { freePort, portFromArgv, refusedUrl } from './server';

export interface PrometheusHarness {
  readonly url: string;
  readonly version: string;
  /** The scrape endpoint's state; `observe()` adds requests (and exemplars) between scrapes. */
  readonly live: LiveMetrics;
  /** Trace ids the exemplars point at (traceIdFor(seed) for seeds 1000…). */
  readonly exemplarTraceIds: readonly string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly port?: number;
  readonly backfillHours?: number;
  /** Upper bound on every wait (start-up, first scrape, first exemplar). */
  readonly timeoutMs?: number;
  /** Trace seeds to attach exemplars to; default 1000…1011 (the demo's traces). */
  readonly exemplarSeeds?: readonly number[];
}

/** Installs Debian's prometheus when the binaries are missing; returns why it can't, if so. */
export function ensurePrometheus(): string | undefined {
  const has = (bin: string): boolean => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
  if (has('prometheus') && has('promtool')) return undefined;
  if (process.getuid?.() !== 0) return 'prometheus is not installed and installing it needs root (apt-get install prometheus)';
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], { stdio: 'ignore', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) spawnSync('apt-get', ['update'], { stdio: 'ignore', timeout: 600_000 });
  const again = r.status === 0 ? r : spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], { stdio: 'ignore', timeout: 600_000 });
  return again.status === 0 && has('prometheus') ? undefined : 'apt-get install prometheus failed';
}

export async function startPrometheus(opts: HarnessOptions = {}): Promise<PrometheusHarness> {
  const why = ensurePrometheus();
  if (why) throw new Error(why);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-prom-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const cleanup = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const om = join(dir, 'backfill.om');
    writeFileSync(om, backfillOpenMetrics({ endMs: Date.now() - 10 * 60_000, hours: opts.backfillHours ?? 6 }));
    const bf = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', om, join(dir, 'data')], { encoding: 'utf8', timeout: timeoutMs });
    if (bf.status !== 0) throw new Error(`promtool backfill failed: ${bf.stderr || bf.error}`);

    const live = new LiveMetrics();
    const seeds = opts.exemplarSeeds ?? Array.from({ length: 12 }, (_, i) => 1000 + i);
    seeds.forEach((seed, i) => live.observe(0.004 + i * 0.03, traceIdFor(seed), spanIdFor(seed, 0)));
    const metrics = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' });
      res.end(live.render());
    });
    await new Promise<void>((r) => metrics.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => closeServer(metrics));
    const metricsPort = (metrics.address() as AddressInfo).port;
    const downTarget = new URL(await refusedUrl()).host;

    writeFileSync(
      join(dir, 'rules.yml'),
      [
        'groups:',
        '  - name: dynamo',
        '    interval: 1s',
        '    rules:',
        '      - record: job:dynamo_frontend_requests:rate1m',
        '        expr: sum by (job) (rate(dynamo_frontend_requests_total[1m]))',
        // Fires on the first evaluation after a scrape: the live gauge (3) is above 2, `for: 0s`.
        '      - alert: DynamoFrontendBusy',
        '        expr: dynamo_frontend_inflight_requests > 2',
        '        for: 0s',
        '        labels: { severity: warning }',
        '        annotations: { summary: "Requests in flight on {{ $labels.instance }}" }',
        // Never fires (nothing exports the series): an inactive rule for views that list them.
        '      - alert: DynamoFrontendQueueBacklog',
        '        expr: dynamo_frontend_queued_requests > 100',
        '        for: 1m',
        '        labels: { severity: critical }',
        '        annotations: { summary: "Requests are queueing on {{ $labels.instance }}" }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'rule_files: [rules.yml]',
        'scrape_configs:',
        '  - job_name: dynamo-frontend',
        `    static_configs: [{ targets: ["127.0.0.1:${metricsPort}"] }]`,
        '  - job_name: dynamo-worker',
        `    static_configs: [{ targets: ["${downTarget}"] }]`,
        '',
      ].join('\n'),
    );

    for (let attempt = 0; ; attempt++) {
      const port = opts.port ?? (await freePort());
      const child = spawn(
        'prometheus',
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--enable-feature=exemplar-storage',
          '--storage.tsdb.retention.time=30d',
        ],
        { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      const url = `http://127.0.0.1:${port}`;
      const started = await waitFor(async () => (await fetchOk(`${url}/-/ready`)) || child.exitCode !== null, timeoutMs);
      if (!started || child.exitCode !== null) {
        await stop(child);
        if (/address already in use/.test(stderr) && opts.port === undefined && attempt < 3) continue;
        throw new Error(`prometheus did not become ready: ${stderr.split('\n').slice(-5).join(' | ')}`);
      }
      cleanups.push(() => stop(child));
      // Ready is not enough for tests: wait for a scrape with exemplars to land.
      const q = encodeURIComponent('dynamo_frontend_time_to_first_token_seconds_bucket');
      const gotExemplars = await waitFor(async () => {
        const body = await fetchText(`${url}/api/v1/query_exemplars?query=${q}&start=${Date.now() / 1000 - 600}&end=${Date.now() / 1000 + 60}`);
        return body !== undefined && body.includes('trace_id');
      }, timeoutMs);
      if (!gotExemplars) throw new Error('prometheus never stored an exemplar from the scrape endpoint');
      const info = JSON.parse((await fetchText(`${url}/api/v1/status/buildinfo`)) ?? '{}') as { data?: { version?: string } };
      return { url, version: info.data?.version ?? '', live, exemplarTraceIds: seeds.map((s) => traceIdFor(s)), close: cleanup };
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; never a fixed sleep. */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; Date.now() < deadline; delay = Math.min(delay * 2, 500)) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, delay));
  }
  return false;
}

/** GET without keep-alive, so polling leaves no socket behind; undefined unless 2xx. */
function fetchText(url: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = httpGet(url, { agent: false, timeout: 2000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(res.statusCode && res.statusCode < 300 ? Buffer.concat(chunks).toString('utf8') : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

async function fetchOk(url: string): Promise<boolean> {
  return (await fetchText(url)) !== undefined;
}

/** SIGTERM, then SIGKILL if it has not exited within 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

function closeServer(s: Server): Promise<void> {
  return new Promise((r) => {
    s.close(() => r());
    s.closeAllConnections();
  });
}

if (process.argv[1] && /fakes[\\/]prometheus\.ts$/.test(process.argv[1])) {
  void (async () => {
    const h = await startPrometheus({ port: portFromArgv(process.argv, 9090) });
    process.stdout.write(`real Prometheus ${h.version} on ${h.url}\n`);
    const stopAll = (): void => void h.close().then(() => process.exit(0));
    process.on('SIGINT', stopAll);
    process.on('SIGTERM', stopAll);
  })().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
