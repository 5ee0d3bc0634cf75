import { asNumber, unverifiable } from "../private/json";
import { WORKLOAD_TYPES, workloadOf } from "../private/workload";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** The only capability the restricted Pod Security Standard lets a container add. */
const ALLOWED_ADD = ["NET_BIND_SERVICE"];

function userProblem(where: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const uid = asNumber(value);
  if (uid === undefined) return unverifiable(`${where} runAsUser`, value);
  return uid === 0 ? `${where} runs as user 0 (root)` : undefined;
}

/** No container runs privileged, adds capabilities or runs as uid 0. */
export const HR_K8S_8: ComplianceRule = {
  id: "HR-K8S-8",
  severity: "critical",
  title: "Containers are not privileged, add no capability beyond NET_BIND_SERVICE, and never run as runAsUser 0",
  rationale:
    "A privileged container is root on the node; added capabilities (SYS_ADMIN, NET_ADMIN, SYS_PTRACE) each reopen an escape the restricted profile closes, and uid 0 makes any filesystem escape a root one.",
  fix: 'Remove securityContext.privileged and capabilities.add (keep drop: ["ALL"]), and set runAsUser to a non-zero uid (or leave it to the image with runAsNonRoot: true).',
  appliesTo: WORKLOAD_TYPES,
  upstream: { checkov: ["CKV_K8S_16", "CKV_K8S_23", "CKV_K8S_25"] },
  evaluate(resource) {
    const workload = workloadOf(resource);
    if (!workload) return notApplicable("not a workload");
    const problems: string[] = [];
    const pod = userProblem("the pod", workload.podRunAsUser);
    if (pod) problems.push(pod);
    for (const c of workload.containers) {
      if (c.privileged === "unknown") problems.push(unverifiable(`container ${c.name} privileged`, "an expression"));
      else if (c.privileged === true) problems.push(`container ${c.name} is privileged`);
      const added = c.addCapabilities.filter((cap) => typeof cap !== "string" || !ALLOWED_ADD.includes(cap.toUpperCase().replace(/^CAP_/, "")));
      if (added.length > 0) problems.push(`container ${c.name} adds capabilities ${added.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(", ")}`);
      const user = userProblem(`container ${c.name}`, c.runAsUser);
      if (user) problems.push(user);
    }
    return allOf(problems);
  },
};
