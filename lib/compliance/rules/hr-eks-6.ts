import { ENVIRONMENT_TAG } from "../conventions";
import { blocks, booleanOf, isExpression, isObject, unverifiable } from "../private/json";
import { allOf, ComplianceRule, notApplicable, RuleContext, SynthResource } from "../rule";

/** "yes", "no" or "unknown" (a tag the pack cannot read counts as production). */
function production(resource: SynthResource, context: RuleContext): "yes" | "no" | "unknown" {
  if (context.options.production !== undefined) return context.options.production ? "yes" : "no";
  const values: unknown[] = [];
  const own = resource.config["tags"];
  if (isObject(own) && own[ENVIRONMENT_TAG.key] !== undefined) values.push(own[ENVIRONMENT_TAG.key]);
  const providers = context.stack["provider"];
  const aws = isObject(providers) ? providers["aws"] : undefined;
  for (const provider of Array.isArray(aws) ? aws : aws ? [aws] : []) {
    for (const d of blocks(provider, "default_tags")) {
      const tags = d["tags"];
      if (isObject(tags) && tags[ENVIRONMENT_TAG.key] !== undefined) values.push(tags[ENVIRONMENT_TAG.key]);
      else if (typeof tags === "string") values.push(tags);
    }
  }
  if (values.some((v) => typeof v !== "string" || isExpression(v))) return "unknown";
  return values.some((v) => (ENVIRONMENT_TAG.productionValues as readonly string[]).includes(String(v).toLowerCase())) ? "yes" : "no";
}

/** Production clusters cannot be deleted by one API call. */
export const HR_EKS_6: ComplianceRule = {
  id: "HR-EKS-6",
  severity: "high",
  title: `Production EKS clusters have deletion_protection = true (production: tag ${ENVIRONMENT_TAG.key} = ${ENVIRONMENT_TAG.productionValues.join("/")} on the AWS provider's default tags or the cluster, or the pack's production option)`,
  rationale:
    "Deleting the cluster deletes every workload, add-on and access entry at once; a renamed construct id or a mistaken destroy of <env>-foundation would otherwise take production down in one plan.",
  fix: "Set deletion_protection = true on the aws_eks_cluster (turn it off deliberately, in its own change, to retire the cluster).",
  appliesTo: ["aws_eks_cluster"],
  evaluate(cluster, context) {
    const prod = production(cluster, context);
    if (prod === "no") return notApplicable("not a production stack");
    const value = booleanOf(cluster.config["deletion_protection"]);
    if (value === "unknown") return allOf([unverifiable("deletion_protection", cluster.config["deletion_protection"])]);
    const why = prod === "unknown" ? " (the environment tag cannot be read, so the stack counts as production)" : "";
    return allOf(value === true ? [] : [`deletion_protection is ${value === false ? "false" : "unset (false)"} in a production stack${why}`]);
  },
};
