import { TerraformOutput, TerraformStack } from "cdktf";
import { ValidationError } from "../../lib/core/validation";
import { IGrantable, PolicyStatement } from "../../lib/security/policy";
import { synthJson, testStack } from "../helpers/synth";

/** A grantee that records the statements it receives. */
export class RecordingGrantee implements IGrantable {
  public readonly statements: PolicyStatement[] = [];
  public addToPrincipalPolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }
  /** Every action granted, flattened. */
  public get actions(): string[] {
    return this.statements.flatMap((s) => [...s.actions]);
  }
}

/** The props every data construct takes, with a key passed as `{ keyArn, keyId }`. */
export const BASE = {
  vpcId: "vpc-0123",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  kmsKey: { keyArn: "arn:aws:kms:us-east-1:111122223333:key/data", keyId: "data" },
  namePrefix: "headroom-test",
} as const;

export function stack(): TerraformStack {
  return testStack().stack;
}

/** Runs `fn` and returns the ValidationError it throws (fails the test if it does not throw one). */
export function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError, nothing was thrown");
}

/** Renders tokens of `value` as Terraform expressions, by synthesizing it as an output of `scope`'s stack. */
export function rendered(scope: TerraformStack, value: unknown): any {
  const id = `Probe${scope.node.children.length}`;
  new TerraformOutput(scope, id, { value });
  return synthJson(scope).output?.[id]?.value;
}
