import { applyCompliance } from "../../lib/compliance";
import { EksCluster, KARPENTER_INTERRUPTION_EVENTS, KarpenterNodeInfrastructure, KarpenterNodeInfrastructureProps } from "../../lib/eks";
import { resourcesOf, synthJson } from "../helpers/synth";
import { clusterProps, keyedStack, validationErrorOf } from "./fixtures";

function build(props: Partial<KarpenterNodeInfrastructureProps> = {}) {
  const { stack, key } = keyedStack();
  const cluster = new EksCluster(stack, "Cluster", clusterProps(key));
  const infra = new KarpenterNodeInfrastructure(stack, "Karpenter", { cluster, queueName: "headroom-test-karpenter", ...props });
  applyCompliance(stack, { allowLocalState: true });
  return { infra, json: synthJson(stack) };
}

describe("KarpenterNodeInfrastructure", () => {
  const { json } = build();
  const queue = Object.values(resourcesOf(json, "aws_sqs_queue"))[0] as any;

  test("interruption queue: its own rotating CMK, 5-minute retention", () => {
    expect(queue.name).toBe("headroom-test-karpenter");
    expect(queue.message_retention_seconds).toBe(300);
    expect(queue.kms_master_key_id).toBe("${aws_kms_key.karpenter-queue.arn}");
    const key = resourcesOf(json, "aws_kms_key")["karpenter-queue"] as any;
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
    expect(key.enable_key_rotation).toBe(true);
    const statements = JSON.parse(key.policy).Statement;
    const events = statements.find((s: any) => s.Principal?.Service === "events.amazonaws.com");
    expect(events.Condition.StringEquals["aws:SourceAccount"]).toMatch(/account_id/);
  });

  test("queue policy: only EventBridge and SQS of this account send; no plain HTTP", () => {
    const policy = JSON.parse((Object.values(resourcesOf(json, "aws_sqs_queue_policy"))[0] as any).policy);
    const send = policy.Statement.find((s: any) => s.Action === "sqs:SendMessage");
    expect(send.Principal.Service).toEqual(["events.amazonaws.com", "sqs.amazonaws.com"]);
    expect(send.Condition.StringEquals["aws:SourceAccount"]).toBeDefined();
    const deny = policy.Statement.find((s: any) => s.Effect === "Deny");
    expect(deny.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
  });

  test("one EventBridge rule per interruption event, each targeting the queue", () => {
    const rules = Object.values(resourcesOf(json, "aws_cloudwatch_event_rule")).map((r: any) => JSON.parse(r.event_pattern));
    const key = (p: any) => `${p.source[0]}/${p["detail-type"][0]}`;
    expect(rules.map(key).sort()).toEqual(Object.values(KARPENTER_INTERRUPTION_EVENTS).map(key).sort());
    const targets = Object.values(resourcesOf(json, "aws_cloudwatch_event_target")) as any[];
    expect(targets).toHaveLength(rules.length);
    expect(targets.every((t) => /aws_sqs_queue\.Karpenter_Queue_[^.]+\.arn/.test(t.arn))).toBe(true);
  });

  test("the node role joins through an EC2_LINUX access entry", () => {
    const entries = Object.values(resourcesOf(json, "aws_eks_access_entry")).filter((e: any) => e.type === "EC2_LINUX") as any[];
    expect(entries).toHaveLength(1);
    expect(entries[0].principal_arn).toMatch(/Karpenter_NodeRole/);
  });

  test("the weights snapshot gets Fast Snapshot Restore in every AZ", () => {
    const { json: withSnap } = build({ modelSnapshot: { snapshotId: "snap-0123456789abcdef0", availabilityZones: ["us-east-1a", "us-east-1b"] } });
    const fsr = Object.values(resourcesOf(withSnap, "aws_ebs_fast_snapshot_restore")) as any[];
    expect(fsr.map((f) => f.availability_zone)).toEqual(["us-east-1a", "us-east-1b"]);
    expect(Object.keys(resourcesOf(json, "aws_ebs_fast_snapshot_restore"))).toHaveLength(0);
  });

  test("bad queue name and snapshot id are named errors", () => {
    expect(validationErrorOf(() => build({ queueName: "has spaces" })).message).toMatch(/KARPENTER_QUEUE_NAME/);
    expect(validationErrorOf(() => build({ modelSnapshot: { snapshotId: "ami-1", availabilityZones: ["a"] } })).message).toMatch(/KARPENTER_MODEL_SNAPSHOT/);
  });
});
