import { plaintextSecrets } from "../private/secrets";
import { allOf, ComplianceRule } from "../rule";

/** No literal secret anywhere in the synthesized JSON. */
export const HR_SEC_1: ComplianceRule = {
  id: "HR-SEC-1",
  severity: "critical",
  title: "No plaintext secret in the synthesized JSON (password/secret/token keys with literal values, PEM private keys, AWS keys)",
  rationale: "Synthesized JSON is committed, uploaded as a CI artifact and written to state: a literal secret there is a leaked secret.",
  fix: "Generate secrets with random_password, or reference Secrets Manager/SSM values, so the JSON holds only a ${...} reference.",
  appliesTo: ["*"],
  upstream: { checkov: ["CKV_AWS_41", "CKV_AWS_46"], trivy: ["AVD-AWS-0029"] },
  evaluate(item) {
    return allOf(plaintextSecrets(item.config).map((f) => `${f.path}: ${f.what}`));
  },
};
