import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

/** The Terraform JSON of one stack, parsed. */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly output?: Record<string, any>;
  readonly provider?: Record<string, any[]>;
  readonly terraform?: Record<string, any>;
  readonly locals?: Record<string, any>;
  readonly [key: string]: unknown;
}

/**
 * Synthesizes `stack` with validations on (as `cdktf synth` does), so construct
 * validations and the compliance pack run, and returns the parsed JSON.
 */
export function synthJson(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack, true)) as SynthesizedStack;
}

/** All resources of one Terraform type, keyed by their logical id. */
export function resourcesOf(json: SynthesizedStack, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The one resource of `type`; fails the test when there is not exactly one. */
export function onlyResource(json: SynthesizedStack, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** A fresh test app and an empty stack with an AWS provider in us-east-1. */
export function testStack(id = "test"): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  return { app, stack };
}
