/** Reads Karpenter objects (NodePool, EC2NodeClass) out of `kubernetes_manifest` resources. */
import { SynthResource } from "../rule";
import { isObject, JsonObject } from "./json";

/** The manifest when it is a Karpenter object of `kind`, else undefined. */
export function karpenterObject(resource: SynthResource, kind: "NodePool" | "EC2NodeClass"): JsonObject | undefined {
  const m = resource.config["manifest"];
  if (!isObject(m) || m["kind"] !== kind) return undefined;
  const api = typeof m["apiVersion"] === "string" ? m["apiVersion"] : "";
  const group = kind === "NodePool" ? "karpenter.sh/" : "karpenter.k8s.aws/";
  return api.startsWith(group) ? m : undefined;
}

/** `spec` of an object, or an empty object. */
export function specOf(o: JsonObject): JsonObject {
  return isObject(o["spec"]) ? o["spec"] : {};
}
