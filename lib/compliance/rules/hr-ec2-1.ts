import { block } from "../private/json";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** Instances launched from the template require IMDSv2 session tokens. */
export const HR_EC2_1: ComplianceRule = {
  id: "HR-EC2-1",
  severity: "high",
  title: "Launch templates require IMDSv2 (http_tokens = required)",
  rationale: "IMDSv1 answers any GET, so one SSRF in a pod or node process leaks the node role's credentials.",
  fix: 'Set metadata_options { http_tokens = "required" }.',
  appliesTo: ["aws_launch_template"],
  upstream: { checkov: ["CKV_AWS_79"], trivy: ["AVD-AWS-0028"] },
  evaluate(template) {
    const metadata = block(template.config, "metadata_options");
    if (metadata?.["http_endpoint"] === "disabled") return notApplicable("the instance metadata endpoint is disabled");
    if (metadata?.["http_tokens"] === "required") return compliant();
    return nonCompliant(`metadata_options.http_tokens is ${JSON.stringify(metadata?.["http_tokens"] ?? "unset")}`);
  },
};
