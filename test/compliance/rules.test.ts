import { ALL_RULES } from "../../lib/compliance/all-rules";
import { AWS_CASES } from "./cases/aws";
import { CHANGED_RULE_CASES, HARDENING_CASES } from "./cases/hardening";
import { KARPENTER_FIS_CASES } from "./cases/karpenter-fis";
import { KUBERNETES_CASES } from "./cases/kubernetes";
import { KV_TIER_CASES } from "./cases/kv-tier";
import { PLATFORM_CASES } from "./cases/platform";
import { RuleCase, verdict } from "./helpers";

const CASES: readonly RuleCase[] = [...AWS_CASES, ...PLATFORM_CASES, ...KUBERNETES_CASES, ...HARDENING_CASES, ...CHANGED_RULE_CASES, ...KARPENTER_FIS_CASES, ...KV_TIER_CASES];

describe("every rule, on JSON fixtures", () => {
  it.each(CASES.map((c) => [c.rule, c.name, c] as const))("%s: %s", (_rule, _name, c) => {
    const result = verdict(c.rule, c.json, c.address, c.allowLocalState, c.external);
    expect(result.status).toBe(c.expect);
    if (c.reason !== undefined) {
      expect(result.status === "compliant" ? "" : result.reason).toContain(c.reason);
    }
  });

  // Every item HR-TF-2 sees is a finding (content the pack cannot read); a stack without such
  // content is its compliant case, tested on real stacks in pack.test.ts.
  const ONLY_FINDINGS = new Set(["HR-TF-2"]);

  it("has a compliant and a non-compliant case for every rule", () => {
    const missing = ALL_RULES.flatMap((rule) => {
      const statuses = new Set(CASES.filter((c) => c.rule === rule.id).map((c) => c.expect));
      if (ONLY_FINDINGS.has(rule.id)) statuses.add("compliant");
      return ["compliant", "non-compliant"].filter((s) => !statuses.has(s as RuleCase["expect"])).map((s) => `${rule.id} lacks a ${s} case`);
    });
    expect(missing).toEqual([]);
  });
});
