import { isSet } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Charts come from an HTTPS or OCI repository. */
export const HR_HELM_2: ComplianceRule = {
  id: "HR-HELM-2",
  severity: "medium",
  title: "Helm releases install charts from an https:// or oci:// repository",
  rationale: "A plain-HTTP repository lets anyone on the path swap the chart, and with it every manifest the release applies.",
  fix: 'Set repository = "https://..." or "oci://...", or chart = "oci://registry/path/chart".',
  appliesTo: ["helm_release"],
  evaluate(release) {
    const repository = release.config["repository"];
    const chart = release.config["chart"];
    if (isSet(repository)) {
      return /^(https|oci):\/\//.test(repository) ? compliant() : nonCompliant(`repository ${repository} is not https:// or oci://`, { value: repository });
    }
    if (isSet(chart) && /^(https|oci):\/\//.test(chart)) return compliant();
    return nonCompliant(`no https/oci repository: chart ${JSON.stringify(chart)} would come from a local path or a configured repository name`);
  },
};
