import { RuleCase, tf } from "../helpers";

const nodePool = (capacity: unknown, labels: Record<string, string> = {}) =>
  tf({
    kubernetes_manifest: {
      np: {
        manifest: {
          apiVersion: "karpenter.sh/v1",
          kind: "NodePool",
          metadata: { name: "gpu", labels },
          spec: { template: { spec: { requirements: capacity === undefined ? [] : [{ key: "karpenter.sh/capacity-type", operator: "In", values: capacity }] } } },
        },
      },
    },
  });
const template = (extra: Record<string, unknown>) =>
  tf({ aws_fis_experiment_template: { t: { description: "d", role_arn: "${aws_iam_role.r.arn}", action: [{ name: "a", action_id: "aws:ec2:terminate-instances" }], ...extra } } });
const role = (condition?: Record<string, unknown>, service = "fis.amazonaws.com") =>
  tf({
    aws_iam_role: {
      r: { assume_role_policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }] }) },
    },
  });

export const KARPENTER_FIS_CASES: readonly RuleCase[] = [
  // The FIS and Scheduler role trusts (HR-IAM-7, the service-role rule, covers these principals).
  { rule: "HR-IAM-7", name: "FIS trust pinned to the account", address: "aws_iam_role.r", json: role({ StringEquals: { "aws:SourceAccount": "123456789012" } }), expect: "compliant" },
  { rule: "HR-IAM-7", name: "FIS trust without condition", address: "aws_iam_role.r", json: role(), expect: "non-compliant" },
  { rule: "HR-IAM-7", name: "Scheduler trust without condition", address: "aws_iam_role.r", json: role(undefined, "scheduler.amazonaws.com"), expect: "non-compliant" },
  { rule: "HR-KARP-3", name: "serving on-demand", address: "kubernetes_manifest.np", json: nodePool(["reserved", "on-demand"]), expect: "compliant" },
  { rule: "HR-KARP-3", name: "serving on spot", address: "kubernetes_manifest.np", json: nodePool(["on-demand", "spot"]), expect: "non-compliant", reason: "allows spot" },
  { rule: "HR-KARP-3", name: "no capacity requirement", address: "kubernetes_manifest.np", json: nodePool(undefined), expect: "non-compliant", reason: "no karpenter.sh/capacity-type" },
  { rule: "HR-KARP-3", name: "async pool on spot", address: "kubernetes_manifest.np", json: nodePool(["spot"], { "headroom.dev/gpu-pool": "async" }), expect: "not-applicable" },
  {
    rule: "HR-FIS-1",
    name: "alarm stop and CloudWatch log",
    address: "aws_fis_experiment_template.t",
    json: template({ stop_condition: [{ source: "aws:cloudwatch:alarm", value: "${aws_cloudwatch_metric_alarm.a.arn}" }], log_configuration: { log_schema_version: 2, cloudwatch_logs_configuration: { log_group_arn: "${aws_cloudwatch_log_group.l.arn}:*" } } }),
    expect: "compliant",
  },
  { rule: "HR-FIS-1", name: "stop condition none, no log", address: "aws_fis_experiment_template.t", json: template({ stop_condition: [{ source: "none" }] }), expect: "non-compliant", reason: "no CloudWatch alarm stop condition" },
];
