/**
 * The pack's mutation suite: weakened variants of the prod platform, each of which the pack
 * must catch with the named rule. The prod stacks are synthesized once; JSON mutants edit a
 * copy of a stack's JSON (as addOverride or an added provider resource would) and run the
 * rules on it, and opt-out mutants build the platform's constructs with their documented
 * weaker props, so the suite costs a few seconds, not one synth per mutant.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ALL_RULES, applyCompliance, Compliance } from "../../lib/compliance";
import { evaluate } from "../../lib/compliance/private/engine";
import { Database, ModelBucket } from "../../lib/data";
import { EksCluster } from "../../lib/eks";
import { KmsKey } from "../../lib/security/kms-key";
import { WorkloadNamespace } from "../../lib/serving/workload-namespace";
import { planCapacity } from "../../lib/capacity";
import { Problems } from "../../lib/core/validation";
import { capacityInputOf, ENVIRONMENTS } from "../../stacks/environments";
import { buildPlatform } from "../../stacks/platform";
import { validateEnvironments } from "../../stacks/validate-environments";
import { FoundationStack } from "../../stacks/foundation-stack";
import { Json } from "./mutation/edit";
import { MUTANTS, StackLayer } from "./mutation/mutants";

const started = performance.now();
// One synth of the prod platform through the real entry point (cross-stack references resolved).
const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "headroom-mutation-")), "out");
// The plan is taken as is: its simulation (seconds) is the capacity suite's business, not the pack's.
const app = new App({ outdir, skipValidation: false });
buildPlatform(app, ENVIRONMENTS.prod, planCapacity(capacityInputOf(ENVIRONMENTS.prod)));
app.synth();
const read = (layer: StackLayer): Json => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", `prod-${layer}`, "cdk.tf.json"), "utf8"));
const base: Record<StackLayer, Json> = { foundation: read("foundation"), cluster: read("cluster"), workloads: read("workloads") };
afterAll(() => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }));
const synthMs = performance.now() - started;

/** The ids of the rules (all, or only `rules`) that report a finding on `json`. */
function caughtBy(json: Json, rules = ALL_RULES): Set<string> {
  // A rule that throws is reported as non-compliant by the engine; that is not a catch.
  const findings = evaluate(json, rules, { allowLocalState: false }).filter(
    (f) => f.result.status === "non-compliant" && !f.result.reason.startsWith("the rule failed to evaluate"),
  );
  return new Set(findings.map((f) => f.ruleId));
}

/** A small stack as a construct user would write it, tagged as production like the platform's. */
function smallStack(id: string): { app: App; stack: TerraformStack } {
  const app = Testing.app({ stackTraces: false });
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags: { environment: "prod" } }] });
  return { app, stack };
}
const KEY = { keyArn: "arn:aws:kms:us-east-1:111122223333:key/data", keyId: "data" };
const DATA = { vpcId: "vpc-0123", subnetIds: ["subnet-a", "subnet-b"], kmsKey: KEY, namePrefix: "headroom-mut" };

