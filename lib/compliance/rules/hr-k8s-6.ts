import { PRIVILEGED_NAMESPACES } from "../conventions";
import { isExpression, isObject, unverifiable } from "../private/json";
import { NAMESPACE_TYPES, namespaceOf } from "../private/workload";
import { allOf, ComplianceRule, notApplicable } from "../rule";

const ENFORCE = "pod-security.kubernetes.io/enforce";
const LEVELS = ["restricted", "baseline", "privileged"];

/** Namespaces enforce a Pod Security level, and `privileged` only where the allow-list says why. */
export const HR_K8S_6: ComplianceRule = {
  id: "HR-K8S-6",
  severity: "high",
  title:
    "Namespaces enforce a Pod Security level (pod-security.kubernetes.io/enforce), and privileged only in the allow-list (kube-system, gpu-system, monitoring by default, each with its reason)",
  rationale:
    "Pod Security admission admits anything in a namespace without an enforce label (EKS has no cluster-wide default), and a privileged namespace admits host access and root; either turns one compromised deployer into a node takeover.",
  fix: 'Label the namespace pod-security.kubernetes.io/enforce = "restricted" (or "baseline"); for a node agent that needs privileged, add the namespace to the pack\'s privilegedNamespaces option with the reason.',
  appliesTo: NAMESPACE_TYPES,
  evaluate(resource, context) {
    const ns = namespaceOf(resource);
    if (!ns) return notApplicable("not a namespace");
    const allowed = context.options.privilegedNamespaces ?? PRIVILEGED_NAMESPACES;
    const name = typeof ns.name === "string" ? ns.name : undefined;
    const problems: string[] = [];
    if (typeof ns.labels === "string") return allOf([unverifiable("metadata.labels", ns.labels)]);
    const level = isObject(ns.labels) ? ns.labels[ENFORCE] : undefined;
    if (level === undefined) {
      if (!ns.patch) problems.push(`namespace ${name ?? "?"} sets no ${ENFORCE} label (admits privileged pods)`);
      return allOf(problems);
    }
    if (isExpression(level) || typeof level !== "string") return allOf([unverifiable(ENFORCE, level)]);
    if (!LEVELS.includes(level)) problems.push(`${ENFORCE} is ${JSON.stringify(level)}, not one of ${LEVELS.join(", ")}`);
    else if (level === "privileged") {
      if (name === undefined || isExpression(name)) problems.push(unverifiable("the name of a privileged namespace", ns.name));
      else if (!(name in allowed)) problems.push(`namespace ${name} enforces privileged but is not in the allow-list (${Object.keys(allowed).join(", ")})`);
    }
    return allOf(problems);
  },
};
