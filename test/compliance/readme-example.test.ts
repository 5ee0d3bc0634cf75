/**
 * The first example of lib/compliance/README.md, copied verbatim (imports re-rooted to this
 * folder), so the type-check proves it compiles and the test proves it passes the pack.
 */
import { Testing } from "cdktf";
import { App, S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { applyCompliance, Compliance } from "../../lib/compliance";

export function myStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, "my-stack");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  // cdktf 0.21 has no typed prop for S3-native state locking, hence the override.
  new S3Backend(stack, { bucket: "my-state", key: "my-stack.tfstate", region: "us-east-1", encrypt: true }).addOverride("use_lockfile", true);
  new KmsKey(stack, "key", { enableKeyRotation: true, lifecycle: { preventDestroy: true } });
  applyCompliance(stack); // every synth of the stack now runs the pack
  return stack;
}

test("the README example synthesizes with zero violations and the pack judged its key and backend", () => {
  const stack = myStack(Testing.app());
  Testing.synth(stack, true);
  const report = Compliance.of(stack).report!;
  expect(report.violations).toEqual([]);
  // HR-KMS-1, HR-DATA-1, HR-SEC-1 (key, provider, terraform block) and HR-STATE-1 passed.
  expect(report.counts.compliant).toBeGreaterThanOrEqual(5);
});

test("a suppression on the README stack needs its reason and is listed", () => {
  const stack = myStack(Testing.app());
  const key = stack.node.findChild("key") as KmsKey;
  key.addOverride("enable_key_rotation", false);
  Compliance.suppress(key, "HR-KMS-1", "bootstrap key, rotated once the first workload is encrypted with it");
  const lines: string[] = [];
  Compliance.of(stack).apply({ log: (l) => lines.push(l) });
  Testing.synth(stack, true);
  expect(lines.join("\n")).toContain("HR-KMS-1 aws_kms_key.key: enable_key_rotation is not true -- suppressed: bootstrap key");
});
