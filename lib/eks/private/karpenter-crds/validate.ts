/**
 * Synth-time validation of Karpenter objects against the pinned CRDs' OpenAPI v3 schemas
 * (karpenter-crd 1.14.1). Validators are compiled once per process, on first use.
 *
 * What this checks: types, enums, patterns, required fields, min/max and unknown fields
 * (the CRDs are structural, so `additionalProperties` is closed where the API server prunes).
 * String values that are Terraform tokens (ids from another stack) are exempt from patterns.
 * What it cannot: the CEL rules under `x-kubernetes-validations`, which only the API server
 * evaluates (the CRD chart's validating admission runs them on apply).
 */
import Ajv, { type ValidateFunction } from "ajv";
import type { CrdSchema } from "./crd-schema";
import { EC2NODECLASS_CRD } from "./ec2nodeclass";
import { NODEPOOL_CRD } from "./nodepool";
import { isToken } from "../validate";

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

const cache = new Map<string, ValidateFunction>();

/** Structural schema -> JSON schema: Kubernetes closes objects without `additionalProperties` (pruning). */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k.startsWith("x-kubernetes-")) continue;
    out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, closeObjects(s)])) : closeObjects(v);
  }
  const o = node as Record<string, unknown>;
  if (o["type"] === "object" && o["properties"] !== undefined && o["additionalProperties"] === undefined && o["x-kubernetes-preserve-unknown-fields"] !== true) {
    out["additionalProperties"] = false;
  }
  if (o["x-kubernetes-int-or-string"] === true) out["type"] = ["integer", "string"];
  return out;
}

function validatorFor(crd: CrdSchema): ValidateFunction {
  const key = `${crd.group}/${crd.kind}`;
  let v = cache.get(key);
  if (!v) {
    const schema = closeObjects(crd.schema) as Record<string, unknown>;
    // metadata is the API server's ObjectMeta; the CRD leaves it open.
    const props = (schema["properties"] ?? {}) as Record<string, unknown>;
    props["metadata"] = { type: "object" };
    v = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    cache.set(key, v);
  }
  return v;
}

/** The errors of `object` against a Karpenter CRD, one line each; empty when it validates. */
export function karpenterSchemaErrors(kind: "NodePool" | "EC2NodeClass", object: unknown): string[] {
  const crd = kind === "NodePool" ? NODEPOOL_CRD : EC2NODECLASS_CRD;
  const errors: string[] = [];
  const o = object as Record<string, unknown>;
  const apiVersion = `${crd.group}/${crd.version}`;
  if (o["apiVersion"] !== apiVersion) errors.push(`apiVersion must be ${apiVersion}, got ${JSON.stringify(o["apiVersion"])}`);
  if (o["kind"] !== crd.kind) errors.push(`kind must be ${crd.kind}, got ${JSON.stringify(o["kind"])}`);
  const validate = validatorFor(crd);
  if (!validate(object)) {
    for (const e of validate.errors ?? []) {
      // A Terraform token (an id from another stack) is known only at apply; its format is the provider's to check.
      const value = at(object, e.instancePath);
      if (typeof value === "string" && isToken(value)) continue;
      errors.push(`${e.instancePath || "/"} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params["additionalProperty"])})` : ""}`);
    }
  }
  return errors;
}
