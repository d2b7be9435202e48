import { CHARTS } from './images';
import type { StackOptions } from './options';

/**
 * How the parts of a stack reach each other: service names and in-cluster URLs differ between
 * compose (service names on the compose network) and Kubernetes (Helm release services), while
 * every artefact that links two parts asks this one place.
 */
export interface Topology {
  readonly prometheusUrl: string;
  readonly prometheusRemoteWriteUrl: string;
  readonly alertmanagerTarget: string;
  readonly tempoUrl: string;
  readonly tempoOtlpGrpc: string;
  readonly lokiUrl: string;
  readonly lokiOtlpUrl: string;
  readonly lokiPushUrl: string;
}

/** Compose service names: other files (prometheus.yml, datasources) use these exact names. */
export const SERVICE = {
  prometheus: 'prometheus',
  blackbox: 'blackbox-exporter',
  alertmanager: 'alertmanager',
  grafana: 'grafana',
  tempo: 'tempo',
  loki: 'loki',
  otelcol: 'otel-collector',
  alloy: 'alloy',
  nats: 'nats-server',
  natsExporter: 'nats-prometheus-exporter',
  etcd: 'etcd-server',
  dcgm: 'dcgm-exporter',
} as const;

/** Container-side ports, fixed by each image's configuration below. */
export const CONTAINER_PORT = {
  prometheus: 9090,
  blackbox: 9115,
  alertmanager: 9093,
  grafana: 3000,
  tempo: 3200,
  loki: 3100,
  otlpGrpc: 4317,
  otlpHttp: 4318,
  alloy: 12345,
  nats: 4222,
  natsMonitor: 8222,
  natsExporter: 7777,
  etcd: 2379,
  dcgm: 9401,
} as const;

export function topology(o: StackOptions): Topology {
  if (o.profile === 'compose') {
    return {
      prometheusUrl: `http://${SERVICE.prometheus}:${CONTAINER_PORT.prometheus}`,
      prometheusRemoteWriteUrl: `http://${SERVICE.prometheus}:${CONTAINER_PORT.prometheus}/api/v1/write`,
      alertmanagerTarget: `${SERVICE.alertmanager}:${CONTAINER_PORT.alertmanager}`,
      tempoUrl: `http://${SERVICE.tempo}:${CONTAINER_PORT.tempo}`,
      tempoOtlpGrpc: `${SERVICE.tempo}:${CONTAINER_PORT.otlpGrpc}`,
      lokiUrl: `http://${SERVICE.loki}:${CONTAINER_PORT.loki}`,
      lokiOtlpUrl: `http://${SERVICE.loki}:${CONTAINER_PORT.loki}/otlp`,
      lokiPushUrl: `http://${SERVICE.loki}:${CONTAINER_PORT.loki}/loki/api/v1/push`,
    };
  }
  const ns = o.k8s.namespace;
  const prom = `${CHARTS.kubePrometheusStack.release}-prometheus.${ns}.svc`;
  return {
    prometheusUrl: `http://${prom}:9090`,
    prometheusRemoteWriteUrl: `http://${prom}:9090/api/v1/write`,
    alertmanagerTarget: `${CHARTS.kubePrometheusStack.release}-alertmanager.${ns}.svc:9093`,
    tempoUrl: `http://${CHARTS.tempo.release}.${ns}.svc:${CONTAINER_PORT.tempo}`,
    tempoOtlpGrpc: `${CHARTS.tempo.release}.${ns}.svc.cluster.local:${CONTAINER_PORT.otlpGrpc}`,
    lokiUrl: `http://${CHARTS.loki.release}-gateway.${ns}.svc`,
    lokiOtlpUrl: `http://${CHARTS.loki.release}-gateway.${ns}.svc/otlp`,
    lokiPushUrl: `http://${CHARTS.loki.release}-gateway.${ns}.svc.cluster.local/loki/api/v1/push`,
  };
}

/** The URLs Spanlens itself should use for the rendered stack, as seen from the user's machine. */
export interface StackEndpoints {
  readonly tempo?: string;
  readonly loki?: string;
  readonly prometheus?: string;
}

/**
 * Compose publishes on the bind address; Kubernetes is reached through `kubectl port-forward`
 * to the same local ports (the README gives the commands).
 */
export function hostEndpoints(o: StackOptions): StackEndpoints {
  const host = o.bindAddress === '0.0.0.0' || o.bindAddress === '127.0.0.1' ? 'localhost' : o.bindAddress;
  const url = (port: number): string => `http://${host}:${port}`;
  const c = o.components;
  return {
    ...(c.tempo ? { tempo: url(o.ports.tempo) } : {}),
    ...(c.loki ? { loki: url(o.ports.loki) } : {}),
    ...(c.prometheus ? { prometheus: url(o.ports.prometheus) } : {}),
  };
}
