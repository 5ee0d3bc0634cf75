/**
 * The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards, the
 * checks of k8s.io/pod-security-admission at policy version "latest") as a pure function over a pod
 * spec. The render gate (`scripts/helm-render.mjs`) runs it on every Pod template a chart renders,
 * at the level the namespace enforces (`pod-security.kubernetes.io/enforce`), so a pod the API server
 * would refuse fails CI instead of an apply that times out.
 *
 * Levels are cumulative: "restricted" applies every "baseline" check plus its own; "privileged"
 * checks nothing. Pure TypeScript on plain data (the parsed YAML), no Kubernetes client.
 */
import { PodSecurityLevel } from "../addon";

/** One refused field of a pod spec. */
export interface PodSecurityViolation {
  /** The PSS control, e.g. `hostNamespaces`, `runAsNonRoot`. */
  readonly control: string;
  /** Level whose check failed. */
  readonly level: Exclude<PodSecurityLevel, "privileged">;
  /** JSON-ish path inside the pod spec, e.g. `containers[discovery].securityContext.seccompProfile`. */
  readonly path: string;
  /** What was found and what is allowed. */
  readonly message: string;
}

/** Capabilities "baseline" lets a container add (the container runtime's default set). */
export const BASELINE_ALLOWED_CAPABILITIES: readonly string[] = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];

/** Sysctls "baseline" allows (the namespaced, safe set, as of Kubernetes 1.32). */
export const BASELINE_SAFE_SYSCTLS: readonly string[] = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
];

/** SELinux types "baseline" allows (besides unset). */
const SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

/** Volume types "restricted" allows. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

type Obj = Record<string, any>;

interface NamedContainer {
  readonly path: string;
  readonly spec: Obj;
}

function containersOf(pod: Obj): NamedContainer[] {
  const out: NamedContainer[] = [];
  for (const field of ["initContainers", "containers", "ephemeralContainers"]) {
    for (const [i, c] of ((pod[field] as Obj[] | undefined) ?? []).entries()) {
      out.push({ path: `${field}[${c?.name ?? i}]`, spec: c ?? {} });
    }
  }
  return out;
}

/**
 * Every violation of `level` in a pod spec (`spec` of a Pod, `spec.template.spec` of a workload).
 *
 * @param pod the pod spec, as parsed from YAML
 * @param level the level the namespace enforces
 * @param annotations the pod template's annotations (AppArmor's legacy annotations live there)
 * @example
 * podSecurityViolations(deployment.spec.template.spec, "restricted") // [] when admitted
 */
export function podSecurityViolations(pod: Obj, level: PodSecurityLevel, annotations: Readonly<Record<string, string>> = {}): PodSecurityViolation[] {
  if (level === "privileged") return [];
  const out: PodSecurityViolation[] = [];
  baseline(pod, annotations, out);
  if (level === "restricted") restricted(pod, out);
  return out;
}

function baseline(pod: Obj, annotations: Readonly<Record<string, string>>, out: PodSecurityViolation[]): void {
  const add = (control: string, path: string, message: string): void => {
    out.push({ control, level: "baseline", path, message });
  };
  const containers = containersOf(pod);
  const podSc: Obj = pod.securityContext ?? {};

  for (const ns of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (pod[ns] === true) add("hostNamespaces", ns, `${ns}: true; allowed: unset or false`);
  }
  if (podSc.windowsOptions?.hostProcess === true) add("hostProcess", "securityContext.windowsOptions.hostProcess", "true; allowed: unset or false");
  for (const [i, v] of ((pod.volumes as Obj[] | undefined) ?? []).entries()) {
    if (v?.hostPath) add("hostPathVolumes", `volumes[${v.name ?? i}].hostPath`, `hostPath ${JSON.stringify(v.hostPath.path)}; allowed: no hostPath volumes`);
  }
  checkSeccompNotUnconfined(podSc, "securityContext", add);
  checkSelinux(podSc, "securityContext", add);
  checkAppArmor(podSc, "securityContext", add);
  for (const s of (podSc.sysctls as Obj[] | undefined) ?? []) {
    if (!BASELINE_SAFE_SYSCTLS.includes(s?.name)) add("sysctls", `securityContext.sysctls[${s?.name}]`, `${s?.name}; allowed: ${BASELINE_SAFE_SYSCTLS.join(", ")}`);
  }
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith("container.apparmor.security.beta.kubernetes.io/") && value !== "runtime/default" && !value.startsWith("localhost/")) {
      add("appArmorProfile", `metadata.annotations[${key}]`, `${value}; allowed: runtime/default or localhost/*`);
    }
  }

  for (const c of containers) {
    const sc: Obj = c.spec.securityContext ?? {};
    const p = `${c.path}.securityContext`;
    if (sc.privileged === true) add("privileged", `${p}.privileged`, "true; allowed: unset or false");
    if (sc.windowsOptions?.hostProcess === true) add("hostProcess", `${p}.windowsOptions.hostProcess`, "true; allowed: unset or false");
    for (const cap of (sc.capabilities?.add as string[] | undefined) ?? []) {
      if (!BASELINE_ALLOWED_CAPABILITIES.includes(cap)) add("capabilities", `${p}.capabilities.add`, `${cap}; allowed: ${BASELINE_ALLOWED_CAPABILITIES.join(", ")}`);
    }
    if (sc.procMount !== undefined && sc.procMount !== "Default") add("procMount", `${p}.procMount`, `${sc.procMount}; allowed: unset or Default`);
    checkSeccompNotUnconfined(sc, p, add);
    checkSelinux(sc, p, add);
    checkAppArmor(sc, p, add);
    for (const port of (c.spec.ports as Obj[] | undefined) ?? []) {
      if (port?.hostPort !== undefined && port.hostPort !== 0) {
        add("hostPorts", `${c.path}.ports[${port.name ?? port.containerPort}].hostPort`, `${port.hostPort}; allowed: unset or 0`);
      }
    }
  }
}

