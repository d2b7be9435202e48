/**
 * Pinned versions of everything a rendered stack pulls. One table, so an upgrade is one reviewed
 * edit and the snapshot tests show every file it changes.
 */
export const IMAGES = {
  prometheus: 'prom/prometheus:v3.4.1',
  alertmanager: 'prom/alertmanager:v0.28.1',
  blackbox: 'prom/blackbox-exporter:v0.25.0',
  grafana: 'grafana/grafana:12.2.0',
  tempo: 'grafana/tempo:2.8.2',
  loki: 'grafana/loki:3.5.0',
  otelcol: 'otel/opentelemetry-collector:0.120.0',
  alloy: 'grafana/alloy:v1.8.1',
  // The alpine variant: the default nats image has no shell, so no health check could run.
  nats: 'nats:2.11.4-alpine',
  natsExporter: 'natsio/prometheus-nats-exporter:0.17.3',
  etcd: 'bitnamilegacy/etcd:3.6.1',
  dcgm: 'nvidia/dcgm-exporter:4.2.3-4.1.3-ubi9',
} as const;

export interface HelmChart {
  readonly repoName: string;
  readonly repoUrl: string;
  readonly chart: string;
  readonly version: string;
  /** Release name the README installs it as; service names below depend on it. */
  readonly release: string;
}

export const CHARTS = {
  kubePrometheusStack: {
    repoName: 'prometheus-community',
    repoUrl: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '67.8.0',
    release: 'kube-prometheus-stack',
  },
  tempo: {
    repoName: 'grafana',
    repoUrl: 'https://grafana.github.io/helm-charts',
    chart: 'tempo',
    version: '1.23.2',
    release: 'tempo',
  },
  loki: {
    repoName: 'grafana',
    repoUrl: 'https://grafana.github.io/helm-charts',
    chart: 'loki',
    version: '6.29.0',
    release: 'loki',
  },
  k8sMonitoring: {
    repoName: 'grafana',
    repoUrl: 'https://grafana.github.io/helm-charts',
    chart: 'k8s-monitoring',
    version: '2.0.18',
    release: 'k8s-monitoring',
  },
} as const satisfies Record<string, HelmChart>;

/** Image tag without the repository, for Helm values that take repository and tag apart. */
export function imageTag(image: string): string {
  return image.slice(image.lastIndexOf(':') + 1);
}
