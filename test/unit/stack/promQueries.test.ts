import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promQueries, substituteVariables } from '../../../src/core/stack/promQueries';
import { renderStack } from '../../../src/core/stack/render';

describe('promQueries', () => {
  it('replaces Grafana intervals and variables with values Prometheus accepts', () => {
    const vars = new Map([['model', '.*'], ['trace_id', '']]);
    assert.equal(substituteVariables('rate(x{model=~"$model"}[$__rate_interval])', vars), 'rate(x{model=~".*"}[1m])');
    assert.equal(substituteVariables('rate(x{model=~"${model}"}[${__interval}])', vars), 'rate(x{model=~".*"}[1m])');
    assert.equal(substituteVariables('x{$__tags}', vars), 'x{service="spanlens-check"}');
    assert.equal(substituteVariables('x{a=~"[[unknown]]"}', vars), 'x{a=~".*"}');
  });

  it('finds every Prometheus query of both profiles, with file and line, and no Loki query', () => {
    for (const profile of ['compose', 'k8s'] as const) {
      const files = renderStack({ profile });
      const qs = promQueries(files);
      assert.ok(qs.length > 40, profile);
      assert.ok(qs.every((q) => q.line && q.line > 0 && !q.expr.includes('$')), profile);
      assert.ok(!qs.some((q) => q.original.includes('service_name')), 'a LogQL query slipped in');
      assert.ok(qs.some((q) => q.where.includes('tracesToMetrics')));
      // Lines are lines of the file named, also for dashboards inside Kubernetes ConfigMaps.
      for (const q of qs.filter((x) => x.where.includes('panel'))) {
        const line = files.find((f) => f.path === q.file)!.content.split('\n')[q.line! - 1]!;
        assert.ok(line.includes(JSON.stringify(q.original)), `${q.file}:${q.line} ${q.where}`);
      }
    }
  });
});
