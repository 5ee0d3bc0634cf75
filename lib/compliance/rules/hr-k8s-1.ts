import { WORKLOAD_TYPES, workloadOf } from "../private/workload";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Seccomp profile types the restricted Pod Security Standard accepts. */
const ALLOWED_SECCOMP = ["RuntimeDefault", "Localhost"];

/** Every container meets the restricted Pod Security Standard plus a read-only root filesystem. */
export const HR_K8S_1: ComplianceRule = {
  id: "HR-K8S-1",
  severity: "high",
  title:
    "Workloads follow the restricted pod security profile: runAsNonRoot, no privilege escalation, drop ALL capabilities, seccomp RuntimeDefault, read-only root filesystem",
  rationale: "A container escape starts from root, extra capabilities or a writable image; the restricted profile removes each of those footholds.",
  fix:
    'Set securityContext { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } } on every container (runAsNonRoot and seccomp may be set on the pod).',
  appliesTo: WORKLOAD_TYPES,
  upstream: { checkov: ["CKV_K8S_20", "CKV_K8S_22", "CKV_K8S_28"] },
  evaluate(resource) {
    const workload = workloadOf(resource);
    if (!workload) return notApplicable("not a workload");
    const problems: string[] = [];
    for (const c of workload.containers) {
      const missing: string[] = [];
      if ((c.runAsNonRoot ?? workload.podRunAsNonRoot) !== true) missing.push("runAsNonRoot");
      if (c.allowPrivilegeEscalation !== false || c.privileged) missing.push("allowPrivilegeEscalation=false");
      if (!c.dropCapabilities.includes("ALL")) missing.push("drop ALL capabilities");
      if (!ALLOWED_SECCOMP.includes(c.seccompType ?? workload.podSeccompType ?? "")) missing.push("seccomp RuntimeDefault");
      if (!c.readOnlyRootFilesystem) missing.push("readOnlyRootFilesystem");
      if (missing.length > 0) problems.push(`container ${c.name} lacks ${missing.join(", ")}`);
    }
    if (workload.containers.length === 0) problems.push("no containers found in the pod template");
    return allOf(problems);
  },
};
