import { isSet } from "../private/json";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** A service may invoke a function only for one resource (confused deputy prevention). */
export const HR_LAMBDA_2: ComplianceRule = {
  id: "HR-LAMBDA-2",
  severity: "high",
  title: "aws_lambda_permission for an AWS service principal names the calling resource (source_arn)",
  rationale:
    "Without source_arn, any resource of that service in any account (a secret, a bucket, a topic) can make the service invoke the function: for a rotation function, anyone could trigger password changes of the user it manages.",
  fix: "Set source_arn to the ARN of the one resource that calls the function (the secret for a rotation function) and source_account to the stack's account.",
  appliesTo: ["aws_lambda_permission"],
  upstream: { trivy: ["AVD-AWS-0067"] },
  evaluate(permission) {
    const principal = String(permission.config["principal"] ?? "");
    if (!/\.amazonaws\.com(\.cn)?$/.test(principal)) return notApplicable(`principal ${principal} is not an AWS service (HR-IAM-4 covers public principals)`);
    return isSet(permission.config["source_arn"]) ? compliant() : nonCompliant(`${principal} may invoke the function for any of its resources: source_arn is not set`);
  },
};
