/**
 * promtool / amtool output → problems, on output captured from the real tools (promtool 2.42,
 * amtool 0.25; test/integration/stack/tools.test.ts runs them live).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ruleTestProblems, toolFaults, toolProblems } from '../../../src/core/stack/toolOutput';

const AMTOOL_UNKNOWN_FIELDS = `Checking 'alertmanager/alertmanager.yml'  FAILED: yaml: unmarshal errors:
  line 10: field bogus_field not found in type config.plain
  line 11: field other_bogus not found in type config.plain

amtool: error: failed to validate 1 file(s)
`;

const CHECK_CONFIG = `Checking prometheus/prometheus.yml
  FAILED:
prometheus/rules/dynamo-alerts.yml: 7:15: group "dynamo-frontend", rule 1, "DynamoRequestRateDrop": could not parse expression: 1:221: parse error: unexpected end of input
  FAILED: parsing YAML file prometheus/prometheus.yml: yaml: unmarshal errors:
  line 4: field scrape_intervall not found in type config.plain
`;

const LOAD_ERROR = 'prometheus/rules/dynamo-alerts.yml: 7:15: group "dynamo-frontend", rule 1, "DynamoRequestRateDrop": could not parse expression: 1:221: parse error: unexpected end of input';
const TEST_RULES_UNLOADABLE = `Unit Testing:  prometheus/tests/dynamo-alerts.test.yml
  FAILED:
${Array.from({ length: 9 }, () => `${LOAD_ERROR}\n`).join('\n')}`;

const EXPR_TESTS = `rule_files: []
evaluation_interval: 1m
tests:
  - name: expr check
    interval: 1m
    input_series:
      - series: foo{a="1"}
        values: 1+1x10
    promql_expr_test:
      - expr: foo
        eval_time: 5m
        exp_samples:
          - labels: foo{a="1"}
            value: 7
`;
const EXPR_FAILED = `Unit Testing:  prometheus/tests/expr.test.yml
  FAILED:
    expr: "foo", time: 5m,
        exp: {__name__="foo", a="1"} 7E+00
        got: {__name__="foo", a="1"} 6E+00
`;

describe('tool output', () => {
  it('a YAML decoder header and its indented lines: one fault per line, the header folded in', () => {
    assert.deepEqual(toolProblems('alertmanager/alertmanager.yml', AMTOOL_UNKNOWN_FIELDS, 'amtool'), [
      { file: 'alertmanager/alertmanager.yml', line: 10, message: 'yaml: unmarshal errors: field bogus_field not found in type config.plain', severity: 'error', source: 'amtool' },
      { file: 'alertmanager/alertmanager.yml', line: 11, message: 'yaml: unmarshal errors: field other_bogus not found in type config.plain', severity: 'error', source: 'amtool' },
    ]);
  });

  it('a line without a number stays one problem without a line', () => {
    const ps = toolProblems('alertmanager/alertmanager.yml', `Checking 'alertmanager/alertmanager.yml'  FAILED: undefined receiver "nosuch" used in route\n\namtool: error: failed to validate 1 file(s)\n`, 'amtool');
    assert.deepEqual(ps, [{ file: 'alertmanager/alertmanager.yml', message: 'undefined receiver "nosuch" used in route', severity: 'error', source: 'amtool' }]);
  });

  it('check config: a rule file\'s fault is left to its own check; the config\'s own fault keeps its line', () => {
    const ps = toolProblems('prometheus/prometheus.yml', CHECK_CONFIG, 'promtool', (f) => f === 'prometheus/rules/dynamo-alerts.yml');
    assert.deepEqual(ps, [
      { file: 'prometheus/prometheus.yml', line: 4, message: 'parsing YAML file prometheus/prometheus.yml: yaml: unmarshal errors: field scrape_intervall not found in type config.plain', severity: 'error', source: 'promtool' },
    ]);
    // Not checked on its own: kept, saying where it is, without a line that would point into the wrong file.
    const kept = toolProblems('prometheus/prometheus.yml', CHECK_CONFIG, 'promtool');
    assert.equal(kept[0]!.line, undefined);
    assert.match(kept[0]!.message, /^prometheus\/rules\/dynamo-alerts\.yml:7:15: group "dynamo-frontend"/);
  });

  it('the same fault repeated is reported once', () => {
    assert.equal(toolFaults(TEST_RULES_UNLOADABLE).length, 1);
  });

  it('rule tests that could not run: one problem naming the rule file', () => {
    const ps = ruleTestProblems('prometheus/tests/dynamo-alerts.test.yml', '', TEST_RULES_UNLOADABLE);
    assert.equal(ps.length, 1);
    assert.equal(
      ps[0]!.message,
      'the rule tests did not run: prometheus/rules/dynamo-alerts.yml does not load (line 7: group "dynamo-frontend", rule 1, "DynamoRequestRateDrop": could not parse expression: 1:221: parse error: unexpected end of input)',
    );
    assert.equal(ps[0]!.line, undefined);
  });

  it('a failing expression test (printed without its group) is one problem at its eval_time', () => {
    const ps = ruleTestProblems('prometheus/tests/expr.test.yml', EXPR_TESTS, EXPR_FAILED);
    assert.equal(ps.length, 1);
    assert.equal(ps[0]!.line, 11);
    assert.equal(ps[0]!.message.split('\n')[0], 'rule test failed: expression foo at 5m');
    assert.match(ps[0]!.message, /exp: \{__name__="foo", a="1"\} 7E\+00\n {4}got: /);
  });

  it('a test file that is not YAML: its own line', () => {
    const ps = ruleTestProblems('prometheus/tests/x.yml', '', "Unit Testing:  prometheus/tests/x.yml\n  FAILED:\nyaml: line 8: did not find expected ',' or ']'\n\n");
    assert.deepEqual(ps, [{ file: 'prometheus/tests/x.yml', line: 8, message: "yaml: line 8: did not find expected ',' or ']'", severity: 'error', source: 'promtool' }]);
  });
});
