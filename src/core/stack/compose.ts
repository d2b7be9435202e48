import { ALLOY_CONFIG_PATH, OTELCOL_CONFIG_PATH } from './collector';
import { toYaml, type StackFile } from './emit';
import { dashboardSpecs } from './grafana/dashboards';
import { DASHBOARDS_DIR, DASHBOARDS_MOUNT, PROVISIONING_DIR } from './grafana/provisioning';
import { IMAGES } from './images';
import type { StackOptions, StackPorts } from './options';
import { prometheusFlags } from './prometheus';
import { CONTAINER_PORT, SERVICE } from './topology';

/** The compose profile under which the DCGM exporter runs (it needs an NVIDIA GPU). */
export const GPU_PROFILE = 'gpu';
export const COMPOSE_PATH = 'docker-compose.yml';

const dirOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));

const HOST_GATEWAY = ['host.docker.internal:host-gateway'];

/**
 * Health checks by what the image ships: busybox `wget` (Prometheus, Alertmanager, blackbox,
 * Grafana, Tempo, NATS alpine), `/busybox/wget` (Loki's distroless:debug base), `curl` (Alloy),
 * `etcdctl` (etcd). The collector and the NATS and DCGM exporters ship no shell tool, so
 * Prometheus watches them instead (their `up` series and the ScrapeTargetDown alert).
 */
function health(test: string[], startPeriod = '10s'): Record<string, unknown> {
  return { test, interval: '10s', timeout: '5s', retries: 5, start_period: startPeriod };
}
const wget = (url: string, bin = 'wget'): string[] => ['CMD', bin, '-q', '--spider', url];

function port(o: StackOptions, name: keyof StackPorts, target: number): Record<string, unknown> {
  return { target, published: o.ports[name], host_ip: o.bindAddress, protocol: 'tcp' };
}

interface ServiceSpec {
  readonly name: string;
  readonly when: (o: StackOptions) => boolean;
  readonly volume?: string;
  readonly service: (o: StackOptions) => Record<string, unknown>;
}

const otlpPorts = (o: StackOptions): Record<string, unknown>[] => [
  port(o, 'otlpGrpc', CONTAINER_PORT.otlpGrpc),
  port(o, 'otlpHttp', CONTAINER_PORT.otlpHttp),
];

