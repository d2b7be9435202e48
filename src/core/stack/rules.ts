import type { AlertLevels, StackOptions } from './options';
import { HEALTH_PROBE_JOB } from './prometheus';

/**
 * Alert rules as data. Each alert has one or two levels (warning, critical) with their own
 * threshold and `for` window; both render as rules with the same alertname, and Alertmanager
 * lets a firing critical inhibit its warning. Annotation templates use only `{{ $labels.x }}`
 * and `{{ $value | printf "%.Nf" }}` so the promtool test file can state their exact text.
 */

export type Severity = 'warning' | 'critical';

export interface AlertLevel {
  readonly severity: Severity;
  readonly for: string;
  /** Absent for alerts whose levels differ only by how long the condition has held. */
  readonly threshold?: number;
}

export interface AlertSpec {
  readonly alert: string;
  readonly group: 'dynamo-frontend' | 'dynamo-workers' | 'dynamo-gpu' | 'dynamo-availability';
  /** Value of the `component` label: which part of the system the alert is about. */
  readonly component: 'frontend' | 'worker' | 'gpu' | 'availability';
  readonly levels: readonly AlertLevel[];
  readonly expr: (threshold: number | undefined) => string;
  readonly summary: string;
  readonly description: (threshold: number | undefined) => string;
}

export interface RenderedRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: Severity; readonly component: string };
  readonly annotations: { readonly summary: string; readonly description: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly RenderedRule[];
}

/** Numbers in PromQL and prose: shortest exact form (0.5, 20, 1e-3 stays 0.001). */
export function num(x: number): string {
  return String(x);
}

const levels = (lv: AlertLevels, warnFor: string, critFor: string): AlertLevel[] => [
  { severity: 'warning', threshold: lv.warning, for: warnFor },
  { severity: 'critical', threshold: lv.critical, for: critFor },
];

const FRONTEND_REQUESTS = 'dynamo_frontend_requests_total';
/** Jobs whose absence means Dynamo itself is down (compose job names and k8s PodMonitors). */
export const CORE_DYNAMO_JOBS = '(.+/)?dynamo-(frontend|backend|worker|planner)';

function latencyAlert(
  alert: string,
  metric: string,
  q: number,
  lv: AlertLevels,
  what: string,
): AlertSpec {
  const pct = `p${Math.round(q * 100)}`;
  return {
    alert,
    group: 'dynamo-frontend',
    component: 'frontend',
    levels: levels(lv, '10m', '5m'),
    expr: (th) => `histogram_quantile(${num(q)}, sum by (model, le) (rate(${metric}_bucket[5m]))) > ${num(th!)}`,
    summary: `Dynamo ${what} ${pct} is high for model {{ $labels.model }}`,
    description: (th) =>
      `The ${pct} ${what} of model {{ $labels.model }} is {{ $value | printf "%.2f" }}s, above ${num(th!)}s, over the last 5 minutes.`,
  };
}

