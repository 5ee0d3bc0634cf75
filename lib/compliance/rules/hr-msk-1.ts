import { booleanOf, path, unverifiable } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Client-broker and broker-broker traffic is TLS only. */
export const HR_MSK_1: ComplianceRule = {
  id: "HR-MSK-1",
  severity: "high",
  title: "MSK encrypts in transit: client-broker TLS only, in-cluster TLS on",
  rationale: "TLS_PLAINTEXT or PLAINTEXT listeners let a client (or an attacker in the VPC) read and inject messages.",
  fix: 'Set encryption_info.encryption_in_transit { client_broker = "TLS", in_cluster = true } (both are the provider defaults when unset).',
  appliesTo: ["aws_msk_cluster"],
  upstream: { checkov: ["CKV_AWS_81"], trivy: ["AVD-AWS-0073"] },
  evaluate(cluster) {
    const transit = path(cluster.config, "encryption_info", "encryption_in_transit");
    const problems: string[] = [];
    const clientBroker = transit?.["client_broker"];
    if (clientBroker !== undefined && clientBroker !== "TLS") problems.push(`client_broker is ${JSON.stringify(clientBroker)}`);
    const inCluster = booleanOf(transit?.["in_cluster"]);
    if (inCluster === "unknown") problems.push(unverifiable("in_cluster", transit?.["in_cluster"]));
    else if (inCluster === false) problems.push("in_cluster is false");
    return allOf(problems, { value: transit });
  },
};
