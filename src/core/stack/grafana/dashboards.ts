import type { StackOptions } from '../options';
import { buildDashboard, type DashboardSpec, type PanelSpec, type QuerySpec } from './dashboardModel';
import { provisioned } from './datasources';

/**
 * The four dashboards as panel tables. Metric names are Dynamo's own (frontend `dynamo_frontend_*`,
 * workers `dynamo_component_*`, KVBM `kvbm_*`), DCGM's, and Tempo's span metrics.
 */

const M = 'model=~"$model"';
const q = (expr: string, legend?: string): QuerySpec => ({ expr, ...(legend ? { legend } : {}) });
const quantiles = (metric: string, qs: readonly number[], by = 'le'): QuerySpec[] =>
  qs.map((x) => q(`histogram_quantile(${x}, sum by (${by}) (rate(${metric}_bucket{${M}}[$__rate_interval])))`, `p${Math.round(x * 100)}`));
const row = (title: string): PanelSpec => ({ title, kind: 'row' });
const ts = (title: string, unit: string, queries: QuerySpec[], w = 12, description?: string): PanelSpec => ({
  title,
  kind: 'timeseries',
  ds: 'prometheus',
  unit,
  queries,
  w,
  ...(description ? { description } : {}),
});

const FRONTEND: PanelSpec[] = [
  row('Frontend'),
  ts('Requests / s by status', 'reqps', [q(`sum by (status) (rate(dynamo_frontend_requests_total{${M}}[$__rate_interval]))`, '{{status}}')], 8),
  ts('Error ratio (cancellations excluded)', 'percent', [
    q(
      `100 * sum(rate(dynamo_frontend_requests_total{${M}, status="error", error_type!="cancelled"}[$__rate_interval])) / sum(rate(dynamo_frontend_requests_total{${M}}[$__rate_interval]))`,
      'errors',
    ),
  ], 8),
  ts('Output tokens / s', 'short', [q(`sum(rate(dynamo_frontend_output_tokens_total{${M}}[$__rate_interval]))`, 'tokens/s')], 8),
  ts('Time to first token', 's', quantiles('dynamo_frontend_time_to_first_token_seconds', [0.5, 0.95, 0.99]), 8),
  ts('Inter-token latency', 's', quantiles('dynamo_frontend_inter_token_latency_seconds', [0.5, 0.95, 0.99]), 8),
  ts('Request duration', 's', quantiles('dynamo_frontend_request_duration_seconds', [0.5, 0.95, 0.99]), 8),
  ts('Queued vs in flight', 'short', [
    q(`sum(dynamo_frontend_queued_requests{${M}})`, 'queued (waiting for first token)'),
    q(`sum(dynamo_frontend_inflight_requests{${M}})`, 'in flight'),
  ], 8, 'Queued requests have not produced their first token yet; a queue that is most of what is in flight means prefill cannot keep up.'),
  ts('Average sequence length', 'short', [
    q(`sum(rate(dynamo_frontend_input_sequence_tokens_sum{${M}}[$__rate_interval])) / sum(rate(dynamo_frontend_input_sequence_tokens_count{${M}}[$__rate_interval]))`, 'input (ISL)'),
    q(`sum(rate(dynamo_frontend_output_sequence_tokens_sum{${M}}[$__rate_interval])) / sum(rate(dynamo_frontend_output_sequence_tokens_count{${M}}[$__rate_interval]))`, 'output (OSL)'),
  ], 8),
  ts('Active decode blocks per worker', 'short', [q('dynamo_frontend_worker_active_decode_blocks', 'worker {{worker_id}} {{worker_type}} dp{{dp_rank}}')], 8),
];

const WORKERS: PanelSpec[] = [
  row('Workers'),
  ts('Worker requests / s', 'reqps', [q('sum by (dynamo_component) (rate(dynamo_component_requests_total{dynamo_endpoint="generate"}[$__rate_interval]))', '{{dynamo_component}}')], 8),
  ts('Worker errors / s', 'short', [q('sum by (dynamo_component, error_type) (rate(dynamo_component_errors_total[$__rate_interval]))', '{{dynamo_component}} {{error_type}}')], 8),
  ts('Worker request duration p95', 's', [
    q('histogram_quantile(0.95, sum by (le, dynamo_component) (rate(dynamo_component_request_duration_seconds_bucket{dynamo_endpoint="generate"}[$__rate_interval])))', '{{dynamo_component}}'),
  ], 8),
  ts('Worker requests in flight', 'short', [q('sum by (dynamo_component) (dynamo_component_inflight_requests)', '{{dynamo_component}}')], 12),
  ts('KV cache usage', 'percentunit', [q(`dynamo_component_gpu_cache_usage_percent{${M}}`, '{{dynamo_component}} dp{{dp_rank}}')], 12),
];

