import { block, blocks, isExpression, isObject, JsonObject, unverifiable } from "../private/json";
import { istioObject } from "../private/workload";
import { allOf, ComplianceRule, notApplicable } from "../rule";

function nonEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => (isObject(v) ? Object.values(v).some(nonEmpty) : v !== undefined && v !== null));
  if (isObject(value)) return Object.values(value).some(nonEmpty);
  return value !== undefined && value !== null;
}

/** A rule matches every request when it has no non-empty `from`, `to` or `when`. */
function matchesEverything(rule: JsonObject): boolean {
  return !nonEmpty(rule["from"]) && !nonEmpty(rule["to"]) && !nonEmpty(rule["when"]);
}

/** No AuthorizationPolicy allows every request. */
export const HR_MESH_3: ComplianceRule = {
  id: "HR-MESH-3",
  severity: "critical",
  title: "Istio AuthorizationPolicies never allow everything (an ALLOW rule that is {} or has no from, to or when)",
  rationale:
    "An ALLOW policy with an empty rule matches every request from every source, which silently overrides the deny-by-default the other policies of the workload build (`spec: {}` denies all; `rules: [{}]` allows all).",
  fix: "Give every ALLOW rule a from.source (principals or namespaces) and a to.operation (ports, methods, paths), or delete the policy.",
  appliesTo: ["kubernetes_manifest"],
  evaluate(resource) {
    const policy = istioObject(resource, "AuthorizationPolicy");
    if (!policy) return notApplicable("not an Istio AuthorizationPolicy");
    const spec = block(policy, "spec");
    const action = spec?.["action"] ?? "ALLOW";
    if (isExpression(action)) return allOf([unverifiable("spec.action", action)]);
    if (action !== "ALLOW") return notApplicable(`action ${String(action)} does not grant access`);
    const rules = spec?.["rules"];
    if (typeof rules === "string") return allOf([unverifiable("spec.rules", rules)]);
    const problems = blocks(spec, "rules")
      .map((r, i) => (matchesEverything(r) ? `spec.rules[${i}] has no from, to or when: it allows every request` : ""))
      .filter((p) => p !== "");
    if (Array.isArray(rules) && rules.some((r) => !isObject(r))) problems.push("spec.rules holds an entry the pack cannot read");
    return allOf(problems);
  },
};
