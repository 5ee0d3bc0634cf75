import { KEDA_CHART, KEDA_OPERATOR_SERVICE_ACCOUNT, Keda, kafkaLagStatements } from "../../lib/addons";
import { resourcesOf } from "../helpers/synth";
import { identityPolicy, release, synthAddons, validationError, valuesOf } from "./helpers";

const CLUSTER = "arn:aws:kafka:us-east-1:123456789012:cluster/headroom-dev/5a1b2c3d-1111-2222-3333-444455556666-2";
const access = { clusterArn: CLUSTER, topics: ["inference-requests"], consumerGroups: ["inference-workers", "dlq-replay"] };

describe("Keda", () => {
  const { json } = synthAddons([new Keda({ kafka: access })]);
  const v = valuesOf(json, "keda");

  test("pinned chart in its own restricted namespace", () => {
    const r = release(json, "keda");
    expect([r.chart, r.version, r.repository, r.namespace]).toEqual(["keda", KEDA_CHART.version, "https://kedacore.github.io/charts", "keda"]);
    const ns = Object.values(resourcesOf(json, "kubernetes_namespace_v1")).find((n: any) => n.metadata.name === "keda") as any;
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("the operator's Pod Identity may read lag and nothing else", () => {
    const { association, document } = identityPolicy(json, KEDA_OPERATOR_SERVICE_ACCOUNT);
    expect(association.namespace).toBe("keda");
    expect(v.serviceAccount.operator).toEqual({ create: true, name: KEDA_OPERATOR_SERVICE_ACCOUNT });
    const actions = document.Statement.flatMap((s: any) => [s.Action].flat());
    expect(actions.sort()).toEqual(["kafka-cluster:Connect", "kafka-cluster:DescribeGroup", "kafka-cluster:DescribeTopic"]);
    expect(JSON.stringify(document)).not.toMatch(/ReadData|WriteData|\*"/);
    expect(document.Statement[0].Resource).toBe(CLUSTER);
  });

  test("topic and group ARNs are derived from the cluster ARN, one per name", () => {
    const [, topics, groups] = kafkaLagStatements(access);
    expect(topics.resources).toHaveLength(1);
    expect(groups.resources).toHaveLength(2);
    expect(topics.resources[0]).toMatch(/\/inference-requests$/);
    expect(groups.resources[1]).toMatch(/\/dlq-replay$/);
    // The substitution is a Terraform replace() so it works on a cluster ARN token from the foundation stack.
    const { document } = identityPolicy(json, KEDA_OPERATOR_SERVICE_ACCOUNT);
    expect(document.Statement[1].Resource).toBe("arn:aws:kafka:us-east-1:123456789012:topic/headroom-dev/5a1b2c3d-1111-2222-3333-444455556666-2/inference-requests");
    expect(document.Statement[2].Resource).toEqual([
      "arn:aws:kafka:us-east-1:123456789012:group/headroom-dev/5a1b2c3d-1111-2222-3333-444455556666-2/inference-workers",
      "arn:aws:kafka:us-east-1:123456789012:group/headroom-dev/5a1b2c3d-1111-2222-3333-444455556666-2/dlq-replay",
    ]);
  });

  test("without Kafka access the operator gets no role", () => {
    const none = synthAddons([new Keda()]).json;
    expect(resourcesOf(none, "aws_eks_pod_identity_association")).toEqual({});
    expect(release(none, "keda").depends_on.some((d: string) => d.startsWith("aws_"))).toBe(false);
  });

  test("hardened contexts and resources for operator, metrics server and webhooks", () => {
    for (const part of ["operator", "metricServer", "webhooks"]) {
      expect(v.securityContext[part]).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      expect(v.podSecurityContext[part]).toMatchObject({ runAsNonRoot: true });
      expect(v.resources[part].requests).toBeDefined();
    }
    expect(v.operator.replicaCount).toBe(2);
    expect(v.nodeSelector).toEqual({ "headroom.dev/node-role": "system" });
  });

  test("empty Kafka access and bad replicas are reported", () => {
    const err = validationError(() => synthAddons([new Keda({ kafka: { clusterArn: CLUSTER, topics: [], consumerGroups: [] }, operatorReplicas: 9 })]));
    expect(err.codes).toEqual(["ADDON_REPLICAS", "ADDON_KAFKA_ACCESS", "ADDON_KAFKA_ACCESS"]);
  });
});
