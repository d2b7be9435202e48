import { Document } from 'yaml';

/** One rendered artefact: a path relative to the output folder and its exact text. */
export interface StackFile {
  readonly path: string;
  readonly content: string;
}

const HEADER = 'Rendered by Spanlens (render-stack). Re-rendering shows a diff before it writes.';

/**
 * YAML for Go consumers (Prometheus, Alertmanager, Tempo, Loki use YAML 1.1 parsers), so strings
 * such as `on`, `yes` or `12:30` must come out quoted; the YAML 1.1 schema does that. No line
 * folding and no anchors: folded PromQL and `*alias` references are hard to read and diff.
 */
export function toYaml(value: unknown, comment: string | null = HEADER): string {
  const doc = new Document(value, { version: '1.1', aliasDuplicateObjects: false });
  if (comment) doc.commentBefore = ` ${comment}`;
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}

/** Several YAML documents in one file (Kubernetes manifests), separated by `---`. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map((v, i) => (i === 0 ? toYaml(v) : `---\n${toYaml(v, null)}`)).join('');
}

/** Stable JSON: two-space indent and a final newline, as Grafana exports dashboards. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Grafana expands `$VAR` in provisioning files; `$$` is its escape for a literal `$`. */
export function grafanaEscape(text: string): string {
  return text.replace(/\$/g, '$$$$');
}
