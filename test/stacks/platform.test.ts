import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Compliance } from "../../lib/compliance";
import { ValidationError } from "../../lib/core/validation";
import { planEnvironments, synthesizeAll } from "../../stacks/app";
import { ENVIRONMENTS, EnvironmentConfig } from "../../stacks/environments";
import { Platform } from "../../stacks/platform";
import { resourcesOf, SynthesizedStack } from "../helpers/synth";

// The real entry point: one App, cross-stack references resolved, validations and compliance on.
const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "headroom-synth-")), "out");
const { planned, platforms: built } = synthesizeAll({ outdir });
const platforms = new Map<string, Platform>(built.map((p) => [p.foundation.env.name, p]));
const synthesized = new Map<string, SynthesizedStack>();
for (const platform of built) {
  for (const stack of [platform.foundation, platform.cluster, platform.workloads]) {
    const file = path.join(outdir, "stacks", stack.node.id, "cdk.tf.json");
    synthesized.set(stack.node.id, JSON.parse(fs.readFileSync(file, "utf8")));
  }
}
afterAll(() => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }));
const json = (name: string) => synthesized.get(name)!;
const planOf = (env: string) => planned.find((p) => p.env.name === env)!.plan;

describe("platform stacks", () => {
  test("writes one plan report and JSON per environment next to the stacks", () => {
    for (const env of ["dev", "staging", "prod"]) {
      expect(fs.readFileSync(path.join(outdir, "plans", `${env}.txt`), "utf8")).toContain(planOf(env).inference.instanceType);
      expect(JSON.parse(fs.readFileSync(path.join(outdir, "plans", `${env}.json`), "utf8")).inference.replicas).toEqual(planOf(env).inference.replicas);
    }
  });

  test("three stacks per environment, named <env>-<layer>", () => {
    expect([...synthesized.keys()]).toEqual(
      ["dev", "staging", "prod"].flatMap((e) => [`${e}-foundation`, `${e}-cluster`, `${e}-workloads`]),
    );
  });

  test.each([...synthesized.keys()])("%s passes the compliance pack with no violation and no suppression", (name) => {
    const stack = [...platforms.values()].flatMap((p) => [p.foundation, p.cluster, p.workloads]).find((s) => s.node.id === name)!;
    const report = Compliance.of(stack).report!;
    expect(report.violations).toEqual([]);
    expect(report.suppressed).toEqual([]);
  });

  test.each([...synthesized.keys()])("%s matches its snapshot", (name) => {
    expect(json(name)).toMatchSnapshot();
  });

  test("stacks depend on each other in deploy order", () => {
    const prod = platforms.get("prod")!;
    expect(prod.cluster.dependencies).toContain(prod.foundation);
    expect(prod.workloads.dependencies).toEqual(expect.arrayContaining([prod.foundation, prod.cluster]));
    expect(prod.foundation.dependencies).toEqual([]);
  });

  test("every stack keeps its state in S3, encrypted and locked, one key per stack", () => {
    for (const [name, stack] of synthesized) {
      const s3 = (stack.terraform as any).backend.s3;
      expect(s3).toEqual(expect.objectContaining({ encrypt: true, use_lockfile: true, key: `headroom/${name.split("-")[0]}/${name}.tfstate` }));
      expect((stack.terraform as any).required_version).toBe(">= 1.11.0");
    }
  });

  test("AWS providers carry default tags and the account allow-list", () => {
    const provider = (json("prod-foundation").provider as any).aws[0];
    expect(provider.allowed_account_ids).toEqual(ENVIRONMENTS.prod.allowedAccountIds);
    expect(provider.default_tags[0].tags).toEqual(expect.objectContaining({ environment: "prod", "headroom:stack": "prod-foundation" }));
  });

  test("kubernetes and helm providers use the foundation's cluster outputs and exec auth, never a token", () => {
    for (const name of ["prod-cluster", "prod-workloads"]) {
      const kube = (json(name).provider as any).kubernetes[0];
      expect(kube.host).toContain("data.terraform_remote_state");
      expect(kube.token).toBeUndefined();
      expect(kube.exec[0]).toEqual(expect.objectContaining({ command: "aws", args: expect.arrayContaining(["eks", "get-token", "headroom-prod"]) }));
    }
    const helm = (json("prod-cluster").provider as any).helm[0];
    expect(helm.kubernetes.exec.command).toBe("aws");
    expect(helm.kubernetes.token).toBeUndefined();
  });

  test("GPU node groups, data tier and serving follow the plan", () => {
    for (const env of ["dev", "staging", "prod"]) {
      const plan = planOf(env);
      // GPU nodes come from Karpenter (the default provisioner): no GPU managed node group, and the
      // preferred NodePool offers the plan's instance type with the plan's GPU ceiling.
      const groups = Object.values(resourcesOf(json(`${env}-foundation`), "aws_eks_node_group")).filter((g: any) => g.labels?.["headroom.dev/node-role"] === "gpu");
      expect(groups).toHaveLength(0);
      const pools = Object.values(resourcesOf(json(`${env}-workloads`), "kubernetes_manifest"))
        .map((m: any) => m.manifest)
        .filter((m: any) => m.kind === "NodePool")
        .sort((a: any, b: any) => b.spec.weight - a.spec.weight);
      const types = pools[0].spec.template.spec.requirements.find((r: any) => r.key === "node.kubernetes.io/instance-type").values;
      expect(types).toContain(plan.inference.instanceType);
      expect(pools[0].spec.limits["nvidia.com/gpu"]).toBe(String(plan.inference.nodes.max * plan.inference.gpusPerNode));
      const redis = Object.values(resourcesOf(json(`${env}-foundation`), "aws_elasticache_replication_group"))[0] as any;
      expect(redis.node_type).toBe(plan.redis.nodeType);
      expect(redis.num_node_groups).toBe(plan.redis.shards);
      const msk = Object.values(resourcesOf(json(`${env}-foundation`), "aws_msk_cluster"))[0] as any;
      expect(msk.number_of_broker_nodes).toBe(plan.kafka.brokers);
      const replicas = Object.values(resourcesOf(json(`${env}-foundation`), "aws_db_instance")).filter((d: any) => d.replicate_source_db);
      expect(replicas).toHaveLength(plan.database.readReplicas);
      // The inference autoscaler is a KEDA ScaledObject; no plain HPA competes with it for the Deployment.
      expect(resourcesOf(json(`${env}-workloads`), "kubernetes_horizontal_pod_autoscaler_v2")).toEqual({});
      const scaler = Object.values(resourcesOf(json(`${env}-workloads`), "kubernetes_manifest"))
        .map((m: any) => m.manifest)
        .find((m: any) => m.kind === "ScaledObject" && m.spec.scaleTargetRef.name === "inference");
      expect([scaler.spec.minReplicaCount, scaler.spec.maxReplicaCount]).toEqual([plan.autoscaling.minReplicas, plan.autoscaling.maxReplicas]);
      // Every environment declares its daily peak: the cron trigger (pre-scale) and the Karpenter budget
      // (no disruption) cover the plan's scheduled floor, the window the simulator plays.
      const floor = plan.autoscaling.scheduledFloor!;
      const hhmm = (t: number) => `${Math.floor(t / 60) % 60} ${Math.floor(t / 3600) % 24} * * *`;
      expect(scaler.spec.triggers.find((t: any) => t.type === "cron").metadata).toEqual({
        timezone: "UTC",
        start: hhmm(floor.startClockSeconds),
        end: hhmm(floor.endClockSeconds),
        desiredReplicas: String(floor.minReplicas),
      });
      expect(pools[0].spec.disruption.budgets).toContainEqual({ nodes: "0", schedule: hhmm(floor.startClockSeconds), duration: `${(floor.endClockSeconds - floor.startClockSeconds) / 60}m` });
    }
  });

  test("the gateway count is fixed and the per-gateway rate limits add up to the plan's admission rate", () => {
    for (const env of ["dev", "prod"]) {
      const release = Object.values(resourcesOf(json(`${env}-cluster`), "helm_release")).find((r: any) => r.name === "istio-ingressgateway") as any;
      const values = JSON.parse(release.values[0]);
      const replicas = values.autoscaling.minReplicas;
      expect(values.autoscaling.maxReplicas).toBe(replicas);
      expect(replicas).toBe(Math.max(2, ENVIRONMENTS[env].azCount));
      const filter = Object.values(resourcesOf(json(`${env}-workloads`), "kubernetes_manifest")).find((m: any) => m.manifest.kind === "EnvoyFilter") as any;
      const bucket = JSON.parse(JSON.stringify(filter.manifest).match(/"token_bucket":(\{[^}]*\})/)![1]);
      const perGatewayRate = bucket.tokens_per_fill / Number.parseFloat(bucket.fill_interval);
      expect(perGatewayRate * replicas).toBeCloseTo(planOf(env).admission.maxRequestsPerSecond, -1);
    }
  });

  test("only the system nodes reach Redis, Kafka and PostgreSQL (and RDS Proxy reaches its database)", () => {
    const rules = Object.values(resourcesOf(json("prod-foundation"), "aws_vpc_security_group_ingress_rule")) as any[];
    for (const port of [6379, 9098, 5432]) {
      const opened = rules.filter((r) => r.from_port === port);
      expect(opened.length).toBeGreaterThan(0);
      const sources = opened.map((r) => String(r.referenced_security_group_id));
      expect(sources.every((id) => id.includes("SystemNodes") || id.includes("Database_ProxySecurityGroup"))).toBe(true);
      expect(opened.every((r) => r.cidr_ipv4 === undefined)).toBe(true);
    }
  });
});