function checkSeccompNotUnconfined(sc: Obj, path: string, add: (c: string, p: string, m: string) => void): void {
  if (sc.seccompProfile?.type === "Unconfined") add("seccompProfile", `${path}.seccompProfile.type`, "Unconfined; allowed: unset, RuntimeDefault or Localhost");
}

function checkSelinux(sc: Obj, path: string, add: (c: string, p: string, m: string) => void): void {
  const se: Obj | undefined = sc.seLinuxOptions;
  if (!se) return;
  if (se.type !== undefined && se.type !== "" && !SELINUX_TYPES.includes(se.type)) {
    add("seLinuxOptions", `${path}.seLinuxOptions.type`, `${se.type}; allowed: unset or one of ${SELINUX_TYPES.join(", ")}`);
  }
  for (const f of ["user", "role"]) {
    if (se[f] !== undefined && se[f] !== "") add("seLinuxOptions", `${path}.seLinuxOptions.${f}`, `${se[f]}; allowed: unset`);
  }
}

function checkAppArmor(sc: Obj, path: string, add: (c: string, p: string, m: string) => void): void {
  const t = sc.appArmorProfile?.type;
  if (t !== undefined && t !== "RuntimeDefault" && t !== "Localhost") add("appArmorProfile", `${path}.appArmorProfile.type`, `${t}; allowed: RuntimeDefault or Localhost`);
}

function restricted(pod: Obj, out: PodSecurityViolation[]): void {
  const add = (control: string, path: string, message: string): void => {
    out.push({ control, level: "restricted", path, message });
  };
  const podSc: Obj = pod.securityContext ?? {};
  for (const [i, v] of ((pod.volumes as Obj[] | undefined) ?? []).entries()) {
    const types = Object.keys(v ?? {}).filter((k) => k !== "name");
    for (const t of types) {
      if (!RESTRICTED_VOLUME_TYPES.includes(t)) add("volumeTypes", `volumes[${v.name ?? i}].${t}`, `${t}; allowed: ${RESTRICTED_VOLUME_TYPES.join(", ")}`);
    }
  }
  const podSeccompOk = isConfinedSeccomp(podSc.seccompProfile);
  const podNonRoot = podSc.runAsNonRoot === true;
  if (podSc.runAsUser === 0) add("runAsUser", "securityContext.runAsUser", "0; allowed: a non-zero UID or unset");

  for (const c of containersOf(pod)) {
    const sc: Obj = c.spec.securityContext ?? {};
    const p = `${c.path}.securityContext`;
    if (sc.allowPrivilegeEscalation !== false) add("allowPrivilegeEscalation", `${p}.allowPrivilegeEscalation`, `${JSON.stringify(sc.allowPrivilegeEscalation)}; allowed: false`);
    const nonRoot = sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && podNonRoot);
    if (!nonRoot) add("runAsNonRoot", `${p}.runAsNonRoot`, `${JSON.stringify(sc.runAsNonRoot)} (pod: ${JSON.stringify(podSc.runAsNonRoot)}); allowed: true on the container or the pod`);
    if (sc.runAsUser === 0) add("runAsUser", `${p}.runAsUser`, "0; allowed: a non-zero UID or unset");
    const seccompOk = sc.seccompProfile === undefined ? podSeccompOk : isConfinedSeccomp(sc.seccompProfile);
    if (!seccompOk) {
      add("seccompProfile", `${p}.seccompProfile`, `${JSON.stringify(sc.seccompProfile?.type)} (pod: ${JSON.stringify(podSc.seccompProfile?.type)}); allowed: RuntimeDefault or Localhost on the container or the pod`);
    }
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes("ALL")) add("capabilities", `${p}.capabilities.drop`, `${JSON.stringify(drop)}; allowed: must include ALL`);
    for (const cap of (sc.capabilities?.add as string[] | undefined) ?? []) {
      if (cap !== "NET_BIND_SERVICE") add("capabilities", `${p}.capabilities.add`, `${cap}; allowed: only NET_BIND_SERVICE`);
    }
  }
}

function isConfinedSeccomp(profile: Obj | undefined): boolean {
  return profile?.type === "RuntimeDefault" || profile?.type === "Localhost";
}

/** Kinds whose objects carry a Pod template, and where its spec is. */
export function podTemplateOf(object: Obj): { spec: Obj; annotations: Record<string, string> } | undefined {
  const kind = object?.kind;
  const template =
    kind === "Pod"
      ? object
      : kind === "CronJob"
        ? object.spec?.jobTemplate?.spec?.template
        : ["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "ReplicationController"].includes(kind)
          ? object.spec?.template
          : undefined;
  if (!template) return undefined;
  return { spec: template.spec ?? {}, annotations: template.metadata?.annotations ?? {} };
}
