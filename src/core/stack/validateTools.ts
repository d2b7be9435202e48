import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { RECEIVERS } from './alertmanager';
import { toYaml, type StackFile } from './emit';
import { HELM_VALUES } from './k8sHelm';
import { MANIFESTS } from './k8sManifests';
import { promQueries } from './promQueries';
import { ruleTestProblems, toolProblems } from './toolOutput';
import { yamlLine, type StackProblem } from './validate';

/**
 * Checks that need Prometheus's and Alertmanager's own tools: `promtool check config`, `check
 * rules`, `test rules`, `amtool check-config` and routing, and the dashboards' PromQL (as
 * recording rules through promtool's real parser). A missing tool is reported as a problem, not
 * silently skipped. Runs tools with execFile (no shell) and honours an AbortSignal.
 *
 * The checked folder is untrusted content: a `promtool` committed in it must never run. So the
 * binaries are resolved to absolute paths from the absolute PATH entries only (a bare name would
 * let Windows, or an empty / `.` PATH entry, pick the folder's own copy), they run in a private
 * temp folder rather than the checked one, and every file argument is absolute.
 */

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ToolOptions {
  readonly signal?: AbortSignal;
  /** Paths or names of the binaries (default: found on PATH). A bare name is looked up on PATH. */
  readonly promtool?: string;
  readonly amtool?: string;
  readonly onProgress?: (step: string) => void;
  /** Per-tool-run timeout. */
  readonly timeoutMs?: number;
}

export class ToolMissingError extends Error {
  override readonly name = 'ToolMissingError';
}

const INSTALL: Record<string, string> = { promtool: 'prometheus', amtool: 'prometheus-alertmanager' };

const missing = (name: string): ToolMissingError =>
  new ToolMissingError(`${name} was not found; install it (Debian: apt install ${INSTALL[name] ?? name})`);

/**
 * The absolute path of executable `name` in the absolute entries of `pathEnv`. Empty and relative
 * entries are skipped, as is any entry inside `exclude` (the checked folder): both would mean
 * running a binary the folder itself supplies.
 */
export async function findOnPath(
  name: string,
  pathEnv: string = process.env['PATH'] ?? process.env['Path'] ?? '',
  exclude?: string,
): Promise<string | undefined> {
  // execFile cannot start .cmd/.bat without a shell, so only real executables count on Windows.
  const exts = process.platform === 'win32' ? ['.exe', '.com'] : [''];
  for (const raw of pathEnv.split(delimiter)) {
    const dir = raw.replace(/^"(.*)"$/, '$1');
    if (!dir || !isAbsolute(dir)) continue;
    if (exclude) {
      const rel = relative(exclude, dir);
      if (!rel || (!rel.startsWith('..') && !isAbsolute(rel))) continue;
    }
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        if (!(await stat(candidate)).isFile()) continue;
        if (process.platform !== 'win32') await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here or not executable: try the next entry.
      }
    }
  }
  return undefined;
}

/** `bin` as an absolute path: a path as given (made absolute), a bare name from PATH. */
export async function resolveTool(bin: string, exclude?: string): Promise<string> {
  if (isAbsolute(bin)) return bin;
  if (/[\\/]/.test(bin)) return resolve(bin);
  const found = await findOnPath(bin, undefined, exclude);
  if (!found) throw missing(bin);
  return found;
}

export function runTool(bin: string, args: readonly string[], cwd: string, opts: ToolOptions): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      [...args],
      { cwd, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, ...(opts.signal ? { signal: opts.signal } : {}) },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (e && e.code === 'ENOENT') return reject(missing(bin));
        if (e && e.name === 'AbortError') return reject(e);
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

interface Ctx {
  readonly dir: string;
  readonly tmp: string;
  readonly files: ReadonlyMap<string, string>;
  readonly opts: ToolOptions;
  readonly problems: StackProblem[];
  readonly bins: Map<string, Promise<string>>;
}

/** Absolute path of a file of the checked folder, for a tool's argument. */
const abs = (ctx: Ctx, path: string): string => join(ctx.dir, ...path.split('/'));

