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
 * promtool unit tests: one case per scenario of every alert (of the groups named in `alertGroups`,
 * default all), asserting that the alert fires with exactly its labels and annotations, or that it
 * stays silent.
 * @param rulesFileName the rules file, relative to the test file's directory
 */
export function promtoolTests(ruleSet: AlertRuleSet, rulesFileName: string, alertGroups?: readonly string[]): PromtoolTestFile {
  const inGroups = alertGroups === undefined ? undefined : new Set(ruleSet.groups.filter((g) => alertGroups.includes(g.name)).flatMap((g) => g.rules.map((r) => ("alert" in r ? r.alert : undefined))));
  const tests = ruleSet.alerts
    .filter((definition) => inGroups === undefined || inGroups.has(definition.rule.alert))
    .flatMap((definition) =>
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

/**
 * The groups a unit test of `group`'s alerts has to load: the group itself and, transitively, every
 * group recording a series one of its expressions reads (`ALERTS` read anywhere loads every group).
 * promtool evaluates every rule it loads at every step of every test case, so a case that loads only
 * these gets the same result for a fraction of the work: a saturation alert reads raw series only and
 * need not evaluate the 14 SLI recording rules twice a minute.
 */
export function groupsNeededBy(groups: readonly RuleGroup[], group: string): RuleGroup[] {
  const reads = (g: RuleGroup, name: string): boolean => g.rules.some((r) => new RegExp(`(^|[^A-Za-z0-9_:])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^A-Za-z0-9_:]|$)`).test(r.expr));
  const needed = new Set<string>([group]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const g of groups) {
      if (needed.has(g.name)) continue;
      const records = g.rules.flatMap((r) => ("record" in r ? [r.record] : []));
      const wanted = groups.some((n) => needed.has(n.name) && (reads(n, "ALERTS") || records.some((rec) => reads(n, rec))));
      if (wanted) {
        needed.add(g.name);
        grown = true;
      }
    }
  }
  return groups.filter((g) => needed.has(g.name));
}

/** Paths written by {@link writePromtoolFiles}. */
export interface PromtoolFiles {
  /** Every group: the file `promtool check rules` lints, the one the cluster deploys. */
  readonly rulesFile: string;
  /** One unit-test file per group with alerts, each loading that group's {@link groupsNeededBy}. */
  readonly tests: readonly { readonly group: string; readonly rulesFile: string; readonly testFile: string }[];
}

/**
 * Writes `<name>.rules.json` (every group) and, for each group with alerts, `<name>.<group>.rules.json`
 * (the groups its tests need) and `<name>.<group>.test.json` into `directory` (created if missing).
 *
 * @example
 * const files = writePromtoolFiles(".build/promtool", "prod", new AlertRuleSet({ slo }));
 * // promtool check rules .build/promtool/prod.rules.json && promtool test rules .build/promtool/prod.*.test.json
 */
export function writePromtoolFiles(directory: string, name: string, ruleSet: AlertRuleSet): PromtoolFiles {
  mkdirSync(directory, { recursive: true });
  const write = (file: string, doc: unknown): string => {
    const path = join(directory, file);
    writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
    return path;
  };
  const rulesFile = write(`${name}.rules.json`, rulesFileDocument(ruleSet));
  const tests = ruleSet.groups
    .filter((g) => g.rules.some((r) => "alert" in r))
    .map((g) => {
      const rulesName = `${name}.${g.name}.rules.json`;
      return {
        group: g.name,
        rulesFile: write(rulesName, { groups: groupsNeededBy(ruleSet.groups, g.name) }),
        testFile: write(`${name}.${g.name}.test.json`, promtoolTests(ruleSet, rulesName, [g.name])),
      };
    });
  return { rulesFile, tests };
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
