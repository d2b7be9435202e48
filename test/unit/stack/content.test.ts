/**
 * What the issue asks of each artefact, checked on the parsed output (not on template text).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { renderStack, type StackFile } from '../../../src/core/stack/render';

const compose = renderStack({ profile: 'compose', components: { dcgm: true } });
const k8s = renderStack({ profile: 'k8s', components: { dcgm: true } });
const text = (files: StackFile[], path: string): string => {
  const f = files.find((x) => x.path === path);
  assert.ok(f, `missing ${path}`);
  return f.content;
};
const yaml = (files: StackFile[], path: string): any => parse(text(files, path));
const docs = (files: StackFile[], path: string): any[] => parseAllDocuments(text(files, path)).map((d) => d.toJS());

describe('compose profile', () => {
  const dc = yaml(compose, 'docker-compose.yml');

  it('pins every image to a version', () => {
    for (const [name, svc] of Object.entries<{ image: string }>(dc.services)) {
      assert.match(svc.image, /^[\w./-]+:[\w.-]+$/, name);
      assert.doesNotMatch(svc.image, /:latest$/, name);
    }
  });

  it('gives every service a health check unless its image has no tool to run one', () => {
    const noTool = new Set(['otel-collector', 'nats-prometheus-exporter', 'dcgm-exporter']);
    for (const [name, svc] of Object.entries<{ healthcheck?: { test: string[] } }>(dc.services)) {
      if (noTool.has(name)) continue;
      assert.ok(svc.healthcheck?.test?.[0] === 'CMD', name);
    }
  });

  it('keeps data in named volumes and the DCGM exporter under the gpu profile', () => {
    assert.deepEqual(Object.keys(dc.volumes).sort(), ['alertmanager-data', 'etcd-data', 'grafana-data', 'loki-data', 'nats-data', 'prometheus-data', 'tempo-data']);
    assert.deepEqual(dc.services['dcgm-exporter'].profiles, ['gpu']);
    assert.equal(dc.services['dcgm-exporter'].environment.DCGM_EXPORTER_LISTEN, ':9401');
  });

  it('turns on exemplar storage and the remote-write receiver', () => {
    const cmd: string[] = dc.services.prometheus.command;
    assert.ok(cmd.includes('--enable-feature=exemplar-storage'));
    assert.ok(cmd.includes('--web.enable-remote-write-receiver'));
    assert.ok(cmd.includes('--storage.tsdb.retention.time=15d'));
  });

  it("scrapes Dynamo's ports, the exporters and itself", () => {
    const prom = yaml(compose, 'prometheus/prometheus.yml');
    const targets = new Map<string, string[]>(
      prom.scrape_configs.map((j: { job_name: string; static_configs: { targets: string[] }[] }) => [j.job_name, j.static_configs.flatMap((s) => s.targets)]),
    );
    assert.deepEqual(targets.get('dynamo-frontend'), ['host.docker.internal:8000']);
    assert.deepEqual(targets.get('dynamo-backend'), ['host.docker.internal:8081']);
    assert.deepEqual(targets.get('dynamo-kvbm'), ['host.docker.internal:6880']);
    assert.deepEqual(targets.get('dynamo-nixl'), ['host.docker.internal:19090']);
    assert.deepEqual(targets.get('nats-prometheus-exporter'), ['nats-prometheus-exporter:7777']);
    assert.deepEqual(targets.get('etcd-server'), ['etcd-server:2379']);
    assert.deepEqual(targets.get('dcgm-exporter'), ['dcgm-exporter:9401']);
    assert.deepEqual(targets.get('prometheus'), ['localhost:9090']);
    assert.deepEqual(targets.get('blackbox-dynamo-health'), ['http://host.docker.internal:8000/health', 'http://host.docker.internal:8081/health']);
    assert.deepEqual(prom.alerting.alertmanagers[0].static_configs[0].targets, ['alertmanager:9093']);
  });

  it('writes alert rules with severity, summary, description and for, at two levels where asked', () => {
    const rules = yaml(compose, 'prometheus/rules/dynamo-alerts.yml').groups.flatMap((g: { rules: unknown[] }) => g.rules);
    for (const r of rules) {
      assert.ok(['warning', 'critical'].includes(r.labels.severity), r.alert);
      assert.ok(r.annotations.summary && r.annotations.description && r.for, r.alert);
    }
    const levels = (name: string): string[] => rules.filter((r: { alert: string }) => r.alert === name).map((r: { labels: { severity: string } }) => r.labels.severity);
    for (const name of ['DynamoTTFTP95High', 'DynamoTTFTP99High', 'DynamoRequestLatencyP95High', 'DynamoRequestLatencyP99High', 'DynamoErrorRatioHigh', 'DynamoRequestRateDrop', 'DynamoQueueBacklog']) {
      assert.deepEqual(levels(name), ['warning', 'critical'], name);
    }
    for (const name of ['DynamoTargetDown', 'DynamoHealthEndpointFailing', 'ScrapeTargetDown', 'DcgmGpuTemperatureHigh', 'DcgmGpuSaturated', 'DcgmGpuBusyAtLowPower', 'DcgmGpuIdleWhileRequestsQueue']) {
      assert.ok(levels(name).length >= 1, name);
    }
  });

  it('routes alerts by severity to a webhook', () => {
    const am = yaml(compose, 'alertmanager/alertmanager.yml');
    assert.deepEqual(am.route.routes.map((r: { matchers: string[]; receiver: string }) => [r.matchers[0], r.receiver]), [
      ['severity="critical"', 'dynamo-critical'],
      ['severity="warning"', 'dynamo-warning'],
    ]);
    for (const r of am.receivers) assert.match(r.webhook_configs[0].url, /^http:\/\/host\.docker\.internal:9095\/alerts\?receiver=/);
  });

  it('configures Tempo with OTLP receivers, retention and span metrics with exemplars to Prometheus', () => {
    const t = yaml(compose, 'tempo/tempo.yaml');
    assert.equal(t.distributor.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
    assert.equal(t.distributor.receivers.otlp.protocols.http.endpoint, '0.0.0.0:4318');
    assert.equal(t.compactor.compaction.block_retention, '72h');
    assert.deepEqual(t.metrics_generator.storage.remote_write, [{ url: 'http://prometheus:9090/api/v1/write', send_exemplars: true }]);
    assert.deepEqual(t.overrides.defaults.metrics_generator.processors, ['service-graphs', 'span-metrics', 'local-blocks']);
    assert.equal(t.storage.trace.backend, 'local');
  });

  it('configures Loki for OTLP with structured metadata', () => {
    const l = yaml(compose, 'loki/loki.yaml');
    assert.equal(l.limits_config.allow_structured_metadata, true);
    assert.deepEqual([l.schema_config.configs[0].store, l.schema_config.configs[0].schema], ['tsdb', 'v13']);
    assert.equal(l.limits_config.retention_period, '168h');
  });

  it('fans Dynamo OTLP out: traces to Tempo, logs to Loki', () => {
    const c = yaml(compose, 'otel-collector/config.yaml');
    assert.equal(c.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
    assert.deepEqual(c.service.pipelines.traces.exporters, ['otlp/tempo']);
    assert.deepEqual(c.service.pipelines.logs.exporters, ['otlphttp/loki']);
    assert.equal(c.exporters['otlp/tempo'].endpoint, 'tempo:4317');
    assert.equal(c.exporters['otlphttp/loki'].endpoint, 'http://loki:3100/otlp');
    const alloy = text(renderStack({ profile: 'compose', components: { collector: 'alloy' } }), 'alloy/config.alloy');
    assert.match(alloy, /otelcol\.receiver\.otlp "dynamo" \{[\s\S]*endpoint = "0\.0\.0\.0:4317"/);
    assert.match(alloy, /traces = \[otelcol\.exporter\.otlp\.tempo\.input\]/);
    assert.match(alloy, /logs = \[otelcol\.exporter\.otlphttp\.loki\.input\]/);
  });

  it('provisions datasources with fixed uids and correlations for both log shapes', () => {
    const ds = yaml(compose, 'grafana/provisioning/datasources/datasources.yaml').datasources;
    const byUid = Object.fromEntries(ds.map((d: { uid: string }) => [d.uid, d]));
    assert.deepEqual(Object.keys(byUid), ['prometheus', 'tempo', 'loki']);
    const logs = byUid.tempo.jsonData.tracesToLogsV2;
    assert.equal(logs.datasourceUid, 'loki');
    // Structured metadata and in-line JSON, both.
    assert.match(logs.query, /trace_id="\$\$\{__trace\.traceId\}" or trace_id_json="\$\$\{__trace\.traceId\}"/);
    assert.deepEqual(byUid.loki.jsonData.derivedFields.map((f: { matcherType: string }) => f.matcherType), ['label', 'regex']);
    assert.deepEqual(byUid.prometheus.jsonData.exemplarTraceIdDestinations.map((e: { name: string; datasourceUid: string }) => [e.name, e.datasourceUid]), [
      ['traceID', 'tempo'],
      ['trace_id', 'tempo'],
    ]);
    assert.equal(byUid.tempo.jsonData.tracesToMetrics.datasourceUid, 'prometheus');
  });

  it('provisions the four dashboards, each panel on a provisioned uid', () => {
    const dashboards = compose.filter((f) => f.path.startsWith('grafana/dashboards/'));
    assert.deepEqual(dashboards.map((f) => f.path), [
      'grafana/dashboards/dcgm-gpu.json',
      'grafana/dashboards/dynamo-logs.json',
      'grafana/dashboards/dynamo-overview.json',
      'grafana/dashboards/kvbm.json',
    ]);
    for (const f of dashboards) {
      const d = JSON.parse(f.content);
      for (const p of d.panels.filter((x: { type: string }) => x.type !== 'row')) {
        assert.ok(['prometheus', 'loki'].includes(p.datasource.uid), `${f.path}: ${p.title}`);
        for (const t of p.targets) assert.equal(t.datasource.uid, p.datasource.uid);
      }
    }
    const overview = JSON.parse(text(compose, 'grafana/dashboards/dynamo-overview.json'));
    assert.ok(overview.panels.some((p: { targets?: { exemplar?: boolean }[] }) => p.targets?.some((t) => t.exemplar)), 'an exemplar panel');
  });

  it('explains start, stop, URLs and the Dynamo environment in the README', () => {
    const md = text(compose, 'README.md');
    for (const s of ['docker compose up -d', 'docker compose down', 'http://localhost:3000', 'DYN_LOGGING_JSONL=true', 'OTEL_EXPORT_ENABLED=true', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://localhost:4317', 'OTEL_SERVICE_NAME=', 'DYN_SYSTEM_PORT=8081', '--profile gpu']) {
      assert.ok(md.includes(s), s);
    }
  });
});

describe('kubernetes profile', () => {
  it('writes PodMonitors for frontend, workers and planner with the operator port names', () => {
    const pms = docs(k8s, 'manifests/podmonitors.yaml');
    assert.deepEqual(
      pms.map((p) => [p.metadata.name, p.spec.selector.matchLabels['nvidia.com/dynamo-component-type'], p.spec.podMetricsEndpoints.map((e: { port: string }) => e.port)]),
      [
        ['dynamo-frontend', 'frontend', ['http']],
        ['dynamo-worker', 'worker', ['system', 'nixl']],
        ['dynamo-planner', 'planner', ['metrics']],
      ],
    );
    assert.ok(pms.every((p) => p.kind === 'PodMonitor' && p.metadata.namespace === 'dynamo'));
  });

  it("gives only the frontend's metrics dynamo_namespace from the pod; workers keep the runtime's own", () => {
    const relabelled = (p: any): string[] =>
      p.spec.podMetricsEndpoints.flatMap((e: { relabelings?: { targetLabel: string }[] }) => (e.relabelings ?? []).map((r) => r.targetLabel));
    const [frontend, worker, planner] = docs(k8s, 'manifests/podmonitors.yaml');
    assert.deepEqual(relabelled(frontend), ['dynamo_namespace']);
    // A target label would win over the scraped one (renamed exported_dynamo_namespace).
    assert.deepEqual(relabelled(worker), []);
    assert.deepEqual(relabelled(planner), []);
  });

  it('ships the tested rules as a PrometheusRule', () => {
    const rule = yaml(k8s, 'manifests/prometheusrule.yaml');
    assert.equal(rule.kind, 'PrometheusRule');
    assert.deepEqual(rule.spec, yaml(k8s, 'prometheus/rules/dynamo-alerts.yml'));
    assert.ok(JSON.stringify(rule.spec).includes('kube_pod_status_ready'));
  });

  it('maps pod labels for Loki as the Dynamo reference does (§6)', () => {
    const v = yaml(k8s, 'helm/k8s-monitoring.values.yaml');
    assert.deepEqual(v.podLogs.labels, {
      app_kubernetes_io_name: 'app.kubernetes.io/name',
      nvidia_com_dynamo_component_type: 'nvidia.com/dynamo-component-type',
      nvidia_com_dynamo_graph_deployment_name: 'nvidia.com/dynamo-graph-deployment-name',
    });
    assert.equal(v.podLogs.gatherMethod, 'kubernetesApi');
    assert.deepEqual(v.podLogs.namespaces, ['dynamo']);
    assert.deepEqual(v.podLogs.structuredMetadata, { pod: 'pod' });
    assert.ok(v.podLogs.labelsToKeep.includes('nvidia_com_dynamo_component_type'));
    assert.equal(v.destinations[0].url, 'http://loki-gateway.monitoring.svc.cluster.local/loki/api/v1/push');
  });

  it('configures kube-prometheus-stack for exemplars, remote write, our PodMonitors and our datasources', () => {
    const v = yaml(k8s, 'helm/kube-prometheus-stack.values.yaml');
    assert.deepEqual(v.prometheus.prometheusSpec.enableFeatures, ['exemplar-storage']);
    assert.equal(v.prometheus.prometheusSpec.enableRemoteWriteReceiver, true);
    assert.equal(v.prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues, false);
    assert.equal(v.grafana.sidecar.datasources.defaultDatasourceEnabled, false);
    assert.equal(v.alertmanager.config.route.routes[0].receiver, 'dynamo-critical');
  });

  it('puts datasources and dashboards in labelled ConfigMaps', () => {
    const ds = yaml(k8s, 'manifests/grafana-datasources.yaml');
    assert.equal(ds.metadata.labels.grafana_datasource, '1');
    const inner = parse(ds.data['spanlens-datasources.yaml']);
    assert.deepEqual(inner.datasources.map((d: { uid: string; url: string }) => [d.uid, d.url]), [
      ['prometheus', 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090'],
      ['tempo', 'http://tempo.monitoring.svc:3200'],
      ['loki', 'http://loki-gateway.monitoring.svc'],
    ]);
    const maps = docs(k8s, 'manifests/grafana-dashboards.yaml');
    assert.equal(maps.length, 4);
    assert.ok(maps.every((m) => m.metadata.labels.grafana_dashboard === '1'));
  });

  it('writes Helm values for Tempo and Loki with retention and structured metadata', () => {
    const t = yaml(k8s, 'helm/tempo.values.yaml');
    // The chart's own template would drop send_exemplars, so the values carry the whole config.
    const config = parse(t.config);
    assert.equal(config.compactor.compaction.block_retention, '72h');
    assert.deepEqual(config.metrics_generator.storage.remote_write, [
      { url: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090/api/v1/write', send_exemplars: true },
    ]);
    assert.deepEqual(config.overrides.defaults.metrics_generator.processors, ['service-graphs', 'span-metrics', 'local-blocks']);
    assert.equal(config.distributor.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
    // The chart derives its Service's OTLP ports from tempo.receivers.
    assert.deepEqual(t.tempo.receivers, config.distributor.receivers);
    const l = yaml(k8s, 'helm/loki.values.yaml');
    assert.equal(l.loki.limits_config.allow_structured_metadata, true);
    assert.equal(l.deploymentMode, 'SingleBinary');
  });

  it("points Grafana and the README's port-forward at the port Tempo listens on (the chart's Service has 3200)", () => {
    const t = yaml(k8s, 'helm/tempo.values.yaml');
    const port = parse(t.config).server.http_listen_port;
    assert.equal(port, 3200);
    assert.equal(t.tempo.server.http_listen_port, port);
    const ds = parse(yaml(k8s, 'manifests/grafana-datasources.yaml').data['spanlens-datasources.yaml']).datasources;
    assert.equal(ds.find((d: { uid: string }) => d.uid === 'tempo').url, `http://tempo.monitoring.svc:${port}`);
    assert.match(text(k8s, 'README.md'), new RegExp(`port-forward svc/tempo 3200:${port}$`, 'm'));
  });
});
