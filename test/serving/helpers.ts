import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import { testStack } from "../helpers/synth";

/** A test stack with a kubernetes provider, as the workloads stack has. */
export function workloadsTestStack(id = "test"): TerraformStack {
  const { stack } = testStack(id);
  new KubernetesProvider(stack, "kubernetes", { host: "https://example.invalid" });
  return stack;
}

/** Converts snake_case keys of a synthesized object to camelCase, recursively (Terraform JSON -> Kubernetes field names). */
export function camelKeys(value: unknown): any {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.includes("/") || k.includes(".") ? k : k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), camelKeys(v)]),
    );
  }
  return value;
}
