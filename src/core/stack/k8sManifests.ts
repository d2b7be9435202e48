import { toJson, toYaml, toYamlStream, type StackFile } from './emit';
import { dashboards } from './grafana/dashboards';
import { datasourcesYaml } from './grafana/provisioning';
import { GRAFANA_DASHBOARD_LABEL, GRAFANA_DATASOURCE_LABEL } from './k8sHelm';
import type { StackOptions } from './options';
import { ruleGroups } from './rules';

const PART_OF = { 'app.kubernetes.io/part-of': 'spanlens-dynamo-stack' };

export const MANIFESTS = {
  podMonitors: 'manifests/podmonitors.yaml',
  prometheusRule: 'manifests/prometheusrule.yaml',
  datasources: 'manifests/grafana-datasources.yaml',
  dashboards: 'manifests/grafana-dashboards.yaml',
} as const;

interface PodMonitorSpec {
  readonly name: string;
  readonly componentType: string;
  readonly ports: readonly string[];
  readonly honorLabels?: boolean;
  /**
   * Copy the pod label nvidia.com/dynamo-namespace into `dynamo_namespace`. Only the frontend
   * needs it (its metrics are not component-scoped); workers and the planner carry the runtime's
   * own label, which a target label would override and rename to exported_dynamo_namespace.
   */
  readonly namespaceFromPod?: boolean;
}

/**
 * PodMonitors by Dynamo component type (pod label `nvidia.com/dynamo-component-type`), with the
 * operator's container port names: frontend `http`, workers `system` (DYN_SYSTEM_PORT) and
 * `nixl`, planner `metrics`. Their job label is `<namespace>/<name>`, which the rules match.
 */
export const POD_MONITORS: readonly PodMonitorSpec[] = [
  { name: 'dynamo-frontend', componentType: 'frontend', ports: ['http'], honorLabels: true, namespaceFromPod: true },
  { name: 'dynamo-worker', componentType: 'worker', ports: ['system', 'nixl'] },
  { name: 'dynamo-planner', componentType: 'planner', ports: ['metrics'] },
];

export function podMonitor(o: StackOptions, p: PodMonitorSpec): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: p.name, namespace: o.k8s.dynamoNamespace, labels: PART_OF },
    spec: {
      selector: { matchLabels: { 'nvidia.com/dynamo-component-type': p.componentType } },
      namespaceSelector: { matchNames: [o.k8s.dynamoNamespace] },
      podMetricsEndpoints: p.ports.map((port) => ({
        port,
        path: '/metrics',
        interval: '5s',
        ...(p.honorLabels ? { honorLabels: true } : {}),
        ...(p.namespaceFromPod
          ? { relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_label_nvidia_com_dynamo_namespace'], targetLabel: 'dynamo_namespace' }] }
          : {}),
      })),
    },
  };
}

export function prometheusRule(o: StackOptions): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'dynamo-alerts', namespace: o.k8s.namespace, labels: PART_OF },
    spec: { groups: ruleGroups(o) },
  };
}

export function datasourceConfigMap(o: StackOptions): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'spanlens-datasources', namespace: o.k8s.namespace, labels: { ...PART_OF, [GRAFANA_DATASOURCE_LABEL]: '1' } },
    data: { 'spanlens-datasources.yaml': datasourcesYaml(o) },
  };
}

export function dashboardConfigMaps(o: StackOptions): Record<string, unknown>[] {
  return dashboards(o).map((d) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: d.uid, namespace: o.k8s.namespace, labels: { ...PART_OF, [GRAFANA_DASHBOARD_LABEL]: '1' } },
    data: { [d.file]: toJson(d.json) },
  }));
}

export function manifestFiles(o: StackOptions): StackFile[] {
  if (o.profile !== 'k8s') return [];
  const files: StackFile[] = [];
  if (o.components.prometheus) {
    files.push({ path: MANIFESTS.podMonitors, content: toYamlStream(POD_MONITORS.map((p) => podMonitor(o, p))) });
    files.push({ path: MANIFESTS.prometheusRule, content: toYaml(prometheusRule(o)) });
  }
  if (o.components.grafana) {
    files.push({ path: MANIFESTS.datasources, content: toYaml(datasourceConfigMap(o)) });
    const maps = dashboardConfigMaps(o);
    if (maps.length) files.push({ path: MANIFESTS.dashboards, content: toYamlStream(maps) });
  }
  return files;
}
