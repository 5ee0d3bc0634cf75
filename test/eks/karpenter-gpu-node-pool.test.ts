import { TerraformStack } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { GpuCapacity, KarpenterGpuNodePool, KarpenterGpuNodePoolProps } from "../../lib/eks";
import { karpenterSchemaErrors } from "../../lib/eks/private/karpenter-crds/validate";
import { ValidationError } from "../../lib/core/validation";
import { resourcesOf, synthJson, testStack } from "../helpers/synth";

function props(overrides: Partial<KarpenterGpuNodePoolProps> = {}): KarpenterGpuNodePoolProps {
  return {
    name: "gpu-inference",
    clusterName: "headroom-test",
    nodeRoleName: "karpenter-node",
    subnetIds: ["subnet-a", "subnet-b"],
    securityGroupIds: ["sg-1"],
    instanceTypes: ["p5.48xlarge", "p5en.48xlarge"],
    gpusPerInstance: { "p5.48xlarge": 8, "p5en.48xlarge": 8 },
    maxGpus: 32,
    volumeKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc",
    peakWindows: [{ cronUtc: "0 17 * * *", durationMinutes: 300 }],
    ...overrides,
  };
}

function build(overrides: Partial<KarpenterGpuNodePoolProps> = {}): { pool: KarpenterGpuNodePool; stack: TerraformStack } {
  const { stack } = testStack();
  new KubernetesProvider(stack, "k8s", {});
  const pool = new KarpenterGpuNodePool(stack, "Pool", props(overrides));
  return { pool, stack };
}

const manifestsOf = (stack: TerraformStack) => Object.values(resourcesOf(synthJson(stack), "kubernetes_manifest")).map((m: any) => m.manifest);

