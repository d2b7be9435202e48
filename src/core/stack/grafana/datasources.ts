import { imageTag, IMAGES } from '../images';
import type { StackOptions } from '../options';
import { topology } from '../topology';

/**
 * Fixed datasource uids. Dashboards and correlations name these, so they never depend on a uid
 * Grafana generated on someone's machine (the reference dashboards hard-code one that is never
 * provisioned).
 */
export const DS = {
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  tempo: { type: 'tempo', uid: 'tempo' },
  loki: { type: 'loki', uid: 'loki' },
} as const;

export type DsName = keyof typeof DS;

/** Which datasources a stack provisions: one per chosen backend. */
export function provisioned(o: StackOptions): DsName[] {
  const c = o.components;
  if (!c.grafana) return [];
  return (['prometheus', 'tempo', 'loki'] as const).filter((d) => c[d]);
}

/**
 * Trace → logs for both log shapes. OTLP logs (compose, through the collector) carry trace_id
 * as structured metadata; Alloy-collected JSONL (Kubernetes) carries it inside the line. The
 * `json` stage extracts the in-line one under another name, so neither shadows the other, and
 * a line matches when either equals the trace (a non-JSON line only gets a parse-error label).
 */
export const TRACE_TO_LOGS_QUERY =
  '{service_name=~".+"} | json trace_id_json="trace_id" | trace_id="${__trace.traceId}" or trace_id_json="${__trace.traceId}"';

/** Trace → metrics: Tempo's span metrics for the span's service, and Dynamo's own frontend rate. */
export const TRACE_TO_METRICS_QUERIES = [
  { name: 'Span rate', query: 'sum(rate(traces_spanmetrics_calls_total{$__tags}[5m]))' },
  {
    name: 'Span latency p95',
    query: 'histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$__tags}[5m])))',
  },
  { name: 'Dynamo requests by model', query: 'sum by (model) (rate(dynamo_frontend_requests_total[5m]))' },
] as const;

/** Logs → trace: a label-type field for structured metadata, a regex one for JSON lines. */
export const DERIVED_FIELDS = [
  { name: 'trace_id', matcherType: 'label', matcherRegex: 'trace_id' },
  { name: 'trace_id (JSON line)', matcherType: 'regex', matcherRegex: '"trace_id":"([0-9a-fA-F]{32})"' },
] as const;

/** Exemplar label names: Tempo's span metrics use traceID, OpenTelemetry SDKs trace_id. */
export const EXEMPLAR_LABELS = ['traceID', 'trace_id'] as const;

const SPAN_SHIFT = { spanStartTimeShift: '-5m', spanEndTimeShift: '5m' } as const;

/** Datasource definitions before Grafana's `$` escaping (see emit.grafanaEscape). */
export function datasources(o: StackOptions): Record<string, unknown>[] {
  const t = topology(o);
  const have = new Set(provisioned(o));
  const out: Record<string, unknown>[] = [];
  if (have.has('prometheus')) {
    out.push({
      name: 'Prometheus',
      ...DS.prometheus,
      access: 'proxy',
      url: t.prometheusUrl,
      isDefault: true,
      editable: true,
      jsonData: {
        httpMethod: 'POST',
        prometheusType: 'Prometheus',
        prometheusVersion: imageTag(IMAGES.prometheus).replace(/^v/, ''),
        timeInterval: o.timing.scrapeInterval,
        ...(have.has('tempo')
          ? {
              exemplarTraceIdDestinations: EXEMPLAR_LABELS.map((name) => ({
                name,
                datasourceUid: DS.tempo.uid,
                urlDisplayLabel: 'View trace',
              })),
            }
          : {}),
      },
    });
  }
  if (have.has('tempo')) {
    out.push({
      name: 'Tempo',
      ...DS.tempo,
      access: 'proxy',
      url: t.tempoUrl,
      isDefault: !have.has('prometheus'),
      editable: true,
      jsonData: {
        ...(have.has('loki')
          ? {
              tracesToLogsV2: {
                datasourceUid: DS.loki.uid,
                ...SPAN_SHIFT,
                filterByTraceID: false,
                filterBySpanID: false,
                customQuery: true,
                query: TRACE_TO_LOGS_QUERY,
              },
              lokiSearch: { datasourceUid: DS.loki.uid },
            }
          : {}),
        ...(have.has('prometheus')
          ? {
              tracesToMetrics: {
                datasourceUid: DS.prometheus.uid,
                ...SPAN_SHIFT,
                tags: [{ key: 'service.name', value: 'service' }],
                queries: TRACE_TO_METRICS_QUERIES.map((q) => ({ ...q })),
              },
              serviceMap: { datasourceUid: DS.prometheus.uid },
            }
          : {}),
        nodeGraph: { enabled: true },
        search: { hide: false },
        traceQuery: { timeShiftEnabled: true, ...SPAN_SHIFT },
      },
    });
  }
  if (have.has('loki')) {
    out.push({
      name: 'Loki',
      ...DS.loki,
      access: 'proxy',
      url: t.lokiUrl,
      isDefault: !have.has('prometheus') && !have.has('tempo'),
      editable: true,
      jsonData: {
        maxLines: 1000,
        ...(have.has('tempo')
          ? {
              derivedFields: DERIVED_FIELDS.map((f) => ({
                ...f,
                datasourceUid: DS.tempo.uid,
                url: '${__value.raw}',
                urlDisplayLabel: 'View trace',
              })),
            }
          : {}),
      },
    });
  }
  return out;
}

export function datasourceProvisioning(o: StackOptions): Record<string, unknown> {
  return { apiVersion: 1, datasources: datasources(o) };
}
