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
  /** `true`, `false`, unset, or "unknown" (an expression). */
  readonly privileged: boolean | undefined | "unknown";
  /** Capabilities the container adds (strings as written, expressions included). */
  readonly addCapabilities: readonly unknown[];
  /** The container's `runAsUser`, as written (number, numeric string or expression); undefined when unset. */
  readonly runAsUser: unknown;
  /** Host ports the container binds (`hostPort`), as written. */
  readonly hostPorts: readonly unknown[];
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
  /** The pod's `runAsUser`, as written; undefined when unset. */
  readonly podRunAsUser: unknown;
  /** hostNetwork, hostPID and hostIPC as written (true, false, expression or undefined). */
  readonly hostNamespaces: Readonly<Record<"hostNetwork" | "hostPID" | "hostIPC", unknown>>;
  /** Names of volumes that mount a host path. */
  readonly hostPathVolumes: readonly string[];
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
  kubernetes_pod_v1: "Pod",
  kubernetes_pod: "Pod",
  kubernetes_replication_controller_v1: "ReplicationController",
  kubernetes_replication_controller: "ReplicationController",
};

/** Kinds of `kubernetes_manifest` objects the workload rules read (every kind that carries a pod template). */
const MANIFEST_KINDS = new Set(["Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob", "Pod", "ReplicaSet", "ReplicationController"]);

/** Terraform types the workload rules inspect. */
export const WORKLOAD_TYPES: readonly string[] = [...Object.keys(TYPED_KINDS), "kubernetes_manifest"];

const LONG_RUNNING = new Set(["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "ReplicationController"]);

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
    if (typeof kind === "string" && MANIFEST_KINDS.has(kind)) return fromManifest(manifest!, kind);
  }
  return undefined;
}

function typed(config: JsonObject, kind: string): Workload {
  const spec =
    kind === "Pod" ? block(config, "spec") : kind === "CronJob" ? path(config, "spec", "job_template", "spec", "template", "spec") : path(config, "spec", "template", "spec");
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
      privileged: tristateOrUnknown(sc?.["privileged"]),
      readOnlyRootFilesystem: isTrue(sc?.["read_only_root_filesystem"]),
      dropCapabilities: strings(block(sc, "capabilities")?.["drop"]),
      addCapabilities: listOf(block(sc, "capabilities")?.["add"]),
      runAsUser: sc?.["run_as_user"],
      hostPorts: blocks(c, "port").map((p) => p["host_port"]).filter((p) => p !== undefined && p !== null),
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
    podRunAsUser: podContext?.["run_as_user"],
    hostNamespaces: { hostNetwork: spec?.["host_network"], hostPID: spec?.["host_pid"], hostIPC: spec?.["host_ipc"] },
    hostPathVolumes: blocks(spec, "volume").filter((v) => v["host_path"] !== undefined).map((v) => String(v["name"] ?? "?")),
    containers: [...blocks(spec, "container").map((c) => read(c, false)), ...blocks(spec, "init_container").map((c) => read(c, true))],
  };
}

function fromManifest(manifest: JsonObject, kind: string): Workload {
  const spec =
    kind === "Pod" ? block(manifest, "spec") : kind === "CronJob" ? path(manifest, "spec", "jobTemplate", "spec", "template", "spec") : path(manifest, "spec", "template", "spec");
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
      privileged: tristateOrUnknown(sc?.["privileged"]),
      readOnlyRootFilesystem: isTrue(sc?.["readOnlyRootFilesystem"]),
      dropCapabilities: strings(block(sc, "capabilities")?.["drop"]),
      addCapabilities: listOf(block(sc, "capabilities")?.["add"]),
      runAsUser: sc?.["runAsUser"],
      hostPorts: blocks(c, "ports").map((p) => p["hostPort"]).filter((p) => p !== undefined && p !== null),
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
    podRunAsUser: podContext?.["runAsUser"],
    hostNamespaces: { hostNetwork: spec?.["hostNetwork"], hostPID: spec?.["hostPID"], hostIPC: spec?.["hostIPC"] },
    hostPathVolumes: blocks(spec, "volumes").filter((v) => v["hostPath"] !== undefined).map((v) => String(v["name"] ?? "?")),
    containers: [
      ...blocks(spec, "containers").map((c) => read(c, false)),
      ...blocks(spec, "initContainers").map((c) => read(c, true)),
      ...blocks(spec, "ephemeralContainers").map((c) => read(c, false)),
    ],
  };
}

function tristateOrUnknown(value: unknown): boolean | undefined | "unknown" {
  if (isTrue(value)) return true;
  if (isFalse(value)) return false;
  return value === undefined || value === null ? undefined : "unknown";
}

function listOf(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
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

/** A namespace definition (or a label patch on one) and its labels as written. */
export interface NamespaceLabels {
  readonly name: unknown;
  /** The labels object; undefined when the resource sets none; a string when it is an expression. */
  readonly labels: unknown;
  /** True for `kubernetes_labels`, which patches labels onto an existing namespace. */
  readonly patch: boolean;
}

/** Terraform types that create or label namespaces. */
export const NAMESPACE_TYPES: readonly string[] = ["kubernetes_namespace_v1", "kubernetes_namespace", "kubernetes_manifest", "kubernetes_labels"];

/** The namespace a resource creates or labels, or undefined when it is about something else. */
export function namespaceOf(resource: SynthResource): NamespaceLabels | undefined {
  const c = resource.config;
  if (resource.type === "kubernetes_namespace_v1" || resource.type === "kubernetes_namespace") {
    const metadata = block(c, "metadata");
    return { name: metadata?.["name"] ?? metadata?.["generate_name"], labels: metadata?.["labels"], patch: false };
  }
  if (resource.type === "kubernetes_manifest") {
    const manifest = block(c, "manifest");
    if (manifest?.["kind"] !== "Namespace") return undefined;
    const metadata = block(manifest, "metadata");
    return { name: metadata?.["name"], labels: metadata?.["labels"], patch: false };
  }
  if (resource.type === "kubernetes_labels" && c["kind"] === "Namespace") {
    return { name: block(c, "metadata")?.["name"], labels: c["labels"], patch: true };
  }
  return undefined;
}