describe("KarpenterGpuNodePool", () => {
  test("node class: AL2023 alias, IMDSv2 hop 1, no public IP, encrypted gp3 with the key", () => {
    const { stack } = build();
    const nc = manifestsOf(stack).find((m) => m.kind === "EC2NodeClass");
    expect(nc.spec.amiSelectorTerms).toEqual([{ alias: "al2023@latest" }]);
    expect(nc.spec.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(nc.spec.associatePublicIPAddress).toBe(false);
    expect(nc.spec.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: true, volumeType: "gp3", kmsKeyID: props().volumeKmsKeyArn });
    expect(nc.spec.capacityReservationSelectorTerms).toBeUndefined();
  });

  test("one serving pool per family, on-demand, GPU limit, budgets closed during the peak", () => {
    const { pool } = build({ instanceTypes: ["p5.48xlarge", "p5en.48xlarge", "p6-b200.48xlarge"], gpusPerInstance: { "p5.48xlarge": 8, "p5en.48xlarge": 8, "p6-b200.48xlarge": 8 } });
    expect(pool.servingPoolNames).toEqual(["gpu-inference-p5", "gpu-inference-p5en", "gpu-inference-p6-b200"]);
    const pools = pool.objects.filter((o) => o.kind === "NodePool") as any[];
    expect(pools.map((p) => p.spec.weight)).toEqual([100, 90, 80]);
    for (const p of pools) {
      const req = Object.fromEntries(p.spec.template.spec.requirements.map((r: any) => [r.key, r.values]));
      expect(req["karpenter.sh/capacity-type"]).toEqual(["on-demand"]);
      expect(p.spec.limits).toEqual({ "nvidia.com/gpu": "32" });
      expect(p.spec.disruption.budgets).toContainEqual({ nodes: "0", schedule: "0 17 * * *", duration: "300m" });
      expect(p.spec.template.spec.taints).toContainEqual({ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" });
    }
  });

  test("capacity blocks and open reservations select reservations; spot only in the tainted async pool", () => {
    const block = build({ capacity: GpuCapacity.capacityBlock("cr-0123456789abcdef0"), asyncSpot: { maxGpus: 8 } }).pool;
    const nc = block.objects[0] as any;
    expect(nc.spec.capacityReservationSelectorTerms).toEqual([{ id: "cr-0123456789abcdef0" }]);
    const pools = block.objects.slice(1) as any[];
    const types = (p: any) => p.spec.template.spec.requirements.find((r: any) => r.key === "karpenter.sh/capacity-type").values;
    expect(types(pools[0])).toEqual(["reserved"]);
    const spot = pools.find((p) => p.metadata.name.endsWith("async-spot"));
    expect(types(spot)).toEqual(["spot"]);
    expect(spot.spec.template.spec.taints).toContainEqual({ key: "headroom.dev/capacity", value: "spot", effect: "NoSchedule" });
    expect(block.servingPoolNames).not.toContain(spot.metadata.name);
    const open = build({ capacity: GpuCapacity.openReservations() }).pool.objects[0] as any;
    expect(open.spec.capacityReservationSelectorTerms).toEqual([{ instanceMatchCriteria: "open" }]);
  });

  test("model snapshot volume: snapshot id, initialization rate, read-only mount in user data", () => {
    const nc = build({ modelVolume: { snapshotId: "snap-0123456789abcdef0", sizeGiB: 200 } }).pool.objects[0] as any;
    expect(nc.spec.blockDeviceMappings[1].ebs).toMatchObject({ snapshotID: "snap-0123456789abcdef0", volumeInitializationRate: 300, throughput: 1000, encrypted: true });
    expect(nc.spec.userData).toContain("LABEL=headroom-models /opt/headroom/models xfs ro");
  });

  test("fails with every bad prop named", () => {
    expect(() => build({ name: "GPU", instanceTypes: ["m5.large"], maxGpus: 0, peakWindows: [{ cronUtc: "daily", durationMinutes: 0 }] })).toThrow(ValidationError);
    try {
      build({ name: "GPU", instanceTypes: ["m5.large"], maxGpus: 0 });
    } catch (e) {
      const codes = (e as ValidationError).message;
      expect(codes).toMatch(/KARPENTER_POOL_NAME/);
      expect(codes).toMatch(/GPU_INSTANCE_TYPE_UNKNOWN/);
      expect(codes).toMatch(/KARPENTER_MAX_GPUS/);
    }
  });
});

describe("karpenter CRD validation (karpenter-crd 1.14.1 schemas)", () => {
  const pool = build().pool;
  test("the construct's objects validate", () => {
    for (const o of pool.objects) expect(karpenterSchemaErrors(o.kind, o)).toEqual([]);
  });
  test("unknown fields, wrong enums and out-of-range values are rejected", () => {
    const nc = JSON.parse(JSON.stringify(pool.objects[0]));
    nc.spec.metadataOptions.httpTokens = "optional-ish";
    nc.spec.blockDeviceMappings[0].ebs.volumeInitializationRate = 999;
    nc.spec.notAField = true;
    const errors = karpenterSchemaErrors("EC2NodeClass", nc).join("\n");
    expect(errors).toMatch(/httpTokens must be equal to one of the allowed values/);
    expect(errors).toMatch(/volumeInitializationRate must be <= 300/);
    expect(errors).toMatch(/notAField/);
    const np = JSON.parse(JSON.stringify(pool.objects[1]));
    np.spec.disruption.consolidationPolicy = "Always";
    np.apiVersion = "karpenter.sh/v1beta1";
    const npErrors = karpenterSchemaErrors("NodePool", np).join("\n");
    expect(npErrors).toMatch(/apiVersion must be karpenter.sh\/v1/);
    expect(npErrors).toMatch(/consolidationPolicy/);
  });
});

describe("generated CRD validators", () => {
  test("were generated from the karpenter-crd chart the add-on pins", () => {
    const fs = require("fs") as typeof import("fs");
    const { KARPENTER_CRD_CHART } = require("../../lib/addons") as typeof import("../../lib/addons");
    for (const f of ["nodepool-validator.ts", "ec2nodeclass-validator.ts"]) {
      const head = fs.readFileSync(`${__dirname}/../../lib/eks/private/karpenter-crds/${f}`, "utf8").slice(0, 400);
      expect(head).toContain(`(v${KARPENTER_CRD_CHART.version},`);
    }
  });
});
