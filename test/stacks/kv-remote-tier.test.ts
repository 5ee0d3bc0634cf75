/**
 * An environment that deploys the remote KV tier (no shipped environment does: see PROD_CAPACITY): a
 * DeepSeek-V2-Lite (MLA) service on g6.12xlarge behind least-load routing, where a fetch beats prefill.
 * The whole platform is synthesized through the real entry point and held to the compliance pack.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { formatPlanReport, planCapacity } from "../../lib/capacity";
import { Compliance } from "../../lib/compliance";
import { thresholdsFromPlan } from "../../lib/observability/from-plan";
import { LMCACHE_VALKEY_ACCESS_STRING } from "../../lib/serving/private/kv-cache";
import { capacityInputOf, ENVIRONMENTS, EnvironmentConfig } from "../../stacks/environments";
import { buildPlatform } from "../../stacks/platform";
import { Problems } from "../../lib/core/validation";
import { validateEnvironments } from "../../stacks/validate-environments";

const dev = ENVIRONMENTS.dev!;
const ENV: EnvironmentConfig = {
  ...dev,
  name: "kvtier",
  namePrefix: "headroom-kvtier",
  capacity: {
    ...dev.capacity,
    workload: { ...dev.capacity.workload, peakRequestsPerSecond: 20, baselineRequestsPerSecond: 5, prefixCache: { promptTokenHitShare: 0.5, routing: "least-load", remoteTierSeconds: 300 } },
    model: { name: "deepseek-ai/DeepSeek-V2-Lite-Chat", parametersBillions: 15.7, activeParametersBillions: 2.4, layers: 27, kvHeads: 16, headDim: 128, mla: { kvLoraRank: 512, qkRopeHeadDim: 64 }, precision: "bf16", maxContextTokens: 16384 },
    gpu: { instanceTypes: ["g6.12xlarge"] },
  },
  serving: { ...dev.serving, lmcacheImage: "111111111111.dkr.ecr.us-east-1.amazonaws.com/headroom/vllm-lmcache:0.12.0-lmcache0.4.5" },
};
const plan = planCapacity(capacityInputOf(ENV));
const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "headroom-kvtier-")), "out");
const app = new App({ outdir, skipValidation: false });
const platform = buildPlatform(app, ENV, plan);
app.synth();
afterAll(() => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }));
const read = (layer: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", `kvtier-${layer}`, "cdk.tf.json"), "utf8"));
const foundation = read("foundation");
const workloads = read("workloads");
const all = (json: any, type: string) => Object.values(json.resource?.[type] ?? {}) as any[];

describe("the remote KV tier, end to end", () => {
  test("the plan counts it and sizes Valkey for it; the hit-rate alert expects remote hits at their full count", () => {
    const t = plan.kvCache!.remoteTier!;
    expect(t.countedHitShare).toBeGreaterThan(0);
    expect(t.countedHitShare).toBeCloseTo(t.hitShare * (1 - t.fetchCostShare), 3);
    // vLLM counts LMCache's hits as external prefix-cache hits (raw tokens): the declared share under least-load + the tier.
    expect(thresholdsFromPlan(plan).expectedPrefixCacheHitRatio).toBeCloseTo(0.5, 3);
    expect(formatPlanReport(plan)).toMatch(/Remote KV tier \(LMCache on Valkey\): 300 s of prefilled KV .* counts [\d.]+% of prompt tokens/);
    expect(plan.redis.memoryGiB).toBeGreaterThan(plan.kvCache!.remoteTierGiB);
    const rg = all(foundation, "aws_elasticache_replication_group")[0];
    expect(rg.node_type).toBe(plan.redis.nodeType);
    expect(rg.num_node_groups).toBe(plan.redis.shards);
  });

  test("foundation: the LMCache user, its rotated secret, the GPU nodes admitted to the cache port, the inference role reading the secret", () => {
    const user = all(foundation, "aws_elasticache_user").find((u) => u.user_name === "headroom-kvtier-kv");
    expect(user.access_string).toBe(LMCACHE_VALKEY_ACCESS_STRING);
    expect(all(foundation, "aws_secretsmanager_secret_rotation")).toHaveLength(1);
    expect(all(foundation, "aws_lambda_function")[0].function_name).toBe("headroom-kvtier-cache-pw-headroom-kvtier-kv");
    const ingress = all(foundation, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 6379);
    expect(ingress.map((r) => r.description)).toEqual(expect.arrayContaining(["inference pods use the remote KV tier (LMCache)", "rotation of headroom-kvtier-kv tests the new password"]));
    const inference = all(foundation, "aws_iam_role_policy").find((p) => p.policy.includes("s3:GetObject") && p.policy.includes("secretsmanager:GetSecretValue"));
    expect(inference).toBeDefined();
  });

  test("workloads: the LMCache image and connector, the credential init container, cache egress", () => {
    const d = all(workloads, "kubernetes_deployment_v1").find((x) => x.metadata.name === "inference");
    const server = d.spec.template.spec.container[0];
    expect(server.image).toBe(ENV.serving.lmcacheImage);
    expect(server.args).toContain("--kv-transfer-config");
    expect(d.spec.template.spec.init_container.map((c: any) => c.name)).toEqual(["fetch-model", "kv-credential"]);
    const np = all(workloads, "kubernetes_network_policy_v1").find((n) => n.metadata.name === "inference-server");
    expect(np.spec.egress.some((e: any) => e.ports.some((p: any) => String(p.port).includes("6379")))).toBe(true);
  });

  test("every stack passes the compliance pack", () => {
    for (const stack of [platform.foundation, platform.cluster, platform.workloads]) {
      expect(Compliance.of(stack).report!.violations).toEqual([]);
    }
  });

  test("the environment table requires the LMCache image with the tier", () => {
    const problems = new Problems("environments");
    validateEnvironments({ kvtier: { ...ENV, serving: { ...ENV.serving, lmcacheImage: undefined } } }, problems);
    expect(problems.list.map((p) => p.code)).toContain("ENV_LMCACHE_IMAGE");
  });
});