/** The alert table for a profile; GPU alerts only when DCGM metrics are expected. */
export function alertSpecs(o: StackOptions): AlertSpec[] {
  const t = o.thresholds;
  const specs: AlertSpec[] = [
    {
      alert: 'DynamoRequestRateDrop',
      group: 'dynamo-frontend',
      component: 'frontend',
      levels: levels(t.requestRateDropPercent, '10m', '5m'),
      // Compared with the same 5m window 30 minutes earlier, and only where there was real traffic then.
      expr: (th) =>
        `100 * sum by (model) (rate(${FRONTEND_REQUESTS}[5m])) / sum by (model) (rate(${FRONTEND_REQUESTS}[5m] offset 30m)) < ${num(th!)}` +
        ` and sum by (model) (rate(${FRONTEND_REQUESTS}[5m] offset 30m)) > 0.1`,
      summary: 'Dynamo request rate fell sharply for model {{ $labels.model }}',
      description: (th) =>
        `Requests to model {{ $labels.model }} run at {{ $value | printf "%.0f" }}% of their rate 30 minutes ago (alert below ${num(th!)}%). Check the frontend, the router and the workers' registration.`,
    },
    {
      alert: 'DynamoErrorRatioHigh',
      group: 'dynamo-frontend',
      component: 'frontend',
      levels: levels(t.errorPercent, '5m', '2m'),
      // Client cancellations are counted as errors by the frontend but are not server faults.
      expr: (th) =>
        `100 * sum by (model) (rate(${FRONTEND_REQUESTS}{status="error", error_type!="cancelled"}[5m])) / sum by (model) (rate(${FRONTEND_REQUESTS}[5m])) > ${num(th!)}`,
      summary: 'Dynamo error ratio is high for model {{ $labels.model }}',
      description: (th) =>
        `{{ $value | printf "%.1f" }}% of requests to model {{ $labels.model }} failed over the last 5 minutes (alert above ${num(th!)}%, cancellations excluded).`,
    },
    latencyAlert('DynamoTTFTP95High', 'dynamo_frontend_time_to_first_token_seconds', 0.95, t.ttftP95Seconds, 'time to first token'),
    latencyAlert('DynamoTTFTP99High', 'dynamo_frontend_time_to_first_token_seconds', 0.99, t.ttftP99Seconds, 'time to first token'),
    latencyAlert('DynamoRequestLatencyP95High', 'dynamo_frontend_request_duration_seconds', 0.95, t.requestP95Seconds, 'request duration'),
    latencyAlert('DynamoRequestLatencyP99High', 'dynamo_frontend_request_duration_seconds', 0.99, t.requestP99Seconds, 'request duration'),
    {
      alert: 'DynamoQueueBacklog',
      group: 'dynamo-frontend',
      component: 'frontend',
      levels: levels(t.queuedRequests, '5m', '2m'),
      // Queued = waiting for the first token, inflight = all running: a backlog is many queued
      // requests that are also most of what is in flight (prefill cannot keep up).
      expr: (th) =>
        `sum by (model) (dynamo_frontend_queued_requests) >= ${num(th!)}` +
        ` and sum by (model) (dynamo_frontend_queued_requests) / clamp_min(sum by (model) (dynamo_frontend_inflight_requests), 1) > 0.8`,
      summary: 'Requests are queuing for model {{ $labels.model }}',
      description: (th) =>
        `{{ $value | printf "%.0f" }} requests to model {{ $labels.model }} wait for their first token (alert at ${num(th!)}), more than 80% of those in flight. Add prefill capacity or check the workers.`,
    },
    {
      alert: 'DynamoWorkerErrors',
      group: 'dynamo-workers',
      component: 'worker',
      levels: [{ severity: 'warning', threshold: 0, for: '10m' }],
      expr: (th) =>
        `sum by (dynamo_namespace, dynamo_component, dynamo_endpoint) (rate(dynamo_component_errors_total[5m])) > ${num(th!)}`,
      summary: 'Dynamo component {{ $labels.dynamo_component }} reports errors',
      description: () =>
        'Endpoint {{ $labels.dynamo_namespace }}.{{ $labels.dynamo_component }}.{{ $labels.dynamo_endpoint }} has logged {{ $value | printf "%.2f" }} errors per second for 10 minutes.',
    },
    {
      alert: 'DynamoTargetDown',
      group: 'dynamo-availability',
      component: 'availability',
      levels: [{ severity: 'warning', for: '1m' }, { severity: 'critical', for: '5m' }],
      expr: () => `up{job=~"${CORE_DYNAMO_JOBS}"} == 0`,
      summary: 'Dynamo metrics endpoint {{ $labels.instance }} is down',
      description: () =>
        'Prometheus cannot scrape {{ $labels.instance }} (job {{ $labels.job }}). The Dynamo process is down, or its metrics port is off (workers need DYN_SYSTEM_PORT).',
    },
    healthAlert(o),
  ];
  if (o.profile === 'compose') {
    specs.push({
      alert: 'ScrapeTargetDown',
      group: 'dynamo-availability',
      component: 'availability',
      levels: [{ severity: 'warning', for: '5m' }],
      expr: () => `up{job!~"${CORE_DYNAMO_JOBS}"} == 0`,
      summary: 'Scrape target {{ $labels.instance }} is down',
      description: () =>
        'Prometheus cannot scrape {{ $labels.instance }} (job {{ $labels.job }}). KVBM and NIXL only serve metrics when enabled (DYN_KVBM_METRICS, NIXL_TELEMETRY_ENABLE); the DCGM exporter only runs under the gpu profile.',
    });
  }
  if (o.components.dcgm) specs.push(...gpuAlerts(o));
  return specs;
}

function healthAlert(o: StackOptions): AlertSpec {
  const base = {
    alert: 'DynamoHealthEndpointFailing',
    group: 'dynamo-availability',
    component: 'availability',
    levels: [{ severity: 'warning', for: '1m' }, { severity: 'critical', for: '5m' }],
  } as const;
  if (o.profile === 'k8s') {
    // The kubelet probes /health (readiness); a failing probe shows as a pod that is not ready.
    const ns = o.k8s.dynamoNamespace;
    return {
      ...base,
      expr: () =>
        `sum by (namespace, pod) (kube_pod_status_ready{namespace="${ns}", condition="false"}) > 0` +
        ` unless on (namespace, pod) (kube_pod_status_phase{phase=~"Succeeded|Failed"} == 1)`,
      summary: 'Dynamo pod {{ $labels.pod }} fails its health check',
      description: () =>
        'Pod {{ $labels.namespace }}/{{ $labels.pod }} is not ready: its /health endpoint answers 503 (endpoints not ready, or the canary failed).',
    };
  }
  return {
    ...base,
    expr: () => `probe_success{job="${HEALTH_PROBE_JOB}"} == 0`,
    summary: 'Dynamo {{ $labels.dynamo_process }} health check fails at {{ $labels.instance }}',
    description: () =>
      '{{ $labels.instance }} does not answer 200: a worker answers 503 while its endpoints are not ready, and the probe fails when the process is not listening.',
  };
}

