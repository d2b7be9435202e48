/**
 * Small HTTP servers that serve Dynamo-shaped metrics the way Dynamo's processes do: the
 * frontend (`dynamo_frontend_*`, with an exemplar on a TTFT bucket when scraped as OpenMetrics),
 * a worker system server (`dynamo_component_*`, plus /health), KVBM (`kvbm_*`) and NIXL. Metric
 * and label names follow Dynamo's own; counters grow with every scrape.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export const MODEL = 'Qwen/Qwen3-0.6B';
export const EXEMPLAR_TRACE_ID = '9f2c61d0e4b8473a8c15d7e90a3b2f46';

/** Values the live test expects: a backlog (queued ≥ the critical 50, and > 80% of in flight). */
export const QUEUED = 60;
export const INFLIGHT = 61;

type Family = { name: string; type: 'counter' | 'gauge' | 'histogram'; samples: string[] };

function text(families: Family[], openMetrics: boolean): string {
  const lines: string[] = [];
  for (const f of families) {
    // OpenMetrics names a counter family without its _total suffix.
    const family = openMetrics && f.type === 'counter' ? f.name.replace(/_total$/, '') : f.name;
    lines.push(`# TYPE ${family} ${f.type}`);
    for (const s of f.samples) lines.push(openMetrics ? s : s.replace(/ # \{.*$/, ''));
  }
  if (openMetrics) lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

function frontend(scrape: number): Family[] {
  const m = `model="${MODEL}"`;
  const nowS = (Date.now() / 1000).toFixed(3);
  return [
    {
      name: 'dynamo_frontend_requests_total',
      type: 'counter',
      samples: [
        `dynamo_frontend_requests_total{${m},endpoint="chat_completions",request_type="stream",status="success",error_type=""} ${100 + scrape * 10}`,
        `dynamo_frontend_requests_total{${m},endpoint="chat_completions",request_type="stream",status="error",error_type="internal"} ${scrape}`,
      ],
    },
    { name: 'dynamo_frontend_queued_requests', type: 'gauge', samples: [`dynamo_frontend_queued_requests{${m}} ${QUEUED}`] },
    { name: 'dynamo_frontend_inflight_requests', type: 'gauge', samples: [`dynamo_frontend_inflight_requests{${m}} ${INFLIGHT}`] },
    {
      name: 'dynamo_frontend_time_to_first_token_seconds',
      type: 'histogram',
      samples: [
        `dynamo_frontend_time_to_first_token_seconds_bucket{${m},le="0.1"} ${scrape} # {trace_id="${EXEMPLAR_TRACE_ID}"} 0.058 ${nowS}`,
        `dynamo_frontend_time_to_first_token_seconds_bucket{${m},le="1.0"} ${2 * scrape}`,
        `dynamo_frontend_time_to_first_token_seconds_bucket{${m},le="+Inf"} ${2 * scrape}`,
        `dynamo_frontend_time_to_first_token_seconds_sum{${m}} ${(0.3 * scrape).toFixed(3)}`,
        `dynamo_frontend_time_to_first_token_seconds_count{${m}} ${2 * scrape}`,
      ],
    },
  ];
}

function worker(scrape: number): Family[] {
  const l = `dynamo_namespace="dynamo",dynamo_component="backend",dynamo_endpoint="generate",model="${MODEL}",model_name="${MODEL}"`;
  return [
    { name: 'dynamo_component_requests_total', type: 'counter', samples: [`dynamo_component_requests_total{${l}} ${50 + scrape * 5}`] },
    { name: 'dynamo_component_inflight_requests', type: 'gauge', samples: [`dynamo_component_inflight_requests{${l}} 3`] },
    { name: 'dynamo_component_uptime_seconds', type: 'gauge', samples: [`dynamo_component_uptime_seconds{dynamo_namespace="dynamo",dynamo_component="backend"} ${64 + scrape}`] },
  ];
}

function kvbm(scrape: number): Family[] {
  return [
    { name: 'kvbm_matched_tokens', type: 'counter', samples: [`kvbm_matched_tokens ${scrape * 128}`] },
    { name: 'kvbm_host_cache_hit_rate', type: 'gauge', samples: ['kvbm_host_cache_hit_rate 0.42'] },
  ];
}

// NIXL's own metric names are not in the Dynamo reference; this stand-in only has to be scrapable.
function nixl(): Family[] {
  return [{ name: 'nixl_test_agent_up', type: 'gauge', samples: ['nixl_test_agent_up 1'] }];
}

export type Role = 'frontend' | 'worker' | 'kvbm' | 'nixl';

export interface MetricsServer {
  readonly role: Role;
  readonly port: number;
  scrapes(): number;
  close(): Promise<void>;
}

export async function startMetricsServer(role: Role): Promise<MetricsServer> {
  let scrapes = 0;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.url === '/metrics') {
      scrapes++;
      const families = role === 'frontend' ? frontend(scrapes) : role === 'worker' ? worker(scrapes) : role === 'kvbm' ? kvbm(scrapes) : nixl();
      // Only the frontend stand-in speaks OpenMetrics (to carry an exemplar); the others answer
      // in the text format, as the Rust prometheus crate Dynamo uses does.
      const om = role === 'frontend' && /application\/openmetrics-text/.test(req.headers.accept ?? '');
      res.writeHead(200, {
        'content-type': om ? 'application/openmetrics-text; version=1.0.0; charset=utf-8' : 'text/plain; version=0.0.4; charset=utf-8',
      });
      res.end(text(families, om));
    } else if (req.url === '/health' && role !== 'kvbm' && role !== 'nixl') {
      // The worker system server answers JSON sent as text/plain (reference §4.1).
      res.writeHead(200, { 'content-type': role === 'worker' ? 'text/plain' : 'application/json' });
      res.end(role === 'worker' ? '{"endpoints":{"generate":"ready"},"status":"ready","uptime":{"nanos":0,"secs":64}}' : '{"status":"healthy","endpoints":[],"instances":[]}');
    } else {
      res.writeHead(404);
      res.end();
    }
  };
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    role,
    port,
    scrapes: () => scrapes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
