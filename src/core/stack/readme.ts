import { GPU_PROFILE } from './compose';
import { dashboardSpecs } from './grafana/dashboards';
import { CHARTS, type HelmChart } from './images';
import { HELM_VALUES } from './k8sHelm';
import { MANIFESTS } from './k8sManifests';
import type { StackFile } from './emit';
import type { StackOptions } from './options';
import { RULES_PATH, RULES_TEST_PATH } from './rulesTests';
import { alertSpecs } from './rules';
import { CONTAINER_PORT, hostEndpoints, topology } from './topology';

interface Section {
  readonly title: string;
  readonly body: readonly string[];
}

const fence = (lang: string, lines: readonly string[]): string[] => ['```' + lang, ...lines, '```'];

/** The environment each Dynamo process needs to feed this stack (reference §2.5, §3.1, §4.2). */
export function dynamoEnv(o: StackOptions): { name: string; value: string; why: string }[] {
  const otlp = o.profile === 'compose' ? `http://localhost:${o.ports.otlpGrpc}` : `http://${topology(o).tempoOtlpGrpc}`;
  return [
    { name: 'DYN_LOGGING_JSONL', value: 'true', why: 'JSONL logs; also the only code path that sets up OpenTelemetry' },
    { name: 'OTEL_EXPORT_ENABLED', value: 'true', why: 'export spans (and, with them, OTLP logs)' },
    { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', value: otlp, why: 'gRPC only; logs default to the same endpoint' },
    { name: 'OTEL_SERVICE_NAME', value: 'dynamo-frontend', why: 'one name per process, e.g. dynamo-worker-vllm for a worker' },
    ...(o.profile === 'compose'
      ? [{ name: 'DYN_SYSTEM_PORT', value: String(o.dynamo.systemPorts[0]), why: 'workers only: serves /metrics and /health (off by default)' }]
      : []),
  ];
}

function urlTable(o: StackOptions): string[] {
  const host = o.bindAddress === '0.0.0.0' || o.bindAddress === '127.0.0.1' ? 'localhost' : o.bindAddress;
  const c = o.components;
  const rows: [string, boolean, number, string][] = [
    ['Grafana', c.grafana, o.ports.grafana, 'dashboards in the Dynamo folder; anonymous editor access'],
    ['Prometheus', c.prometheus, o.ports.prometheus, 'scrapes Dynamo; exemplars and remote-write receiver on'],
    ['Alertmanager', c.alertmanager, o.ports.alertmanager, `routes by severity to ${o.alertWebhookUrl}`],
    ['Tempo', c.tempo, o.ports.tempo, `traces kept ${o.retention.tempo}`],
    ['Loki', c.loki, o.ports.loki, `logs kept ${o.retention.loki}`],
    ['OTLP gRPC (Dynamo exports here)', c.collector !== 'none' || c.tempo, o.ports.otlpGrpc, ''],
    ['OTLP HTTP', c.collector !== 'none' || c.tempo, o.ports.otlpHttp, ''],
    ['Alloy UI', c.collector === 'alloy', o.ports.alloy, ''],
  ];
  return [
    '| Service | URL | Notes |',
    '|---|---|---|',
    ...rows.filter((r) => r[1]).map(([name, , port, note]) => `| ${name} | http://${host}:${port} | ${note} |`),
    ...(c.nats ? [`| NATS | nats://${host}:${o.ports.nats} (monitoring http://${host}:${o.ports.natsMonitor}) | Dynamo's request plane |`] : []),
    ...(c.etcd ? [`| etcd | http://${host}:${o.ports.etcd} | Dynamo's discovery store |`] : []),
  ];
}

function envSection(o: StackOptions): Section {
  if (o.profile === 'k8s') {
    return {
      title: 'Point Dynamo at the stack',
      body: [
        "Add these to the environment of every Dynamo container (the DynamoGraphDeployment's envs):",
        '',
        ...fence('yaml', dynamoEnv(o).flatMap((e) => [`- name: ${e.name}   # ${e.why}`, `  value: "${e.value}"`])),
        '',
        "The operator already sets DYN_SYSTEM_PORT=9090 (container port `system`), which the dynamo-worker PodMonitor scrapes." +
          " Dynamo also exports its logs over OTLP to the traces endpoint, which Tempo does not accept; there is no switch for that" +
          ' yet (Dynamo issue #10781), and the logs reach Loki from stderr through Alloy anyway.',
      ],
    };
  }
  return {
    title: 'Point Dynamo at the stack',
    body: [
      'Set these for every Dynamo process (frontend and workers):',
      '',
      ...fence('sh', dynamoEnv(o).map((e) => `export ${e.name}=${e.value}   # ${e.why}`)),
      '',
      `Prometheus scrapes the frontend on :${o.dynamo.frontendPort}, workers on ${o.dynamo.systemPorts.map((p) => `:${p}`).join(', ')}` +
        ` (one DYN_SYSTEM_PORT each), KVBM on :${o.dynamo.kvbmPort} (DYN_KVBM_METRICS=true) and NIXL on :${o.dynamo.nixlPort}` +
        ' (NIXL_TELEMETRY_ENABLE=y, NIXL_TELEMETRY_EXPORTER=prometheus).',
    ],
  };
}

function alertsSection(o: StackOptions): Section {
  const names = [...new Set(alertSpecs(o).map((s) => `\`${s.alert}\` (${s.levels.map((l) => l.severity).join(', ')})`))];
  return {
    title: 'Alerts',
    body: [
      `Rules: \`${RULES_PATH}\`. Each has a \`severity\`, a \`summary\` and a \`description\`:`,
      '',
      ...names.map((n) => `- ${n}`),
      '',
      `Unit tests for them: \`promtool test rules ${RULES_TEST_PATH}\`.`,
      ...(o.components.alertmanager
        ? [
            '',
            `Alertmanager sends critical and warning alerts to ${o.alertWebhookUrl} with \`?receiver=dynamo-critical\` or` +
              ' `?receiver=dynamo-warning`; a critical alert holds back the warning of the same alert. Until a receiver listens' +
              ' there, alerts are still listed in Alertmanager.',
          ]
        : []),
    ],
  };
}

function composeNotes(o: StackOptions): Section {
  return {
    title: 'Notes',
    body: [
      `- Prometheus reaches Dynamo on this machine as \`${o.dynamo.host}\` (mapped to the host gateway), so Dynamo must listen on` +
        ' all interfaces, which is its default.',
      '- The collector, the NATS exporter and the DCGM exporter images have no shell, so compose cannot health-check them;' +
        ' Prometheus watches them instead (`ScrapeTargetDown`).',
      ...(o.components.collector === 'none' && o.components.tempo ? ['- Without a collector, Tempo receives Dynamo\'s OTLP itself (traces only).'] : []),
    ],
  };
}

function correlationSection(o: StackOptions): Section {
  return {
    title: 'Correlations',
    body: [
      'Datasources have fixed uids `prometheus`, `tempo` and `loki`; every dashboard and link uses them.',
      '',
      '- Trace → logs matches `trace_id` as OTLP structured metadata and inside JSON lines.',
      '- Logs → trace: derived fields for both shapes.',
      '- Metrics → traces: exemplars (`traceID` from Tempo span metrics, `trace_id`).',
      '- Trace → metrics: span rate and latency from Tempo\'s metrics generator, and Dynamo request rate.',
      '',
      `Dashboards: ${dashboardSpecs(o).map((d) => d.title).join(', ')}.`,
    ],
  };
}

const helmInstall = (c: HelmChart, values: string, ns: string): string =>
  `helm upgrade --install ${c.release} ${c.repoName}/${c.chart} --version ${c.version} -n ${ns} --create-namespace -f ${values}`;

function composeSections(o: StackOptions): Section[] {
  return [
    {
      title: 'Start and stop',
      body: [
        ...fence('sh', [
          'docker compose up -d',
          ...(o.components.dcgm ? [`docker compose --profile ${GPU_PROFILE} up -d   # with the DCGM GPU exporter (needs an NVIDIA GPU)`] : []),
          'docker compose ps            # health of each service',
          'docker compose down          # stop, keep data',
          'docker compose down -v       # stop and delete the data volumes',
        ]),
        '',
        `Ports are published on ${o.bindAddress}.${o.bindAddress === '127.0.0.1' ? '' : ' Nothing here has authentication: keep it off untrusted networks.'}`,
      ],
    },
    { title: 'URLs', body: urlTable(o) },
  ];
}

function k8sSections(o: StackOptions): Section[] {
  const ns = o.k8s.namespace;
  const c = o.components;
  const installs: string[] = [];
  if (c.prometheus || c.grafana || c.alertmanager) installs.push(helmInstall(CHARTS.kubePrometheusStack, HELM_VALUES.kubePrometheusStack, ns));
  if (c.tempo) installs.push(helmInstall(CHARTS.tempo, HELM_VALUES.tempo, ns));
  if (c.loki) installs.push(helmInstall(CHARTS.loki, HELM_VALUES.loki, ns));
  if (c.collector === 'alloy' && c.loki) installs.push(helmInstall(CHARTS.k8sMonitoring, HELM_VALUES.k8sMonitoring, ns));
  const repos = [...new Map(Object.values(CHARTS).map((ch) => [ch.repoName, ch.repoUrl]))].map(([n, u]) => `helm repo add ${n} ${u}`);
  const manifests = [
    ...(c.prometheus ? [MANIFESTS.podMonitors, MANIFESTS.prometheusRule] : []),
    ...(c.grafana ? [MANIFESTS.datasources, MANIFESTS.dashboards] : []),
  ];
  return [
    {
      title: 'Install',
      body: fence('sh', [...repos, 'helm repo update', ...installs, ...manifests.map((m) => `kubectl apply -f ${m}`)]),
    },
    {
      title: 'Reach it from your machine',
      body: fence('sh', [
        ...(c.grafana ? [`kubectl -n ${ns} port-forward svc/${CHARTS.kubePrometheusStack.release}-grafana ${o.ports.grafana}:80`] : []),
        ...(c.prometheus ? [`kubectl -n ${ns} port-forward svc/${CHARTS.kubePrometheusStack.release}-prometheus ${o.ports.prometheus}:9090`] : []),
        ...(c.tempo ? [`kubectl -n ${ns} port-forward svc/${CHARTS.tempo.release} ${o.ports.tempo}:${CONTAINER_PORT.tempo}`] : []),
        ...(c.loki ? [`kubectl -n ${ns} port-forward svc/${CHARTS.loki.release}-gateway ${o.ports.loki}:80`] : []),
      ]),
    },
    {
      title: 'Logs',
      body: [
        `Alloy reads the pods' stderr in namespace \`${o.k8s.dynamoNamespace}\` through the Kubernetes API; Dynamo's JSONL lines keep`,
        '`trace_id` inside the line, and the pod labels `nvidia.com/dynamo-*` become Loki labels.',
      ],
    },
  ];
}

export function readme(o: StackOptions): string {
  const endpoints = hostEndpoints(o);
  const sections: Section[] = [
    ...(o.profile === 'compose' ? composeSections(o) : k8sSections(o)),
    envSection(o),
    alertsSection(o),
    correlationSection(o),
    ...(o.profile === 'compose' ? [composeNotes(o)] : []),
    {
      title: 'Spanlens',
      body: [
        'Spanlens endpoints for this stack:',
        '',
        ...Object.entries(endpoints).map(([k, v]) => `- \`spanlens.${k}.url\`: ${v}`),
        '',
        'Check the files: `spanlens validate-stack .` (promtool, amtool and structural checks).',
      ],
    },
  ];
  const title = o.profile === 'compose' ? 'Dynamo observability stack (Docker Compose)' : 'Dynamo observability stack (Kubernetes)';
  return [
    `# ${title}`,
    '',
    'Rendered by Spanlens. Re-render with the same choices to see what changed before anything is written.',
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', ...s.body, '']),
  ].join('\n');
}

export function readmeFile(o: StackOptions): StackFile {
  return { path: 'README.md', content: readme(o) };
}
