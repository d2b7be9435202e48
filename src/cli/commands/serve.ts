/**
 * `spanlens serve [--grpc 4317] [--http 4318] [--query 3200]`: the local capture as a process —
 * the same OTLP receivers, store and Tempo/Loki query endpoint as Spanlens: Start Local Capture —
 * for a remote dev box or a script. Spanlens (or Grafana, or `spanlens trace/query --tempo/--loki`)
 * then reads it at the query URL like a Tempo and a Loki. Runs until SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import { CaptureServer, PortInUseError } from '../../core/capture/server';
import { DEFAULT_LIMITS } from '../../core/capture/store/store';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';

const USAGE = 'serve [--grpc 4317] [--http 4318] [--query 3200] [--host 127.0.0.1] [--persist DIR] [--max-spans N] [--max-logs N] [--max-mb N] [--json]';

const NUMBER_FLAGS = ['--grpc', '--http', '--query', '--max-spans', '--max-logs', '--max-mb'] as const;
const STRING_FLAGS = ['--host', '--persist'] as const;

function parseArgs(args: readonly string[]): { nums: Record<string, number>; strs: Record<string, string>; json: boolean } {
  const nums: Record<string, number> = {};
  const strs: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') {
      json = true;
      continue;
    }
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = inline ?? args[++i];
    if ((NUMBER_FLAGS as readonly string[]).includes(flag)) {
      const n = Number(value);
      const port = flag === '--grpc' || flag === '--http' || flag === '--query';
      if (value === undefined || !Number.isInteger(n) || n < 0 || (port && n > 65535) || (!port && n <= 0)) {
        throw new CliUsageError(`${flag} needs ${port ? 'a port (0-65535; 0 picks a free one)' : 'a positive whole number'} (usage: spanlens ${USAGE})`);
      }
      nums[flag] = n;
    } else if ((STRING_FLAGS as readonly string[]).includes(flag)) {
      if (!value) throw new CliUsageError(`${flag} needs a value (usage: spanlens ${USAGE})`);
      strs[flag] = value;
    } else throw new CliUsageError(`unknown option '${a.replace(/[^\x20-\x7e]/g, '?')}' (usage: spanlens ${USAGE})`);
  }
  return { nums, strs, json };
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const { nums, strs, json } = parseArgs(args);
  let server: CaptureServer;
  try {
    server = await CaptureServer.start({
      host: strs['--host'] ?? '127.0.0.1',
      ports: { grpc: nums['--grpc'] ?? 4317, http: nums['--http'] ?? 4318, query: nums['--query'] ?? 3200 },
      limits: {
        maxSpans: nums['--max-spans'] ?? DEFAULT_LIMITS.maxSpans,
        maxLogRecords: nums['--max-logs'] ?? DEFAULT_LIMITS.maxLogRecords,
        maxBytes: nums['--max-mb'] ? nums['--max-mb'] * 1024 * 1024 : DEFAULT_LIMITS.maxBytes,
      },
      persistDir: strs['--persist'] ? resolve(strs['--persist']) : undefined,
      version: 'spanlens-serve',
    });
  } catch (err) {
    if (err instanceof PortInUseError) {
      io.stderr.write(`spanlens serve: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const { host, ports } = server;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  if (json) {
    io.stdout.write(`${JSON.stringify({ grpc: `${shown}:${ports.grpc}`, http: `http://${shown}:${ports.http}`, query: server.queryUrl, ...server.stats() })}\n`);
  } else {
    io.stdout.write(
      [
        `spanlens serve: receiving OTLP on ${shown}:${ports.grpc} (gRPC) and http://${shown}:${ports.http}/v1/traces, /v1/logs (HTTP)`,
        `spanlens serve: Tempo and Loki query API on ${server.queryUrl} (point spanlens.tempo.url and spanlens.loki.url, or a Grafana datasource, there)`,
        `spanlens serve: e.g. OTEL_EXPORT_ENABLED=1 OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://${shown}:${ports.grpc}; Ctrl+C stops`,
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const s = server.stats();
  await server.close();
  io.stderr.write(`spanlens serve: stopped; held ${s.traces} traces, ${s.spans} spans, ${s.logRecords} log records (${s.evicted.traces} traces evicted)\n`);
  return 0;
}

export const serveCommand: CliCommand = {
  words: ['serve'],
  usage: USAGE,
  summary: 'Run the local capture as a process: OTLP receivers (gRPC, HTTP) and an embedded store answering the Tempo and Loki query APIs.',
  run,
};
