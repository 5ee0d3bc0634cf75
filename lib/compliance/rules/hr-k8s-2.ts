import { WORKLOAD_TYPES, workloadOf } from "../private/workload";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Every container declares CPU and memory requests and a memory limit. */
export const HR_K8S_2: ComplianceRule = {
  id: "HR-K8S-2",
  severity: "medium",
  title: "Workload containers declare CPU and memory requests and a memory limit",
  rationale:
    "Requests drive scheduling and HPA utilisation; a memory limit stops one leaking pod from evicting its neighbours. CPU limits are not required: CFS throttling adds tail latency to inference.",
  fix: "Set resources { requests = { cpu, memory }, limits = { memory } } on every container (GPU containers also limit nvidia.com/gpu).",
  appliesTo: WORKLOAD_TYPES,
  evaluate(resource) {
    const workload = workloadOf(resource);
    if (!workload) return notApplicable("not a workload");
    const problems: string[] = [];
    for (const c of workload.containers) {
      const missing: string[] = [];
      if (c.requests["cpu"] === undefined) missing.push("requests.cpu");
      if (c.requests["memory"] === undefined) missing.push("requests.memory");
      if (c.limits["memory"] === undefined) missing.push("limits.memory");
      if (missing.length > 0) problems.push(`container ${c.name} lacks ${missing.join(", ")}`);
    }
    return allOf(problems);
  },
};
