import { alertmanagerFiles } from './alertmanager';
import { collectorFiles } from './collector';
import { composeFiles } from './compose';
import { toJson, type StackFile } from './emit';
import { grafanaFiles } from './grafana/provisioning';
import { helmFiles } from './k8sHelm';
import { manifestFiles } from './k8sManifests';
import { lokiFiles } from './loki';
import { resolveOptions, type StackOptions, type StackOptionsInput } from './options';
import { prometheusFiles } from './prometheus';
import { readmeFile } from './readme';
import { rulesFiles } from './rulesTests';
import { tempoFiles } from './tempo';

export type { StackFile } from './emit';

/** The options a folder was rendered with, so a re-render or a validation can read them back. */
export const OPTIONS_FILE = 'spanlens-stack.json';

/**
 * Profile + options → every file of the stack, sorted by path. Pure and deterministic: the same
 * options give the same bytes (no clock, no randomness, insertion-ordered objects).
 */
export function renderStack(input: StackOptionsInput | StackOptions): StackFile[] {
  const o = resolveOptions(input);
  const files: StackFile[] = [
    ...composeFiles(o),
    ...prometheusFiles(o),
    ...rulesFiles(o),
    ...alertmanagerFiles(o),
    ...tempoFiles(o),
    ...lokiFiles(o),
    ...collectorFiles(o),
    ...grafanaFiles(o),
    ...helmFiles(o),
    ...manifestFiles(o),
    readmeFile(o),
    { path: OPTIONS_FILE, content: toJson(o) },
  ];
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two artefacts claim ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