const TRACES: PanelSpec[] = [
  row('Traces (Tempo span metrics)'),
  {
    ...ts('Dynamo span latency p95 (dots link to traces)', 's', []),
    queries: [
      {
        expr: 'histogram_quantile(0.95, sum by (le, span_name) (rate(traces_spanmetrics_latency_bucket{span_name=~"http-request|handle_payload"}[$__rate_interval])))',
        legend: '{{span_name}}',
        exemplar: true,
      },
    ],
  },
  ts('Span rate by service', 'reqps', [q('sum by (service) (rate(traces_spanmetrics_calls_total[$__rate_interval]))', '{{service}}')]),
];

export function overviewDashboard(o: StackOptions): DashboardSpec {
  const traces = provisioned(o).includes('tempo');
  return {
    uid: 'spanlens-dynamo-overview',
    title: 'Dynamo overview',
    file: 'dynamo-overview.json',
    description: 'Dynamo frontend and worker metrics; span latency with exemplars when Tempo is in the stack.',
    tags: ['dynamo', 'spanlens'],
    refresh: '10s',
    from: 'now-30m',
    variables: [{ name: 'model', label: 'Model', kind: 'query', ds: 'prometheus', query: 'label_values(dynamo_frontend_requests_total, model)' }],
    panels: [...FRONTEND, ...WORKERS, ...(traces ? TRACES : [])],
  };
}

const GPU = 'GPU {{gpu}} {{modelName}}';

export const DCGM_DASHBOARD: DashboardSpec = {
  uid: 'spanlens-dcgm-gpu',
  title: 'DCGM GPU',
  file: 'dcgm-gpu.json',
  description: 'NVIDIA DCGM exporter metrics per GPU.',
  tags: ['dynamo', 'gpu', 'spanlens'],
  refresh: '10s',
  from: 'now-30m',
  variables: [],
  panels: [
    ts('GPU utilisation', 'percent', [q('DCGM_FI_DEV_GPU_UTIL', GPU)], 8),
    ts('GPU memory', 'bytes', [q('DCGM_FI_DEV_FB_USED * 1024 * 1024', `used ${GPU}`), q('DCGM_FI_DEV_FB_FREE * 1024 * 1024', `free ${GPU}`)], 8),
    ts('Temperature', 'celsius', [q('DCGM_FI_DEV_GPU_TEMP', `core ${GPU}`), q('DCGM_FI_DEV_MEMORY_TEMP', `memory ${GPU}`)], 8),
    ts('Power', 'watt', [q('DCGM_FI_DEV_POWER_USAGE', GPU)], 8),
    ts('Clocks', 'hertz', [q('DCGM_FI_DEV_SM_CLOCK * 1000000', `SM ${GPU}`), q('DCGM_FI_DEV_MEM_CLOCK * 1000000', `memory ${GPU}`)], 8),
    ts('Engine activity', 'percent', [
      q('DCGM_FI_PROF_GR_ENGINE_ACTIVE * 100', `graphics ${GPU}`),
      q('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE * 100', `tensor ${GPU}`),
    ], 8),
    // DCGM reports PCIe traffic as bytes per second already, so no rate().
    ts('PCIe bandwidth', 'binBps', [q('DCGM_FI_PROF_PCIE_RX_BYTES', `rx ${GPU}`), q('DCGM_FI_PROF_PCIE_TX_BYTES', `tx ${GPU}`)], 8),
    { title: 'Average GPU utilisation', kind: 'gauge', ds: 'prometheus', unit: 'percent', max: 100, w: 4, queries: [q('avg(DCGM_FI_DEV_GPU_UTIL)')] },
    { title: 'Hottest GPU', kind: 'gauge', ds: 'prometheus', unit: 'celsius', max: 100, w: 4, queries: [q('max(DCGM_FI_DEV_GPU_TEMP)')] },
  ],
};

