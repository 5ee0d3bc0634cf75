import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlertRuleSet } from "../../lib/observability/alert-rule-set";
import { headroomDashboards } from "../../lib/observability/dashboards";
import { dashboardQueriesDocument, groupsNeededBy, promtoolTests, writePromtoolFiles } from "../../lib/observability/promtool";

const promtool = spawnSync("promtool", ["--version"], { encoding: "utf8" });
const available = promtool.status === 0;
if (!available) {
  if (process.env.CI === "true") throw new Error("promtool is not on PATH; CI installs Debian's `prometheus` package for it");
  // Visible in the jest output, so a local run does not silently pass without promtool.
  console.warn("SKIPPED: promtool is not on PATH; install Debian's `prometheus` package to run the rule unit tests");
}
const withPromtool = available ? it : it.skip;

const variants: Record<string, ConstructorParameters<typeof AlertRuleSet>[0]> = {
  strict: { slo: { availability: 0.999, ttftP99Seconds: 1, tpotP99Seconds: 0.1 } },
  loose: {
    slo: { availability: 0.99, ttftP99Seconds: 2.5 },
    thresholds: { minGpus: 1, kafkaLagMessages: 40, rdsProxyMaxConnections: 7, queueWaitingPerReplica: 0.5 },
  },
  custom: {
    slo: { availability: 0.9995, ttftP99Seconds: 0.8 },
    ttftBucketsSeconds: [0.2, 0.4, 0.8, 1.6],
    sources: { inferenceNamespace: "llm", inferenceService: "chat", gpuSelector: { cluster: "prod" } },
    thresholds: { minGpus: 17, rdsConnectionsRatio: 0.95 },
  },
};

