import { block, blocks } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Every drill can be stopped by an alarm and leaves a log. */
export const HR_FIS_1: ComplianceRule = {
  id: "HR-FIS-1",
  severity: "high",
  title: "FIS experiment templates stop on CloudWatch alarms and log to CloudWatch Logs or S3",
  rationale:
    'A drill without an alarm stop condition ("none") keeps injecting faults while the platform burns, and FIS refuses to start it only when such an alarm is already firing; without a log nobody can tell afterwards what was hit.',
  fix: 'Add stop_condition { source = "aws:cloudwatch:alarm", value = <alarm ARN> } and log_configuration { log_schema_version = 2, cloudwatch_logs_configuration { log_group_arn = "<arn>:*" } }.',
  appliesTo: ["aws_fis_experiment_template"],
  evaluate(template) {
    const problems: string[] = [];
    const stops = blocks(template.config, "stop_condition");
    const alarms = stops.filter((s) => s["source"] === "aws:cloudwatch:alarm" && typeof s["value"] === "string" && s["value"] !== "");
    if (alarms.length === 0) problems.push(`no CloudWatch alarm stop condition (sources: ${JSON.stringify(stops.map((s) => s["source"]))})`);
    const log = block(template.config, "log_configuration");
    if (!log || (!block(log, "cloudwatch_logs_configuration") && !block(log, "s3_configuration"))) problems.push("no log_configuration destination");
    return allOf(problems);
  },
};
