import { WORKLOAD_TYPES, workloadOf } from "../private/workload";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** Pods are always owned by a controller. */
export const HR_K8S_9: ComplianceRule = {
  id: "HR-K8S-9",
  severity: "medium",
  title: "No bare Pods (kubernetes_pod, or a manifest of kind Pod): every pod belongs to a Deployment, StatefulSet, DaemonSet or Job",
  rationale:
    "A bare Pod is not rescheduled when its node drains or dies, is not rolled by an image update, and is the usual shape of a one-off debugging pod left behind with broad permissions.",
  fix: "Wrap the pod template in a Deployment (long-running), a Job (run to completion) or a DaemonSet (per node).",
  appliesTo: WORKLOAD_TYPES,
  evaluate(resource) {
    const workload = workloadOf(resource);
    if (!workload) return notApplicable("not a workload");
    return workload.kind === "Pod" ? nonCompliant("a bare Pod has no controller") : compliant();
  },
};
