/**
 * Renders the rule table (RULES.md) from the rule objects, so the document can
 * never drift from the code: a test compares the committed file with this output.
 * Pure: no cdktf import, so `scripts/gen-rules.mjs` can bundle it with esbuild.
 */
import { ALL_RULES } from "./all-rules";
import { ComplianceRule, Severity } from "./rule";

const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low"];

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function upstream(rule: ComplianceRule): string {
  const parts = [...(rule.upstream?.checkov ?? []), ...(rule.upstream?.trivy ?? []), ...(rule.upstream?.cis ?? [])];
  return parts.length === 0 ? "" : parts.join(", ");
}

/** The markdown rule table for `rules`. */
export function renderRulesMarkdown(rules: readonly ComplianceRule[] = ALL_RULES): string {
  const counts = SEVERITY_ORDER.map((s) => `${rules.filter((r) => r.severity === s).length} ${s}`).join(", ");
  const lines = [
    "# Headroom hardening rules",
    "",
    "<!-- Generated from lib/compliance/rules by `node scripts/gen-rules.mjs`; do not edit by hand. -->",
    "",
    `${rules.length} rules (${counts}). Every non-compliant result fails synth unless the resource carries a`,
    "suppression with a written reason (`Compliance.suppress(construct, id, reason)`); see `lib/compliance/README.md`.",
    "Upstream ids are the Checkov, Trivy (AVD) and CIS entries that check the same thing; blank where none exists.",
    "",
    "| Id | Severity | What | Why | Fix | Applies to | Upstream |",
    "|---|---|---|---|---|---|---|",
    ...rules.map(
      (r) =>
        `| ${r.id} | ${r.severity} | ${cell(r.title)} | ${cell(r.rationale)} | ${cell(r.fix)} | ${cell(r.appliesTo.map((t) => `\`${t}\``).join(", "))} | ${cell(upstream(r))} |`,
    ),
    "",
  ];
  return lines.join("\n");
}
