import { TerraformStack, Testing } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Compliance, applyCompliance } from "../../lib/compliance";
import { testStack } from "../helpers/synth";
import { addHardenedResources } from "./hardened-stack";

function hardened(id: string, withPack: boolean): TerraformStack {
  const { stack } = testStack(id);
  new KubernetesProvider(stack, "kubernetes", {});
  new HelmProvider(stack, "helm", {});
  addHardenedResources(stack);
  if (withPack) applyCompliance(stack, { log: false });
  return stack;
}

describe("the pack's cost", () => {
  afterEach(() => jest.restoreAllMocks());

  it("resolves a stack once per synth: the synth reuses the JSON the pack checked", () => {
    const stack = hardened("once", true);
    const resolve = jest.spyOn(TerraformStack.prototype, "toTerraform");
    const withPack = Testing.synth(stack, true);
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(withPack).toBe(Testing.synth(hardened("once", false), true));
  });

  it("never serves stale JSON when a later validation fails and the stack changes before the next synth", () => {
    const stack = hardened("retry", true);
    let failing = true;
    stack.node.addValidation({ validate: () => (failing ? ["a later validation fails"] : []) });
    expect(() => Testing.synth(stack, true)).toThrow(/a later validation fails/);
    const key = stack.node.findChild("key") as unknown as { addOverride(path: string, value: unknown): void };
    key.addOverride("description", "changed after the failed synth");
    failing = false;
    expect(JSON.parse(Testing.synth(stack, true)).resource.aws_kms_key.key.description).toBe("changed after the failed synth");
  });

  it("drops an unconsumed hand-over once the synchronous synth is over", async () => {
    const stack = hardened("dropped", true);
    stack.node.addValidation({ validate: () => ["a later validation fails"] });
    expect(() => Testing.synth(stack, true)).toThrow(/a later validation fails/);
    expect(Object.prototype.hasOwnProperty.call(stack, "toTerraform")).toBe(true);
    await Promise.resolve();
    expect(Object.prototype.hasOwnProperty.call(stack, "toTerraform")).toBe(false);
  });

  it("keeps 9 stack synths well under 2 s", () => {
    const stacks = Array.from({ length: 9 }, (_, i) => hardened(`s${i}`, true));
    const started = performance.now();
    for (const stack of stacks) Testing.synth(stack, true);
    const totalMs = performance.now() - started;
    const packMs = stacks.reduce((sum, s) => sum + Compliance.of(s).report!.durationMs, 0);
    expect(totalMs).toBeLessThan(2000);
    expect(packMs).toBeLessThan(totalMs);
  });
});
