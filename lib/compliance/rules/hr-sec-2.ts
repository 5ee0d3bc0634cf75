import { customerKeyProblem } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Secrets Manager secrets are encrypted with a customer-managed key. */
export const HR_SEC_2: ComplianceRule = {
  id: "HR-SEC-2",
  severity: "high",
  title: "Secrets Manager secrets are encrypted with a customer-managed KMS key (kms_key_id)",
  rationale: "With the AWS-managed aws/secretsmanager key anyone allowed GetSecretValue in the account reads the secret; a customer key adds a key policy and CloudTrail of every decrypt.",
  fix: "Set kms_key_id to the ARN of a customer-managed key (the environment's data key) and grant kms:Decrypt through secretsmanager only to the readers.",
  appliesTo: ["aws_secretsmanager_secret"],
  upstream: { checkov: ["CKV_AWS_149"], trivy: ["AVD-AWS-0098"] },
  evaluate(secret, context) {
    const problem = customerKeyProblem(secret.config["kms_key_id"], context.resolve);
    return problem ? nonCompliant(`kms_key_id ${problem}`) : compliant();
  },
};
