import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planCapacity } from "../../lib/capacity";
import { GpuCapacity } from "../../lib/eks";
import { capacityInputOf, ENVIRONMENTS, EnvironmentConfig } from "../../stacks/environments";
import { synthesizeAll } from "../../stacks/app";

/**
 * Synthesizes one environment's three stacks the way `npm run synth` does (cross-stack references
 * resolved, the compliance pack and the simulation gate on every stack) and returns their JSON.
 */
function synthEnv(env: EnvironmentConfig): Record<string, any> {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "headroom-provisioner-")), "out");
  try {
    synthesizeAll({ outdir, environments: { [env.name]: env } });
    const out: Record<string, any> = {};
    for (const layer of ["foundation", "cluster", "workloads"]) {
      const name = `${env.name}-${layer}`;
      out[name] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    }
    return out;
  } finally {
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  }
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
