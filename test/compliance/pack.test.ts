import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AssetType, Aspects, TerraformAsset, TerraformHclModule, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { ValidationError } from "../../lib/core/validation";
import { ALL_RULES, applyCompliance, Compliance, CompliancePack, ComplianceRule, compliant, nonCompliant } from "../../lib/compliance";
import { synthJson, testStack } from "../helpers/synth";
import { addHardenedResources } from "./hardened-stack";

function hardenedStack(id = "hardened") {
  const { app, stack } = testStack(id);
  new KubernetesProvider(stack, "kubernetes", {});
  new HelmProvider(stack, "helm", {});
  return { app, stack, ...addHardenedResources(stack) };
}

function synthError(stack: TerraformStack): ValidationError {
  try {
    Testing.synth(stack, true);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("synth did not fail");
}

const quiet = { log: false } as const;

describe("the pack on a stack of real provider resources", () => {
  it("passes a hardened stack with zero violations and checks every rule-relevant resource", () => {
    const { stack } = hardenedStack();
    applyCompliance(stack, quiet);
    synthJson(stack);
    const report = Compliance.of(stack).report!;
    expect(report.violations).toEqual([]);
    expect(report.ruleCount).toBe(ALL_RULES.length);
    // Every rule except the workload-kind-specific ones saw at least one compliant item.
    expect(report.counts.compliant).toBeGreaterThan(80);
    expect(report.counts.nonCompliant).toBe(0);
  });

  it("fails Testing.synth(stack, true) naming the rule, the address and the fix", () => {
    const { stack, cluster } = hardenedStack();
    applyCompliance(stack, quiet);
    cluster.addOverride("vpc_config.endpoint_public_access", true);
    const error = synthError(stack);
    expect(error.codes).toEqual(["HR-EKS-1"]);
    expect(error.message).toContain(`aws_eks_cluster.${cluster.friendlyUniqueId} (hardened/cluster)`);
    expect(error.message).toContain("the public endpoint is enabled without public_access_cidrs");
    expect(error.message).toContain("fix: Set vpc_config.endpoint_private_access = true and endpoint_public_access = false");
  });

  it("lists every violation of a run in one error, one line per finding", () => {
    const { stack, primary, bucket } = hardenedStack();
    applyCompliance(stack, quiet);
    primary.addOverride("backup_retention_period", 1);
    primary.addOverride("publicly_accessible", true);
    bucket.addOverride("force_destroy", true);
    const error = synthError(stack);
    expect([...error.codes].sort()).toEqual(["HR-DATA-2", "HR-RDS-3", "HR-RDS-6"]);
    expect(error.message.split("\n").filter((l) => l.startsWith("  - "))).toHaveLength(3);
  });

  it("catches each weakened setting of real resources with its own rule (escape hatches included)", () => {
    const { stack, key, bucket, cluster, primary, replica, lbGroup } = hardenedStack();
    applyCompliance(stack, quiet);
    const find = (id: string) => stack.node.findChild(id) as unknown as { addOverride(path: string, value: unknown): void };
    const data = (id: string) => stack.node.findChild("data").node.findChild(id) as unknown as { addOverride(path: string, value: unknown): void };
    key.addOverride("lifecycle.prevent_destroy", false); // HR-DATA-1
    cluster.addOverride("enabled_cluster_log_types", null); // HR-EKS-3 (an array override would be appended, not replace)
    cluster.addOverride("access_config.bootstrap_cluster_creator_admin_permissions", true); // HR-EKS-4
    find("nodes-lt").addOverride("metadata_options.http_put_response_hop_limit", 2); // HR-EC2-2
    find("nodes-lt").addOverride("network_interfaces", [{ associate_public_ip_address: "true" }]); // HR-EC2-4
    replica.addOverride("iam_database_authentication_enabled", false); // HR-RDS-4 (engine resolved from the primary)
    primary.addOverride("manage_master_user_password", null); // HR-RDS-7
    data("proxy").addOverride("require_tls", false); // HR-RDSPROXY-1
    data("redis").addOverride("transit_encryption_mode", "preferred"); // HR-REDIS-2
    data("kafka").addOverride("client_authentication.unauthenticated", true); // HR-MSK-3
    find("bucket-versioning").addOverride("versioning_configuration.status", "Suspended"); // HR-S3-3
    find("bucket-ownership").addOverride("rule.object_ownership", "ObjectWriter"); // HR-S3-5
    find("flow-logs").addOverride("retention_in_days", 0); // HR-LOG-2
    lbGroup.addOverride("description", "Managed by Terraform"); // HR-NET-2
    find("https").addOverride("from_port", 22); // HR-NET-1
    find("node-policy").addOverride("policy", JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] })); // HR-IAM-1, -2 and -3 (admin includes PassRole)
    find("server").addOverride("spec.template.spec.container.0.image", "vllm/vllm-openai:latest"); // HR-K8S-3
    find("istiod").addOverride("version", "^1.24"); // HR-HELM-1
    bucket.addOverride("force_destroy", true); // HR-DATA-2
    const codes = new Set(synthError(stack).codes);
    expect([...codes].sort()).toEqual(
      [
        "HR-DATA-1", "HR-DATA-2", "HR-EC2-2", "HR-EC2-4", "HR-EKS-3", "HR-EKS-4", "HR-HELM-1", "HR-IAM-1", "HR-IAM-2", "HR-K8S-3",
        "HR-IAM-3", "HR-LOG-2", "HR-MSK-3", "HR-NET-1", "HR-NET-2", "HR-RDS-4", "HR-RDS-7", "HR-RDSPROXY-1", "HR-REDIS-2", "HR-S3-3", "HR-S3-5",
      ].sort(),
    );
  });

  it("fails app.synth() as well", () => {
    const { app, stack, key } = hardenedStack();
    applyCompliance(stack, quiet);
    key.addOverride("enable_key_rotation", false);
    expect(() => app.synth()).toThrow(/HR-KMS-1/);
  });

  it("does not run unless applied", () => {
    const { stack, key } = hardenedStack();
    key.addOverride("enable_key_rotation", false);
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(Compliance.of(stack).applied).toBe(false);
  });

  it("runs as a cdktf Aspect added to the stack", () => {
    const { stack, key } = hardenedStack();
    Aspects.of(stack).add(new CompliancePack(quiet));
    key.addOverride("enable_key_rotation", false);
    expect(synthError(stack).codes).toEqual(["HR-KMS-1"]);
  });

  it("applies to every stack of an app", () => {
    const app = Testing.app();
    const a = new TerraformStack(app, "a");
    const b = new TerraformStack(app, "b");
    const handles = applyCompliance(app, { ...quiet, allowLocalState: true });
    expect(handles).toHaveLength(2);
    expect([a, b].map((s) => Compliance.of(s).applied)).toEqual([true, true]);
  });

  it("rejects a scope without stacks", () => {
    const app = Testing.app();
    expect(() => applyCompliance(app)).toThrow(expect.objectContaining({ codes: ["COMPLIANCE_NO_STACK"] }));
  });
});

