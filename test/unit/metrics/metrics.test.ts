import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PANELS, WINDOWS, readPanels } from '../../../src/core/metrics/panels';
import { toExemplarData, toSeriesData } from '../../../src/core/metrics/series';
import { formatValue, seriesStats } from '../../../src/core/metrics/values';
import { parseFromMetricsView } from '../../../src/core/protocol/metrics';

const arr = (...xs: number[]) => Float64Array.from(xs);

describe('metrics panels', () => {
  it('defaults to Dynamo\'s key frontend and GPU metrics', () => {
    assert.deepEqual(
      DEFAULT_PANELS.map((p) => p.defaultId),
      ['requestRate', 'ttftP95', 'itlP95', 'inflight', 'queued', 'gpuUtil', 'gpuTemp'],
    );
    assert.match(DEFAULT_PANELS[0]!.query, /sum by \(status\) \(rate\(dynamo_frontend_requests_total\[1m\]\)\)/);
    assert.match(DEFAULT_PANELS[1]!.query, /histogram_quantile\(0\.95, .*dynamo_frontend_time_to_first_token_seconds_bucket/);
    assert.deepEqual(readPanels(undefined).panels, [...DEFAULT_PANELS]);
    assert.deepEqual(readPanels([]).panels, [...DEFAULT_PANELS]);
  });

  it('reads strings and objects from the setting, reporting what it skips', () => {
    const r = readPanels(['up', { title: 'Worker rps', query: 'sum(rate(dynamo_component_requests_total[1m]))', unit: 'perSecond' }, { query: '' }, 7, { query: 'x', unit: 'parsecs' }]);
    assert.deepEqual(r.panels, [
      { id: 'custom:0', title: 'up', query: 'up', unit: 'none' },
      { id: 'custom:1', title: 'Worker rps', query: 'sum(rate(dynamo_component_requests_total[1m]))', unit: 'perSecond' },
      { id: 'custom:4', title: 'x', query: 'x', unit: 'none' },
    ]);
    assert.equal(r.problems.length, 3);
    assert.match(readPanels('up').problems[0]!, /must be an array/);
  });

  it('keeps every window within Prometheus\' 11,000 points and near a sparkline\'s worth', () => {
    for (const { rangeMs, stepMs } of Object.values(WINDOWS)) {
      const points = rangeMs / stepMs;
      assert.ok(points >= 60 && points <= 400, String(points));
    }
    assert.equal(WINDOWS['1h'].stepMs, 15_000);
  });
});

describe('metrics values', () => {
  it('current is the sum at the latest time any series has a value; min/max skip NaN and ±Inf', () => {
    const s = seriesStats([
      { t: arr(1, 2, 3), v: arr(1, NaN, 5) },
      { t: arr(1, 2, 3, 4), v: arr(2, 9, Infinity, NaN) },
    ]);
    assert.deepEqual(s, { current: 5, min: 1, max: 9 });
    assert.deepEqual(seriesStats([{ t: arr(1, 2), v: arr(1, 2) }, { t: arr(2), v: arr(3) }]), { current: 5, min: 1, max: 3 });
    assert.deepEqual(seriesStats([]), {});
    assert.deepEqual(seriesStats([{ t: arr(1), v: arr(NaN) }]), {});
  });

  it('formats in the panel\'s unit', () => {
    assert.equal(formatValue(0.8123, 'seconds'), '812 ms');
    assert.equal(formatValue(2.5, 'seconds'), '2.50 s');
    assert.equal(formatValue(42.25, 'percent'), '42.3 %');
    assert.equal(formatValue(71, 'celsius'), '71 °C');
    assert.equal(formatValue(3.2, 'perSecond'), '3.2/s');
    assert.equal(formatValue(12, 'count'), '12');
    assert.equal(formatValue(125_000, 'count'), '125k');
    assert.equal(formatValue(0.00042, 'none'), '0.00042');
    assert.equal(formatValue(NaN, 'none'), 'NaN');
    assert.equal(formatValue(-Infinity, 'none'), '-Inf');
  });
});

describe('metrics series', () => {
  it('labels each series by the labels that differ between them', () => {
    const d = toSeriesData([
      { labels: { status: 'success', job: 'fe' }, points: [{ timeMs: 1000, value: 1 }] },
      { labels: { status: 'error', job: 'fe' }, points: [{ timeMs: 1000, value: NaN }] },
    ]);
    assert.deepEqual(
      d.map((s) => s.label),
      ['status="success"', 'status="error"'],
    );
    assert.ok(Number.isNaN(d[1]!.v[0]!));
    assert.equal(toSeriesData([{ labels: { a: '1' }, points: [] }])[0]!.label, '');
  });

  it('keeps only exemplars that name a trace, oldest first, the newest within the limit', () => {
    const e = (timeMs: number, traceId?: string) => ({ labels: {}, value: timeMs / 1000, timeMs, traceId });
    const d = toExemplarData([{ seriesLabels: {}, exemplars: [e(3000, 'c'.repeat(32)), e(1000, 'a'.repeat(32)), e(2000)] }, { seriesLabels: {}, exemplars: [e(4000, 'd'.repeat(32))] }], 2);
    assert.deepEqual([...d.t], [3000, 4000]);
    assert.deepEqual(d.traceIds, ['c'.repeat(32), 'd'.repeat(32)]);
  });
});

describe('metrics view gate', () => {
  const ids = new Set(['default:ttftP95', 'focus']);
  it('accepts the view\'s messages', () => {
    assert.deepEqual(parseFromMetricsView({ type: 'ready' }, ids), { message: { type: 'ready' } });
    assert.deepEqual(parseFromMetricsView({ type: 'setWindow', window: '6h' }, ids), { message: { type: 'setWindow', window: '6h' } });
    assert.deepEqual(parseFromMetricsView({ type: 'command', command: 'useDemo' }, ids), { message: { type: 'command', command: 'useDemo' } });
    const r = parseFromMetricsView({ type: 'request', id: 3, method: 'detail', params: { panel: 'focus', window: '15m' } }, ids);
    assert.deepEqual(r, { message: { type: 'request', id: 3, method: 'detail', params: { panel: 'focus', window: '15m' } } });
  });

  it('refuses anything else, answering a refused request by its id', () => {
    assert.deepEqual(parseFromMetricsView({ type: 'setWindow', window: '2h' }, ids), { message: null });
    assert.deepEqual(parseFromMetricsView({ type: 'command', command: 'workbench.action.terminal.new' }, ids), { message: null });
    // The view cannot send PromQL: only a panel the host listed.
    assert.deepEqual(parseFromMetricsView({ type: 'request', id: 4, method: 'detail', params: { panel: 'up', window: '1h' } }, ids), { message: null, refusedId: 4 });
    assert.deepEqual(parseFromMetricsView({ type: 'request', id: 5, method: 'openTrace', params: { traceId: '../../etc' } }, ids), { message: null, refusedId: 5 });
    assert.deepEqual(parseFromMetricsView({ type: 'request', id: 6, method: 'query', params: {} }, ids), { message: null, refusedId: 6 });
    assert.deepEqual(parseFromMetricsView(null, ids), { message: null });
  });
});
