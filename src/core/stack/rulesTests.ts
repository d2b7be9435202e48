import { toYaml, type StackFile } from './emit';
import { durationMs, type StackOptions } from './options';
import { RULES_DIR, RULES_FILE } from './prometheus';
import { ruleCases } from './ruleCases';
import { alertSpecs, renderAnnotation, ruleGroups } from './rules';

/** The rule file and its promtool unit tests, side by side under prometheus/ in both profiles. */
export const RULES_PATH = `prometheus/${RULES_DIR}/${RULES_FILE}`;
export const RULES_TEST_PATH = 'prometheus/tests/dynamo-alerts.test.yml';

export function rulesFile(o: StackOptions): Record<string, unknown> {
  return { groups: ruleGroups(o) };
}

const minutes = (d: string): number => Math.ceil(durationMs(d) / 60_000);

/**
 * `promtool test rules` input: for every alert, (1) shortly after its condition starts, before
 * any `for` window has passed, nothing fires; (2) once every window has passed, each level fires
 * with its exact labels and annotations; (3) on healthy data it stays quiet.
 */
export function rulesTestFile(o: StackOptions): Record<string, unknown> {
  const cases = ruleCases(o);
  const tests: unknown[] = [];
  for (const spec of alertSpecs(o)) {
    const c = cases[spec.alert];
    if (!c) throw new Error(`no promtool test case for alert ${spec.alert}`);
    const fors = spec.levels.map((l) => minutes(o.timing.alertForOverride ?? l.for));
    // Not before minute 6: a 5m rate only gives its exact value once its window is full.
    const late = Math.max(c.onsetMax + Math.max(...fors) + 1, 6);
    const len = late + 5;
    const minFor = Math.min(...fors);
    const checks: unknown[] = [];
    if (minFor >= 1) {
      checks.push({ eval_time: `${c.onsetMin + minFor - 1}m`, alertname: spec.alert, exp_alerts: [] });
    }
    checks.push({
      eval_time: `${late}m`,
      alertname: spec.alert,
      exp_alerts: spec.levels.map((level) => ({
        exp_labels: { ...c.labels, severity: level.severity, component: spec.component },
        exp_annotations: {
          summary: renderAnnotation(spec.summary, c.labels, c.value),
          description: renderAnnotation(spec.description(level.threshold), c.labels, c.value),
        },
      })),
    });
    tests.push({ name: `${spec.alert} fires at every level`, interval: '1m', input_series: c.firing(len), alert_rule_test: checks });
    tests.push({
      name: `${spec.alert} stays quiet on healthy data`,
      interval: '1m',
      input_series: c.quiet(len),
      alert_rule_test: [{ eval_time: `${late}m`, alertname: spec.alert, exp_alerts: [] }],
    });
  }
  return {
    // Relative to this file, as promtool resolves it.
    rule_files: [`../${RULES_DIR}/${RULES_FILE}`],
    evaluation_interval: '1m',
    tests,
  };
}

export function rulesFiles(o: StackOptions): StackFile[] {
  if (!o.components.prometheus) return [];
  return [
    { path: RULES_PATH, content: toYaml(rulesFile(o)) },
    { path: RULES_TEST_PATH, content: toYaml(rulesTestFile(o)) },
  ];
}
