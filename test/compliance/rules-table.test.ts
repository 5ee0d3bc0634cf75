import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_RULES, renderRulesMarkdown } from "../../lib/compliance";

const ROOT = join(__dirname, "..", "..");

describe("the rule table", () => {
  it("RULES.md is generated from the current rules (run `node scripts/gen-rules.mjs` after changing a rule)", () => {
    expect(readFileSync(join(ROOT, "RULES.md"), "utf8")).toBe(renderRulesMarkdown(ALL_RULES));
  });

  it("lists every rule file, one rule per file, named after its id", () => {
    const files = readdirSync(join(ROOT, "lib", "compliance", "rules")).filter((f) => f.endsWith(".ts"));
    expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual(ALL_RULES.map((r) => r.id.toLowerCase()).sort());
  });

  it("has unique, well-formed ids and complete documentation", () => {
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^HR-[A-Z0-9]+-\d+$/);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(10);
      expect(rule.appliesTo.length).toBeGreaterThan(0);
      for (const id of rule.upstream?.checkov ?? []) expect(id).toMatch(/^CKV2?_(AWS|K8S)_\d+$/);
      for (const id of rule.upstream?.trivy ?? []) expect(id).toMatch(/^AVD-AWS-\d{4}$/);
    }
  });

  it("renders one row per rule with its upstream ids", () => {
    const rows = renderRulesMarkdown().split("\n").filter((l) => l.startsWith("| HR-"));
    expect(rows).toHaveLength(ALL_RULES.length);
    expect(rows.find((r) => r.startsWith("| HR-EKS-1 |"))).toContain("CKV_AWS_39, AVD-AWS-0040");
  });
});
