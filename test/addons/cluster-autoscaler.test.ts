import { Pod } from "kubernetes-models/v1/Pod";
import {
  CLUSTER_AUTOSCALER_CHART,
  CLUSTER_AUTOSCALER_IMAGE_TAGS,
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  ClusterAutoscaler,
  ClusterAutoscalerOptions,
  clusterAutoscalerStatements,
} from "../../lib/addons";
import { identityPolicy, release, synthAddons, validationError, valuesOf } from "./helpers";

const CTX = { clusterName: "c", region: "us-east-1", vpcId: "vpc-1", has: () => true, placement: { systemNodeSelector: {}, systemTolerations: [] } };
const MUTATING = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"];

describe("ClusterAutoscaler", () => {
  const { json } = synthAddons([new ClusterAutoscaler()], { clusterName: "headroom-prod", region: "eu-west-1" });
  const v = valuesOf(json, "cluster-autoscaler");

  test("pinned chart from the upstream repository, in kube-system", () => {
    const r = release(json, "cluster-autoscaler");
    expect([r.chart, r.repository, r.version, r.namespace]).toEqual(["cluster-autoscaler", "https://kubernetes.github.io/autoscaler", "9.59.0", "kube-system"]);
    expect(CLUSTER_AUTOSCALER_CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("cluster name and region come from the add-on context", () => {
    expect(v.autoDiscovery).toEqual({ clusterName: "headroom-prod" });
    expect(v.awsRegion).toBe("eu-west-1");
    expect(v.cloudProvider).toBe("aws");
    const other = valuesOf(synthAddons([new ClusterAutoscaler()], { clusterName: "headroom-dev", region: "us-east-2" }).json, "cluster-autoscaler");
    expect([other.autoDiscovery.clusterName, other.awsRegion]).toEqual(["headroom-dev", "us-east-2"]);
  });

  test("the image minor follows the Kubernetes version", () => {
    expect(v.image.tag).toBe("v1.35.0");
    for (const k8s of ["1.33", "1.34", "1.35"] as const) {
      const tag = new ClusterAutoscaler({ kubernetesVersion: k8s }).values(CTX).image as { tag: string };
      expect(tag.tag).toBe(CLUSTER_AUTOSCALER_IMAGE_TAGS[k8s]);
      expect(tag.tag.startsWith(`v${k8s}.`)).toBe(true);
    }
  });

  test("flags for per-AZ GPU groups and expensive nodes", () => {
    expect(v.extraArgs).toEqual({
      "balance-similar-node-groups": true,
      expander: "least-waste",
      "skip-nodes-with-system-pods": false,
      "skip-nodes-with-local-storage": false,
      "scale-down-unneeded-time": "10m",
      "scale-down-delay-after-add": "10m",
      "max-node-provision-time": "15m",
      "cordon-node-before-terminating": true,
    });
    const tuned = new ClusterAutoscaler({ scaleDownMinutes: 30, maxNodeProvisionMinutes: 25 }).values(CTX);
    expect(tuned.extraArgs).toMatchObject({ "scale-down-unneeded-time": "30m", "scale-down-delay-after-add": "30m", "max-node-provision-time": "25m" });
  });

  test("Pod Identity: describe calls on *, capacity changes only on groups the cluster owns", () => {
    const { association, document } = identityPolicy(json, CLUSTER_AUTOSCALER_SERVICE_ACCOUNT);
    expect([association.namespace, association.service_account]).toEqual(["kube-system", "cluster-autoscaler"]);
    expect(v.rbac.serviceAccount).toEqual({ create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT });
    const [describe, scale] = document.Statement;
    expect([describe.Action].flat().sort()).toEqual([
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations",
      "autoscaling:DescribeScalingActivities",
      "autoscaling:DescribeTags",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:GetInstanceTypesFromInstanceRequirements",
      "eks:DescribeNodegroup",
    ]);
    expect(describe.Condition).toBeUndefined();
    expect(scale.Action).toEqual(MUTATING);
    expect(scale.Condition).toEqual({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/headroom-prod": "owned" } });
  });

  test("every statement without a condition is read-only", () => {
    for (const s of clusterAutoscalerStatements("any")) {
      const writes = s.actions.filter((a) => !/:(Describe|Get)/.test(a));
      if (writes.length > 0) expect(s.conditions).toBeDefined();
      if (!s.conditions) expect(writes).toEqual([]);
      expect(s.actions.some((a) => a.includes("*"))).toBe(false);
    }
    expect(clusterAutoscalerStatements("blue")[1].conditions).toEqual({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/blue": "owned" } });
  });

  test("restricted security contexts, resources and system placement", () => {
    expect(v.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    expect(v.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    new Pod({
      metadata: { name: "cluster-autoscaler" },
      spec: {
        securityContext: v.securityContext,
        nodeSelector: v.nodeSelector,
        containers: [{ name: "cluster-autoscaler", image: `registry.k8s.io/autoscaling/cluster-autoscaler:${v.image.tag}`, securityContext: v.containerSecurityContext, resources: v.resources }],
      },
    }).validate();
    expect(v.resources).toEqual({ requests: { cpu: "100m", memory: "600Mi" }, limits: { memory: "1Gi" } });
    expect(v.nodeSelector).toEqual({ "headroom.dev/node-role": "system" });
    expect([v.replicaCount, v.podDisruptionBudget]).toEqual([2, { maxUnavailable: 1 }]);
  });

  test("bad options are reported with their paths", () => {
    const bad = { replicas: 0, scaleDownMinutes: 0, maxNodeProvisionMinutes: 5, kubernetesVersion: "1.29", typo: 1 } as unknown as ClusterAutoscalerOptions;
    const err = validationError(() => synthAddons([new ClusterAutoscaler(bad)]));
    expect([...err.codes].sort()).toEqual(["ADDON_AUTOSCALER_TIMING", "ADDON_AUTOSCALER_TIMING", "ADDON_KUBERNETES_VERSION", "ADDON_OPTION_UNKNOWN", "ADDON_REPLICAS"]);
    expect(err.message).toContain("addons.cluster-autoscaler.maxNodeProvisionMinutes [ADDON_AUTOSCALER_TIMING]: got 5; allowed: an integer from 15 to 60");
    expect(err.message).toContain("addons.cluster-autoscaler.kubernetesVersion [ADDON_KUBERNETES_VERSION]");
  });
});
