import { booleanOf, unverifiable } from "../private/json";
import { compliant, ComplianceRule, nonCompliant } from "../rule";

/** Buckets are never emptied by a destroy. */
export const HR_DATA_2: ComplianceRule = {
  id: "HR-DATA-2",
  severity: "high",
  title: "S3 buckets do not set force_destroy",
  rationale: "force_destroy deletes every object (and version) when the bucket is destroyed, bypassing versioning as a safety net.",
  fix: "Remove force_destroy (the default is false).",
  appliesTo: ["aws_s3_bucket"],
  evaluate(bucket) {
    const value = booleanOf(bucket.config["force_destroy"]);
    if (value === "unknown") return nonCompliant(unverifiable("force_destroy", bucket.config["force_destroy"]));
    return value === true ? nonCompliant("force_destroy is true") : compliant();
  },
};
