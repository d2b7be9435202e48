import { DS, type DsName } from './datasources';

/**
 * Dashboards are written as short panel tables (title, unit, queries); this module turns a
 * table into Grafana's dashboard JSON with a 24-column grid layout. Every datasource reference
 * it writes is one of the fixed provisioned uids.
 */

export interface QuerySpec {
  readonly expr: string;
  readonly legend?: string;
  /** Ask Prometheus for exemplars so the panel shows links to traces. */
  readonly exemplar?: boolean;
}

export interface PanelSpec {
  readonly title: string;
  readonly kind: 'timeseries' | 'stat' | 'gauge' | 'logs' | 'row';
  readonly ds?: DsName;
  readonly unit?: string;
  readonly description?: string;
  readonly queries?: readonly QuerySpec[];
  /** Grid width in columns (of 24) and height in rows; rows span the full width. */
  readonly w?: number;
  readonly h?: number;
  readonly max?: number;
}

export interface VariableSpec {
  readonly name: string;
  readonly label: string;
  readonly kind: 'query' | 'textbox';
  readonly ds?: DsName;
  readonly query?: string;
  /** Value an "All" selection stands for in a regex matcher. */
  readonly allValue?: string;
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly file: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly refresh: string;
  readonly from: string;
  readonly variables: readonly VariableSpec[];
  readonly panels: readonly PanelSpec[];
}

function dsRef(name: DsName): { type: string; uid: string } {
  return { type: DS[name].type, uid: DS[name].uid };
}

function variable(v: VariableSpec): Record<string, unknown> {
  if (v.kind === 'textbox') {
    return { type: 'textbox', name: v.name, label: v.label, query: '', current: { text: '', value: '' }, hide: 0 };
  }
  return {
    type: 'query',
    name: v.name,
    label: v.label,
    datasource: dsRef(v.ds!),
    query: v.query,
    definition: v.query,
    refresh: 2,
    multi: true,
    includeAll: true,
    allValue: v.allValue ?? '.*',
    current: { text: 'All', value: '$__all' },
    sort: 1,
    hide: 0,
  };
}

function panelOptions(kind: PanelSpec['kind']): Record<string, unknown> {
  switch (kind) {
    case 'logs':
      return { showTime: true, wrapLogMessage: true, enableLogDetails: true, sortOrder: 'Descending', dedupStrategy: 'none' };
    case 'stat':
    case 'gauge':
      return { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } };
    default:
      return { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } };
  }
}

export function buildDashboard(spec: DashboardSpec): Record<string, unknown> {
  const panels: Record<string, unknown>[] = [];
  let x = 0;
  let y = 0;
  let rowH = 0;
  spec.panels.forEach((p, i) => {
    const w = p.kind === 'row' ? 24 : p.w ?? 12;
    const h = p.kind === 'row' ? 1 : p.h ?? 8;
    if (x + w > 24 || p.kind === 'row') {
      y += rowH;
      x = 0;
      rowH = 0;
    }
    const gridPos = { h, w, x, y };
    if (p.kind === 'row') {
      panels.push({ id: i + 1, type: 'row', title: p.title, collapsed: false, gridPos, panels: [] });
      y += h;
      return;
    }
    const ds = dsRef(p.ds!);
    panels.push({
      id: i + 1,
      type: p.kind,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      datasource: ds,
      gridPos,
      fieldConfig: {
        defaults: { ...(p.unit ? { unit: p.unit } : {}), ...(p.max !== undefined ? { min: 0, max: p.max } : {}) },
        overrides: [],
      },
      options: panelOptions(p.kind),
      targets: (p.queries ?? []).map((q, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource: ds,
        expr: q.expr,
        ...(q.legend ? { legendFormat: q.legend } : {}),
        ...(q.exemplar ? { exemplar: true } : {}),
        ...(p.kind === 'logs' ? { queryType: 'range' } : {}),
      })),
    });
    x += w;
    rowH = Math.max(rowH, h);
  });
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: [...spec.tags],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: spec.refresh,
    time: { from: spec.from, to: 'now' },
    timezone: 'browser',
    annotations: { list: [] },
    links: [],
    templating: { list: spec.variables.map(variable) },
    panels,
  };
}
