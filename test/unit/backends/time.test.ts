import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseTime, resolveRange } from '../../../src/core/backends/time';
import { minStepMs, serverEntryLimit } from '../../../src/core/backends/loki/client';

const NOW = Date.parse('2026-04-21T18:00:00Z');

describe('time arguments', () => {
  it('durations', () => {
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('2d'), 172_800_000);
    assert.throws(() => parseDuration('1x'), /not a duration/);
    assert.throws(() => parseDuration(''), /not a duration/);
  });

  it('times: RFC 3339, now-relative, and Unix in s/ms/ns by digit count', () => {
    assert.equal(parseTime('2026-04-21T17:00:00Z', NOW), NOW - 3_600_000);
    assert.equal(parseTime('now-15m', NOW), NOW - 900_000);
    assert.equal(parseTime('now', NOW), NOW);
    assert.equal(parseTime('1776794400', NOW), 1_776_794_400_000);
    assert.equal(parseTime('1776794400.5', NOW), 1_776_794_400_500);
    assert.equal(parseTime('1776794400123', NOW), 1_776_794_400_123);
    assert.equal(parseTime('1776794400123456789', NOW), 1_776_794_400_123);
    assert.throws(() => parseTime('yesterday', NOW), /not a time/);
  });

  it('ranges: --since wins, default last hour, start must precede end', () => {
    assert.deepEqual(resolveRange({ since: '30m' }, NOW), { startMs: NOW - 1_800_000, endMs: NOW });
    assert.deepEqual(resolveRange({}, NOW), { startMs: NOW - 3_600_000, endMs: NOW });
    assert.deepEqual(resolveRange({ start: 'now-2h', end: 'now-1h' }, NOW), { startMs: NOW - 7_200_000, endMs: NOW - 3_600_000 });
    assert.throws(() => resolveRange({ start: 'now', end: 'now-1h' }, NOW), /before its end/);
  });

  it('step floor keeps a series within 11,000 points', () => {
    const range = { startMs: 0, endMs: 30 * 86_400_000 };
    const step = minStepMs(range);
    assert.ok((range.endMs - range.startMs) / step <= 11_000);
    assert.ok(Math.floor((range.endMs - range.startMs) / step) + 1 <= 11_000);
  });

  it('learns Loki\'s entry limit from its error text', () => {
    assert.equal(serverEntryLimit('max entries limit per query exceeded, limit > max_entries_limit_per_query (10000 > 5000)'), 5000);
    assert.equal(serverEntryLimit('something else'), undefined);
  });
});
