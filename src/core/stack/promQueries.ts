import type { StackFile } from './emit';
import { lineOfText, loadGrafana } from './validate';

/**
 * The PromQL a folder's Grafana files send to Prometheus (dashboard panels on a Prometheus
 * datasource, trace-to-metrics queries), with Grafana's variables replaced by values Prometheus
 * accepts, so a real Prometheus or promtool can say whether each one parses.
 */
export interface PromQuery {
  readonly file: string;
  readonly line?: number;
  /** Panel title or datasource field, for messages. */
  readonly where: string;
  /** As written. */
  readonly original: string;
  /** With variables replaced. */
  readonly expr: string;
}

const INTERVALS = new Set(['__rate_interval', '__interval', '__range', '__auto']);

/** Replaces `$name` / `${name}` / `[[name]]`: intervals by 1m, other variables by their "All" value. */
export function substituteVariables(expr: string, vars: ReadonlyMap<string, string>): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (_, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    if (INTERVALS.has(name)) return '1m';
    if (name === '__tags') return 'service="spanlens-check"';
    return vars.get(name) ?? '.*';
  });
}

interface DashboardJson {
  templating?: { list?: { name?: string; type?: string; allValue?: string }[] };
  panels?: PanelJson[];
}
interface PanelJson {
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; datasource?: { type?: string } }[];
  panels?: PanelJson[];
}

function panelsOf(list: PanelJson[] = []): PanelJson[] {
  return list.flatMap((p) => [p, ...panelsOf(p.panels)]);
}

export function promQueries(files: readonly StackFile[]): PromQuery[] {
  const g = loadGrafana(files);
  const promUids = new Set<string>();
  const out: PromQuery[] = [];
  for (const p of g.provisioning) {
    for (const ds of (p.value as { datasources?: { type?: string; uid?: string; jsonData?: Record<string, unknown> }[] } | null)?.datasources ?? []) {
      if (ds.type === 'prometheus' && ds.uid) promUids.add(ds.uid);
      const queries = (ds.jsonData?.['tracesToMetrics'] as { queries?: { name?: string; query?: string }[] } | undefined)?.queries ?? [];
      for (const q of queries) {
        if (!q.query) continue;
        // Provisioning files escape $ as $$ (Grafana's environment expansion).
        const original = q.query.replace(/\$\$/g, '$');
        const where = `${p.label === p.file ? '' : `${p.label} `}tracesToMetrics "${q.name ?? ''}"`;
        out.push({ file: p.file, line: p.line(lineOfText(p.text, q.query)), where, original, expr: substituteVariables(original, new Map()) });
      }
    }
  }
  for (const d of g.dashboards) {
    const dash = d.value as DashboardJson | undefined;
    if (!dash) continue;
    const vars = new Map<string, string>();
    for (const v of dash.templating?.list ?? []) {
      if (v.name) vars.set(v.name, v.type === 'textbox' ? '' : v.allValue ?? '.*');
    }
    for (const panel of panelsOf(dash.panels)) {
      for (const t of panel.targets ?? []) {
        const type = t.datasource?.type ?? panel.datasource?.type;
        const isProm = type === 'prometheus' || (type === undefined && promUids.has(panel.datasource?.uid ?? ''));
        if (!isProm || !t.expr) continue;
        const where = `${d.label === d.file ? '' : `${d.label} `}panel "${panel.title ?? ''}"`;
        out.push({ file: d.file, line: d.line(lineOfText(d.text, JSON.stringify(t.expr))), where, original: t.expr, expr: substituteVariables(t.expr, vars) });
      }
    }
  }
  return out;
}
