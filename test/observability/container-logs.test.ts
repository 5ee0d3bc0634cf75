import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { TerraformStack } from "cdktf";
import { ValidationError } from "../../lib/core/validation";
import { ContainerLogs, FLUENT_BIT_CHART } from "../../lib/observability";
import { onlyResource, synthJson, testStack } from "../helpers/synth";

const kmsKey = { keyArn: "arn:aws:kms:us-east-1:111122223333:key/logs", keyId: "logs" };

function stackWithHelm(): TerraformStack {
  const { stack } = testStack();
  new HelmProvider(stack, "helm", {});
  return stack;
}

describe("ContainerLogs", () => {
  const stack = stackWithHelm();
  new ContainerLogs(stack, "ContainerLogs", { clusterName: "headroom-prod", region: "eu-west-1", kmsKey, retentionDays: 90 });
  const json = synthJson(stack);

  it("creates the log group encrypted with the key and with the retention", () => {
    const group = onlyResource(json, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/aws/eks/headroom-prod/containers", kms_key_id: kmsKey.keyArn, retention_in_days: 90 });
  });

  it("ships to that group only, never creating groups, on every node", () => {
    const release = onlyResource(json, "helm_release");
    expect(release).toMatchObject({ chart: FLUENT_BIT_CHART.chart, repository: FLUENT_BIT_CHART.repository, version: "0.1.35", namespace: "kube-system", atomic: true });
    const values = JSON.parse(release.values[0]);
    expect(values.cloudWatchLogs).toMatchObject({ enabled: true, region: "eu-west-1", autoCreateGroup: false });
    expect(values.cloudWatchLogs.logGroupName).toMatch(/^\$\{aws_cloudwatch_log_group\.[A-Za-z0-9_]+\.name\}$/);
    for (const output of ["cloudWatch", "firehose", "kinesis", "elasticsearch"]) expect(values[output].enabled).toBe(false);
    expect(values.tolerations).toContainEqual({ operator: "Exists" });
    expect(values.serviceAccount).toEqual({ create: true, name: "aws-for-fluent-bit" });
  });

  it("grants stream writes on the group through EKS Pod Identity, nothing else", () => {
    const association = onlyResource(json, "aws_eks_pod_identity_association");
    expect(association).toMatchObject({ cluster_name: "headroom-prod", namespace: "kube-system", service_account: "aws-for-fluent-bit" });
    const policy = JSON.parse(onlyResource(json, "aws_iam_role_policy").policy);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
    expect(policy.Statement[0].Resource.every((r: string) => r.startsWith("${aws_cloudwatch_log_group."))).toBe(true);
    expect(JSON.stringify(policy)).not.toContain("logs:CreateLogGroup");
  });

  it("fails on a retention CloudWatch does not accept and a bad namespace", () => {
    try {
      new ContainerLogs(stackWithHelm(), "Logs", { clusterName: "c", region: "us-east-1", kmsKey, retentionDays: 10, namespace: "Logging" });
      throw new Error("expected a ValidationError");
    } catch (error) {
      expect((error as ValidationError).codes).toEqual(["OBS_NAMESPACE", "OBS_LOG_RETENTION"]);
      expect((error as ValidationError).message).toContain("retentionDays [OBS_LOG_RETENTION]: got 10; allowed: one of 1, 3, 5, 7, 14, 30");
    }
  });
});
