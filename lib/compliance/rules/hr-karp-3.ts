import { isObject, strings } from "../private/json";
import { karpenterObject, specOf } from "../private/karpenter";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** Label that marks a NodePool for interruption-tolerant async work (the only place spot is allowed). */
export const ASYNC_POOL_LABEL = { key: "headroom.dev/gpu-pool", value: "async" } as const;

/** Serving NodePools buy no spot capacity. */
export const HR_KARP_3: ComplianceRule = {
  id: "HR-KARP-3",
  severity: "high",
  title: "Karpenter NodePools pin karpenter.sh/capacity-type without spot, except pools labelled headroom.dev/gpu-pool=async",
  rationale:
    "A spot GPU is reclaimed with two minutes' notice, less than a model load: a serving replica on spot turns every reclaim into lost capacity at the worst time. A pool without the requirement defaults to on-demand only, but one edit away from spot.",
  fix: 'Add requirement { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] } (or ["reserved", "on-demand"]); put spot in a separate, tainted pool labelled headroom.dev/gpu-pool=async.',
  appliesTo: ["kubernetes_manifest"],
  evaluate(resource) {
    const np = karpenterObject(resource, "NodePool");
    if (!np) return notApplicable("not a NodePool");
    const meta = isObject(np["metadata"]) ? np["metadata"] : {};
    const labels = isObject(meta["labels"]) ? meta["labels"] : {};
    if (labels[ASYNC_POOL_LABEL.key] === ASYNC_POOL_LABEL.value) return notApplicable("an async pool (spot allowed)");
    const template = isObject(specOf(np)["template"]) ? (specOf(np)["template"] as Record<string, unknown>) : {};
    const tspec = isObject(template["spec"]) ? template["spec"] : {};
    const requirements = Array.isArray(tspec["requirements"]) ? tspec["requirements"].filter(isObject) : [];
    const capacity = requirements.find((r) => r["key"] === "karpenter.sh/capacity-type");
    if (!capacity) return nonCompliant("no karpenter.sh/capacity-type requirement");
    const values = strings(capacity["values"]);
    if (capacity["operator"] !== "In" || values.length === 0) return nonCompliant(`capacity-type requirement is ${JSON.stringify(capacity["operator"])} ${JSON.stringify(values)}, not an In list`);
    if (values.includes("spot")) return nonCompliant(`a serving pool allows spot (${values.join(", ")})`);
    return compliant();
  },
};
