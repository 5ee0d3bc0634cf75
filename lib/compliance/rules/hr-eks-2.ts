import { block, blocks, customerKeyProblem, strings } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Kubernetes Secrets are envelope-encrypted with a customer-managed KMS key. */
export const HR_EKS_2: ComplianceRule = {
  id: "HR-EKS-2",
  severity: "high",
  title: "EKS secrets are envelope-encrypted with a customer-managed KMS key",
  rationale: "Envelope encryption with a CMK keeps Secrets unreadable from an etcd snapshot and lets you audit and revoke key use.",
  fix: 'Add encryption_config { resources = ["secrets"], provider.key_arn = <CMK ARN> }.',
  appliesTo: ["aws_eks_cluster"],
  upstream: { checkov: ["CKV_AWS_58", "CKV_AWS_151"], trivy: ["AVD-AWS-0039"] },
  evaluate(cluster, context) {
    const configs = blocks(cluster.config, "encryption_config");
    const secrets = configs.find((c) => strings(c["resources"]).includes("secrets"));
    if (!secrets) return nonCompliant('no encryption_config covers the "secrets" resource');
    const keyArn = block(secrets, "provider")?.["key_arn"];
    const key = customerKeyProblem(keyArn, context.resolve);
    if (key) return nonCompliant(`encryption_config.provider.key_arn ${key}`, { value: keyArn });
    return compliant();
  },
};
