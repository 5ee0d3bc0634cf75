import { WORKLOAD_TYPES, workloadOf } from "../private/workload";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Long-running containers have readiness and liveness probes. */
export const HR_K8S_4: ComplianceRule = {
  id: "HR-K8S-4",
  severity: "medium",
  title: "Long-running workload containers (Deployment, DaemonSet, StatefulSet) have readiness and liveness probes",
  rationale: "Without readiness a pod still loading a model receives traffic; without liveness a wedged server is never restarted.",
  fix: "Add readinessProbe and livenessProbe (and a startupProbe sized for model load) to every container.",
  appliesTo: WORKLOAD_TYPES,
  upstream: { checkov: ["CKV_K8S_8"] },
  evaluate(resource) {
    const workload = workloadOf(resource);
    if (!workload) return notApplicable("not a workload");
    if (!workload.longRunning) return notApplicable(`${workload.kind} runs to completion`);
    const problems = workload.containers
      .filter((c) => !c.init)
      .map((c) => {
        const missing = [c.readiness ? "" : "readiness", c.liveness ? "" : "liveness"].filter((m) => m !== "");
        return missing.length > 0 ? `container ${c.name} has no ${missing.join(" or ")} probe` : "";
      })
      .filter((p) => p !== "");
    return allOf(problems);
  },
};