function gpuAlerts(o: StackOptions): AlertSpec[] {
  const t = o.thresholds;
  return [
    {
      alert: 'DcgmGpuTemperatureHigh',
      group: 'dynamo-gpu',
      component: 'gpu',
      levels: levels(t.gpuTempCelsius, '5m', '2m'),
      expr: (th) => `max by (Hostname, gpu, modelName) (DCGM_FI_DEV_GPU_TEMP) > ${num(th!)}`,
      summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is hot',
      description: (th) => `GPU {{ $labels.gpu }} ({{ $labels.modelName }}) is at {{ $value | printf "%.0f" }} °C, above ${num(th!)} °C.`,
    },
    {
      alert: 'DcgmGpuSaturated',
      group: 'dynamo-gpu',
      component: 'gpu',
      levels: [{ severity: 'warning', threshold: 95, for: '15m' }],
      expr: (th) => `max by (Hostname, gpu, modelName) (avg_over_time(DCGM_FI_DEV_GPU_UTIL[10m])) > ${num(th!)}`,
      summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is saturated',
      description: (th) => `GPU {{ $labels.gpu }} averaged {{ $value | printf "%.0f" }}% utilisation (above ${num(th!)}%) for 15 minutes; latency will grow with load.`,
    },
    {
      alert: 'DcgmGpuIdleWhileRequestsQueue',
      group: 'dynamo-gpu',
      component: 'gpu',
      levels: [{ severity: 'warning', threshold: 10, for: '5m' }],
      expr: (th) =>
        `max by (Hostname, gpu, modelName) (DCGM_FI_DEV_GPU_UTIL) < ${num(th!)} and on () (sum(dynamo_frontend_queued_requests) > 0)`,
      summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} idles while requests queue',
      description: (th) =>
        `GPU {{ $labels.gpu }} is at {{ $value | printf "%.0f" }}% utilisation (below ${num(th!)}%) while the frontend has queued requests: a worker may be stuck or not registered.`,
    },
    {
      alert: 'DcgmGpuBusyAtLowPower',
      group: 'dynamo-gpu',
      component: 'gpu',
      levels: [{ severity: 'warning', threshold: 30, for: '10m' }],
      // Full utilisation at a fraction of the recent peak power is how a hung kernel or
      // collective (e.g. NCCL) usually looks.
      expr: (th) =>
        `max by (Hostname, gpu, modelName) (100 * DCGM_FI_DEV_POWER_USAGE / max_over_time(DCGM_FI_DEV_POWER_USAGE[6h]) < ${num(th!)}` +
        ` and on (Hostname, gpu, modelName) DCGM_FI_DEV_GPU_UTIL > 90)`,
      summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is busy at low power',
      description: (th) =>
        `GPU {{ $labels.gpu }} reports over 90% utilisation while drawing {{ $value | printf "%.0f" }}% of its 6-hour peak power (alert below ${num(th!)}%): a hung kernel or collective often looks like this.`,
    },
  ];
}

/** Rule groups as Prometheus loads them (also the `spec` of the Kubernetes PrometheusRule). */
export function ruleGroups(o: StackOptions): RuleGroup[] {
  const groups = new Map<string, RenderedRule[]>();
  for (const spec of alertSpecs(o)) {
    const list = groups.get(spec.group) ?? [];
    for (const level of spec.levels) {
      list.push({
        alert: spec.alert,
        expr: spec.expr(level.threshold),
        for: o.timing.alertForOverride ?? level.for,
        labels: { severity: level.severity, component: spec.component },
        annotations: { summary: spec.summary, description: spec.description(level.threshold) },
      });
    }
    groups.set(spec.group, list);
  }
  return [...groups].map(([name, rules]) => ({ name, rules }));
}

/**
 * Renders an annotation template the way Prometheus would for the subset of template syntax the
 * table uses; the promtool test file states expected annotations with it.
 */
export function renderAnnotation(template: string, labels: Record<string, string>, value: number): string {
  return template
    .replace(/\{\{ \$labels\.([A-Za-z_][A-Za-z0-9_]*) \}\}/g, (_, name: string) => labels[name] ?? '')
    .replace(/\{\{ \$value \| printf "%\.(\d)f" \}\}/g, (_, digits: string) => value.toFixed(Number(digits)));
}
