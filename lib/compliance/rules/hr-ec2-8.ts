import { asNumber, block, blocks, booleanOf, customerKeyProblem, unverifiable } from "../private/json";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/**
 * Karpenter launches nodes from an EC2NodeClass, not from a launch template of the stack, so the
 * launch-template rules (HR-EC2-1..4) never see them: this rule holds the node class to the same bar.
 */
export const HR_EC2_8: ComplianceRule = {
  id: "HR-EC2-8",
  severity: "high",
  title:
    "Karpenter EC2NodeClasses keep IMDSv2 with hop limit 1 (Karpenter's defaults), assign no public IP, and declare their EBS volumes encrypted with a customer-managed KMS key",
  rationale:
    "Nodes Karpenter launches carry the same pods and the same node role as managed node groups; a node class with httpTokens optional, a hop limit of 2, a public address or a volume without a CMK reopens what HR-EC2-1..4 close.",
  fix: 'Leave spec.metadataOptions at its defaults (httpTokens: required, httpPutResponseHopLimit: 1), omit associatePublicIPAddress, and set spec.blockDeviceMappings[].ebs { encrypted: true, kmsKeyID: <CMK ARN> }.',
  appliesTo: ["kubernetes_manifest"],
  evaluate(resource, context) {
    const manifest = block(resource.config, "manifest");
    const apiVersion = manifest?.["apiVersion"];
    if (manifest?.["kind"] !== "EC2NodeClass" || typeof apiVersion !== "string" || !apiVersion.startsWith("karpenter.k8s.aws/")) return notApplicable("not a Karpenter EC2NodeClass");
    const spec = block(manifest, "spec");
    const problems: string[] = [];
    const metadata = block(spec, "metadataOptions");
    const tokens = metadata?.["httpTokens"];
    if (tokens !== undefined && tokens !== "required") problems.push(typeof tokens === "string" && tokens.includes("${") ? unverifiable("metadataOptions.httpTokens", tokens) : `metadataOptions.httpTokens is ${JSON.stringify(tokens)}`);
    const rawHops = metadata?.["httpPutResponseHopLimit"];
    const hops = asNumber(rawHops);
    if (rawHops !== undefined && hops === undefined) problems.push(unverifiable("metadataOptions.httpPutResponseHopLimit", rawHops));
    else if (hops !== undefined && hops > 1) problems.push(`metadataOptions.httpPutResponseHopLimit is ${hops}`);
    const publicIp = booleanOf(spec?.["associatePublicIPAddress"]);
    if (publicIp === "unknown") problems.push(unverifiable("associatePublicIPAddress", spec?.["associatePublicIPAddress"]));
    else if (publicIp === true) problems.push("associatePublicIPAddress is true");
    const mappings = blocks(spec, "blockDeviceMappings");
    if (mappings.length === 0) problems.push("no blockDeviceMappings: the root volume gets the AMI family's default, without a customer-managed key");
    mappings.forEach((m, i) => {
      const ebs = block(m, "ebs");
      const encrypted = booleanOf(ebs?.["encrypted"]);
      if (encrypted === "unknown") problems.push(unverifiable(`blockDeviceMappings[${i}].ebs.encrypted`, ebs?.["encrypted"]));
      else if (encrypted !== true) problems.push(`blockDeviceMappings[${i}].ebs.encrypted is not true`);
      else {
        const key = customerKeyProblem(ebs?.["kmsKeyID"], context.resolve);
        if (key) problems.push(`blockDeviceMappings[${i}].ebs.kmsKeyID ${key}`);
      }
    });
    return allOf(problems);
  },
};
