import { block, isObject } from "../private/json";
import { istioObject } from "../private/workload";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Every PeerAuthentication enforces mutual TLS. */
export const HR_MESH_1: ComplianceRule = {
  id: "HR-MESH-1",
  severity: "high",
  title: "Istio PeerAuthentication policies are STRICT (including port-level overrides)",
  rationale: "PERMISSIVE or DISABLE accepts plaintext, so any pod without a sidecar (or an attacker) can call the inference service unauthenticated.",
  fix: 'Set spec.mtls.mode: STRICT and remove PERMISSIVE/DISABLE portLevelMtls entries.',
  appliesTo: ["kubernetes_manifest"],
  evaluate(resource) {
    const policy = istioObject(resource, "PeerAuthentication");
    if (!policy) return notApplicable("not an Istio PeerAuthentication");
    const spec = block(policy, "spec");
    const problems: string[] = [];
    const mode = block(spec, "mtls")?.["mode"];
    if (mode !== "STRICT") problems.push(`spec.mtls.mode is ${JSON.stringify(mode ?? "unset")}`);
    const ports = spec?.["portLevelMtls"];
    if (isObject(ports)) {
      for (const [port, setting] of Object.entries(ports)) {
        const portMode = isObject(setting) ? setting["mode"] : undefined;
        if (portMode !== "STRICT") problems.push(`port ${port} mTLS mode is ${JSON.stringify(portMode ?? "unset")}`);
      }
    }
    return allOf(problems);
  },
};
