import { isExpression, unverifiable } from "../private/json";
import { namespaceOf, WORKLOAD_TYPES, workloadOf } from "../private/workload";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** Workloads live in a dedicated namespace. */
export const HR_K8S_5: ComplianceRule = {
  id: "HR-K8S-5",
  severity: "low",
  title: "Workloads are not in the default namespace",
  rationale: "The default namespace has no policies, quotas or RBAC boundaries of its own; everything there shares one blast radius.",
  fix: "Set metadata.namespace to the workload's own namespace.",
  appliesTo: WORKLOAD_TYPES,
  upstream: { checkov: ["CKV_K8S_21"] },
  evaluate(resource, context) {
    const workload = workloadOf(resource);
    if (!workload) return notApplicable("not a workload");
    if (workload.namespace === undefined) return nonCompliant("metadata.namespace is unset (means default)");
    let name: unknown = workload.namespace;
    if (isExpression(name)) {
      // A reference to a namespace of this stack is judged by that namespace's name.
      const target = context.resolve(name);
      const ns = target ? namespaceOf(target) : undefined;
      if (!ns) return nonCompliant(unverifiable("metadata.namespace", name));
      name = ns.name;
    }
    if (typeof name !== "string" || isExpression(name)) return nonCompliant(unverifiable("metadata.namespace", name));
    return name === "default" ? nonCompliant('metadata.namespace is "default"') : compliant();
  },
};
