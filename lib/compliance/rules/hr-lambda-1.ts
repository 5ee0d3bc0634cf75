import { customerKeyProblem, isObject, isSet } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Lambda functions run in the VPC, encrypt their environment with a customer key and log to a named group. */
export const HR_LAMBDA_1: ComplianceRule = {
  id: "HR-LAMBDA-1",
  severity: "high",
  title: "Lambda functions run in the VPC (vpc_config with subnets and security groups), encrypt their environment with a customer-managed key (kms_key_arn) and log to a named log group (logging_config.log_group)",
  rationale:
    "Outside the VPC a function's egress is unfiltered and it cannot reach private data services without opening them; its environment (endpoints, ARNs) is encrypted with an AWS key anyone with lambda:GetFunctionConfiguration can use; without a named log group its logs land in an unencrypted group with no retention.",
  fix: "Set vpc_config { subnet_ids, security_group_ids } (private subnets, a security group with explicit egress), kms_key_arn = <CMK ARN> and logging_config { log_group = <an EncryptedLogGroup> }.",
  appliesTo: ["aws_lambda_function"],
  upstream: { checkov: ["CKV_AWS_117", "CKV_AWS_173"] },
  evaluate(fn, context) {
    const problems: string[] = [];
    const vpc = fn.config["vpc_config"];
    const first = Array.isArray(vpc) ? vpc[0] : vpc;
    const list = (v: unknown) => (Array.isArray(v) ? v.length : isSet(v) ? 1 : 0);
    if (!isObject(first) || list(first["subnet_ids"]) === 0 || list(first["security_group_ids"]) === 0) problems.push("vpc_config has no subnets and security groups: the function runs outside the VPC");
    const hasEnvironment = isObject(fn.config["environment"]) || Array.isArray(fn.config["environment"]);
    const key = customerKeyProblem(fn.config["kms_key_arn"], context.resolve);
    if (hasEnvironment && key) problems.push(`kms_key_arn ${key} (the environment is encrypted with the AWS-managed key)`);
    const logging = fn.config["logging_config"];
    const logs = Array.isArray(logging) ? logging[0] : logging;
    if (!isObject(logs) || !isSet(logs["log_group"])) problems.push("logging_config.log_group is not set: logs go to a default group without KMS or retention");
    return allOf(problems);
  },
};
