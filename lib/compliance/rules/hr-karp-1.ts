import { isObject } from "../private/json";
import { karpenterObject, specOf } from "../private/karpenter";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Karpenter nodes require IMDSv2 and keep the metadata service out of reach of pods. */
export const HR_KARP_1: ComplianceRule = {
  id: "HR-KARP-1",
  severity: "high",
  title: "Karpenter EC2NodeClasses require IMDSv2 with a hop limit of 1",
  rationale: "IMDSv1 or a hop limit above 1 lets any pod fetch the node role's credentials; Karpenter's defaults can be overridden per node class.",
  fix: 'Set spec.metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 }.',
  appliesTo: ["kubernetes_manifest"],
  upstream: { checkov: ["CKV_AWS_79"] },
  evaluate(resource) {
    const nc = karpenterObject(resource, "EC2NodeClass");
    if (!nc) return notApplicable("not an EC2NodeClass");
    const md = specOf(nc)["metadataOptions"];
    const problems: string[] = [];
    if (!isObject(md) || md["httpTokens"] !== "required") problems.push(`metadataOptions.httpTokens is ${JSON.stringify(isObject(md) ? md["httpTokens"] ?? "unset" : "unset")}`);
    if (!isObject(md) || md["httpPutResponseHopLimit"] !== 1) problems.push(`metadataOptions.httpPutResponseHopLimit is ${JSON.stringify(isObject(md) ? md["httpPutResponseHopLimit"] ?? "unset" : "unset")}`);
    return allOf(problems);
  },
};
