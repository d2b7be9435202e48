import { toYaml, type StackFile } from './emit';
import type { StackOptions } from './options';
import { CONTAINER_PORT, SERVICE, topology } from './topology';

/** The job that probes Dynamo's health endpoints through the blackbox exporter. */
export const HEALTH_PROBE_JOB = 'blackbox-dynamo-health';
/** The blackbox module the probe job uses: a GET that must answer 200. */
export const HEALTH_PROBE_MODULE = 'http_2xx';

/** Rule files live beside prometheus.yml; the config loads them by this glob (relative to it). */
export const RULES_DIR = 'rules';
export const RULES_FILE = 'dynamo-alerts.yml';

interface StaticGroup {
  readonly targets: readonly string[];
  readonly labels?: Record<string, string>;
}

interface ScrapeJob {
  readonly job: string;
  readonly when: (o: StackOptions) => boolean;
  readonly groups: (o: StackOptions) => readonly StaticGroup[];
  /** Extra scrape_config keys (metrics_path, params, relabelling). */
  readonly extra?: (o: StackOptions) => Record<string, unknown>;
}

const dyn = (o: StackOptions, port: number): string => `${o.dynamo.host}:${port}`;

/**
 * Scrape jobs as data. Dynamo's ports follow the reference stack: frontend :8000 (same port as
 * the OpenAI API), workers' system server (DYN_SYSTEM_PORT, 8081 locally), KVBM :6880, NIXL
 * :19090; the exporters sit on the compose network under their service names.
 */
const JOBS: readonly ScrapeJob[] = [
  { job: 'prometheus', when: (o) => o.components.prometheus, groups: () => [{ targets: [`localhost:${CONTAINER_PORT.prometheus}`] }] },
  { job: 'alertmanager', when: (o) => o.components.alertmanager, groups: () => [{ targets: [`${SERVICE.alertmanager}:${CONTAINER_PORT.alertmanager}`] }] },
  { job: 'grafana', when: (o) => o.components.grafana, groups: () => [{ targets: [`${SERVICE.grafana}:${CONTAINER_PORT.grafana}`] }] },
  { job: 'tempo', when: (o) => o.components.tempo, groups: () => [{ targets: [`${SERVICE.tempo}:${CONTAINER_PORT.tempo}`] }] },
  { job: 'loki', when: (o) => o.components.loki, groups: () => [{ targets: [`${SERVICE.loki}:${CONTAINER_PORT.loki}`] }] },
  { job: 'alloy', when: (o) => o.components.collector === 'alloy', groups: () => [{ targets: [`${SERVICE.alloy}:${CONTAINER_PORT.alloy}`] }] },
  { job: 'dynamo-frontend', when: () => true, groups: (o) => [{ targets: [dyn(o, o.dynamo.frontendPort)] }] },
  { job: 'dynamo-backend', when: () => true, groups: (o) => [{ targets: o.dynamo.systemPorts.map((p) => dyn(o, p)) }] },
  { job: 'dynamo-kvbm', when: () => true, groups: (o) => [{ targets: [dyn(o, o.dynamo.kvbmPort)] }] },
  { job: 'dynamo-nixl', when: () => true, groups: (o) => [{ targets: [dyn(o, o.dynamo.nixlPort)] }] },
  {
    job: HEALTH_PROBE_JOB,
    when: () => true,
    groups: (o) => [
      { targets: [`http://${dyn(o, o.dynamo.frontendPort)}/health`], labels: { dynamo_process: 'frontend' } },
      { targets: o.dynamo.systemPorts.map((p) => `http://${dyn(o, p)}/health`), labels: { dynamo_process: 'worker' } },
    ],
    extra: () => ({
      metrics_path: '/probe',
      params: { module: [HEALTH_PROBE_MODULE] },
      relabel_configs: [
        { source_labels: ['__address__'], target_label: '__param_target' },
        { source_labels: ['__param_target'], target_label: 'instance' },
        { target_label: '__address__', replacement: `${SERVICE.blackbox}:${CONTAINER_PORT.blackbox}` },
      ],
    }),
  },
  { job: 'nats-prometheus-exporter', when: (o) => o.components.nats, groups: () => [{ targets: [`${SERVICE.natsExporter}:${CONTAINER_PORT.natsExporter}`] }] },
  { job: 'etcd-server', when: (o) => o.components.etcd, groups: () => [{ targets: [`${SERVICE.etcd}:${CONTAINER_PORT.etcd}`] }] },
  { job: 'dcgm-exporter', when: (o) => o.components.dcgm, groups: () => [{ targets: [`${SERVICE.dcgm}:${CONTAINER_PORT.dcgm}`] }] },
];

export function prometheusConfig(o: StackOptions): Record<string, unknown> {
  const t = topology(o);
  return {
    global: { scrape_interval: o.timing.scrapeInterval, evaluation_interval: o.timing.evaluationInterval },
    // Exemplars need the --enable-feature=exemplar-storage flag too (see the compose command).
    storage: { exemplars: { max_exemplars: 100000 } },
    rule_files: [`${RULES_DIR}/*.yml`],
    ...(o.components.alertmanager
      ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [t.alertmanagerTarget] }] }] } }
      : {}),
    scrape_configs: JOBS.filter((j) => j.when(o)).map((j) => ({
      job_name: j.job,
      ...j.extra?.(o),
      static_configs: j.groups(o).map((g) => (g.labels ? { targets: [...g.targets], labels: g.labels } : { targets: [...g.targets] })),
    })),
  };
}

/** Command-line flags of the Prometheus container: exemplars and Tempo's remote write need them. */
export function prometheusFlags(o: StackOptions): string[] {
  return [
    '--config.file=/etc/prometheus/prometheus.yml',
    '--storage.tsdb.path=/prometheus',
    `--storage.tsdb.retention.time=${o.retention.prometheus}`,
    '--web.enable-lifecycle',
    '--web.enable-remote-write-receiver',
    '--enable-feature=exemplar-storage',
  ];
}

/** Blackbox modules: Dynamo answers /health with 200 when ready and 503 otherwise. */
export function blackboxConfig(): Record<string, unknown> {
  return {
    modules: {
      [HEALTH_PROBE_MODULE]: {
        prober: 'http',
        timeout: '5s',
        http: { method: 'GET', valid_status_codes: [200], preferred_ip_protocol: 'ip4' },
      },
    },
  };
}

export function prometheusFiles(o: StackOptions): StackFile[] {
  if (o.profile !== 'compose' || !o.components.prometheus) return [];
  return [
    { path: 'prometheus/prometheus.yml', content: toYaml(prometheusConfig(o)) },
    { path: 'blackbox/blackbox.yml', content: toYaml(blackboxConfig()) },
  ];
}
