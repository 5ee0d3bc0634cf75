import { block, isObject, isTrue } from "../private/json";
import { allOf, compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** Terraform state is stored encrypted and locked. */
export const HR_STATE_1: ComplianceRule = {
  id: "HR-STATE-1",
  severity: "high",
  title: "Remote state is encrypted and locked (S3 backend with encrypt and use_lockfile); local state only in explicit developer mode",
  rationale: "State holds every resource attribute including generated secrets; unlocked state lets two applies corrupt each other.",
  fix: "Use an S3Backend with encrypt: true plus backend.addOverride(\"use_lockfile\", true) (cdktf 0.21 has no typed prop for it), or HCP Terraform; for a laptop run apply the pack with { allowLocalState: true }.",
  appliesTo: ["terraform"],
  evaluate(terraform, context) {
    if (terraform.config["cloud"] !== undefined) return compliant();
    const backends = isObject(terraform.config["backend"]) ? terraform.config["backend"] : {};
    const types = Object.keys(backends);
    if (types.length === 0 || (types.length === 1 && types[0] === "local")) {
      return context.options.allowLocalState
        ? notApplicable("local state, allowed by allowLocalState (developer mode)")
        : nonCompliant(types.length === 0 ? "no backend is configured (state is local)" : "the local backend keeps unencrypted, unlocked state on disk");
    }
    if (types.includes("remote")) return compliant();
    const s3 = block(backends, "s3");
    if (!s3) return nonCompliant(`backend ${types.join(", ")} is not one the pack can verify (s3, remote or cloud)`);
    const problems: string[] = [];
    if (!isTrue(s3["encrypt"])) problems.push("backend s3 encrypt is not true");
    if (!isTrue(s3["use_lockfile"])) problems.push("backend s3 use_lockfile is not true");
    return allOf(problems);
  },
};
