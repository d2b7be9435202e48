import { grafanaEscape, toJson, toYaml, type StackFile } from '../emit';
import type { StackOptions } from '../options';
import { dashboards } from './dashboards';
import { datasourceProvisioning } from './datasources';

/** Where the compose profile mounts dashboards inside the Grafana container. */
export const DASHBOARDS_MOUNT = '/var/lib/grafana/dashboards';

/** Every string value with Grafana's `$` escape, so `${__trace.traceId}` reaches Grafana intact. */
export function escapeForProvisioning<T>(value: T): T {
  if (typeof value === 'string') return grafanaEscape(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => escapeForProvisioning(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeForProvisioning(v)])) as T;
  }
  return value;
}

export function datasourcesYaml(o: StackOptions): string {
  return toYaml(escapeForProvisioning(datasourceProvisioning(o)));
}

export function dashboardProvider(path: string): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'spanlens-dynamo',
        folder: 'Dynamo',
        type: 'file',
        disableDeletion: false,
        allowUiUpdates: true,
        updateIntervalSeconds: 30,
        options: { path, foldersFromFilesStructure: false },
      },
    ],
  };
}

export const PROVISIONING_DIR = 'grafana/provisioning';
export const DATASOURCES_PATH = `${PROVISIONING_DIR}/datasources/datasources.yaml`;
export const DASHBOARD_PROVIDER_PATH = `${PROVISIONING_DIR}/dashboards/dashboards.yaml`;
export const DASHBOARDS_DIR = 'grafana/dashboards';

export function grafanaFiles(o: StackOptions): StackFile[] {
  if (o.profile !== 'compose' || !o.components.grafana) return [];
  const boards = dashboards(o);
  return [
    { path: DATASOURCES_PATH, content: datasourcesYaml(o) },
    // A provider for a folder that is not mounted would only log errors.
    ...(boards.length ? [{ path: DASHBOARD_PROVIDER_PATH, content: toYaml(dashboardProvider(DASHBOARDS_MOUNT)) }] : []),
    ...boards.map((d) => ({ path: `${DASHBOARDS_DIR}/${d.file}`, content: toJson(d.json) })),
  ];
}