describe("promtool", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "headroom-promtool-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("test file has a firing and a silent case for every alert", () => {
    const rules = new AlertRuleSet(variants.strict);
    const doc = promtoolTests(rules, "x.rules.json");
    for (const name of rules.alertNames) {
      const cases = doc.tests.flatMap((t) => t.alert_rule_test).filter((t) => t.alertname === name);
      expect(cases.some((c) => c.exp_alerts.length === 1)).toBe(true);
      expect(cases.some((c) => c.exp_alerts.length === 0)).toBe(true);
    }
  });

  it("each group's unit tests load the groups recording what it reads, and together cover every case once", () => {
    const rules = new AlertRuleSet(variants.strict);
    const names = (group: string): string[] => groupsNeededBy(rules.groups, group).map((g) => g.name);
    expect(names("headroom-slo-burn-rate")).toEqual(["headroom-sli-recording", "headroom-slo-burn-rate"]);
    expect(names("headroom-saturation")).toEqual(["headroom-saturation"]);
    // A group reading ALERTS loads every group; a recorded series read through another recording group is followed.
    const chained = [
      { name: "a", rules: [{ record: "x:one", expr: "sum(up)" }] },
      { name: "b", rules: [{ record: "x:two", expr: "x:one * 2" }] },
      { name: "c", rules: [{ alert: "Two", expr: "x:two > 1", for: "1m", labels: {}, annotations: {} }] },
      { name: "d", rules: [{ alert: "Any", expr: 'count(ALERTS{alertstate="firing"}) > 3', for: "1m", labels: {}, annotations: {} }] },
    ];
    expect(groupsNeededBy(chained, "c").map((g) => g.name)).toEqual(["a", "b", "c"]);
    expect(groupsNeededBy(chained, "d").map((g) => g.name)).toEqual(["a", "b", "c", "d"]);
    // A name that only contains a recorded name is not a read of it.
    expect(groupsNeededBy([...chained.slice(0, 1), { name: "e", rules: [{ record: "y", expr: "x:one_total" }] }], "e").map((g) => g.name)).toEqual(["e"]);

    const files = writePromtoolFiles(dir, "split", rules);
    const all = promtoolTests(rules, "split.rules.json").tests.map((t) => t.name);
    const split = files.tests.flatMap((f) => (JSON.parse(readFileSync(f.testFile, "utf8")) as { tests: { name: string }[] }).tests.map((t) => t.name));
    expect([...split].sort()).toEqual([...all].sort());
    for (const f of files.tests) expect(JSON.parse(readFileSync(f.testFile, "utf8")).rule_files).toEqual([f.rulesFile.split("/").pop()]);
  });

  withPromtool(
    "checks and unit-tests the rules of every variant",
    async () => {
      // promtool runs ~0.2 s per test case; the variants run in parallel to keep the suite short.
      const results = await Promise.all(
        Object.entries(variants).map(async ([name, props]) => {
          const rules = new AlertRuleSet(props);
          const files = writePromtoolFiles(dir, name, rules);
          expect(JSON.parse(readFileSync(files.rulesFile, "utf8")).groups).toHaveLength(3);
          const queries = join(dir, `${name}.dashboards.rules.json`);
          const queryDoc = dashboardQueriesDocument(headroomDashboards(rules));
          writeFileSync(queries, JSON.stringify(queryDoc));
          const queryCount = queryDoc.groups.reduce((n, g) => n + g.rules.length, 0);
          const check = await run(["check", "rules", "--lint-fatal", files.rulesFile]);
          const dashboards = await run(["check", "rules", "--lint-fatal", queries]);
          const test = await run(["test", "rules", ...files.tests.map((t) => t.testFile)]);
          return { name, check, dashboards, test, queryCount, groups: files.tests.length };
        }),
      );
      for (const { check, dashboards, test, queryCount, groups } of results) {
        expect(groups).toBe(2);
        expect(queryCount).toBeGreaterThanOrEqual(48);
        expect(dashboards.output).toContain(`SUCCESS: ${queryCount} rules found`);
        expect(dashboards.code).toBe(0);
        expect(check.output).toContain("SUCCESS: 27 rules found");
        expect(check.code).toBe(0);
        expect(test.output).toContain("SUCCESS");
        expect(test.code).toBe(0);
      }
    },
    60_000,
  );

  withPromtool(
    "fails the unit tests when a rule drifts from its scenarios",
    async () => {
      const files = writePromtoolFiles(dir, "drift", new AlertRuleSet(variants.strict));
      const saturation = files.tests.find((t) => t.group === "headroom-saturation")!;
      // Tamper with the rules the saturation tests load: the queue alert now waits longer than its firing scenario lasts.
      const doc = JSON.parse(readFileSync(saturation.rulesFile, "utf8"));
      const rule = doc.groups.flatMap((g: { rules: { alert?: string; for?: string }[] }) => g.rules).find((r: { alert?: string }) => r.alert === "InferenceQueueBacklogGrowing");
      rule.for = "45m";
      writeFileSync(saturation.rulesFile, JSON.stringify(doc));
      // Only the drifted alert's scenarios (its firing and its silent case): the assertion below needs
      // a failure named after that alert, and the group's other cases would only add promtool time.
      const tests = JSON.parse(readFileSync(saturation.testFile, "utf8"));
      tests.tests = tests.tests.filter((t: { alert_rule_test: { alertname: string }[] }) => t.alert_rule_test.some((a) => a.alertname === "InferenceQueueBacklogGrowing"));
      expect(tests.tests.length).toBeGreaterThanOrEqual(2);
      writeFileSync(saturation.testFile, JSON.stringify(tests));
      const test = await run(["test", "rules", saturation.testFile]);
      expect(test.code).not.toBe(0);
      expect(test.output).toContain("alertname: InferenceQueueBacklogGrowing");
    },
    60_000,
  );
});

function run(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    // GOGC=400: promtool's test runs spend about a fifth of their CPU in Go's collector at the default 100.
    execFile("promtool", [...args], { env: { ...process.env, GOGC: process.env.GOGC ?? "400" } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}
