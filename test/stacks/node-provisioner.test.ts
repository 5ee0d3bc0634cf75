import { App, Testing } from "cdktf";
import { planCapacity } from "../../lib/capacity";
import { GpuCapacity } from "../../lib/eks";
import { applyCompliance } from "../../lib/compliance";
import { capacityInputOf, ENVIRONMENTS, EnvironmentConfig } from "../../stacks/environments";
import { buildPlatform } from "../../stacks/platform";

/** Builds one environment's three stacks in memory and returns their parsed JSON. */
function synthEnv(env: EnvironmentConfig): Record<string, any> {
  const app = Testing.app();
  const platform = buildPlatform(app as App, env, planCapacity(capacityInputOf(env)));
  const out: Record<string, any> = {};
  for (const stack of [platform.foundation, platform.cluster, platform.workloads]) {
    applyCompliance(stack, { allowLocalState: true });
    out[stack.node.id] = JSON.parse(Testing.synth(stack, true));
  }
  return out;
}

const releases = (json: any) => Object.values(json.resource?.helm_release ?? {}).map((r: any) => r.name);
const manifests = (json: any) => Object.values(json.resource?.kubernetes_manifest ?? {}).map((m: any) => m.manifest.kind);

describe("node provisioner choice", () => {
  test("Cluster Autoscaler mode: GPU managed node groups and the autoscaler, no Karpenter anywhere; the node drill targets the node groups", () => {
    const stacks = synthEnv({ ...ENVIRONMENTS.staging, gpuNodes: { provisioner: "cluster-autoscaler" } });
    const foundation = stacks["staging-foundation"];
    const gpuGroups = Object.values(foundation.resource.aws_eks_node_group).filter((g: any) => g.labels["headroom.dev/node-role"] === "gpu");
    expect(gpuGroups.length).toBe(3);
    expect(foundation.resource.aws_sqs_queue).toBeUndefined();
    expect(releases(stacks["staging-cluster"])).toContain("cluster-autoscaler");
    expect(releases(stacks["staging-cluster"])).not.toContain("karpenter");
    expect(manifests(stacks["staging-workloads"])).not.toContain("NodePool");
    const drill = Object.values(foundation.resource.aws_fis_experiment_template).find((t: any) => t.tags["headroom.dev/drill"] === "gpu-node-loss") as any;
    expect(drill.action[0].action_id).toBe("aws:eks:terminate-nodegroup-instances");
  });

  test("Karpenter mode (default) with a weights snapshot: FSR per AZ, the snapshot volume on the node class, and a plan on the FSR path", () => {
    const env = { ...ENVIRONMENTS.prod, gpuNodes: { ...ENVIRONMENTS.prod.gpuNodes, modelSnapshotId: "snap-0123456789abcdef0" } };
    const stacks = synthEnv(env);
    expect(Object.keys(stacks["prod-foundation"].resource.aws_ebs_fast_snapshot_restore)).toHaveLength(3);
    const nodeClass = Object.values(stacks["prod-workloads"].resource.kubernetes_manifest).map((m: any) => m.manifest).find((m: any) => m.kind === "EC2NodeClass");
    expect(nodeClass.spec.blockDeviceMappings[1].ebs.snapshotID).toBe("snap-0123456789abcdef0");
    const withSnapshot = planCapacity(capacityInputOf(env)).input.gpuProvisioning!;
    const without = planCapacity(capacityInputOf(ENVIRONMENTS.prod)).input.gpuProvisioning!;
    expect(withSnapshot.modelLoadSeconds).toBeLessThan(without.modelLoadSeconds);
    expect(withSnapshot.sources.modelLoad).toMatch(/FSR/);
  });

  test("a Capacity Block selected in the environment reaches the EC2NodeClass and limits the pools to reserved capacity", () => {
    const env = { ...ENVIRONMENTS.prod, gpuNodes: { ...ENVIRONMENTS.prod.gpuNodes, capacity: GpuCapacity.capacityBlock("cr-0123456789abcdef0") } };
    const objects = Object.values(synthEnv(env)["prod-workloads"].resource.kubernetes_manifest).map((m: any) => m.manifest);
    expect(objects.find((o: any) => o.kind === "EC2NodeClass").spec.capacityReservationSelectorTerms).toEqual([{ id: "cr-0123456789abcdef0" }]);
    for (const pool of objects.filter((o: any) => o.kind === "NodePool")) {
      expect(pool.spec.template.spec.requirements.find((r: any) => r.key === "karpenter.sh/capacity-type").values).toEqual(["reserved"]);
    }
  });
});
