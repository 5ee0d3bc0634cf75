import { block, blocks, JsonObject } from "../private/json";
import { istioObject } from "../private/workload";
import { allOf, ComplianceRule, notApplicable } from "../rule";

function disabledIn(policy: JsonObject | undefined, where: string): string[] {
  if (!policy) return [];
  const found: string[] = [];
  const weak = (mode: unknown) => mode === "DISABLE" || (typeof mode === "string" && mode.includes("${"));
  if (weak(block(policy, "tls")?.["mode"])) found.push(`${where}.tls.mode`);
  blocks(policy, "portLevelSettings").forEach((p, i) => {
    if (weak(block(p, "tls")?.["mode"])) found.push(`${where}.portLevelSettings[${i}].tls.mode`);
  });
  return found;
}

/** No DestinationRule turns TLS off. */
export const HR_MESH_2: ComplianceRule = {
  id: "HR-MESH-2",
  severity: "high",
  title: "Istio DestinationRules never set tls.mode DISABLE",
  rationale: "tls.mode DISABLE makes the client sidecar send plaintext, which a STRICT server rejects or, worse, a permissive one accepts.",
  fix: "Use tls.mode ISTIO_MUTUAL (or omit tls to let auto-mTLS choose).",
  appliesTo: ["kubernetes_manifest"],
  evaluate(resource) {
    const rule = istioObject(resource, "DestinationRule");
    if (!rule) return notApplicable("not an Istio DestinationRule");
    const spec = block(rule, "spec");
    const found = [
      ...disabledIn(block(spec, "trafficPolicy"), "spec.trafficPolicy"),
      ...blocks(spec, "subsets").flatMap((s, i) => disabledIn(block(s, "trafficPolicy"), `spec.subsets[${i}].trafficPolicy`)),
    ];
    return allOf(found.map((f) => `${f} is DISABLE (or an expression the pack cannot evaluate)`));
  },
};
