import { isExpression } from "../private/json";
import { WORKLOAD_TYPES, workloadOf } from "../private/workload";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Why an image reference is not pinned, or undefined when it is (a digest, or a tag other than latest). */
export function unpinnedReason(image: unknown): string | undefined {
  if (typeof image !== "string" || image === "") return "has no image";
  if (isExpression(image)) return `image ${image} is a Terraform expression the pack cannot verify`;
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return undefined;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon < 0) return `image ${image} has no tag (means latest)`;
  const tag = lastSegment.slice(colon + 1);
  return tag === "" || tag === "latest" ? `image ${image} uses the latest tag` : undefined;
}

/** Images are pinned to a version tag or a digest. */
export const HR_K8S_3: ComplianceRule = {
  id: "HR-K8S-3",
  severity: "medium",
  title: "Workload images are pinned (a tag other than latest, or a digest)",
  rationale: "An unpinned image changes under a running Deployment: rollbacks restore a different binary and nodes disagree on what they run.",
  fix: "Reference images as registry/name:1.2.3 or registry/name@sha256:<digest>.",
  appliesTo: WORKLOAD_TYPES,
  upstream: { checkov: ["CKV_K8S_14"] },
  evaluate(resource) {
    const workload = workloadOf(resource);
    if (!workload) return notApplicable("not a workload");
    const problems = workload.containers.map((c) => {
      const reason = unpinnedReason(c.image);
      return reason ? `container ${c.name}: ${reason}` : "";
    });
    return allOf(problems.filter((p) => p !== ""));
  },
};
