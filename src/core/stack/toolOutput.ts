import { parse } from 'yaml';
import { countOf } from '../text/plural';
import { durationMs } from './options';
import { yamlLine, type StackProblem } from './validate';

/**
 * promtool's and amtool's output → problems. The tools print one fault per line, except that
 * Go's YAML decoder prints a header (`yaml: unmarshal errors:`) with one indented `line N: …`
 * per fault under it, and `promtool test rules` prints a block per failing test, and repeats a
 * rule file's load error once for every test group. So: continuation lines take their header,
 * a fault is reported once, a line that names another file is left to that file's own check,
 * and each failing rule test is one problem at the test it belongs to.
 */

/** Lines that carry no fault: progress, success and the tools' closing summaries. */
const NOISE = /^(Checking|SUCCESS|Unit Testing|Found:|- |amtool: error: failed to validate)/;

interface Fault {
  /** The file the tool names at the start of the line, when it names one. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** `path: rest` where path looks like a relative config file (what the tools print first). */
const FILE_PREFIX = /^([\w./-]+\.(?:ya?ml|json)): (.*)$/;

function locate(text: string): Pick<Fault, 'line' | 'column'> {
  const m = /(?:^|[:\s])(\d+):(\d+): /.exec(text) ?? /\bline (\d+)(?::(\d+))?:? /.exec(text);
  return m ? { line: Number(m[1]), ...(m[2] ? { column: Number(m[2]) } : {}) } : {};
}

/** The faults in a tool's output, each once, with the header of a continuation block folded in. */
export function toolFaults(text: string): Fault[] {
  const out: Fault[] = [];
  const seen = new Set<string>();
  const push = (f: Fault): void => {
    const key = `${f.file ?? ''}\u0000${f.line ?? ''}\u0000${f.column ?? ''}\u0000${f.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(f);
  };
  let header: { file?: string; text: string; used: boolean } | undefined;
  const flushHeader = (): void => {
    if (header && !header.used) push({ ...(header.file ? { file: header.file } : {}), ...locate(header.text), message: header.text });
    header = undefined;
  };
  for (const raw of text.split('\n')) {
    const indented = /^\s+line \d+/.test(raw);
    // amtool prints `Checking 'file'  FAILED: reason` on one line.
    let line = raw.trim().replace(/^Checking .*?FAILED:\s*/, '').replace(/^FAILED:\s*/, '');
    if (!line || NOISE.test(line)) continue;
    if (indented && header) {
      // `line 10: field x not found` under `yaml: unmarshal errors:`.
      header.used = true;
      const m = /^line (\d+)(?::(\d+))?:?\s*(.*)$/.exec(line)!;
      push({ ...(header.file ? { file: header.file } : {}), line: Number(m[1]), ...(m[2] ? { column: Number(m[2]) } : {}), message: `${header.text.replace(/:$/, '')}: ${m[3]}` });
      continue;
    }
    flushHeader();
    let file: string | undefined;
    const named = FILE_PREFIX.exec(line);
    if (named) {
      file = named[1];
      line = named[2]!;
    } else {
      // `parsing YAML file prometheus/prometheus.yml: yaml: …` names it mid-line.
      const inner = /^parsing YAML file ([\w./-]+): (.*)$/.exec(line);
      if (inner) file = inner[1];
    }
    if (/:$/.test(line)) {
      header = { ...(file ? { file } : {}), text: line, used: false };
      continue;
    }
    // A position leading the text is the location itself, not part of the message.
    push({ ...(file ? { file } : {}), ...locate(line), message: line.replace(/^\d+:\d+: /, '') });
  }
  flushHeader();
  return out;
}

/**
 * Problems for `file` from a tool's output. A fault the tool attributes to another file (a rule
 * file that `check config` loads) is dropped when `checkedOnItsOwn` says that file's own check
 * reports it at its lines; otherwise it stays, on `file`, naming where it is.
 */
export function toolProblems(file: string, text: string, source: string, checkedOnItsOwn: (other: string) => boolean = () => false): StackProblem[] {
  const faults = toolFaults(text);
  if (!faults.length) return [{ file, message: `${source} failed`, severity: 'error', source }];
  const problems: StackProblem[] = [];
  for (const f of faults) {
    const own = !f.file || f.file === file;
    if (!own && checkedOnItsOwn(f.file!)) continue;
    problems.push({
      file,
      ...(own && f.line ? { line: f.line } : {}),
      ...(own && f.column ? { column: f.column } : {}),
      message: own ? f.message : `${f.file}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}: ${f.message}`,
      severity: 'error',
      source,
    });
  }
  return problems;
}

interface RuleTestFailure {
  readonly group?: string;
  readonly alertname?: string;
  readonly expr?: string;
  readonly time?: string;
  readonly detail: string[];
}

/** The failing tests `promtool test rules` printed, one per alert or expression check. */
function ruleTestFailures(text: string): { failures: RuleTestFailure[]; rest: string } {
  const failures: RuleTestFailure[] = [];
  const rest: string[] = [];
  let group: string | undefined;
  let current: { -readonly [K in keyof RuleTestFailure]: RuleTestFailure[K] } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const name = /^name: (.*),$/.exec(line);
    if (name) {
      group = name[1];
      current = undefined;
      continue;
    }
    const alert = /^alertname: (.*), time: ([^,\s]+),?$/.exec(line);
    const expr = /^expr: (".*"), time: ([^,\s]+),?$/.exec(line);
    if (alert || expr) {
      current = {
        ...(group !== undefined ? { group } : {}),
        ...(alert ? { alertname: alert[1]! } : { expr: unquote(expr![1]!) }),
        time: (alert ?? expr)![2]!,
        detail: [],
      };
      failures.push(current);
      // promtool 2.42 names the group only before alert tests; an expression test stands alone.
      group = undefined;
      continue;
    }
    if (current) {
      if (line) current.detail.push(raw.replace(/^ {4}/, ''));
    } else rest.push(raw);
  }
  return { failures, rest: rest.join('\n') };
}

function unquote(goQuoted: string): string {
  try {
    return JSON.parse(goQuoted) as string;
  } catch {
    return goQuoted.slice(1, -1);
  }
}

interface TestCase {
  readonly name?: unknown;
  readonly alert_rule_test?: readonly { alertname?: unknown; eval_time?: unknown }[];
  readonly promql_expr_test?: readonly { expr?: unknown; eval_time?: unknown }[];
}

/** The line of the failing check in the test file: its eval_time, else its group's name. */
function failureLine(content: string, f: RuleTestFailure): number | undefined {
  let tests: readonly TestCase[];
  try {
    const doc = parse(content, { version: '1.1' }) as { tests?: unknown } | null;
    tests = Array.isArray(doc?.tests) ? (doc.tests as TestCase[]) : [];
  } catch {
    return undefined;
  }
  const at = durationMs(f.time ?? '');
  const sameTime = (t: unknown): boolean => typeof t === 'string' && durationMs(t) === at;
  for (const [gi, g] of tests.entries()) {
    if (f.group !== undefined && g?.name !== f.group) continue;
    const list = f.alertname !== undefined ? g?.alert_rule_test : g?.promql_expr_test;
    const key = f.alertname !== undefined ? 'alertname' : 'expr';
    const want = f.alertname ?? f.expr;
    const ti = (list ?? []).findIndex((t) => (t as Record<string, unknown>)?.[key] === want && sameTime(t?.eval_time));
    if (ti >= 0) return yamlLine(content, ['tests', gi, f.alertname !== undefined ? 'alert_rule_test' : 'promql_expr_test', ti, 'eval_time']);
    if (f.group !== undefined) return yamlLine(content, ['tests', gi, 'name']);
  }
  return undefined;
}

/** "expected 2 alerts, got 0" from the exp/got lists of an alert test. */
function alertCounts(detail: readonly string[]): string | undefined {
  const text = detail.join('\n');
  const count = (label: 'exp' | 'got'): number | undefined => {
    const m = new RegExp(`${label}:\\[([\\s\\S]*?)\\]`).exec(text);
    return m ? (m[1]!.match(/^\s*\d+:\s*$/gm) ?? []).length : undefined;
  };
  const exp = count('exp');
  const got = count('got');
  if (exp === undefined || got === undefined) return undefined;
  return `expected ${countOf(exp, 'alert', 'alerts')}, got ${got}`;
}

/**
 * `promtool test rules` output for one test file → one problem per failing test, at its line.
 * When the rule files do not load, every test group repeats the same load error; that is one
 * problem here, pointing to the rule file whose own check reports the faults at their lines.
 */
export function ruleTestProblems(testFile: string, testContent: string, text: string): StackProblem[] {
  const { failures, rest } = ruleTestFailures(text);
  const problems: StackProblem[] = [];
  const faults = toolFaults(rest);
  const others = [...new Set(faults.filter((f) => f.file && f.file !== testFile).map((f) => f.file!))];
  if (others.length) {
    const first = faults.find((f) => f.file === others[0])!;
    problems.push({
      file: testFile,
      message: `the rule tests did not run: ${others.join(', ')} does not load (${first.line ? `line ${first.line}: ` : ''}${first.message})`,
      severity: 'error',
      source: 'promtool',
    });
  }
  for (const f of faults.filter((x) => !x.file || x.file === testFile)) {
    problems.push({ file: testFile, ...(f.line ? { line: f.line } : {}), ...(f.column ? { column: f.column } : {}), message: f.message, severity: 'error', source: 'promtool' });
  }
  for (const f of failures) {
    const line = failureLine(testContent, f);
    const what = f.alertname !== undefined ? `alert ${f.alertname}` : `expression ${f.expr}`;
    const counts = f.alertname !== undefined ? alertCounts(f.detail) : undefined;
    const summary = `rule test ${f.group !== undefined ? `"${f.group}" ` : ''}failed: ${what} at ${f.time}${counts ? `: ${counts}` : ''}`;
    problems.push({ file: testFile, ...(line ? { line } : {}), message: `${summary}\n${f.detail.join('\n')}`.trim(), severity: 'error', source: 'promtool' });
  }
  return problems.length ? problems : [{ file: testFile, message: 'promtool test rules failed', severity: 'error', source: 'promtool' }];
}
