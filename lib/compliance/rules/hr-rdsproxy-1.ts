import { isTrue } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Clients reach the proxy over TLS only. */
export const HR_RDSPROXY_1: ComplianceRule = {
  id: "HR-RDSPROXY-1",
  severity: "high",
  title: "RDS Proxy requires TLS",
  rationale: "The proxy terminates client connections; without require_tls they may be plaintext even when the database forces TLS.",
  fix: "Set require_tls = true.",
  appliesTo: ["aws_db_proxy"],
  evaluate(proxy) {
    return isTrue(proxy.config["require_tls"]) ? compliant() : nonCompliant("require_tls is not true");
  },
};
