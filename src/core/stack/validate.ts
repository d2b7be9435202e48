import { isMap, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { COMPOSE_PATH } from './compose';
import { composeRefProblems } from './composeRefs';
import { validateCompose } from './composeSchema';
import type { StackFile } from './emit';
import { RULES_PATH } from './rulesTests';
import { HELM_VALUES } from './k8sHelm';
import { MANIFESTS } from './k8sManifests';

/**
 * Checks on a folder's files that need no external binary: every YAML and JSON file parses, the
 * compose file matches the Compose specification's schema and publishes each host port once,
 * every datasource uid a dashboard or correlation names is provisioned, Grafana macros in
 * provisioning files survive Grafana's environment expansion, and the PrometheusRule carries the
 * same rules as the plain rule file.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface StackProblem {
  readonly file: string;
  /** 1-based, when known. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly severity: Severity;
  /** Which check found it: yaml, json, compose-schema, compose-refs, ports, datasource-uid, grafana-escape, rules, promtool, amtool. */
  readonly source: string;
}

interface ParsedYaml {
  readonly file: string;
  readonly docs: Document.Parsed[];
  readonly lines: LineCounter;
}

const isYaml = (p: string): boolean => /\.ya?ml$/i.test(p);
const isJson = (p: string): boolean => /\.json$/i.test(p);

function parseYaml(f: StackFile, problems: StackProblem[]): ParsedYaml {
  const lines = new LineCounter();
  const docs = parseAllDocuments(f.content, { lineCounter: lines, version: '1.1' });
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list) {
    for (const e of d.errors) {
      const pos = e.linePos?.[0];
      problems.push({ file: f.path, ...(pos ? { line: pos.line, column: pos.col } : {}), message: e.message.split('\n')[0]!, severity: 'error', source: 'yaml' });
    }
  }
  return { file: f.path, docs: list, lines };
}

/** Line of the node at `path` in a YAML document (the deepest existing ancestor when it is missing). */
export function lineOf(p: ParsedYaml, docIndex: number, path: readonly (string | number)[]): number | undefined {
  const doc = p.docs[docIndex];
  if (!doc) return undefined;
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: number[] } | null)?.range?.[0];
  for (const key of path) {
    const next = isMap(node) ? node.get(key, true) : isSeq(node) ? node.get(Number(key), true) : undefined;
    if (!next) break;
    if (isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === key);
      const keyRange = (pair?.key as { range?: number[] } | null)?.range;
      if (keyRange) offset = keyRange[0];
    } else {
      offset = (next as { range?: number[] }).range?.[0] ?? offset;
    }
    node = next;
  }
  return offset === undefined ? undefined : p.lines.linePos(offset).line;
}

/** Line of the node at `path` in the first YAML document of `text`. */
export function yamlLine(text: string, path: readonly (string | number)[]): number | undefined {
  const ignored: StackProblem[] = [];
  return lineOf(parseYaml({ path: '', content: text }, ignored), 0, path);
}

/** 1-based line of the first occurrence of `needle` in `text`. */
export function lineOfText(text: string, needle: string): number | undefined {
  const i = text.indexOf(needle);
  return i < 0 ? undefined : text.slice(0, i).split('\n').length;
}

function checkCompose(p: ParsedYaml, paths: readonly string[], problems: StackProblem[]): void {
  const doc = p.docs[0]?.toJS() as { services?: Record<string, { ports?: unknown[] }> } | undefined;
  if (!doc) return;
  for (const e of validateCompose(doc)) {
    problems.push({ file: p.file, line: lineOf(p, 0, e.path), message: `Compose schema: ${e.path.join('.') || '(root)'} ${e.message}`, severity: 'error', source: 'compose-schema' });
  }
  for (const e of composeRefProblems(doc, paths)) {
    problems.push({ file: p.file, line: lineOf(p, 0, e.path), message: e.message, severity: e.severity, source: 'compose-refs' });
  }
  const seen = new Map<string, string>();
  for (const [name, svc] of Object.entries(doc.services ?? {})) {
    (svc?.ports ?? []).forEach((port, i) => {
      for (const host of hostPorts(port)) {
        const prior = seen.get(host);
        if (prior) {
          problems.push({ file: p.file, line: lineOf(p, 0, ['services', name, 'ports', i]), message: `host port ${host} is published by both ${prior} and ${name}`, severity: 'error', source: 'ports' });
        } else seen.set(host, name);
      }
    });
  }
}

/** Published host ports of one compose `ports` entry, as `port/protocol` (ranges expanded). */
export function hostPorts(entry: unknown): string[] {
  if (entry && typeof entry === 'object') {
    const e = entry as { published?: number | string; protocol?: string };
    return e.published === undefined ? [] : expand(String(e.published), e.protocol ?? 'tcp');
  }
  const spec = String(entry);
  const [main, proto = 'tcp'] = spec.split('/');
  const parts = main!.replace(/^\[[^\]]*\]:/, '').split(':');
  if (parts.length < 2) return [];
  return expand(parts[parts.length - 2]!, proto);
}

