/**
 * No Loki can run here, so the LogQL the stack writes (the trace → logs correlation, the logs
 * dashboard) is parsed with Grafana's own LogQL grammar, the one its Loki query editor uses.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parser } from '@grafana/lezer-logql';
import { renderStack } from '../../../src/core/stack/render';
import { loadGrafana } from '../../../src/core/stack/validate';
import { substituteVariables } from '../../../src/core/stack/promQueries';

function firstError(query: string): number | undefined {
  let at: number | undefined;
  parser.parse(query).iterate({
    enter: (n) => {
      if (n.type.isError && at === undefined) at = n.from;
    },
  });
  return at;
}

/** Grafana's trace variables as it fills them in, then dashboard variables as "All". */
function fill(query: string): string {
  return substituteVariables(query.replace(/\$\{__trace\.traceId\}|\$\{__span\.traceId\}/g, '9f2c61d0e4b8473a8c15d7e90a3b2f46'), new Map([['trace_id', ''], ['search', ''], ['service_name', '.+']]));
}

function logQueries(profile: 'compose' | 'k8s'): { where: string; query: string }[] {
  const g = loadGrafana(renderStack({ profile }));
  const out: { where: string; query: string }[] = [];
  for (const p of g.provisioning) {
    for (const ds of (p.value as { datasources?: { jsonData?: { tracesToLogsV2?: { query?: string } } }[] }).datasources ?? []) {
      const q = ds.jsonData?.tracesToLogsV2?.query;
      if (q) out.push({ where: `${p.file} tracesToLogsV2`, query: q.replace(/\$\$/g, '$') });
    }
  }
  for (const d of g.dashboards) {
    for (const panel of (d.value as { panels: { title: string; targets?: { expr: string; datasource: { type: string } }[] }[] }).panels) {
      for (const t of panel.targets ?? []) if (t.datasource.type === 'loki') out.push({ where: `${d.file} ${panel.title}`, query: t.expr });
    }
  }
  return out;
}

describe('LogQL', () => {
  for (const profile of ['compose', 'k8s'] as const) {
    it(`${profile}: every Loki query parses`, () => {
      const qs = logQueries(profile);
      assert.equal(qs.length, 3);
      assert.deepEqual(qs.map((q) => ({ where: q.where, at: firstError(fill(q.query)) })).filter((q) => q.at !== undefined), []);
    });
  }

  it('the grammar does reject broken LogQL', () => {
    assert.notEqual(firstError('{service_name=~".+"} | json trace_id_json='), undefined);
    assert.notEqual(firstError('sum(count_over_time({a="b"}[1m])'), undefined);
  });
});
