import { plaintextSecrets } from "../private/secrets";
import { allOf, ComplianceRule } from "../rule";

/** No literal secret anywhere in the synthesized JSON. */
export const HR_SEC_1: ComplianceRule = {
  id: "HR-SEC-1",
  severity: "critical",
  title:
    "No plaintext secret anywhere in the synthesized JSON (resources, data, providers, outputs, variables, locals, backend): password/secret/token keys with literal values, also inside embedded Helm values (YAML, JSON, jsonencode), literal Helm set_sensitive values, URLs with a password (scheme://user:pass@), credential flags in container args (--api-key, --password, --token), PEM private keys, AWS keys",
  rationale: "Synthesized JSON is committed, uploaded as a CI artifact and written to state: a literal secret there is a leaked secret.",
  fix: "Generate secrets with random_password, or reference Secrets Manager/SSM values, so the JSON holds only a ${...} reference.",
  appliesTo: ["*"],
  upstream: { checkov: ["CKV_AWS_41", "CKV_AWS_46"], trivy: ["AVD-AWS-0029"] },
  evaluate(item) {
    // An output's or variable's name says what its value is (`output "db_password"`).
    const findings =
      item.kind === "output"
        ? plaintextSecrets(item.config["value"], "value", item.name)
        : item.kind === "variable"
          ? plaintextSecrets(item.config["default"], "default", item.name)
          : plaintextSecrets(item.config);
    return allOf(findings.map((f) => `${f.path}: ${f.what}`));
  },
};
