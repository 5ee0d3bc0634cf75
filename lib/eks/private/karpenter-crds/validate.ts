/**
 * Synth-time validation of Karpenter objects against the pinned CRDs' OpenAPI v3 schemas
 * (karpenter-crd 1.14.1), through validators that `scripts/karpenter-crd-schemas.mjs` compiled
 * ahead of time (ajv standalone code), so synth pays no schema compilation.
 *
 * What this checks: types, enums, patterns, required fields, min/max and unknown fields (the CRDs
 * are structural, so objects that list their properties are closed, as the API server prunes).
 * String values that are Terraform tokens (ids from another stack) are exempt from patterns.
 * What it cannot: the CEL rules under `x-kubernetes-validations`, which only the API server
 * evaluates on apply.
 */
import { CRD as EC2NODECLASS_CRD, validate as validateEc2NodeClass } from "./ec2nodeclass-validator";
import { CRD as NODEPOOL_CRD, validate as validateNodePool } from "./nodepool-validator";
import { isToken } from "../validate";

/** One error of a generated validator (the ajv error shape). */
interface SchemaError {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** A generated validator: returns true or sets `errors`. */
type GeneratedValidator = ((data: unknown) => boolean) & { errors?: readonly SchemaError[] | null };

/** The value at a JSON pointer, or undefined. */
function at(object: unknown, pointer: string): unknown {
  let node = object;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The errors of `object` against a Karpenter CRD, one line each; empty when it validates. */
export function karpenterSchemaErrors(kind: "NodePool" | "EC2NodeClass", object: unknown): string[] {
  const crd = (kind === "NodePool" ? NODEPOOL_CRD : EC2NODECLASS_CRD) as { group: string; version: string; kind: string };
  const validate = (kind === "NodePool" ? validateNodePool : validateEc2NodeClass) as GeneratedValidator;
  const errors: string[] = [];
  const o = object as Record<string, unknown>;
  const apiVersion = `${crd.group}/${crd.version}`;
  if (o["apiVersion"] !== apiVersion) errors.push(`apiVersion must be ${apiVersion}, got ${JSON.stringify(o["apiVersion"])}`);
  if (o["kind"] !== crd.kind) errors.push(`kind must be ${crd.kind}, got ${JSON.stringify(o["kind"])}`);
  if (!validate(object)) {
    for (const e of validate.errors ?? []) {
      // A Terraform token (an id from another stack) is known only at apply; its format is the provider's to check.
      const value = at(object, e.instancePath);
      if (typeof value === "string" && isToken(value)) continue;
      const extra = e.params && "additionalProperty" in e.params ? ` (${String(e.params["additionalProperty"])})` : "";
      errors.push(`${e.instancePath || "/"} ${e.message ?? "is invalid"}${extra}`);
    }
  }
  return errors;
}
