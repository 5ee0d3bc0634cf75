import { asNumber, block, unverifiable } from "../private/json";
import { allOf, ComplianceRule, notApplicable } from "../rule";

/** Stand-alone instances require IMDSv2 with a hop limit of 1, like the launch templates of node groups. */
export const HR_EC2_5: ComplianceRule = {
  id: "HR-EC2-5",
  severity: "high",
  title: "EC2 instances require IMDSv2 (metadata_options.http_tokens = required, hop limit 1), or take both from a launch template of this stack",
  rationale: "IMDSv1 answers any GET, so one SSRF in a process on the instance leaks its role's credentials; the provider and most AMIs still default to optional.",
  fix: 'Set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 }, or launch_template { id = <hardened aws_launch_template> }.',
  appliesTo: ["aws_instance"],
  upstream: { checkov: ["CKV_AWS_79"], trivy: ["AVD-AWS-0028"] },
  evaluate(instance, context) {
    const metadata = block(instance.config, "metadata_options");
    if (metadata?.["http_endpoint"] === "disabled") return notApplicable("the instance metadata endpoint is disabled");
    if (metadata === undefined) {
      const template = block(instance.config, "launch_template");
      const target = context.resolve(template?.["id"] ?? template?.["name"]);
      // The template's own metadata options are judged by HR-EC2-1 and HR-EC2-2.
      if (target?.type === "aws_launch_template") return allOf([]);
      return allOf(["no metadata_options (IMDSv1 stays enabled) and no launch template of this stack"]);
    }
    const problems: string[] = [];
    const tokens = metadata["http_tokens"];
    if (tokens !== "required") problems.push(typeof tokens === "string" && tokens.includes("${") ? unverifiable("metadata_options.http_tokens", tokens) : `metadata_options.http_tokens is ${JSON.stringify(tokens ?? "unset")}`);
    const hops = asNumber(metadata["http_put_response_hop_limit"]);
    if (hops !== undefined && hops > 1) problems.push(`http_put_response_hop_limit is ${hops}`);
    else if (hops === undefined && metadata["http_put_response_hop_limit"] !== undefined) problems.push(unverifiable("http_put_response_hop_limit", metadata["http_put_response_hop_limit"]));
    return allOf(problems);
  },
};