const SERVICES: readonly ServiceSpec[] = [
  {
    name: SERVICE.prometheus,
    when: (o) => o.components.prometheus,
    volume: 'prometheus-data',
    service: (o) => ({
      image: IMAGES.prometheus,
      command: prometheusFlags(o),
      volumes: ['./prometheus:/etc/prometheus:ro', 'prometheus-data:/prometheus'],
      ports: [port(o, 'prometheus', CONTAINER_PORT.prometheus)],
      extra_hosts: HOST_GATEWAY,
      healthcheck: health(wget(`http://localhost:${CONTAINER_PORT.prometheus}/-/ready`)),
    }),
  },
  {
    name: SERVICE.blackbox,
    when: (o) => o.components.prometheus,
    service: () => ({
      image: IMAGES.blackbox,
      command: ['--config.file=/etc/blackbox/blackbox.yml'],
      volumes: ['./blackbox:/etc/blackbox:ro'],
      extra_hosts: HOST_GATEWAY,
      healthcheck: health(wget(`http://localhost:${CONTAINER_PORT.blackbox}/-/healthy`)),
    }),
  },
  {
    name: SERVICE.alertmanager,
    when: (o) => o.components.alertmanager,
    volume: 'alertmanager-data',
    service: (o) => ({
      image: IMAGES.alertmanager,
      command: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
      volumes: ['./alertmanager:/etc/alertmanager:ro', 'alertmanager-data:/alertmanager'],
      ports: [port(o, 'alertmanager', CONTAINER_PORT.alertmanager)],
      extra_hosts: HOST_GATEWAY,
      healthcheck: health(wget(`http://localhost:${CONTAINER_PORT.alertmanager}/-/ready`)),
    }),
  },
  {
    name: SERVICE.tempo,
    when: (o) => o.components.tempo,
    volume: 'tempo-data',
    service: (o) => ({
      image: IMAGES.tempo,
      command: ['-config.file=/etc/tempo/tempo.yaml'],
      volumes: ['./tempo:/etc/tempo:ro', 'tempo-data:/var/tempo'],
      // Without a collector Tempo takes Dynamo's OTLP itself.
      ports: [port(o, 'tempo', CONTAINER_PORT.tempo), ...(o.components.collector === 'none' ? otlpPorts(o) : [])],
      healthcheck: health(wget(`http://localhost:${CONTAINER_PORT.tempo}/ready`), '20s'),
    }),
  },
  {
    name: SERVICE.loki,
    when: (o) => o.components.loki,
    volume: 'loki-data',
    service: (o) => ({
      image: IMAGES.loki,
      command: ['-config.file=/etc/loki/loki.yaml'],
      volumes: ['./loki:/etc/loki:ro', 'loki-data:/loki'],
      ports: [port(o, 'loki', CONTAINER_PORT.loki)],
      // Loki reports not-ready for its first ~15 s by design.
      healthcheck: health(wget(`http://localhost:${CONTAINER_PORT.loki}/ready`, '/busybox/wget'), '30s'),
    }),
  },
  {
    name: SERVICE.otelcol,
    when: (o) => o.components.collector === 'otelcol',
    service: (o) => ({
      image: IMAGES.otelcol,
      command: ['--config=/etc/otelcol/config.yaml'],
      volumes: [`./${dirOf(OTELCOL_CONFIG_PATH)}:/etc/otelcol:ro`],
      ports: otlpPorts(o),
      depends_on: backendsOf(o),
    }),
  },
  {
    name: SERVICE.alloy,
    when: (o) => o.components.collector === 'alloy',
    volume: 'alloy-data',
    service: (o) => ({
      image: IMAGES.alloy,
      command: [
        'run',
        `--server.http.listen-addr=0.0.0.0:${CONTAINER_PORT.alloy}`,
        '--storage.path=/var/lib/alloy/data',
        '/etc/alloy/config.alloy',
      ],
      volumes: [`./${dirOf(ALLOY_CONFIG_PATH)}:/etc/alloy:ro`, 'alloy-data:/var/lib/alloy/data'],
      ports: [...otlpPorts(o), port(o, 'alloy', CONTAINER_PORT.alloy)],
      depends_on: backendsOf(o),
      healthcheck: health(['CMD', 'curl', '-sf', '-o', '/dev/null', `http://localhost:${CONTAINER_PORT.alloy}/-/ready`]),
    }),
  },
  {
    name: SERVICE.grafana,
    when: (o) => o.components.grafana,
    volume: 'grafana-data',
    service: (o) => ({
      image: IMAGES.grafana,
      environment: {
        // Bound to loopback by default: anonymous editors make links from the editor open directly.
        GF_AUTH_ANONYMOUS_ENABLED: 'true',
        GF_AUTH_ANONYMOUS_ORG_ROLE: 'Editor',
        GF_USERS_ALLOW_SIGN_UP: 'false',
        GF_ANALYTICS_REPORTING_ENABLED: 'false',
        GF_DASHBOARDS_MIN_REFRESH_INTERVAL: '2s',
      },
      volumes: [
        'grafana-data:/var/lib/grafana',
        `./${PROVISIONING_DIR}:/etc/grafana/provisioning:ro`,
        // Docker would create a missing bind source as an empty root-owned folder.
        ...(dashboardSpecs(o).length ? [`./${DASHBOARDS_DIR}:${DASHBOARDS_MOUNT}:ro`] : []),
      ],
      ports: [port(o, 'grafana', CONTAINER_PORT.grafana)],
      depends_on: (['prometheus', 'tempo', 'loki'] as const).filter((c) => o.components[c]).map((c) => SERVICE[c]),
      healthcheck: health(wget(`http://localhost:${CONTAINER_PORT.grafana}/api/health`), '20s'),
    }),
  },
  {
    name: SERVICE.nats,
    when: (o) => o.components.nats,
    volume: 'nats-data',
    service: (o) => ({
      image: IMAGES.nats,
      command: ['-c', '/etc/nats/nats-server.conf'],
      volumes: ['./nats:/etc/nats:ro', 'nats-data:/data'],
      ports: [port(o, 'nats', CONTAINER_PORT.nats), port(o, 'natsMonitor', CONTAINER_PORT.natsMonitor)],
      healthcheck: health(wget(`http://localhost:${CONTAINER_PORT.natsMonitor}/healthz`)),
    }),
  },
  {
    name: SERVICE.natsExporter,
    when: (o) => o.components.nats,
    service: () => ({
      image: IMAGES.natsExporter,
      command: ['-varz', '-connz', '-routez', '-subz', '-gatewayz', '-leafz', '-jsz=all', `http://${SERVICE.nats}:${CONTAINER_PORT.natsMonitor}`],
      depends_on: [SERVICE.nats],
    }),
  },
  {
    name: SERVICE.etcd,
    when: (o) => o.components.etcd,
    volume: 'etcd-data',
    service: (o) => ({
      image: IMAGES.etcd,
      environment: {
        ALLOW_NONE_AUTHENTICATION: 'yes',
        ETCD_LISTEN_CLIENT_URLS: `http://0.0.0.0:${CONTAINER_PORT.etcd}`,
        // Dynamo runs on the host and reaches etcd through the published port.
        ETCD_ADVERTISE_CLIENT_URLS: `http://localhost:${o.ports.etcd}`,
      },
      volumes: ['etcd-data:/bitnami/etcd'],
      ports: [port(o, 'etcd', CONTAINER_PORT.etcd)],
      healthcheck: health(['CMD', 'etcdctl', `--endpoints=http://127.0.0.1:${CONTAINER_PORT.etcd}`, 'endpoint', 'health']),
    }),
  },
  {
    name: SERVICE.dcgm,
    when: (o) => o.components.dcgm,
    service: () => ({
      image: IMAGES.dcgm,
      profiles: [GPU_PROFILE],
      environment: { DCGM_EXPORTER_LISTEN: `:${CONTAINER_PORT.dcgm}` },
      cap_add: ['SYS_ADMIN'],
      deploy: { resources: { reservations: { devices: [{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }] } } },
    }),
  },
];

