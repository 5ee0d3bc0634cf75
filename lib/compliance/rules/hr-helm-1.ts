import { isExpression, isSet, unverifiable } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Every release pins an exact chart version. */
export const HR_HELM_1: ComplianceRule = {
  id: "HR-HELM-1",
  severity: "medium",
  title: "Helm releases pin an exact chart version",
  rationale: "Without a version every plan may install a new chart with new defaults, CRDs and images; ranges have the same effect.",
  fix: 'Set version = "<exact chart version>" (no ranges such as ^1.2 or ~1.2 or 1.x).',
  appliesTo: ["helm_release"],
  evaluate(release) {
    const version = release.config["version"];
    if (!isSet(version)) return nonCompliant("version is not set (installs the latest chart)");
    if (isExpression(version)) return nonCompliant(unverifiable("version", version), { value: version });
    return /[\^~*<>=|xX ]/.test(version.replace(/^v/, "")) ? nonCompliant(`version ${version} is a range`, { value: version }) : compliant();
  },
};
