import { printAlloy, ref, type AlloyBlock } from './alloySyntax';
import { toYaml, type StackFile } from './emit';
import type { StackOptions } from './options';
import { CONTAINER_PORT, topology } from './topology';

type Signal = 'traces' | 'logs';

/**
 * Where each OTLP signal from Dynamo goes. Dynamo sends traces and logs to the same gRPC
 * endpoint; a signal without a backend goes to a debug exporter, so Dynamo's exporter does not
 * fill its own logs with "unimplemented" errors.
 */
export interface Route {
  readonly signal: Signal;
  readonly backend: 'tempo' | 'loki' | 'debug';
}

export function routes(o: StackOptions): Route[] {
  return [
    { signal: 'traces', backend: o.components.tempo ? 'tempo' : 'debug' },
    { signal: 'logs', backend: o.components.loki ? 'loki' : 'debug' },
  ];
}

const OTELCOL_EXPORTER: Record<Route['backend'], string> = {
  tempo: 'otlp/tempo',
  loki: 'otlphttp/loki',
  debug: 'debug',
};

/** OpenTelemetry Collector (core distribution): OTLP in, batch, traces to Tempo, logs to Loki. */
export function otelcolConfig(o: StackOptions): Record<string, unknown> {
  const t = topology(o);
  const rs = routes(o);
  const used = new Set(rs.map((r) => r.backend));
  const exporters: Record<string, unknown> = {};
  if (used.has('tempo')) exporters[OTELCOL_EXPORTER.tempo] = { endpoint: t.tempoOtlpGrpc, tls: { insecure: true } };
  if (used.has('loki')) exporters[OTELCOL_EXPORTER.loki] = { endpoint: t.lokiOtlpUrl };
  if (used.has('debug')) exporters[OTELCOL_EXPORTER.debug] = { verbosity: 'basic' };
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${CONTAINER_PORT.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${CONTAINER_PORT.otlpHttp}` },
        },
      },
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      batch: {},
    },
    exporters,
    service: {
      pipelines: Object.fromEntries(
        rs.map((r) => [
          r.signal,
          { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: [OTELCOL_EXPORTER[r.backend]] },
        ]),
      ),
    },
  };
}

const ALLOY_EXPORTER: Record<'tempo' | 'loki', string> = {
  tempo: 'otelcol.exporter.otlp.tempo',
  loki: 'otelcol.exporter.otlphttp.loki',
};

/**
 * The same fan-out as an Alloy pipeline. Alloy's debug exporter is experimental (it would need
 * --stability.level=experimental), so a signal without a backend is left out of the outputs:
 * the receiver still accepts it and drops it.
 */
export function alloyConfig(o: StackOptions): AlloyBlock[] {
  const t = topology(o);
  const rs = routes(o).filter((r): r is Route & { backend: 'tempo' | 'loki' } => r.backend !== 'debug');
  const output = (to: (r: Route & { backend: 'tempo' | 'loki' }) => string): AlloyBlock => ({
    name: 'output',
    attrs: rs.map((r) => [r.signal, [ref(to(r))]] as const),
  });
  const used = new Set(rs.map((r) => r.backend));
  const blocks: AlloyBlock[] = [
    {
      name: 'otelcol.receiver.otlp',
      label: 'dynamo',
      blocks: [
        { name: 'grpc', attrs: [['endpoint', `0.0.0.0:${CONTAINER_PORT.otlpGrpc}`]] },
        { name: 'http', attrs: [['endpoint', `0.0.0.0:${CONTAINER_PORT.otlpHttp}`]] },
        output(() => 'otelcol.processor.batch.default.input'),
      ],
    },
    { name: 'otelcol.processor.batch', label: 'default', blocks: [output((r) => `${ALLOY_EXPORTER[r.backend]}.input`)] },
  ];
  if (used.has('tempo')) {
    blocks.push({
      name: 'otelcol.exporter.otlp',
      label: 'tempo',
      blocks: [{ name: 'client', attrs: [['endpoint', t.tempoOtlpGrpc]], blocks: [{ name: 'tls', attrs: [['insecure', true]] }] }],
    });
  }
  if (used.has('loki')) {
    blocks.push({ name: 'otelcol.exporter.otlphttp', label: 'loki', blocks: [{ name: 'client', attrs: [['endpoint', t.lokiOtlpUrl]] }] });
  }
  return blocks;
}

export const OTELCOL_CONFIG_PATH = 'otel-collector/config.yaml';
export const ALLOY_CONFIG_PATH = 'alloy/config.alloy';

export function collectorFiles(o: StackOptions): StackFile[] {
  if (o.profile !== 'compose') return [];
  if (o.components.collector === 'otelcol') return [{ path: OTELCOL_CONFIG_PATH, content: toYaml(otelcolConfig(o)) }];
  if (o.components.collector === 'alloy') {
    return [{ path: ALLOY_CONFIG_PATH, content: printAlloy(alloyConfig(o), 'Rendered by Spanlens (render-stack). Dynamo OTLP in; traces to Tempo, logs to Loki.') }];
  }
  return [];
}
