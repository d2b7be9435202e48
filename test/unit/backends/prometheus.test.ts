import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseStepMs, escapeLabelName } from '../../../src/core/backends/prometheus/client';

describe('Prometheus client helpers', () => {
  it('escapes label names outside the legacy charset (Prometheus 3 U__ form)', () => {
    assert.equal(escapeLabelName('job'), 'job');
    assert.equal(escapeLabelName('__name__'), '__name__');
    assert.equal(escapeLabelName('http.status_code'), 'U__http_2e_status__code');
    assert.equal(escapeLabelName('1abc'), 'U___31_abc');
  });

  it('chooses a step: ~300 points by default, never over 11,000, a requested step kept when legal', () => {
    const day = { startMs: 0, endMs: 86_400_000 };
    assert.equal(chooseStepMs(day), 288_000);
    assert.equal(chooseStepMs(day, 60_000), 60_000);
    assert.ok(86_400_000 / chooseStepMs(day, 1) <= 11_000);
    assert.equal(chooseStepMs({ startMs: 0, endMs: 10_000 }), 1000);
  });
});
