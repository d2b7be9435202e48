import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePromData } from '../../../src/core/formats/promMatrix';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '../../fixtures/prometheus', name), 'utf8'));

describe('Prometheus-style results', () => {
  it('matrix from the Prometheus docs: ms-exact times, string values', () => {
    const env = fixture('docs-query_range-matrix.json') as { data: unknown };
    const r = decodePromData(env.data);
    assert.equal(r.resultType, 'matrix');
    assert.equal(r.series.length, 2);
    assert.deepEqual(r.series[0]!.points[0], { timeMs: 1435781430781, value: 1 });
    assert.equal(r.series[0]!.labels.job, 'prometheus');
  });

  it('vector from the docs', () => {
    const env = fixture('docs-query-vector.json') as { data: unknown };
    const r = decodePromData(env.data);
    assert.equal(r.resultType, 'vector');
    assert.equal(r.series[0]!.points.length, 1);
    assert.equal(r.series[0]!.points[0]!.timeMs, 1435781451781);
  });

  it('Loki shortest-form seconds and Prometheus .mmm give the same ms; NaN and ±Inf kept', () => {
    const r = decodePromData({
      resultType: 'matrix',
      result: [{ metric: {}, values: [[1435781430.5, 'NaN'], [1435781430.500, '+Inf'], [1645029699, '-Inf'], [1568404331.324, '1e-07']] }],
    });
    const pts = r.series[0]!.points;
    assert.equal(pts[0]!.timeMs, pts[1]!.timeMs);
    assert.ok(Number.isNaN(pts[0]!.value));
    assert.equal(pts[1]!.value, Infinity);
    assert.equal(pts[2]!.value, -Infinity);
    assert.equal(pts[3]!.timeMs, 1568404331324);
    assert.equal(pts[3]!.value, 1e-7);
  });

  it('scalar, string and native histograms', () => {
    assert.equal(decodePromData({ resultType: 'scalar', result: [1435781451.781, '1'] }).series[0]!.points[0]!.value, 1);
    assert.equal(decodePromData({ resultType: 'string', result: [1651680139.104, 'example'] }).stringValue, 'example');
    const h = decodePromData({ resultType: 'vector', result: [{ metric: { a: 'b' }, histogram: [1, { count: '1', sum: '2' }] }] });
    assert.equal(h.histogramSamples, 1);
  });

  it('rejects garbage with a location', () => {
    assert.throws(() => decodePromData({ resultType: 'matrix', result: [{ metric: {}, values: [[1, 'abc']] }] }), /data\.result\[0\]\.values\[0\]\[1\]: a number, not "abc"/);
    assert.throws(() => decodePromData({ resultType: 'bogus' }), /one of matrix, vector, scalar, string/);
  });
});
