import { toYaml, type StackFile } from './emit';
import type { StackOptions } from './options';
import { CONTAINER_PORT, topology } from './topology';

/** Span-metrics and service-graph processors write to Prometheus only when there is one. */
export function generatorProcessors(o: StackOptions): string[] {
  // local-blocks keeps recent traces queryable by TraceQL metrics (Tempo's /api/metrics).
  return o.components.prometheus ? ['service-graphs', 'span-metrics', 'local-blocks'] : ['local-blocks'];
}

/**
 * Tempo (single binary), for compose and as the Helm chart's `config`: OTLP gRPC and HTTP receivers, local block
 * storage under the named volume, retention from the form, and the metrics generator writing
 * span metrics with exemplars to Prometheus's remote-write receiver.
 */
export function tempoConfig(o: StackOptions): Record<string, unknown> {
  const t = topology(o);
  const otlp = `0.0.0.0:${CONTAINER_PORT.otlpGrpc}`;
  const otlpHttp = `0.0.0.0:${CONTAINER_PORT.otlpHttp}`;
  return {
    stream_over_http_enabled: true,
    server: { http_listen_port: CONTAINER_PORT.tempo, log_level: 'info' },
    distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: otlp }, http: { endpoint: otlpHttp } } } } },
    // Short idle period so Dynamo's spans are searchable a few seconds after a request ends.
    ingester: { trace_idle_period: '10s', max_block_duration: '5m' },
    compactor: { compaction: { block_retention: o.retention.tempo } },
    metrics_generator: {
      registry: { external_labels: { source: 'tempo' } },
      storage: {
        path: '/var/tempo/generator/wal',
        ...(o.components.prometheus ? { remote_write: [{ url: t.prometheusRemoteWriteUrl, send_exemplars: true }] } : {}),
      },
      traces_storage: { path: '/var/tempo/generator/traces' },
    },
    usage_report: { reporting_enabled: false },
    storage: {
      trace: { backend: 'local', wal: { path: '/var/tempo/wal' }, local: { path: '/var/tempo/blocks' } },
    },
    overrides: { defaults: { metrics_generator: { processors: generatorProcessors(o) } } },
  };
}

export function tempoFiles(o: StackOptions): StackFile[] {
  if (o.profile !== 'compose' || !o.components.tempo) return [];
  return [{ path: 'tempo/tempo.yaml', content: toYaml(tempoConfig(o)) }];
}