describe("bad input", () => {
  const broken: Record<string, EnvironmentConfig> = {
    ...ENVIRONMENTS,
    prod: { ...ENVIRONMENTS.prod, region: "mars-1", capacity: { ...ENVIRONMENTS.prod.capacity, model: { ...ENVIRONMENTS.prod.capacity.model, parametersBillions: -1 } } },
  };

  test("lists configuration and capacity problems together, with field paths, and writes nothing", () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "headroom-")), "out");
    let error: unknown;
    try {
      synthesizeAll({ outdir, environments: broken });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect(v.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["environments.prod.region", "environments.prod.capacity.model.parametersBillions"]));
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });

  test("refuses a plan that fails its declared traffic profile, with the simulator's reason", () => {
    const spiky: Record<string, EnvironmentConfig> = {
      prod: {
        ...ENVIRONMENTS.prod,
        capacity: {
          ...ENVIRONMENTS.prod.capacity,
          workload: { ...ENVIRONMENTS.prod.capacity.workload, spike: { multiplier: 3, rampSeconds: 120, durationSeconds: 900 }, maxQueueDelaySeconds: 300 },
        },
      },
    };
    let error: unknown;
    try {
      planEnvironments(spiky);
    } catch (e) {
      error = e;
    }
    expect((error as ValidationError).codes).toEqual(["SIM_SLO_NOT_MET", "SIM_SLO_NOT_MET"]);
    expect((error as ValidationError).message).toMatch(/environments\.prod\.simulationProfile \[SIM_SLO_NOT_MET\]: got "festival-spike"; allowed: a profile the plan survives: (p99 TTFT .* > 2\.00 s|[\d.]+% of sync requests rejected \(429\) > 1\.00%)/);
    // The fix points at the spike input too, not only at the profile.
    expect((error as ValidationError).message).toContain("environments.prod.capacity.workload.spike [SIM_SLO_NOT_MET]");
  });
});