async function tool(ctx: Ctx, which: 'promtool' | 'amtool', args: string[], file: string): Promise<ToolResult | undefined> {
  const name = (which === 'promtool' ? ctx.opts.promtool : ctx.opts.amtool) ?? which;
  try {
    let bin = ctx.bins.get(which);
    if (!bin) {
      bin = resolveTool(name, ctx.dir);
      ctx.bins.set(which, bin);
    }
    const r = await runTool(await bin, args, ctx.tmp, ctx.opts);
    // Arguments are absolute; messages name files relative to the folder, as before.
    const prefix = ctx.dir.endsWith(sep) ? ctx.dir : ctx.dir + sep;
    return { code: r.code, stdout: r.stdout.replaceAll(prefix, ''), stderr: r.stderr.replaceAll(prefix, '') };
  } catch (err) {
    if (err instanceof ToolMissingError) {
      if (!ctx.problems.some((p) => p.source === which && p.message === err.message)) {
        ctx.problems.push({ file, message: err.message, severity: 'warning', source: which });
      }
      return undefined;
    }
    throw err;
  }
}

const RULE_FILE = /^prometheus\/rules\/[^/]+\.ya?ml$/;
const RULE_TEST_FILE = /^prometheus\/tests\/[^/]+\.ya?ml$/;

async function checkPrometheus(ctx: Ctx): Promise<void> {
  const rules = [...ctx.files.keys()].filter((p) => RULE_FILE.test(p));
  if (ctx.files.has('prometheus/prometheus.yml')) {
    ctx.opts.onProgress?.('promtool check config');
    const r = await tool(ctx, 'promtool', ['check', 'config', abs(ctx, 'prometheus/prometheus.yml')], 'prometheus/prometheus.yml');
    // `check config` also loads the rule files and repeats their faults with the rule file's
    // line numbers; those are left to the rule file's own check below, which reports them there.
    if (r && r.code !== 0) ctx.problems.push(...toolProblems('prometheus/prometheus.yml', r.stdout + r.stderr, 'promtool', (other) => rules.includes(other)));
  }
  for (const path of rules) {
    ctx.opts.onProgress?.(`promtool check rules ${path}`);
    const r = await tool(ctx, 'promtool', ['check', 'rules', abs(ctx, path)], path);
    if (r && r.code !== 0) ctx.problems.push(...toolProblems(path, r.stdout + r.stderr, 'promtool'));
  }
  for (const path of [...ctx.files.keys()].filter((p) => RULE_TEST_FILE.test(p))) {
    ctx.opts.onProgress?.(`promtool test rules ${path}`);
    const r = await tool(ctx, 'promtool', ['test', 'rules', abs(ctx, path)], path);
    if (r && r.code !== 0) ctx.problems.push(...ruleTestProblems(path, ctx.files.get(path) ?? '', r.stdout + r.stderr));
  }
  const rule = ctx.files.get(MANIFESTS.prometheusRule);
  if (rule !== undefined) {
    ctx.opts.onProgress?.('promtool check rules (PrometheusRule)');
    const spec = (parse(rule, { version: '1.1' }) as { spec?: unknown } | null)?.spec;
    const tmpRules = join(ctx.tmp, 'prometheusrule.yml');
    await writeFile(tmpRules, toYaml(spec ?? {}, null));
    const r = await tool(ctx, 'promtool', ['check', 'rules', tmpRules], MANIFESTS.prometheusRule);
    if (r && r.code !== 0) {
      // Lines refer to the extracted spec; point at the rule's expr in the manifest instead.
      for (const p of toolProblems(MANIFESTS.prometheusRule, (r.stdout + r.stderr).replaceAll(`${tmpRules}: `, ''), 'promtool')) {
        const at = /group "([^"]*)", rule (\d+)/.exec(p.message);
        const groups = ((spec as { groups?: { name?: string }[] } | undefined)?.groups ?? []).map((g) => g.name);
        const gi = at ? groups.indexOf(at[1]) : -1;
        const line = gi >= 0 ? yamlLine(rule, ['spec', 'groups', gi, 'rules', Number(at![2]) - 1, 'expr']) : undefined;
        const { line: _tmpLine, column: _tmpCol, ...rest } = p;
        void _tmpLine;
        void _tmpCol;
        ctx.problems.push({ ...rest, ...(line ? { line } : {}) });
      }
    }
  }
}

