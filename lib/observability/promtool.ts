import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AlertRuleSet } from "./alert-rule-set";
import { Dashboard } from "./grafana-dashboard";
import { RuleGroup } from "./rule-model";

/**
 * Writers for promtool. JSON is valid YAML, so the rules file and the unit-test
 * file are JSON documents `promtool check rules` and `promtool test rules` read as is.
 */

/** The rules file document (`groups:`), exactly the `PrometheusRule` spec's groups. */
export function rulesFileDocument(ruleSet: AlertRuleSet): { readonly groups: readonly RuleGroup[] } {
  return { groups: ruleSet.groups };
}

/** One promtool unit-test case (a subset of promtool's test file format). */
export interface PromtoolTestCase {
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly { readonly series: string; readonly values: string }[];
  readonly alert_rule_test: readonly {
    readonly eval_time: string;
    readonly alertname: string;
    readonly exp_alerts: readonly { readonly exp_labels: Record<string, string>; readonly exp_annotations: Record<string, string> }[];
  }[];
}

/** A promtool unit-test file. */
export interface PromtoolTestFile {
  readonly rule_files: readonly string[];
  readonly evaluation_interval: string;
  readonly tests: readonly PromtoolTestCase[];
}

/**
 * promtool unit tests: one case per scenario of every alert, asserting that the
 * alert fires with exactly its labels and annotations, or that it stays silent.
 * @param rulesFileName the rules file, relative to the test file's directory
 */
export function promtoolTests(ruleSet: AlertRuleSet, rulesFileName: string): PromtoolTestFile {
  const tests = ruleSet.alerts.flatMap((definition) =>
    definition.scenarios.map(
      (scenario): PromtoolTestCase => ({
        name: `${definition.rule.alert}: ${scenario.name} -> ${scenario.fires ? "fires" : "silent"}`,
        interval: "1m",
        input_series: scenario.inputSeries.map((s) => ({ series: s.series, values: s.values })),
        alert_rule_test: [
          {
            eval_time: scenario.evalTime,
            alertname: definition.rule.alert,
            exp_alerts: scenario.fires
              ? [
                  {
                    exp_labels: { ...(scenario.exprLabels ?? {}), ...definition.rule.labels },
                    exp_annotations: { ...definition.rule.annotations },
                  },
                ]
              : [],
          },
        ],
      }),
    ),
  );
  return { rule_files: [rulesFileName], evaluation_interval: "1m", tests };
}

/** Paths written by {@link writePromtoolFiles}. */
export interface PromtoolFiles {
  readonly rulesFile: string;
  readonly testFile: string;
}

/**
 * Writes `<name>.rules.json` and `<name>.test.json` into `directory` (created if missing).
 *
 * @example
 * const files = writePromtoolFiles(".build/promtool", "prod", new AlertRuleSet({ slo }));
 * // promtool check rules .build/promtool/prod.rules.json && promtool test rules .build/promtool/prod.test.json
 */
export function writePromtoolFiles(directory: string, name: string, ruleSet: AlertRuleSet): PromtoolFiles {
  mkdirSync(directory, { recursive: true });
  const rulesName = `${name}.rules.json`;
  const rulesFile = join(directory, rulesName);
  const testFile = join(directory, `${name}.test.json`);
  writeFileSync(rulesFile, `${JSON.stringify(rulesFileDocument(ruleSet), null, 2)}\n`);
  writeFileSync(testFile, `${JSON.stringify(promtoolTests(ruleSet, rulesName), null, 2)}\n`);
  return { rulesFile, testFile };
}

/**
 * Every dashboard query as a recording rule, so `promtool check rules` parses the
 * dashboards' PromQL too (a typo in a panel would otherwise only show in Grafana).
 */
export function dashboardQueriesDocument(dashboards: readonly Dashboard[]): { readonly groups: readonly RuleGroup[] } {
  return {
    groups: dashboards.map((d) => ({
      name: `dashboard-${d.uid}`,
      rules: d.panels.flatMap((p) => p.targets.map((t) => ({ record: `headroom_dashboard:${d.uid.replace(/-/g, "_")}_panel${p.id}_${t.refId.toLowerCase()}`, expr: t.expr }))),
    })),
  };
}
