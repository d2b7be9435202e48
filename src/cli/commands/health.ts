/**
 * `spanlens health [URL…]`: asks Dynamo health endpoints (default: the frontend's /health and
 * /live on :8000 and a worker's system port :8081, or SPANLENS_HEALTH_URLS, comma-separated).
 * `--json` prints `[{"url", "httpStatus", "kind": "frontend"|"frontend-live"|"worker", "status",
 * "endpoints": [{"name", "state"}], "instances": [{"component", "endpoint", "namespace",
 * "instanceId": "<decimal string>"}], "uptimeSeconds"}]`; an endpoint that gave no health answer
 * has `kind` and `httpStatus` null (when there was no response), `status` "unreachable" or
 * "error", and an `error` text. Exit 1 when any endpoint is not healthy, ready or live.
 */
import { allHealthy, DEFAULT_HEALTH_ENDPOINTS, DynamoHealthChecker, type DynamoHealthResult } from '../../core/backends/dynamo/health';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';
import { connectionFrom, jsonText, parse, printable, table } from './connection';

const USAGE = 'health [URL…] [--timeout MS] [--ca FILE] [--insecure] [--json]';

export const healthCommand: CliCommand = {
  words: ['health'],
  usage: USAGE,
  summary: "Dynamo processes' health endpoints: state, endpoints, instances, uptime (exit 1 unless all are healthy/ready/live)",
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parse(args, {}, USAGE);
    const fromEnv = process.env.SPANLENS_HEALTH_URLS?.split(',').map((s) => s.trim()).filter(Boolean);
    const urls = positionals.length ? positionals : fromEnv?.length ? fromEnv : DEFAULT_HEALTH_ENDPOINTS;
    for (const u of urls) {
      if (!/^https?:\/\//i.test(u)) throw new CliUsageError(`not an http:// or https:// URL: '${printable(u)}' (usage: spanlens ${USAGE})`);
    }
    const conn = connectionFrom(values);
    const checker = new DynamoHealthChecker(conn, { onWarning: (w) => io.stderr.write(`warning: ${printable(w)}\n`) });
    const ac = new AbortController();
    const onSigint = (): void => ac.abort();
    process.once('SIGINT', onSigint);
    let results: DynamoHealthResult[];
    try {
      results = await checker.check(
        urls.map((url) => ({ url })),
        { signal: ac.signal },
      );
    } finally {
      process.removeListener('SIGINT', onSigint);
      await checker.close();
    }
    if (values.json) io.stdout.write(jsonText(results.map(healthJson)));
    else {
      io.stdout.write(table(['URL', 'HTTP', 'KIND', 'STATUS', 'DETAIL'], results.map((r) => [r.url, r.httpStatus === undefined ? '-' : String(r.httpStatus), r.kind ?? '-', printable(r.status), printable(detail(r))])));
      for (const r of results) if (r.error) io.stdout.write(`\n${r.url}: ${printable(r.error)}\n`);
    }
    return allHealthy(results) ? 0 : 1;
  },
};

export function healthJson(r: DynamoHealthResult): Record<string, unknown> {
  return {
    url: r.url,
    httpStatus: r.httpStatus ?? null,
    kind: r.kind ?? null,
    status: r.status,
    endpoints: r.endpoints.map((e) => ({ name: e.name, state: e.state })),
    instances: r.instances.map((i) => ({ component: i.component, endpoint: i.endpoint, namespace: i.namespace, instanceId: i.instanceId })),
    uptimeSeconds: r.uptimeSeconds ?? null,
    ...(r.error ? { error: r.error } : {}),
  };
}

function detail(r: DynamoHealthResult): string {
  if (r.outcome === 'unreachable' || r.outcome === 'error') return r.errorKind ?? '';
  const parts: string[] = [];
  if (r.kind === 'worker') {
    parts.push(r.endpoints.map((e) => `${e.name}=${e.state}`).join(' ') || 'no endpoints');
    if (r.uptimeSeconds !== undefined) parts.push(`up ${Math.floor(r.uptimeSeconds)} s`);
  } else if (r.kind === 'frontend') {
    parts.push(`${r.endpoints.length} endpoints, ${r.instances.length} instances`);
    if (r.message) parts.push(r.message);
  } else if (r.message) parts.push(r.message);
  return parts.join(', ');
}
