import { booleanOf, unverifiable } from "../private/json";
import { WORKLOAD_TYPES, workloadOf } from "../private/workload";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Pods share nothing with the node: no host namespaces, host paths or host ports. */
export const HR_K8S_7: ComplianceRule = {
  id: "HR-K8S-7",
  severity: "critical",
  title: "Workloads and Pods use no host namespaces (hostNetwork, hostPID, hostIPC), hostPath volumes or hostPort",
  rationale:
    "The host network reaches IMDS and every node port, the host PID namespace lets a container signal and ptrace node processes, and a hostPath mount (/, /var/run, the kubelet) is a direct node escape.",
  fix: "Remove hostNetwork/hostPID/hostIPC, use emptyDir, ConfigMap, Secret or PVC volumes instead of hostPath, and expose ports through a Service.",
  appliesTo: WORKLOAD_TYPES,
  upstream: { checkov: ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19", "CKV_K8S_26"] },
  evaluate(resource) {
    const workload = workloadOf(resource);
    if (!workload) return notApplicable("not a workload");
    const problems: string[] = [];
    for (const [name, value] of Object.entries(workload.hostNamespaces)) {
      const state = booleanOf(value);
      if (state === "unknown") problems.push(unverifiable(name, value));
      else if (state === true) problems.push(`${name} is true`);
    }
    for (const volume of workload.hostPathVolumes) problems.push(`volume ${volume} mounts a hostPath`);
    for (const c of workload.containers) if (c.hostPorts.length > 0) problems.push(`container ${c.name} binds hostPort ${c.hostPorts.map(String).join(", ")}`);
    return allOf(problems);
  },
};
