import { block, blocks, booleanOf, isTrue, strings, unverifiable } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Every client authenticates (IAM, SCRAM or mutual TLS); unauthenticated access is off. */
export const HR_MSK_3: ComplianceRule = {
  id: "HR-MSK-3",
  severity: "critical",
  title: "MSK requires client authentication (IAM, SASL/SCRAM or mTLS) and disables unauthenticated access",
  rationale: "An unauthenticated listener lets anything in the VPC produce to and consume from every topic.",
  fix: "Set client_authentication { sasl { iam = true }, unauthenticated = false }.",
  appliesTo: ["aws_msk_cluster"],
  evaluate(cluster) {
    const auth = block(cluster.config, "client_authentication");
    if (!auth) return nonCompliant("no client_authentication block: clients connect unauthenticated");
    const open = booleanOf(auth["unauthenticated"]);
    if (open === "unknown") return nonCompliant(unverifiable("client_authentication.unauthenticated", auth["unauthenticated"]));
    if (open === true) return nonCompliant("client_authentication.unauthenticated is true");
    const sasl = block(auth, "sasl");
    const tls = blocks(auth, "tls").some((t) => strings(t["certificate_authority_arns"]).length > 0);
    if (isTrue(sasl?.["iam"]) || isTrue(sasl?.["scram"]) || tls) return compliant();
    return nonCompliant("no authentication mechanism (sasl.iam, sasl.scram or tls.certificate_authority_arns) is enabled");
  },
};
