import { asNumber, block } from "../private/json";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** IMDS responses cannot cross a second network hop (a container's bridge). */
export const HR_EC2_2: ComplianceRule = {
  id: "HR-EC2-2",
  severity: "high",
  title: "Launch templates limit the IMDS response hop count to 1",
  rationale: "With a hop limit of 2 or more, pods on the node network bridge reach IMDS and obtain the node role; workloads get credentials from IRSA or Pod Identity instead.",
  fix: "Set metadata_options { http_put_response_hop_limit = 1 }.",
  appliesTo: ["aws_launch_template"],
  upstream: { checkov: ["CKV_AWS_341"] },
  evaluate(template) {
    const metadata = block(template.config, "metadata_options");
    if (metadata?.["http_endpoint"] === "disabled") return notApplicable("the instance metadata endpoint is disabled");
    const hops = asNumber(metadata?.["http_put_response_hop_limit"]);
    return hops === 1 ? compliant() : nonCompliant(`http_put_response_hop_limit is ${hops ?? "unset"}`, { value: hops });
  },
};