function expand(range: string, proto: string): string[] {
  if (!range) return [];
  const [a, b = a] = range.split('-').map(Number);
  const out: string[] = [];
  for (let p = a!; p <= b! && out.length < 65536; p++) out.push(`${p}/${proto}`);
  return out;
}

interface DatasourceRef {
  readonly uid: string;
  readonly src: GrafanaSource;
  readonly line: number | undefined;
}

/** Every `datasourceUid` value and every `datasource: {uid}` object inside a value. */
function collectRefs(value: unknown, out: string[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, out);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'datasourceUid' && typeof v === 'string') out.push(v);
    else if (k === 'datasource' && v && typeof v === 'object' && typeof (v as { uid?: unknown }).uid === 'string') out.push((v as { uid: string }).uid);
    collectRefs(v, out);
  }
}

/**
 * One Grafana file: a provisioning YAML or a dashboard JSON, either a file of its own or a value
 * inside a Kubernetes ConfigMap. `line` turns a line of `text` into a line of `file`.
 */
export interface GrafanaSource {
  readonly file: string;
  /** How messages name it: the path, or `manifest (key)` inside a ConfigMap. */
  readonly label: string;
  readonly text: string;
  readonly value: unknown;
  line(inner: number | undefined): number | undefined;
}

export interface GrafanaInputs {
  readonly provisioning: GrafanaSource[];
  readonly dashboards: GrafanaSource[];
}

/** Grafana datasource provisioning and dashboards of a folder, compose or Kubernetes layout. */
export function loadGrafana(files: readonly StackFile[]): GrafanaInputs {
  const yamls = new Map<string, ParsedYaml>();
  const ignored: StackProblem[] = [];
  for (const f of files) if (isYaml(f.path)) yamls.set(f.path, parseYaml(f, ignored));
  return grafanaInputs(files, yamls, ignored);
}

const same = (n: number | undefined): number | undefined => n;

/**
 * Maps lines of a ConfigMap value written as a YAML block scalar back to the manifest: the value's
 * line N sits N lines below its key. Checked against the text, so another scalar style yields
 * the key's line rather than a wrong one.
 */
function blockLines(manifest: string, key: string, inner: string): (n: number | undefined) => number | undefined {
  const keyLine = lineOfText(manifest, `${key}:`);
  const lines = manifest.split('\n');
  const innerLines = inner.split('\n');
  return (n) => {
    if (keyLine === undefined) return undefined;
    if (n === undefined) return keyLine;
    const want = innerLines[n - 1]?.trim();
    return want && lines[keyLine + n - 1]?.trim() === want ? keyLine + n : keyLine;
  };
}

