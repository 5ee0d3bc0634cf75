export { checkSchema, manifestFrom } from "../../private/typed-manifest";
export type { SchemaModel } from "../../private/typed-manifest";

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
