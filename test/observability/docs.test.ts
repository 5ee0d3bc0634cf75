import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AlertRuleSet } from "../../lib/observability";

// The alerts' runbook_url points at README.md#runbook-<alert>: the README is the one copy.
const runbooks = readFileSync(join(__dirname, "../../README.md"), "utf8");

describe("README runbooks", () => {
  // Every optional alert on (the prefix-cache alert exists only when the plan assumes hits).
  const rules = new AlertRuleSet({ slo: { availability: 0.999, ttftP99Seconds: 1 }, thresholds: { expectedPrefixCacheHitRatio: 0.2 } });
  it.each(rules.alertNames)("has the anchor and section every %s alert links to", (name) => {
    const anchor = rules.alert(name).annotations.runbook_url.split("#")[1];
    expect(runbooks).toContain(`<a id="${anchor}"></a>`);
    expect(runbooks).toContain(`### Runbook: ${name}\n`);
  });

  it("has no entry for an alert that does not exist", () => {
    const documented = [...runbooks.matchAll(/^### Runbook: (\w+)$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...rules.alertNames].sort());
  });
});