describe("content outside the pack's view", () => {
  it("fails a module call (HR-TF-1) and a construct that writes its own files (HR-TF-2)", () => {
    const { stack } = hardenedStack("outside");
    new TerraformHclModule(stack, "vendor-vpc", { source: "terraform-aws-modules/vpc/aws", version: "5.0.0" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-asset-"));
    fs.writeFileSync(path.join(dir, "override.tf.json"), "{}");
    new TerraformAsset(stack, "extra", { path: dir, type: AssetType.DIRECTORY });
    applyCompliance(stack, quiet);
    const error = synthError(stack);
    fs.rmSync(dir, { recursive: true, force: true });
    expect([...error.codes].sort()).toEqual(["HR-TF-1", "HR-TF-2"]);
    expect(error.message).toContain("module.vendor-vpc");
    expect(error.message).toContain("TerraformAsset at outside/extra writes files the pack cannot read");
  });

  it("passes a stack without such content, and a reviewed asset with a suppression", () => {
    const { stack } = hardenedStack("asset");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-asset-"));
    fs.writeFileSync(path.join(dir, "handler.py"), "def handler(e, c): return 1\n");
    const asset = new TerraformAsset(stack, "lambda-code", { path: dir, type: AssetType.ARCHIVE });
    Compliance.suppress(asset, "HR-TF-2", "zip of a Lambda handler: code, not Terraform configuration");
    applyCompliance(stack, quiet);
    synthJson(stack);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(Compliance.of(stack).report!.violations).toEqual([]);
    expect(Compliance.of(stack).report!.suppressed.map((s) => s.ruleId)).toEqual(["HR-TF-2"]);
  });
});

describe("local state", () => {
  it("fails a stack without a backend, unless the pack runs in developer mode", () => {
    const strict = testStack("strict").stack;
    new S3Bucket(strict, "b", { bucket: "b" });
    applyCompliance(strict, quiet);
    expect(synthError(strict).codes).toContain("HR-STATE-1");

    const dev = testStack("dev").stack;
    applyCompliance(dev, { ...quiet, allowLocalState: true });
    synthJson(dev);
    expect(Compliance.of(dev).report!.violations).toEqual([]);
  });
});

describe("suppressions", () => {
  it("needs a reason of at least 10 characters", () => {
    const { stack } = testStack();
    const short = () => Compliance.suppress(stack, "HR-STATE-1", "dev only");
    expect(short).toThrow(ValidationError);
    expect(short).toThrow(expect.objectContaining({ codes: ["COMPLIANCE_SUPPRESSION_REASON"] }));
    const missing = () => Compliance.suppress(stack, "HR-STATE-1", undefined as unknown as string);
    expect(missing).toThrow(expect.objectContaining({ codes: ["COMPLIANCE_SUPPRESSION_REASON"] }));
    const blank = () => Compliance.suppress(stack, "HR-STATE-1", "          x ");
    expect(blank).toThrow(/at least 10 characters/);
  });

  it("rejects a malformed rule id at once and an unknown one at synth", () => {
    const { stack } = testStack();
    expect(() => Compliance.suppress(stack, "eks public", "reason long enough")).toThrow(expect.objectContaining({ codes: ["COMPLIANCE_SUPPRESSION_RULE_ID"] }));
    Compliance.suppress(stack, "HR-NOPE-1", "reason long enough");
    applyCompliance(stack, { ...quiet, allowLocalState: true });
    const error = synthError(stack);
    expect(error.codes).toEqual(["COMPLIANCE_SUPPRESSION_UNKNOWN_RULE"]);
    expect(error.message).toContain('"HR-NOPE-1"');
  });

  it("turns off one rule for the construct and everything under it, and lists what it suppressed", () => {
    const { stack, data, primary, replica } = hardenedStack();
    primary.addOverride("lifecycle.prevent_destroy", false);
    replica.addOverride("lifecycle.prevent_destroy", false);
    primary.addOverride("deletion_protection", false);
    Compliance.suppress(data, "HR-DATA-1", "databases are recreated from snapshots in this sandbox");
    const lines: string[] = [];
    applyCompliance(stack, { log: (line) => lines.push(line) });
    // The other finding on the same resource is not suppressed.
    expect(synthError(stack).codes).toEqual(["HR-RDS-2"]);

    const report = Compliance.of(stack).report!;
    expect(report.suppressed.map((s) => [s.ruleId, s.address])).toEqual([
      ["HR-DATA-1", `aws_db_instance.${primary.friendlyUniqueId}`],
      ["HR-DATA-1", `aws_db_instance.${replica.friendlyUniqueId}`],
    ]);
    expect(report.suppressed[0]!.reason).toBe("databases are recreated from snapshots in this sandbox");
    expect(lines.join("\n")).toContain("[compliance] hardened: 2 suppressed finding(s)");
    expect(lines.join("\n")).toContain("HR-DATA-1 aws_db_instance.");
    expect(Compliance.of(stack).suppressions).toHaveLength(1);
  });

  it("does not cover siblings, and reports suppressions that matched nothing", () => {
    const { stack, key } = hardenedStack();
    const other = new Construct(stack, "unrelated");
    Compliance.suppress(other, "HR-KMS-1", "nothing under this construct is a key");
    key.addOverride("enable_key_rotation", false);
    applyCompliance(stack, quiet);
    expect(synthError(stack).codes).toEqual(["HR-KMS-1"]);
    expect(Compliance.of(stack).report!.unusedSuppressions.map((s) => s.constructPath)).toEqual(["hardened/unrelated"]);
  });

  it("on the stack itself covers the terraform block", () => {
    const { stack } = testStack("local");
    Compliance.suppress(stack, "HR-STATE-1", "throwaway stack used only by this unit test");
    applyCompliance(stack, quiet);
    synthJson(stack);
    expect(Compliance.of(stack).report!.suppressed.map((s) => s.address)).toEqual(["terraform"]);
  });
});

describe("custom rules", () => {
  const noDescription: ComplianceRule = {
    id: "TEAM-KMS-1",
    severity: "low",
    title: "KMS keys have a description",
    rationale: "Operators must know what a key protects before they rotate or disable it.",
    fix: "Set description.",
    appliesTo: ["aws_kms_key"],
    evaluate: (key) => (typeof key.config["description"] === "string" ? compliant() : nonCompliant("description is not set")),
  };
  const broken: ComplianceRule = { ...noDescription, id: "TEAM-BROKEN-1", evaluate: () => { throw new Error("boom"); } };

  it("run after the built-in rules and can be suppressed like them", () => {
    const { stack, key } = hardenedStack();
    applyCompliance(stack, { ...quiet, additionalRules: [noDescription] });
    expect(synthError(stack).codes).toEqual(["TEAM-KMS-1"]);
    Compliance.suppress(key, "TEAM-KMS-1", "the key is described by its alias in this test");
    synthJson(stack);
    expect(Compliance.of(stack).report!.suppressed).toHaveLength(1);
  });

  it("are reported, not skipped, when they throw", () => {
    const { stack } = hardenedStack();
    applyCompliance(stack, { ...quiet, rules: [broken] });
    const error = synthError(stack);
    expect(error.codes).toEqual(["TEAM-BROKEN-1"]);
    expect(error.message).toContain("the rule failed to evaluate: boom");
  });
});
