import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ChaosDrills, ChaosDrillsProps, DRILL_NAMES, FIS_KUBERNETES_USER } from "../../lib/chaos";
import { applyCompliance } from "../../lib/compliance";
import { ValidationError } from "../../lib/core/validation";
import { KmsKey } from "../../lib/security/kms-key";
import { resourcesOf, synthJson, testStack } from "../helpers/synth";
import { synthesizeAll } from "../../stacks/app";

function build(props: Partial<ChaosDrillsProps> = {}) {
  const { stack } = testStack();
  const key = new KmsKey(stack, "Logs", { alias: "logs", description: "logs", allowCloudWatchLogs: true });
  const drills = new ChaosDrills(stack, "Chaos", {
    namePrefix: "headroom-test",
    clusterName: "headroom-test",
    gpuNodes: { kind: "karpenter" },
    privateSubnetIds: ["subnet-a", "subnet-b"],
    inferencePods: { namespace: "inference", labelSelector: "app.kubernetes.io/component=inference" },
    database: { instanceArn: "arn:aws:rds:us-east-1:123456789012:db:primary" },
    kafka: { clusterArn: "arn:aws:kafka:us-east-1:123456789012:cluster/k/1", clusterName: "k" },
    karpenterQueueName: "q",
    logsKmsKey: key,
    ...props,
  });
  applyCompliance(stack, { allowLocalState: true });
  return { drills, json: synthJson(stack) };
}

const byDrill = (json: any) => Object.fromEntries(Object.values(resourcesOf(json, "aws_fis_experiment_template")).map((t: any) => [t.tags["headroom.dev/drill"], t]));

describe("ChaosDrills", () => {
  const { json } = build();
  const templates = byDrill(json);

  test("one template per drill, each stopping on every alarm and logging to the CMK log group", () => {
    expect(Object.keys(templates).sort()).toEqual([...DRILL_NAMES].sort());
    const alarms = Object.keys(resourcesOf(json, "aws_cloudwatch_metric_alarm"));
    expect(alarms).toHaveLength(3);
    for (const t of Object.values(templates) as any[]) {
      expect(t.stop_condition).toHaveLength(3);
      expect(t.stop_condition.every((s: any) => s.source === "aws:cloudwatch:alarm")).toBe(true);
      expect(t.log_configuration.cloudwatch_logs_configuration.log_group_arn).toMatch(/aws_cloudwatch_log_group\..+\.arn\}:\*$/);
    }
    const group = Object.values(resourcesOf(json, "aws_cloudwatch_log_group"))[0] as any;
    expect(group.kms_key_id).toMatch(/aws_kms_key/);
  });

  test("actions and targets of each drill", () => {
    const action = (d: string) => templates[d].action[0];
    expect(action("gpu-node-loss").action_id).toBe("aws:ec2:terminate-instances");
    expect(templates["gpu-node-loss"].target[0]).toMatchObject({ resource_type: "aws:ec2:instance", selection_mode: "COUNT(1)" });
    expect(templates["gpu-node-loss"].target[0].resource_tag).toContainEqual({ key: "headroom.dev/node-role", value: "gpu" });
    expect(action("inference-pod-delete").action_id).toBe("aws:eks:pod-delete");
    expect(templates["inference-pod-delete"].target[0].parameters).toMatchObject({ namespace: "inference", selectorType: "labelSelector" });
    expect(action("az-network-disruption").parameter).toContainEqual({ key: "duration", value: "PT10M" });
    expect(templates["az-network-disruption"].target[0].resource_arns[0]).toMatch(/subnet\/subnet-a$/);
    expect(action("rds-failover").parameter).toContainEqual({ key: "forceFailover", value: "true" });
    expect(action("msk-broker-reboot").action_id).toBe("aws:ssm:start-automation-execution");
    const doc = JSON.parse((Object.values(resourcesOf(json, "aws_ssm_document"))[0] as any).content);
    expect(doc.mainSteps[0].inputs).toMatchObject({ Service: "kafka", Api: "RebootBroker" });
  });

  test("the experiment role trusts FIS from this account only and is mapped to a Kubernetes user", () => {
    const roles = Object.values(resourcesOf(json, "aws_iam_role")).map((r: any) => JSON.parse(r.assume_role_policy).Statement[0]);
    const fis = roles.find((s: any) => s.Principal.Service === "fis.amazonaws.com");
    expect(Object.keys(fis.Condition.StringEquals)).toEqual(["aws:SourceAccount"]);
    expect(fis.Condition.ArnLike["aws:SourceArn"]).toMatch(/:experiment\/\*$/);
    const entry = Object.values(resourcesOf(json, "aws_eks_access_entry"))[0] as any;
    expect(entry.user_name).toBe(FIS_KUBERNETES_USER);
  });

  test("no schedule unless asked; a weekly schedule starts the drills 30 minutes apart", () => {
    expect(Object.keys(resourcesOf(json, "aws_scheduler_schedule"))).toHaveLength(0);
    const scheduled = build({ weeklySchedule: { day: "TUE", hourUtc: 10 } }).json;
    const exprs = Object.values(resourcesOf(scheduled, "aws_scheduler_schedule")).map((s: any) => s.schedule_expression);
    expect(exprs.sort()).toEqual(["cron(0 10 ? * TUE *)", "cron(30 10 ? * TUE *)", "cron(0 11 ? * TUE *)", "cron(30 11 ? * TUE *)", "cron(0 12 ? * TUE *)"].sort());
  });

  test("managed node groups: the node drill uses aws:eks:terminate-nodegroup-instances", () => {
    const t = byDrill(build({ gpuNodes: { kind: "nodegroups", nodegroupArns: ["arn:aws:eks:us-east-1:1:nodegroup/c/g/1"] } }).json);
    expect(t["gpu-node-loss"].action[0].action_id).toBe("aws:eks:terminate-nodegroup-instances");
  });

  test("bad props are named", () => {
    expect(() => build({ privateSubnetIds: [], azDisruptionMinutes: 0 })).toThrow(ValidationError);
    expect(() => build({ weeklySchedule: { day: "TUE", hourUtc: 23 } })).toThrow(/CHAOS_SCHEDULE_HOUR/);
  });
});

describe("environments", () => {
  // A directory of its own: a fixed /tmp path is shared (and removed) by concurrent runs.
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "headroom-chaos-")), "out");
  const result = synthesizeAll({ outdir });
  const stack = (name: string) => result.platforms.flatMap((p) => [p.foundation]).find((s) => s.node.id === name)!;
  test("every environment ships the templates; only staging schedules them", () => {
    for (const env of ["dev", "staging", "prod"]) expect(Object.keys(stack(`${env}-foundation`).chaos.templates)).toHaveLength(DRILL_NAMES.length);
    expect(stack("staging-foundation").chaos.schedules).toHaveLength(DRILL_NAMES.length);
    expect(stack("prod-foundation").chaos.schedules).toHaveLength(0);
    expect(stack("dev-foundation").chaos.schedules).toHaveLength(0);
  });
  test("each plan report carries the predicted outcome of every drill", () => {
    for (const env of ["dev", "staging", "prod"]) {
      const report = fs.readFileSync(path.join(outdir, "plans", `${env}.txt`), "utf8");
      for (const d of DRILL_NAMES) expect(report).toMatch(new RegExp(`^  ${d} .*\\n .*-> `, "m"));
    }
  });
});