const rate = (m: string, legend: string): QuerySpec => q(`rate(${m}[$__rate_interval])`, legend);

export const KVBM_DASHBOARD: DashboardSpec = {
  uid: 'spanlens-kvbm',
  title: 'Dynamo KVBM',
  file: 'kvbm.json',
  description: 'KV block manager: cache hit rates and block movement between tiers (rates, not raw counters).',
  tags: ['dynamo', 'kvbm', 'spanlens'],
  refresh: '10s',
  from: 'now-15m',
  variables: [],
  panels: [
    ts('Cache hit rate', 'percentunit', [
      q('kvbm_host_cache_hit_rate', 'host'),
      q('kvbm_disk_cache_hit_rate', 'disk'),
      q('kvbm_object_cache_hit_rate', 'object store'),
    ], 12),
    ts('Matched tokens / s', 'short', [rate('kvbm_matched_tokens', 'matched')], 12),
    ts('Offload blocks / s', 'short', [
      rate('kvbm_offload_blocks_d2h', 'device → host'),
      rate('kvbm_offload_blocks_h2d', 'host → disk'),
      rate('kvbm_offload_blocks_d2d', 'device → disk'),
      rate('kvbm_offload_blocks_d2o', 'device → object store'),
    ], 12),
    ts('Onboard blocks / s', 'short', [
      rate('kvbm_onboard_blocks_h2d', 'host → device'),
      rate('kvbm_onboard_blocks_d2d', 'disk → device'),
      rate('kvbm_onboard_blocks_o2d', 'object store → device'),
    ], 12),
    ts('Object store failures / s', 'short', [
      rate('kvbm_object_read_failures', 'read'),
      rate('kvbm_object_write_failures', 'write'),
    ], 24),
  ],
};

/** Both log shapes: OTLP logs (trace_id in structured metadata) and JSONL lines (trace_id inside). */
export const LOGS_QUERY =
  '{service_name=~"$service_name"} |~ "(?i)$search" | json trace_id_json="trace_id" | trace_id=~"$trace_id.*" or trace_id_json=~"$trace_id.*"';

export const LOGS_DASHBOARD: DashboardSpec = {
  uid: 'spanlens-dynamo-logs',
  title: 'Dynamo logs',
  file: 'dynamo-logs.json',
  description: 'Dynamo logs from Loki, OTLP or JSONL, filtered by service, text and trace id.',
  tags: ['dynamo', 'logs', 'spanlens'],
  refresh: '10s',
  from: 'now-1h',
  variables: [
    { name: 'service_name', label: 'Service', kind: 'query', ds: 'loki', query: 'label_values(service_name)', allValue: '.+' },
    { name: 'trace_id', label: 'Trace id', kind: 'textbox' },
    { name: 'search', label: 'Search', kind: 'textbox' },
  ],
  panels: [
    {
      title: 'Log volume',
      kind: 'timeseries',
      ds: 'loki',
      unit: 'short',
      w: 24,
      h: 6,
      queries: [q('sum by (service_name) (count_over_time({service_name=~"$service_name"} |~ "(?i)$search" [$__interval]))', '{{service_name}}')],
    },
    { title: 'Logs', kind: 'logs', ds: 'loki', w: 24, h: 18, queries: [q(LOGS_QUERY)] },
  ],
};

/** The dashboards a stack provisions: each only when its datasource is there. */
export function dashboardSpecs(o: StackOptions): DashboardSpec[] {
  const have = new Set(provisioned(o));
  const out: DashboardSpec[] = [];
  if (have.has('prometheus')) {
    // The GPU dashboard stays even without the DCGM exporter here: GPUs are often watched by a
    // DCGM exporter elsewhere (the GPU operator on Kubernetes), and its panels are then live.
    out.push(overviewDashboard(o), KVBM_DASHBOARD, DCGM_DASHBOARD);
  }
  if (have.has('loki')) out.push(LOGS_DASHBOARD);
  return out;
}

export function dashboards(o: StackOptions): { file: string; uid: string; json: Record<string, unknown> }[] {
  return dashboardSpecs(o).map((s) => ({ file: s.file, uid: s.uid, json: buildDashboard(s) }));
}
