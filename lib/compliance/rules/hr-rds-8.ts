import { blocks } from "../private/json";
import { engineOf, forceTlsParameter } from "../private/rds";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** The instance's parameter group (in this stack) forces TLS on every connection. */
export const HR_RDS_8: ComplianceRule = {
  id: "HR-RDS-8",
  severity: "high",
  title: "RDS instances use a parameter group that forces TLS (rds.force_ssl = 1 / require_secure_transport = 1)",
  rationale: "RDS accepts plaintext connections by default; only the server-side parameter guarantees no client downgrades.",
  fix: 'Reference an aws_db_parameter_group from parameter_group_name with parameter { name = "rds.force_ssl", value = "1" } (PostgreSQL).',
  appliesTo: ["aws_db_instance"],
  evaluate(instance, context) {
    const engine = engineOf(instance, context);
    const wanted = engine === undefined ? { name: "rds.force_ssl", values: ["1"] } : forceTlsParameter(engine);
    if (!wanted) return notApplicable(`engine ${engine} has no TLS-forcing parameter`);
    const group = context.resolve(instance.config["parameter_group_name"]);
    if (!group || group.type !== "aws_db_parameter_group") {
      return nonCompliant("parameter_group_name does not reference an aws_db_parameter_group in this stack, so TLS enforcement cannot be verified", {
        value: instance.config["parameter_group_name"],
      });
    }
    const parameter = blocks(group.config, "parameter").find((p) => p["name"] === wanted.name);
    if (parameter && wanted.values.includes(String(parameter["value"]))) return compliant();
    return nonCompliant(`${group.address} does not set ${wanted.name} to ${wanted.values[0]}`, { value: parameter?.["value"] });
  },
};
