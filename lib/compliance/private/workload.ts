/**
 * Reads Kubernetes workloads from either the typed kubernetes provider
 * resources (snake_case blocks) or `kubernetes_manifest` objects (camelCase),
 * into one model the workload rules check.
 */
import { SynthResource } from "../rule";
import { block, blocks, isFalse, isObject, isTrue, JsonObject, path, strings } from "./json";

/** One container, normalised. */
export interface Container {
  readonly name: string;
  readonly init: boolean;
  readonly image: unknown;
  /** `undefined` when the container does not set it (the pod-level value applies). */
  readonly runAsNonRoot: boolean | undefined;
  readonly allowPrivilegeEscalation: boolean | undefined;
  readonly privileged: boolean;
  readonly readOnlyRootFilesystem: boolean;
  readonly dropCapabilities: readonly string[];
  readonly seccompType: string | undefined;
  readonly requests: JsonObject;
  readonly limits: JsonObject;
  readonly liveness: boolean;
  readonly readiness: boolean;
}

/** A workload and its pod template. */
export interface Workload {
  /** Kubernetes kind: Deployment, DaemonSet, StatefulSet, Job or CronJob. */
  readonly kind: string;
  readonly namespace: string | undefined;
  /** Deployments, DaemonSets and StatefulSets run until replaced. */
  readonly longRunning: boolean;
  readonly podRunAsNonRoot: boolean | undefined;
  readonly podSeccompType: string | undefined;
  readonly containers: readonly Container[];
}

const TYPED_KINDS: Readonly<Record<string, string>> = {
  kubernetes_deployment_v1: "Deployment",
  kubernetes_daemon_set_v1: "DaemonSet",
  kubernetes_stateful_set_v1: "StatefulSet",
  kubernetes_job_v1: "Job",
  kubernetes_cron_job_v1: "CronJob",
  kubernetes_deployment: "Deployment",
  kubernetes_daemonset: "DaemonSet",
  kubernetes_stateful_set: "StatefulSet",
  kubernetes_job: "Job",
  kubernetes_cron_job: "CronJob",
};

/** Terraform types the workload rules inspect. */
export const WORKLOAD_TYPES: readonly string[] = [...Object.keys(TYPED_KINDS), "kubernetes_manifest"];

const LONG_RUNNING = new Set(["Deployment", "DaemonSet", "StatefulSet"]);

function tristate(value: unknown): boolean | undefined {
  if (isTrue(value)) return true;
  if (isFalse(value)) return false;
  return undefined;
}

/** The workload a resource defines, or undefined when it is not a workload (e.g. a manifest of another kind). */
export function workloadOf(resource: SynthResource): Workload | undefined {
  const typedKind = TYPED_KINDS[resource.type];
  if (typedKind) return typed(resource.config, typedKind);
  if (resource.type === "kubernetes_manifest") {
    const manifest = block(resource.config, "manifest");
    const kind = manifest?.["kind"];
    if (typeof kind === "string" && Object.values(TYPED_KINDS).includes(kind)) return fromManifest(manifest!, kind);
  }
  return undefined;
}

function typed(config: JsonObject, kind: string): Workload {
  const spec = kind === "CronJob" ? path(config, "spec", "job_template", "spec", "template", "spec") : path(config, "spec", "template", "spec");
  const podContext = block(spec, "security_context");
  const read = (c: JsonObject, init: boolean): Container => {
    const sc = block(c, "security_context");
    const resources = block(c, "resources");
    return {
      name: String(c["name"] ?? "?"),
      init,
      image: c["image"],
      runAsNonRoot: tristate(sc?.["run_as_non_root"]),
      allowPrivilegeEscalation: tristate(sc?.["allow_privilege_escalation"]),
      privileged: isTrue(sc?.["privileged"]),
      readOnlyRootFilesystem: isTrue(sc?.["read_only_root_filesystem"]),
      dropCapabilities: strings(block(sc, "capabilities")?.["drop"]),
      seccompType: stringOrUndefined(block(sc, "seccomp_profile")?.["type"]),
      requests: block(resources, "requests") ?? {},
      limits: block(resources, "limits") ?? {},
      liveness: block(c, "liveness_probe") !== undefined,
      readiness: block(c, "readiness_probe") !== undefined,
    };
  };
  return {
    kind,
    namespace: stringOrUndefined(block(config, "metadata")?.["namespace"]),
    longRunning: LONG_RUNNING.has(kind),
    podRunAsNonRoot: tristate(podContext?.["run_as_non_root"]),
    podSeccompType: stringOrUndefined(block(podContext, "seccomp_profile")?.["type"]),
    containers: [...blocks(spec, "container").map((c) => read(c, false)), ...blocks(spec, "init_container").map((c) => read(c, true))],
  };
}

function fromManifest(manifest: JsonObject, kind: string): Workload {
  const spec = kind === "CronJob" ? path(manifest, "spec", "jobTemplate", "spec", "template", "spec") : path(manifest, "spec", "template", "spec");
  const podContext = block(spec, "securityContext");
  const read = (c: JsonObject, init: boolean): Container => {
    const sc = block(c, "securityContext");
    const resources = block(c, "resources");
    return {
      name: String(c["name"] ?? "?"),
      init,
      image: c["image"],
      runAsNonRoot: tristate(sc?.["runAsNonRoot"]),
      allowPrivilegeEscalation: tristate(sc?.["allowPrivilegeEscalation"]),
      privileged: isTrue(sc?.["privileged"]),
      readOnlyRootFilesystem: isTrue(sc?.["readOnlyRootFilesystem"]),
      dropCapabilities: strings(block(sc, "capabilities")?.["drop"]),
      seccompType: stringOrUndefined(block(sc, "seccompProfile")?.["type"]),
      requests: block(resources, "requests") ?? {},
      limits: block(resources, "limits") ?? {},
      liveness: isObject(c["livenessProbe"]),
      readiness: isObject(c["readinessProbe"]),
    };
  };
  return {
    kind,
    namespace: stringOrUndefined(block(manifest, "metadata")?.["namespace"]),
    longRunning: LONG_RUNNING.has(kind),
    podRunAsNonRoot: tristate(podContext?.["runAsNonRoot"]),
    podSeccompType: stringOrUndefined(block(podContext, "seccompProfile")?.["type"]),
    containers: [...blocks(spec, "containers").map((c) => read(c, false)), ...blocks(spec, "initContainers").map((c) => read(c, true))],
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The Istio custom resource of `kind` a `kubernetes_manifest` holds, if any. */
export function istioObject(resource: SynthResource, kind: string): JsonObject | undefined {
  if (resource.type !== "kubernetes_manifest") return undefined;
  const manifest = block(resource.config, "manifest");
  const apiVersion = manifest?.["apiVersion"];
  return manifest?.["kind"] === kind && typeof apiVersion === "string" && apiVersion.includes("istio.io") ? manifest : undefined;
}
