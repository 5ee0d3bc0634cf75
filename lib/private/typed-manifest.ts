import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { Problems } from "../core/validation";

/** A `kubernetes-models` object: typed data with a schema check. */
export interface SchemaModel {
  validate(): void;
  toJSON(): unknown;
}

/**
 * Validates `model` against its upstream JSON schema and records a
 * `MANIFEST_SCHEMA_INVALID` problem (with the schema's own message) instead of throwing,
 * so a constructor can report it together with its other problems.
 */
export function checkSchema(problems: Problems, path: string, model: SchemaModel): void {
  try {
    model.validate();
  } catch (error) {
    problems.add("MANIFEST_SCHEMA_INVALID", path, (error as Error).message, "an object that validates against the CRD's OpenAPI schema");
  }
}

/**
 * Creates a `kubernetes_manifest` from an already validated model. The plain JSON is
 * passed through a round trip so that class instances and `undefined` fields never
 * reach the Terraform JSON.
 */
export function manifestFrom(scope: Construct, id: string, model: SchemaModel): Manifest {
  return new Manifest(scope, id, { manifest: JSON.parse(JSON.stringify(model.toJSON())) as Record<string, unknown> });
}
