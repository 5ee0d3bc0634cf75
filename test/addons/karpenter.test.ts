import { ClusterAutoscaler, Karpenter, KARPENTER_CHART, KARPENTER_CRD_CHART, KarpenterCrds, karpenterControllerStatements, standardAddons } from "../../lib/addons";
import { identityPolicy, release, synthAddons, valuesOf } from "./helpers";

const OPTS = {
  clusterEndpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com",
  interruptionQueueName: "headroom-prod-karpenter",
  interruptionQueueArn: "arn:aws:sqs:us-east-1:123456789012:headroom-prod-karpenter",
  nodeRoleArn: "arn:aws:iam::123456789012:role/karpenter-node",
  volumeKmsKeyArns: ["arn:aws:kms:us-east-1:123456789012:key/k"],
  partition: "aws",
  region: "us-east-1",
  accountId: "123456789012",
};

/** The upstream v1.14 statement ids (getting-started CloudFormation), minus the zonal-shift one. */
const UPSTREAM_SIDS = [
  "AllowScopedEC2InstanceAccessActions",
  "AllowScopedEC2LaunchTemplateAccessActions",
  "AllowScopedEC2InstanceActionsWithTags",
  "AllowScopedResourceCreationTagging",
  "AllowScopedResourceTagging",
  "AllowScopedDeletion",
  "AllowPassingInstanceRole",
  "AllowScopedInstanceProfileCreationActions",
  "AllowScopedInstanceProfileTagActions",
  "AllowScopedInstanceProfileActions",
  "AllowInstanceProfileReadActions",
  "AllowUnscopedInstanceProfileListAction",
  "AllowAPIServerEndpointDiscovery",
  "AllowInterruptionQueueActions",
  "AllowRegionalReadActions",
  "AllowSSMReadActions",
  "AllowPricingReadActions",
];

describe("Karpenter", () => {
  const { json } = synthAddons([new KarpenterCrds(), new Karpenter(OPTS)], { clusterName: "headroom-prod" });
  const v = valuesOf(json, "karpenter");

  test("both charts pinned to 1.14.1 from the upstream OCI registry; CRDs installed first, the controller skips its copy", () => {
    expect([KARPENTER_CHART.version, KARPENTER_CRD_CHART.version]).toEqual(["1.14.1", "1.14.1"]);
    const crd = release(json, "karpenter-crd");
    const controller = release(json, "karpenter");
    expect([controller.repository, controller.chart, controller.namespace]).toEqual(["oci://public.ecr.aws/karpenter", "karpenter", "kube-system"]);
    expect(controller.skip_crds).toBe(true);
    expect(crd.skip_crds).toBeUndefined();
    expect(JSON.stringify(controller.depends_on)).toContain("karpenter-crd");
  });

  test("settings: cluster, endpoint, interruption queue; reserved capacity and node repair on, zonal shift off", () => {
    expect(v.settings).toMatchObject({ clusterName: "headroom-prod", clusterEndpoint: OPTS.clusterEndpoint, interruptionQueue: OPTS.interruptionQueueName, enableZonalShift: false });
    expect(v.settings.featureGates).toMatchObject({ reservedCapacity: true, nodeRepair: true });
    expect(v.serviceAccount).toEqual({ create: true, name: "karpenter" });
    expect(v.replicas).toBe(2);
    expect(v.controller.resources.requests).toEqual({ cpu: "1", memory: "1Gi" });
  });

  test("Pod Identity role: the upstream statements, scoped to this cluster's tags, the queue and the node role", () => {
    const { association, document } = identityPolicy(json, "karpenter");
    expect([association.namespace, association.service_account]).toEqual(["kube-system", "karpenter"]);
    const sids = document.Statement.map((s: any) => s.Sid);
    expect(sids.filter((s: string) => UPSTREAM_SIDS.includes(s))).toEqual(UPSTREAM_SIDS);
    const bySid = Object.fromEntries(document.Statement.map((s: any) => [s.Sid, s]));
    expect(bySid.AllowScopedDeletion.Condition.StringEquals).toEqual({ "aws:ResourceTag/kubernetes.io/cluster/headroom-prod": "owned" });
    expect(bySid.AllowPassingInstanceRole.Resource).toBe(OPTS.nodeRoleArn);
    expect(bySid.AllowInterruptionQueueActions.Resource).toBe(OPTS.interruptionQueueArn);
    expect(bySid.AllowNodeVolumeKeyGrants.Condition.Bool).toEqual({ "kms:GrantIsForAWSResource": "true" });
    // IAM inline policies per role: at most 10,240 characters without whitespace.
    expect(JSON.stringify(document).length).toBeLessThan(10_240);
  });

  test("the ServiceMonitor is opt-in and then waits for kube-prometheus-stack", () => {
    expect(v.serviceMonitor).toEqual({ enabled: false });
    expect(new Karpenter(OPTS).dependencies).toEqual(["karpenter-crd"]);
    const scraped = new Karpenter({ ...OPTS, serviceMonitor: true });
    expect(scraped.dependencies).toEqual(["karpenter-crd", "kube-prometheus-stack"]);
  });

  test("without volume keys there are no KMS statements", () => {
    const sids = karpenterControllerStatements({ ...OPTS, clusterName: "c", volumeKmsKeyArns: [] }).map((s) => s.sid);
    expect(sids).toEqual(UPSTREAM_SIDS);
  });
});

describe("standardAddons node provisioner", () => {
  const settings = { system: { prometheusRetentionDays: 15, prometheusVolumeGiB: 50, prometheusActiveSeries: 100_000 }, tracingSamplingPercent: 1, gatewayReplicas: { min: 2, max: 2 }, kmsKeyArn: "k" };
  test("Karpenter replaces the Cluster Autoscaler, never both", () => {
    const k = standardAddons({ ...settings, nodeProvisioner: "karpenter", karpenter: OPTS });
    expect(k.some((a) => a instanceof Karpenter) && k.some((a) => a instanceof KarpenterCrds)).toBe(true);
    expect(k.some((a) => a instanceof ClusterAutoscaler)).toBe(false);
    const ca = standardAddons(settings);
    expect(ca.some((a) => a instanceof ClusterAutoscaler)).toBe(true);
    expect(ca.some((a) => a instanceof Karpenter)).toBe(false);
  });
  test("Karpenter without its settings is a named error", () => {
    expect(() => standardAddons({ ...settings, nodeProvisioner: "karpenter" })).toThrow(/ADDON_KARPENTER_SETTINGS/);
  });
});
