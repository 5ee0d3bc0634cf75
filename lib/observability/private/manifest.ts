import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { Problems } from "../../core/validation";

/** A `kubernetes-models` object: typed data with a check against the upstream schema. */
export interface SchemaModel {
  validate(): void;
  toJSON(): unknown;
}

/** Validates `model`, recording `OBS_MANIFEST_SCHEMA` with the schema's message instead of throwing. */
export function checkSchema(problems: Problems, path: string, model: SchemaModel): void {
  try {
    model.validate();
  } catch (error) {
    problems.add("OBS_MANIFEST_SCHEMA", path, (error as Error).message, "an object that validates against the CRD's OpenAPI schema");
  }
}

/** A `kubernetes_manifest` from a validated model; the JSON round trip drops class instances and `undefined`. */
export function manifestFrom(scope: Construct, id: string, model: SchemaModel): Manifest {
  return new Manifest(scope, id, { manifest: JSON.parse(JSON.stringify(model.toJSON())) as Record<string, unknown> });
}

/** Kubernetes DNS-1123 label check (namespaces, object names). */
export function isDnsLabel(value: string): boolean {
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value);
}

/** Kubernetes DNS-1123 subdomain check (ConfigMap and CR names). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value);
}

/** Labels every observability object carries. */
export function observabilityLabels(component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "headroom-observability",
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "headroom",
    "app.kubernetes.io/managed-by": "terraform",
  };
}