function grafanaInputs(files: readonly StackFile[], yamls: Map<string, ParsedYaml>, problems: StackProblem[]): GrafanaInputs {
  const out: GrafanaInputs = { provisioning: [], dashboards: [] };
  for (const f of files) {
    if (/^grafana\/provisioning\/datasources\/.+\.ya?ml$/.test(f.path)) {
      out.provisioning.push({ file: f.path, label: f.path, text: f.content, value: yamls.get(f.path)?.docs[0]?.toJS(), line: same });
    } else if (/^grafana\/dashboards\/.+\.json$/.test(f.path)) {
      out.dashboards.push({ file: f.path, label: f.path, text: f.content, value: safeJson(f.content), line: same });
    } else if (f.path === MANIFESTS.datasources || f.path === MANIFESTS.dashboards) {
      // Kubernetes: the same files, one level down, inside ConfigMap data.
      for (const doc of yamls.get(f.path)?.docs ?? []) {
        const data = (doc.toJS() as { data?: Record<string, string> } | null)?.data ?? {};
        for (const [key, text] of Object.entries(data)) {
          const label = `${f.path} (${key})`;
          const line = blockLines(f.content, key, text);
          if (isJson(key)) {
            const value = safeJson(text);
            if (value === undefined) problems.push({ file: f.path, line: line(undefined), message: `${key} in ConfigMap data is not valid JSON`, severity: 'error', source: 'json' });
            out.dashboards.push({ file: f.path, label, text, value, line });
          } else if (isYaml(key)) {
            const inner: StackProblem[] = [];
            const sub = parseYaml({ path: label, content: text }, inner);
            problems.push(...inner.map(({ column: _c, ...p }) => ({ ...p, file: f.path, line: line(p.line), message: `${key}: ${p.message}` })));
            out.provisioning.push({ file: f.path, label, text, value: sub.docs[0]?.toJS(), line });
          }
        }
      }
    }
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function checkDatasources(g: GrafanaInputs, problems: StackProblem[]): void {
  const provisioned = new Set<string>();
  const refs: DatasourceRef[] = [];
  for (const p of g.provisioning) {
    const list = ((p.value as { datasources?: { uid?: string; jsonData?: unknown }[] } | null)?.datasources) ?? [];
    for (const ds of list) {
      if (ds.uid) provisioned.add(ds.uid);
      const found: string[] = [];
      collectRefs(ds.jsonData, found);
      refs.push(...found.map((uid) => ({ uid, src: p, line: p.line(lineOfText(p.text, `datasourceUid: ${uid}`)) })));
    }
    // Grafana replaces $name and ${name} from the environment in provisioning files; its own
    // macros must be written $$ to survive.
    const bare = p.text.match(/(?<!\$)\$\{?__[A-Za-z]/g);
    if (bare) {
      problems.push({ file: p.file, line: p.line(lineOfText(p.text, bare[0])), message: `${p.label === p.file ? '' : `${p.label}: `}Grafana would expand '${bare[0]}…' from the environment and drop it: write $$ for a literal $`, severity: 'error', source: 'grafana-escape' });
    }
  }
  for (const d of g.dashboards) {
    const found: string[] = [];
    collectRefs(d.value, found);
    refs.push(...found.map((uid) => ({ uid, src: d, line: d.line(lineOfText(d.text, `"uid": ${JSON.stringify(uid)}`)) })));
  }
  if (!g.provisioning.length && !g.dashboards.length) return;
  const reported = new Set<string>();
  for (const r of refs) {
    if (provisioned.has(r.uid) || reported.has(`${r.src.label}\0${r.uid}`)) continue;
    reported.add(`${r.src.label}\0${r.uid}`);
    const variable = r.uid.startsWith('$');
    const inside = r.src.label === r.src.file ? '' : `${r.src.label}: `;
    problems.push({
      file: r.src.file,
      ...(r.line ? { line: r.line } : {}),
      message: inside + (variable
        ? `datasource uid '${r.uid}' is a variable; it cannot be checked against the provisioned uids (${[...provisioned].join(', ') || 'none'})`
        : `datasource uid '${r.uid}' is not provisioned (provisioned: ${[...provisioned].join(', ') || 'none'})`),
      severity: variable ? 'warning' : 'error',
      source: 'datasource-uid',
    });
  }
}

function checkRuleCopies(yamls: Map<string, ParsedYaml>, problems: StackProblem[]): void {
  const rule = yamls.get(MANIFESTS.prometheusRule);
  const plain = yamls.get(RULES_PATH);
  if (!rule || !plain) return;
  const spec = (rule.docs[0]?.toJS() as { spec?: unknown } | null)?.spec;
  if (JSON.stringify(spec) !== JSON.stringify(plain.docs[0]?.toJS())) {
    problems.push({ file: MANIFESTS.prometheusRule, line: lineOf(rule, 0, ['spec']), message: `the PrometheusRule's groups differ from ${RULES_PATH}, which the promtool tests cover`, severity: 'warning', source: 'rules' });
  }
}

/** The Tempo chart writes the values' `config` string out as tempo.yaml: it must parse too. */
function checkTempoConfig(f: StackFile | undefined, yamls: Map<string, ParsedYaml>, problems: StackProblem[]): void {
  const text = (yamls.get(HELM_VALUES.tempo)?.docs[0]?.toJS() as { config?: unknown } | null)?.config;
  if (!f || typeof text !== 'string') return;
  const line = blockLines(f.content, 'config', text);
  const inner: StackProblem[] = [];
  parseYaml({ path: f.path, content: text }, inner);
  problems.push(...inner.map(({ column: _c, ...p }) => ({ ...p, line: line(p.line), message: `config: ${p.message}` })));
}

export function validateFiles(files: readonly StackFile[]): StackProblem[] {
  const problems: StackProblem[] = [];
  const yamls = new Map<string, ParsedYaml>();
  for (const f of files) {
    if (isYaml(f.path)) yamls.set(f.path, parseYaml(f, problems));
    else if (isJson(f.path)) {
      try {
        JSON.parse(f.content);
      } catch (err) {
        const at = /position (\d+)/.exec(String(err))?.[1];
        const line = at === undefined ? undefined : f.content.slice(0, Number(at)).split('\n').length;
        problems.push({ file: f.path, ...(line ? { line } : {}), message: `not valid JSON: ${(err as Error).message}`, severity: 'error', source: 'json' });
      }
    }
  }
  const compose = yamls.get(COMPOSE_PATH);
  if (compose && !compose.docs.some((d) => d.errors.length)) checkCompose(compose, files.map((f) => f.path), problems);
  checkDatasources(grafanaInputs(files, yamls, problems), problems);
  checkRuleCopies(yamls, problems);
  checkTempoConfig(files.find((f) => f.path === HELM_VALUES.tempo), yamls, problems);
  return problems;
}
