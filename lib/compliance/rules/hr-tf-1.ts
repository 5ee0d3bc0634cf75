import { isObject } from "../private/json";
import { allOf, ComplianceRule, nonCompliant } from "../rule";

/** Resource types that run code or fetch configuration the pack never sees. */
const OPAQUE_TYPES: Readonly<Record<string, string>> = {
  null_resource: "exists only to run provisioners",
  aws_cloudformation_stack: "applies a CloudFormation template the pack does not read",
  aws_cloudformation_stack_set: "applies a CloudFormation template the pack does not read",
};
const OPAQUE_DATA = new Set(["external", "http"]);

/** Everything Terraform applies is in the JSON the pack reads. */
export const HR_TF_1: ComplianceRule = {
  id: "HR-TF-1",
  severity: "high",
  title:
    "Everything the stack applies is visible to the pack: no module calls (TerraformHclModule, TerraformModule), dynamic blocks, provisioners (local-exec, remote-exec), external/http data sources, null_resource or CloudFormation stacks",
  rationale:
    "A module's resources, a dynamic block's content and a provisioner's command exist only when Terraform runs: no rule can judge them, so a weakened security group or an admin role would pass synth unseen.",
  fix: "Build the resources with provider classes in this stack (constructs from lib/), write blocks literally instead of dynamic, and run one-off commands outside Terraform; a vetted module needs a suppression saying who reviewed it.",
  appliesTo: ["*"],
  evaluate(item) {
    if (item.kind === "module") {
      return nonCompliant(`module ${item.name} (source ${JSON.stringify(item.config["source"] ?? "?")}) creates resources the pack cannot read`);
    }
    if (item.kind === "data" && OPAQUE_DATA.has(item.type)) return nonCompliant(`data source ${item.type} runs or fetches configuration at plan time`);
    if (item.kind !== "resource") return allOf([]);
    const problems: string[] = [];
    const opaque = OPAQUE_TYPES[item.type];
    if (opaque) problems.push(`${item.type} ${opaque}`);
    if (item.config["provisioner"] !== undefined) problems.push("has provisioners (commands run at apply time)");
    const findDynamic = (node: unknown, where: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => findDynamic(n, `${where}[${i}]`));
      else if (isObject(node)) {
        for (const [k, v] of Object.entries(node)) {
          // `manifest` and `values` are data, not Terraform blocks.
          if (k === "manifest" || k === "tags" || k === "labels" || k === "annotations") continue;
          if (k === "dynamic" && isObject(v)) problems.push(`${where === "" ? "" : `${where}.`}dynamic ${Object.keys(v).join(", ")} (blocks built from an expression)`);
          else findDynamic(v, where === "" ? k : `${where}.${k}`);
        }
      }
    };
    findDynamic(item.config, "");
    return allOf(problems);
  },
};
