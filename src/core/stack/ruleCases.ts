import type { StackOptions } from './options';
import { HEALTH_PROBE_JOB } from './prometheus';

/**
 * Input data for the promtool unit tests, one case per alertname: series that trip every level
 * of the alert, and healthy series on which it must stay quiet. Times are in minutes; the data
 * is derived from the thresholds so non-default thresholds get meaningful tests too.
 */

export interface SeriesDef {
  readonly series: string;
  readonly values: string;
}

export interface RuleCase {
  /** Series for a test `len` minutes long (one sample a minute, len + 1 samples). */
  readonly firing: (len: number) => SeriesDef[];
  /** No evaluation before this minute can see the condition true... */
  readonly onsetMin: number;
  /** ...and every evaluation from this minute on does, for every level. */
  readonly onsetMax: number;
  /** Labels of the alert instance the expression yields (besides the rule's own labels). */
  readonly labels: Record<string, string>;
  /** The value `$value` holds when firing. */
  readonly value: number;
  readonly quiet: (len: number) => SeriesDef[];
}

const flat = (v: number, len: number): string => `${v}+0x${len}`;
const ramp = (perMinute: number, len: number): string => `0+${perMinute}x${len}`;
const sel = (metric: string, labels: Record<string, string>): string =>
  `${metric}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;

const MODEL = { model: 'Qwen/Qwen3-0.6B' };
const GPU = { Hostname: 'gpu-node-1', gpu: '0', modelName: 'NVIDIA H100 80GB HBM3' };
const REQ = 'dynamo_frontend_requests_total';
const WORKER = {
  dynamo_namespace: 'dynamo',
  dynamo_component: 'backend',
  dynamo_endpoint: 'generate',
  error_type: 'generate',
} as const;


function latencyCase(metric: string, q: number, warning: number, critical: number): RuleCase {
  // Every observation lands in (b1, b2]; histogram_quantile interpolates inside that bucket.
  const b1 = critical * 2;
  const b2 = critical * 4;
  const b0 = warning / 4;
  const bucket = (le: string): Record<string, string> => ({ ...MODEL, le });
  return {
    firing: (len) => [
      { series: sel(`${metric}_bucket`, bucket(String(b1))), values: flat(0, len) },
      { series: sel(`${metric}_bucket`, bucket(String(b2))), values: ramp(10, len) },
      { series: sel(`${metric}_bucket`, bucket('+Inf')), values: ramp(10, len) },
    ],
    onsetMin: 1,
    onsetMax: 1,
    labels: { ...MODEL },
    value: b1 + (b2 - b1) * q,
    quiet: (len) => [
      { series: sel(`${metric}_bucket`, bucket(String(b0))), values: ramp(10, len) },
      { series: sel(`${metric}_bucket`, bucket('+Inf')), values: ramp(10, len) },
    ],
  };
}

export function ruleCases(o: StackOptions): Record<string, RuleCase> {
  const t = o.thresholds;
  const errPct = (100 + t.errorPercent.critical) / 2;
  const queued = Math.ceil(t.queuedRequests.critical) + 10;
  const k8s = o.profile === 'k8s';
  const frontendUp = k8s
    ? { job: `${o.k8s.dynamoNamespace}/dynamo-frontend`, instance: '10.0.0.12:8000' }
    : { job: 'dynamo-frontend', instance: `${o.dynamo.host}:${o.dynamo.frontendPort}` };
  const cases: Record<string, RuleCase> = {
    DynamoRequestRateDrop: {
      // Full traffic for 90 minutes, then none: the 5m rate decays over minutes 91-94.
      firing: (len) => [{ series: sel(REQ, { ...MODEL, status: 'success' }), values: `0+60x90 5400+0x${len - 91}` }],
      onsetMin: 91,
      onsetMax: 94,
      labels: { ...MODEL },
      value: 0,
      quiet: (len) => [{ series: sel(REQ, { ...MODEL, status: 'success' }), values: ramp(60, len) }],
    },
    DynamoErrorRatioHigh: {
      firing: (len) => [
        { series: sel(REQ, { ...MODEL, status: 'success' }), values: ramp(Math.max(0, 90 - errPct), len) },
        { series: sel(REQ, { ...MODEL, status: 'error', error_type: 'internal' }), values: ramp(errPct, len) },
        { series: sel(REQ, { ...MODEL, status: 'error', error_type: 'cancelled' }), values: ramp(10, len) },
      ],
      onsetMin: 1,
      onsetMax: 1,
      labels: { ...MODEL },
      value: (100 * errPct) / (Math.max(0, 90 - errPct) + errPct + 10),
      // Cancellations alone are not errors.
      quiet: (len) => [
        { series: sel(REQ, { ...MODEL, status: 'success' }), values: ramp(60, len) },
        { series: sel(REQ, { ...MODEL, status: 'error', error_type: 'cancelled' }), values: ramp(60, len) },
      ],
    },
    DynamoTTFTP95High: latencyCase('dynamo_frontend_time_to_first_token_seconds', 0.95, t.ttftP95Seconds.warning, t.ttftP95Seconds.critical),
    DynamoTTFTP99High: latencyCase('dynamo_frontend_time_to_first_token_seconds', 0.99, t.ttftP99Seconds.warning, t.ttftP99Seconds.critical),
    DynamoRequestLatencyP95High: latencyCase('dynamo_frontend_request_duration_seconds', 0.95, t.requestP95Seconds.warning, t.requestP95Seconds.critical),
    DynamoRequestLatencyP99High: latencyCase('dynamo_frontend_request_duration_seconds', 0.99, t.requestP99Seconds.warning, t.requestP99Seconds.critical),
    DynamoQueueBacklog: {
      firing: (len) => [
        { series: sel('dynamo_frontend_queued_requests', MODEL), values: flat(queued, len) },
        { series: sel('dynamo_frontend_inflight_requests', MODEL), values: flat(queued + 1, len) },
      ],
      onsetMin: 0,
      onsetMax: 0,
      labels: { ...MODEL },
      value: queued,
      // As many queued, but ten times as many in flight: busy, not backlogged.
      quiet: (len) => [
        { series: sel('dynamo_frontend_queued_requests', MODEL), values: flat(queued, len) },
        { series: sel('dynamo_frontend_inflight_requests', MODEL), values: flat(queued * 10, len) },
      ],
    },
    DynamoWorkerErrors: {
      firing: (len) => [{ series: sel('dynamo_component_errors_total', WORKER), values: ramp(6, len) }],
      onsetMin: 1,
      onsetMax: 1,
      labels: { dynamo_namespace: WORKER.dynamo_namespace, dynamo_component: WORKER.dynamo_component, dynamo_endpoint: WORKER.dynamo_endpoint },
      value: 0.1,
      quiet: (len) => [{ series: sel('dynamo_component_errors_total', WORKER), values: flat(5, len) }],
    },
    DynamoTargetDown: {
      firing: (len) => [{ series: sel('up', frontendUp), values: flat(0, len) }],
      onsetMin: 0,
      onsetMax: 0,
      labels: frontendUp,
      value: 0,
      quiet: (len) => [{ series: sel('up', frontendUp), values: flat(1, len) }],
    },
    DynamoHealthEndpointFailing: k8s ? k8sHealthCase(o) : composeHealthCase(o),
    DcgmGpuTemperatureHigh: {
      firing: (len) => [{ series: sel('DCGM_FI_DEV_GPU_TEMP', GPU), values: flat(t.gpuTempCelsius.critical + 5, len) }],
      onsetMin: 0,
      onsetMax: 0,
      labels: GPU,
      value: t.gpuTempCelsius.critical + 5,
      quiet: (len) => [{ series: sel('DCGM_FI_DEV_GPU_TEMP', GPU), values: flat(Math.max(0, t.gpuTempCelsius.warning - 10), len) }],
    },
    DcgmGpuSaturated: {
      firing: (len) => [{ series: sel('DCGM_FI_DEV_GPU_UTIL', GPU), values: flat(99, len) }],
      onsetMin: 0,
      onsetMax: 0,
      labels: GPU,
      value: 99,
      quiet: (len) => [{ series: sel('DCGM_FI_DEV_GPU_UTIL', GPU), values: flat(50, len) }],
    },
    DcgmGpuIdleWhileRequestsQueue: {
      firing: (len) => [
        { series: sel('DCGM_FI_DEV_GPU_UTIL', GPU), values: flat(2, len) },
        { series: sel('dynamo_frontend_queued_requests', MODEL), values: flat(5, len) },
      ],
      onsetMin: 0,
      onsetMax: 0,
      labels: GPU,
      value: 2,
      // An idle GPU with nothing queued is fine.
      quiet: (len) => [
        { series: sel('DCGM_FI_DEV_GPU_UTIL', GPU), values: flat(2, len) },
        { series: sel('dynamo_frontend_queued_requests', MODEL), values: flat(0, len) },
      ],
    },
    DcgmGpuBusyAtLowPower: {
      firing: (len) => [
        { series: sel('DCGM_FI_DEV_POWER_USAGE', GPU), values: `600+0x10 100+0x${len - 11}` },
        { series: sel('DCGM_FI_DEV_GPU_UTIL', GPU), values: flat(99, len) },
      ],
      onsetMin: 11,
      onsetMax: 11,
      labels: GPU,
      value: (100 * 100) / 600,
      quiet: (len) => [
        { series: sel('DCGM_FI_DEV_POWER_USAGE', GPU), values: flat(600, len) },
        { series: sel('DCGM_FI_DEV_GPU_UTIL', GPU), values: flat(99, len) },
      ],
    },
  };
  if (!k8s) {
    const kvbm = { job: 'dynamo-kvbm', instance: `${o.dynamo.host}:${o.dynamo.kvbmPort}` };
    cases['ScrapeTargetDown'] = {
      firing: (len) => [{ series: sel('up', kvbm), values: flat(0, len) }],
      onsetMin: 0,
      onsetMax: 0,
      labels: kvbm,
      value: 0,
      // A core Dynamo target is DynamoTargetDown's business, not this alert's.
      quiet: (len) => [{ series: sel('up', frontendUp), values: flat(0, len) }],
    };
  }
  return cases;
}

function composeHealthCase(o: StackOptions): RuleCase {
  const labels = {
    job: HEALTH_PROBE_JOB,
    instance: `http://${o.dynamo.host}:${o.dynamo.systemPorts[0]}/health`,
    dynamo_process: 'worker',
  };
  return {
    firing: (len) => [{ series: sel('probe_success', labels), values: flat(0, len) }],
    onsetMin: 0,
    onsetMax: 0,
    labels,
    value: 0,
    quiet: (len) => [{ series: sel('probe_success', labels), values: flat(1, len) }],
  };
}

function k8sHealthCase(o: StackOptions): RuleCase {
  const pod = { namespace: o.k8s.dynamoNamespace, pod: 'vllm-agg-decode-0' };
  const ready = (cond: string, v: number, len: number): SeriesDef => ({
    series: sel('kube_pod_status_ready', { ...pod, condition: cond }),
    values: flat(v, len),
  });
  const phase = (p: string, len: number): SeriesDef => ({ series: sel('kube_pod_status_phase', { ...pod, phase: p }), values: flat(1, len) });
  return {
    firing: (len) => [ready('false', 1, len), ready('true', 0, len), phase('Running', len)],
    onsetMin: 0,
    onsetMax: 0,
    labels: pod,
    value: 1,
    // A pod that completed is not ready either, and that is not a failing health check.
    quiet: (len) => [ready('false', 1, len), ready('true', 0, len), phase('Succeeded', len)],
  };
}
