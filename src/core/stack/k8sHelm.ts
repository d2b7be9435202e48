import { alertmanagerConfig } from './alertmanager';
import { toYaml, type StackFile } from './emit';
import { IMAGES, imageTag } from './images';
import { LOKI_SCHEMA, lokiLimits } from './loki';
import type { StackOptions } from './options';
import { tempoConfig } from './tempo';
import { CONTAINER_PORT, topology } from './topology';

/** Label the kube-prometheus-stack Grafana sidecars look for on ConfigMaps. */
export const GRAFANA_DATASOURCE_LABEL = 'grafana_datasource';
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';

export const HELM_VALUES = {
  kubePrometheusStack: 'helm/kube-prometheus-stack.values.yaml',
  tempo: 'helm/tempo.values.yaml',
  loki: 'helm/loki.values.yaml',
  k8sMonitoring: 'helm/k8s-monitoring.values.yaml',
} as const;

/** §6 of the Dynamo reference: pod labels that become Loki labels, and the labels kept. */
export const POD_LOG_LABELS: Record<string, string> = {
  app_kubernetes_io_name: 'app.kubernetes.io/name',
  nvidia_com_dynamo_component_type: 'nvidia.com/dynamo-component-type',
  nvidia_com_dynamo_graph_deployment_name: 'nvidia.com/dynamo-graph-deployment-name',
};

export const POD_LOG_LABELS_TO_KEEP = [
  'app_kubernetes_io_name',
  'container',
  'instance',
  'job',
  'level',
  'namespace',
  'service_name',
  'service_namespace',
  'deployment_environment',
  'deployment_environment_name',
  'nvidia_com_dynamo_component_type',
  'nvidia_com_dynamo_graph_deployment_name',
] as const;

export function kubePrometheusStackValues(o: StackOptions): Record<string, unknown> {
  const c = o.components;
  return {
    prometheus: {
      enabled: c.prometheus,
      prometheusSpec: {
        retention: o.retention.prometheus,
        scrapeInterval: o.timing.scrapeInterval,
        evaluationInterval: o.timing.evaluationInterval,
        // Exemplars for metrics → traces; the remote-write receiver for Tempo's span metrics.
        enableFeatures: ['exemplar-storage'],
        exemplars: { maxSize: 100000 },
        enableRemoteWriteReceiver: true,
        // Pick up the PodMonitors and PrometheusRule in manifests/ without the chart's release label.
        podMonitorSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
      },
    },
    alertmanager: { enabled: c.alertmanager, ...(c.alertmanager ? { config: alertmanagerConfig(o) } : {}) },
    grafana: {
      enabled: c.grafana,
      sidecar: {
        // The datasources come from manifests/grafana-datasources.yaml with fixed uids; the
        // chart's own default Prometheus datasource would claim the uid `prometheus` too.
        datasources: { enabled: true, defaultDatasourceEnabled: false, label: GRAFANA_DATASOURCE_LABEL, labelValue: '1', alertmanager: { enabled: false } },
        dashboards: { enabled: true, label: GRAFANA_DASHBOARD_LABEL, labelValue: '1', searchNamespace: 'ALL' },
      },
    },
  };
}

/**
 * The grafana/tempo chart (single binary). Its own config template writes the metrics
 * generator's remote_write as a bare URL, so Prometheus would get span metrics without
 * exemplars (no metrics → traces links); the whole Tempo config is therefore given as `config`,
 * the same data as the compose profile's. The chart's Service listens on 3200 and takes its OTLP
 * ports from `tempo.receivers`, so both are set to match that config.
 */
export function tempoValues(o: StackOptions): Record<string, unknown> {
  const config = tempoConfig(o);
  return {
    tempo: {
      repository: IMAGES.tempo.slice(0, IMAGES.tempo.lastIndexOf(':')),
      tag: imageTag(IMAGES.tempo),
      reportingEnabled: false,
      server: { http_listen_port: CONTAINER_PORT.tempo },
      receivers: (config['distributor'] as { receivers: unknown }).receivers,
    },
    config: toYaml(config, null),
    persistence: { enabled: true, size: '10Gi' },
  };
}

/** Loki as one binary on a persistent volume: enough for one Dynamo deployment's logs. */
export function lokiValues(o: StackOptions): Record<string, unknown> {
  return {
    deploymentMode: 'SingleBinary',
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: 'filesystem' },
      schemaConfig: { configs: [{ ...LOKI_SCHEMA, object_store: 'filesystem' }] },
      limits_config: lokiLimits(o),
      compactor: { retention_enabled: true, delete_request_store: 'filesystem' },
      pattern_ingester: { enabled: true },
      analytics: { reporting_enabled: false },
    },
    singleBinary: { replicas: 1, persistence: { enabled: true, size: '10Gi' } },
    backend: { replicas: 0 },
    read: { replicas: 0 },
    write: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    minio: { enabled: false },
    gateway: { enabled: true },
  };
}

/**
 * Grafana's k8s-monitoring chart (Alloy) gathering Dynamo's pod logs (JSONL on stderr) through
 * the Kubernetes API, with the label mapping of the Dynamo reference §6.
 */
export function k8sMonitoringValues(o: StackOptions): Record<string, unknown> {
  const t = topology(o);
  return {
    cluster: { name: 'dynamo' },
    destinations: [{ name: 'loki', type: 'loki', url: t.lokiPushUrl }],
    podLogs: {
      enabled: true,
      gatherMethod: 'kubernetesApi',
      collector: 'alloy-logs',
      namespaces: [o.k8s.dynamoNamespace],
      labels: POD_LOG_LABELS,
      labelsToKeep: [...POD_LOG_LABELS_TO_KEEP],
      structuredMetadata: { pod: 'pod' },
    },
    nodeLogs: { enabled: false },
    'alloy-logs': { enabled: true, alloy: { clustering: { enabled: true } } },
    'alloy-singleton': { enabled: false },
    'alloy-metrics': { enabled: false },
    'alloy-profiles': { enabled: false },
    'alloy-receiver': { enabled: false },
  };
}

export function helmFiles(o: StackOptions): StackFile[] {
  if (o.profile !== 'k8s') return [];
  const c = o.components;
  const files: StackFile[] = [];
  if (c.prometheus || c.grafana || c.alertmanager) {
    files.push({ path: HELM_VALUES.kubePrometheusStack, content: toYaml(kubePrometheusStackValues(o)) });
  }
  if (c.tempo) files.push({ path: HELM_VALUES.tempo, content: toYaml(tempoValues(o)) });
  if (c.loki) files.push({ path: HELM_VALUES.loki, content: toYaml(lokiValues(o)) });
  if (c.collector === 'alloy' && c.loki) files.push({ path: HELM_VALUES.k8sMonitoring, content: toYaml(k8sMonitoringValues(o)) });
  return files;
}