/** Mutants built through a construct's documented opt-out, each with the same construct at its defaults as the baseline. */
interface OptOutMutant {
  readonly name: string;
  readonly rule: string;
  readonly build: (weakened: boolean) => TerraformStack;
}
const OPT_OUTS: readonly OptOutMutant[] = [
  {
    name: "KmsKey preventDestroy: false",
    rule: "HR-DATA-1",
    build: (w) => { const { stack } = smallStack("kms"); new KmsKey(stack, "Key", { alias: "mut", description: "mutant", ...(w ? { preventDestroy: false } : {}) }); return stack; },
  },
  {
    name: "ModelBucket preventDestroy: false",
    rule: "HR-DATA-1",
    build: (w) => { const { stack } = smallStack("bucket"); new ModelBucket(stack, "Models", { kmsKey: KEY, namePrefix: "mut", ...(w ? { preventDestroy: false } : {}) }); return stack; },
  },
  {
    name: "Database deletionProtection: false",
    rule: "HR-RDS-2",
    build: (w) => { const { stack } = smallStack("db"); new Database(stack, "Db", { ...DATA, instanceClass: "db.r7g.large", allocatedStorageGiB: 100, ...(w ? { deletionProtection: false } : {}) }); return stack; },
  },
  {
    name: "Database preventDestroy: false",
    rule: "HR-DATA-1",
    build: (w) => { const { stack } = smallStack("db2"); new Database(stack, "Db", { ...DATA, instanceClass: "db.r7g.large", allocatedStorageGiB: 100, ...(w ? { preventDestroy: false } : {}) }); return stack; },
  },
  {
    name: "EksCluster deletionProtection: false in a prod-tagged stack",
    rule: "HR-EKS-6",
    build: (w) => {
      const { stack } = smallStack("eks");
      new EksCluster(stack, "Cluster", { clusterName: "mut", vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], kmsKey: KEY, adminRoleArns: ["arn:aws:iam::111122223333:role/ops"], ...(w ? { deletionProtection: false } : {}) });
      return stack;
    },
  },
  {
    name: "EksCluster publicEndpoint 0.0.0.0/1 + 128.0.0.0/1",
    rule: "HR-EKS-1",
    build: (w) => {
      const { stack } = smallStack("eks2");
      new EksCluster(stack, "Cluster", { clusterName: "mut", vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], kmsKey: KEY, adminRoleArns: ["arn:aws:iam::111122223333:role/ops"], ...(w ? { publicEndpoint: { allowedCidrs: ["0.0.0.0/1", "128.0.0.0/1"] } } : {}) });
      return stack;
    },
  },
  {
    name: "WorkloadNamespace podSecurity: privileged",
    rule: "HR-K8S-6",
    build: (w) => {
      const { stack } = smallStack("ns");
      new KubernetesProvider(stack, "kubernetes", {});
      new WorkloadNamespace(stack, "Ns", { name: "apps", ...(w ? { podSecurity: "privileged" as const } : {}) });
      return stack;
    },
  },
  {
    name: "staging environment with publicEndpointCidrs 0.0.0.0/1 + 128.0.0.0/1 (passes the environment validation)",
    rule: "HR-EKS-1",
    build: (w) => {
      const env = { ...ENVIRONMENTS.staging, cluster: { ...ENVIRONMENTS.staging.cluster, ...(w ? { publicEndpointCidrs: ["0.0.0.0/1", "128.0.0.0/1"] } : {}) } };
      const problems = new Problems("environment configuration");
      validateEnvironments({ staging: env }, problems);
      problems.throwIfAny(); // the configuration check accepts the halves: only the pack stands in the way
      return new FoundationStack(Testing.app({ stackTraces: false }), "staging-foundation", { env, plan: planCapacity(capacityInputOf(env)) });
    },
  },
];

function optOutCaught(m: OptOutMutant): { baseline: Set<string>; weakened: Set<string> } {
  const ids = (stack: TerraformStack) => {
    applyCompliance(stack, { log: false });
    return new Set(Compliance.of(stack).check().violations.map((v) => v.ruleId));
  };
  return { baseline: ids(m.build(false)), weakened: ids(m.build(true)) };
}

describe("mutation suite: weakened prod platforms the pack must catch", () => {
  it("starts from prod stacks with no finding at all", () => {
    for (const layer of Object.keys(base) as StackLayer[]) expect([...caughtBy(structuredClone(base[layer]))]).toEqual([]);
  });

  it("catches every mutant with its named rule and prints the catch rate", () => {
    const t0 = performance.now();
    const missed: string[] = [];
    for (const m of MUTANTS) {
      const json = structuredClone(base[m.stack]);
      m.mutate(json);
      // The named rule alone decides (the whole pack runs only to explain a miss).
      if (!caughtBy(json, ALL_RULES.filter((r) => r.id === m.rule)).has(m.rule)) {
        missed.push(`${m.rule} ${m.stack}: ${m.name} (caught by: ${[...caughtBy(json)].join(", ") || "nothing"})`);
      }
    }
    const jsonMs = performance.now() - t0;
    const t1 = performance.now();
    for (const m of OPT_OUTS) {
      const { baseline, weakened } = optOutCaught(m);
      if (baseline.has(m.rule)) missed.push(`${m.rule} opt-out baseline already fails: ${m.name}`);
      if (!weakened.has(m.rule)) missed.push(`${m.rule} opt-out: ${m.name} (caught by: ${[...weakened].join(", ") || "nothing"})`);
    }
    const optOutMs = performance.now() - t1;
    const total = MUTANTS.length + OPT_OUTS.length;
    const raw = MUTANTS.filter((m) => m.how === "raw").length;
    console.log(
      `mutation suite: ${total - missed.length}/${total} caught (${MUTANTS.length - raw} overrides, ${raw} raw resources, ${OPT_OUTS.length} opt-outs; ` +
        `prod synth ${synthMs.toFixed(0)} ms, JSON mutants ${jsonMs.toFixed(0)} ms, opt-outs ${optOutMs.toFixed(0)} ms)`,
    );
    expect(missed).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(120);
  });

  it("covers every rule except HR-TF-2 (content outside the JSON; tested with a real asset in pack.test.ts)", () => {
    const covered = new Set([...MUTANTS.map((m) => m.rule), ...OPT_OUTS.map((m) => m.rule)]);
    expect(ALL_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual(["HR-TF-2"]);
  });
});