function backendsOf(o: StackOptions): string[] {
  return (['tempo', 'loki'] as const).filter((c) => o.components[c]).map((c) => SERVICE[c]);
}

export function composeConfig(o: StackOptions): Record<string, unknown> {
  const chosen = SERVICES.filter((s) => s.when(o));
  const services: Record<string, unknown> = {};
  for (const s of chosen) {
    const body = s.service(o);
    if (Array.isArray(body['depends_on']) && body['depends_on'].length === 0) delete body['depends_on'];
    services[s.name] = { ...body, restart: 'unless-stopped' };
  }
  const volumes = Object.fromEntries(chosen.filter((s) => s.volume).map((s) => [s.volume!, {}]));
  return { services, ...(Object.keys(volumes).length ? { volumes } : {}) };
}

/** NATS server settings: JetStream on (Dynamo's KV events use it) and Dynamo's 15 MiB payloads. */
export function natsConf(): string {
  return [
    '# Rendered by Spanlens (render-stack).',
    `port: ${CONTAINER_PORT.nats}`,
    `http_port: ${CONTAINER_PORT.natsMonitor}`,
    'max_payload: 15728640',
    'jetstream {',
    '  store_dir: "/data/jetstream"',
    '}',
    '',
  ].join('\n');
}

export function composeFiles(o: StackOptions): StackFile[] {
  if (o.profile !== 'compose') return [];
  return [
    { path: COMPOSE_PATH, content: toYaml(composeConfig(o)) },
    ...(o.components.nats ? [{ path: 'nats/nats-server.conf', content: natsConf() }] : []),
  ];
}
