/**
 * Every metric a rule or a dashboard queries is spelled as Dynamo exports it,
 * as DCGM exports it, or as Tempo's metrics generator writes it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderStack } from '../../../src/core/stack/render';
import { promQueries } from '../../../src/core/stack/promQueries';
import { ruleGroups } from '../../../src/core/stack/rules';
import { resolveOptions } from '../../../src/core/stack/options';

// Copied from the reference's tables; histograms as their base name.
const KNOWN = new Set([
  'dynamo_frontend_requests_total', 'dynamo_frontend_inflight_requests', 'dynamo_frontend_queued_requests',
  'dynamo_frontend_request_duration_seconds', 'dynamo_frontend_input_sequence_tokens', 'dynamo_frontend_output_sequence_tokens',
  'dynamo_frontend_output_tokens_total', 'dynamo_frontend_time_to_first_token_seconds', 'dynamo_frontend_inter_token_latency_seconds',
  'dynamo_frontend_worker_active_decode_blocks',
  'dynamo_component_requests_total', 'dynamo_component_request_duration_seconds', 'dynamo_component_inflight_requests',
  'dynamo_component_errors_total', 'dynamo_component_gpu_cache_usage_percent',
  'kvbm_offload_blocks_d2h', 'kvbm_offload_blocks_h2d', 'kvbm_offload_blocks_d2d', 'kvbm_offload_blocks_d2o',
  'kvbm_onboard_blocks_h2d', 'kvbm_onboard_blocks_d2d', 'kvbm_onboard_blocks_o2d', 'kvbm_matched_tokens',
  'kvbm_object_read_failures', 'kvbm_object_write_failures', 'kvbm_host_cache_hit_rate', 'kvbm_disk_cache_hit_rate', 'kvbm_object_cache_hit_rate',
  'DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE', 'DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_MEMORY_TEMP',
  'DCGM_FI_DEV_POWER_USAGE', 'DCGM_FI_DEV_SM_CLOCK', 'DCGM_FI_DEV_MEM_CLOCK', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 'DCGM_FI_PROF_PCIE_RX_BYTES', 'DCGM_FI_PROF_PCIE_TX_BYTES',
  'traces_spanmetrics_calls_total', 'traces_spanmetrics_latency',
  'up', 'probe_success', 'kube_pod_status_ready', 'kube_pod_status_phase',
]);
// Label names that share the metric prefixes.
const LABELS = new Set(['dynamo_namespace', 'dynamo_component', 'dynamo_endpoint']);

function metricNames(expr: string): string[] {
  const noStrings = expr.replace(/"[^"]*"/g, '""');
  const names = noStrings.match(/\b(?:dynamo_\w+|kvbm_\w+|DCGM_\w+|traces_\w+|kube_\w+|probe_success|up)\b(?=\s*[{[)\s]|$)/g) ?? [];
  return names.filter((n) => !LABELS.has(n)).map((n) => n.replace(/_(bucket|sum|count)$/, ''));
}

describe('metric names', () => {
  for (const profile of ['compose', 'k8s'] as const) {
    it(`${profile}: rules and dashboards use only known metric names`, () => {
      const input = { profile, components: { dcgm: true } } as const;
      const exprs = [
        ...ruleGroups(resolveOptions(input)).flatMap((g) => g.rules.map((r) => r.expr)),
        ...promQueries(renderStack(input)).map((q) => q.original),
      ];
      assert.ok(exprs.length > 50);
      const unknown = [...new Set(exprs.flatMap(metricNames))].filter((n) => !KNOWN.has(n));
      assert.deepEqual(unknown, []);
    });
  }

  it('the extractor sees through histogram suffixes and skips labels', () => {
    assert.deepEqual(metricNames('sum by (dynamo_component) (rate(dynamo_component_request_duration_seconds_bucket{dynamo_endpoint="generate"}[5m]))'), [
      'dynamo_component_request_duration_seconds',
    ]);
  });
});
