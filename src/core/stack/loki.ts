import { toYaml, type StackFile } from './emit';
import type { StackOptions } from './options';
import { CONTAINER_PORT } from './topology';

/** The schema Loki needs for OTLP ingestion: structured metadata requires tsdb and v13. */
export const LOKI_SCHEMA = {
  from: '2024-01-01',
  store: 'tsdb',
  schema: 'v13',
  index: { prefix: 'index_', period: '24h' },
} as const;

/** Limits both profiles share: OTLP attributes become structured metadata, kept for `retention`. */
export function lokiLimits(o: StackOptions): Record<string, unknown> {
  return {
    allow_structured_metadata: true,
    volume_enabled: true,
    retention_period: o.retention.loki,
    // Dynamo writes old-enough timestamps after a restart; a week matches the reference stack.
    reject_old_samples: true,
    reject_old_samples_max_age: '168h',
  };
}

/**
 * Loki (monolithic, filesystem) for the compose profile. OTLP logs arrive on /otlp from the
 * collector: `service.name` becomes the `service_name` stream label and trace_id / span_id /
 * attributes become structured metadata.
 */
export function lokiConfig(o: StackOptions): Record<string, unknown> {
  return {
    auth_enabled: false,
    server: { http_listen_port: CONTAINER_PORT.loki, grpc_listen_port: 9096, log_level: 'info' },
    common: {
      instance_addr: '127.0.0.1',
      path_prefix: '/loki',
      storage: { filesystem: { chunks_directory: '/loki/chunks', rules_directory: '/loki/rules' } },
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
    },
    schema_config: { configs: [{ ...LOKI_SCHEMA, object_store: 'filesystem' }] },
    limits_config: lokiLimits(o),
    compactor: {
      working_directory: '/loki/compactor',
      retention_enabled: true,
      delete_request_store: 'filesystem',
    },
    pattern_ingester: { enabled: true },
    analytics: { reporting_enabled: false },
  };
}

export function lokiFiles(o: StackOptions): StackFile[] {
  if (o.profile !== 'compose' || !o.components.loki) return [];
  return [{ path: 'loki/loki.yaml', content: toYaml(lokiConfig(o)) }];
}