/**
 * All dashboard queries as recording rules of one file: promtool parses each with Prometheus's
 * own parser and reports every failure as `group "…", rule N, "spanlens:qI"`.
 */
async function checkDashboardQueries(ctx: Ctx, files: readonly StackFile[]): Promise<void> {
  const queries = promQueries(files);
  if (!queries.length) return;
  ctx.opts.onProgress?.(`PromQL of ${queries.length} dashboard queries`);
  const path = join(ctx.tmp, 'dashboard-queries.yml');
  const rules = queries.map((q, i) => ({ record: `spanlens:q${i}`, expr: q.expr }));
  await writeFile(path, toYaml({ groups: [{ name: 'dashboard-queries', rules }] }, null));
  const r = await tool(ctx, 'promtool', ['check', 'rules', path], queries[0]!.file);
  if (!r || r.code === 0) return;
  const text = r.stdout + r.stderr;
  let matched = 0;
  for (const m of text.matchAll(/"spanlens:q(\d+)": (.*)/g)) {
    const q = queries[Number(m[1])];
    if (!q) continue;
    matched++;
    ctx.problems.push({ file: q.file, ...(q.line ? { line: q.line } : {}), message: `${q.where}: PromQL does not parse (${m[2]}): ${q.original}`, severity: 'error', source: 'promtool' });
  }
  if (!matched) ctx.problems.push(...toolProblems(queries[0]!.file, text.replaceAll(path, 'dashboard queries'), 'promtool'));
}

async function checkAlertmanager(ctx: Ctx): Promise<void> {
  const targets: { file: string; config: string; text: string }[] = [];
  const plain = ctx.files.get('alertmanager/alertmanager.yml');
  if (plain !== undefined) targets.push({ file: 'alertmanager/alertmanager.yml', config: abs(ctx, 'alertmanager/alertmanager.yml'), text: plain });
  const values = ctx.files.get(HELM_VALUES.kubePrometheusStack);
  if (values !== undefined) {
    const config = (parse(values, { version: '1.1' }) as { alertmanager?: { config?: unknown } } | null)?.alertmanager?.config;
    if (config) {
      const path = join(ctx.tmp, 'alertmanager.yml');
      const text = toYaml(config, null);
      await writeFile(path, text);
      targets.push({ file: HELM_VALUES.kubePrometheusStack, config: path, text });
    }
  }
  for (const t of targets) {
    ctx.opts.onProgress?.(`amtool check-config ${t.file}`);
    const r = await tool(ctx, 'amtool', ['check-config', t.config], t.file);
    if (!r) continue;
    if (r.code !== 0) {
      ctx.problems.push(...toolProblems(t.file, (r.stdout + r.stderr).replaceAll(t.config, t.file), 'amtool'));
      continue;
    }
    const receivers = ((parse(t.text, { version: '1.1' }) as { receivers?: { name?: string }[] } | null)?.receivers ?? []).map((x) => x.name);
    for (const severity of ['critical', 'warning'] as const) {
      if (!receivers.includes(RECEIVERS[severity])) continue;
      const route = await tool(ctx, 'amtool', ['config', 'routes', 'test', `--config.file=${t.config}`, `severity=${severity}`, 'alertname=SpanlensRouteCheck'], t.file);
      const got = route?.stdout.trim();
      if (route && got !== RECEIVERS[severity]) {
        ctx.problems.push({ file: t.file, message: `an alert with severity=${severity} routes to '${got}', not '${RECEIVERS[severity]}'`, severity: 'warning', source: 'amtool' });
      }
    }
  }
}

/** Runs every tool check that applies to the folder's files; `files` paths are relative to `dir`. */
export async function validateWithTools(dir: string, files: readonly StackFile[], opts: ToolOptions = {}): Promise<StackProblem[]> {
  const tmp = await mkdtemp(join(tmpdir(), 'spanlens-validate-'));
  const ctx: Ctx = { dir: resolve(dir), tmp, files: new Map(files.map((f) => [f.path, f.content])), opts, problems: [], bins: new Map() };
  try {
    await checkPrometheus(ctx);
    opts.signal?.throwIfAborted();
    await checkDashboardQueries(ctx, files);
    opts.signal?.throwIfAborted();
    await checkAlertmanager(ctx);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return ctx.problems;
}
